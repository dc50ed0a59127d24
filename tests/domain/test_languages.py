"""Languages: a BCP-47 tag gives native and English names, script and direction from CLDR."""

from __future__ import annotations

from typing import Literal

import pytest

from deh_deploy.i18n import Language, language


@pytest.mark.parametrize(
    ("tag", "native", "english", "direction", "script"),
    [
        ("uk", "українська", "Ukrainian", "ltr", "Cyrl"),
        ("ru", "русский", "Russian", "ltr", "Cyrl"),
        ("hu", "magyar", "Hungarian", "ltr", "Latn"),
        ("mn", "монгол", "Mongolian", "ltr", "Cyrl"),
        ("ar", "العربية", "Arabic", "rtl", "Arab"),
        ("fa", "فارسی", "Persian", "rtl", "Arab"),
        ("he", "עברית", "Hebrew", "rtl", "Hebr"),
        ("en", "English", "English", "ltr", "Latn"),
        ("pt-BR", "português (Brasil)", "Portuguese (Brazil)", "ltr", "Latn"),
        ("sr-Latn", "srpski (latinica)", "Serbian (Latin)", "ltr", "Latn"),
        ("sr", "српски", "Serbian", "ltr", "Cyrl"),
        ("ar-JO", "العربية (الأردن)", "Arabic (Jordan)", "rtl", "Arab"),
        ("pa-PK", "پنجابی (عربی, پاکستان)", "Punjabi (Arabic, Pakistan)", "rtl", "Arab"),
    ],
)
def test_a_known_tag_gives_names_direction_and_script(
    tag: str, native: str, english: str, direction: Literal["ltr", "rtl"], script: str
) -> None:
    assert language(tag) == Language(tag, native, english, direction, script)


def test_tags_are_case_insensitive_and_come_back_canonical() -> None:
    assert language("pt-br").tag == "pt-BR"
    assert language("SR-latn").tag == "sr-Latn"
    assert language("zh-hant-tw").tag == "zh-Hant-TW"


def test_a_script_written_out_that_is_the_usual_one_is_kept() -> None:
    assert language("en-Latn") == Language("en-Latn", "English", "English", "ltr", "Latn")


def test_mongolian_in_its_traditional_script_counts_as_left_to_right() -> None:
    mongol = language("mn-Mong")
    assert (mongol.direction, mongol.script, mongol.native_name) == ("ltr", "Mong", "монгол (монгол бичиг)")


HINT = "write a BCP-47 tag such as 'uk', 'pt-BR' or 'sr-Latn'"


@pytest.mark.parametrize(
    ("tag", "reason"),
    [
        ("xx", f"CLDR has no such language — {HINT}"),
        ("en-XX", f"CLDR has no such language — {HINT}"),
        ("english", f"not BCP-47 — {HINT}"),
        ("UK_ua", f"BCP-47 separates subtags with hyphens, not underscores — {HINT}"),
        ("", f"not BCP-47 — {HINT}"),
        ("uk-", f"not BCP-47 — {HINT}"),
        ("uk-UA-x-kyiv", f"not BCP-47 — {HINT}"),
        ("und", f"'und' means undetermined — {HINT}"),
        ("iw", "CLDR replaces 'iw' with 'he' — write 'he'"),
        ("ar-Latn", f"CLDR has no data for subtag 'Latn' — {HINT}"),
        ("de-1996", f"CLDR has no data for subtag '1996' — {HINT}"),
    ],
)
def test_a_malformed_or_unknown_tag_is_refused_with_a_hint(tag: str, reason: str) -> None:
    with pytest.raises(ValueError) as raised:
        language(tag)
    assert str(raised.value) == f"unknown language tag {tag!r}; {reason}"


def test_answers_are_cached() -> None:
    assert language("hu") is language("hu")
