"""`deh init` checks every answer before writing, never overwrites a folder, and leaves nothing behind."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import deh_deploy.init
from deh_deploy import i18n
from deh_deploy.errors import ConfigError, UsageError

from .conftest import Answer, init


def i18n_message(tag: str) -> str:
    with pytest.raises(ValueError) as caught:
        i18n.language(tag)
    return str(caught.value)


def test_refuses_to_overwrite_an_existing_country_folder(tmp_path: Path) -> None:
    out = tmp_path / "country_configs"
    (out / "hungary").mkdir(parents=True)
    (out / "hungary" / "hub.yaml").write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        init(out, country="HU")
    assert (
        str(caught.value) == f"{out / 'hungary'} already exists; choose another --slug or remove that folder"
    )
    assert (out / "hungary" / "hub.yaml").read_text(encoding="utf-8") == "mine\n"
    assert [p.name for p in out.iterdir()] == ["hungary"]


def test_another_slug_is_a_way_out(tmp_path: Path) -> None:
    (tmp_path / "hungary").mkdir()
    assert init(tmp_path, country="HU", slug="hungary-test") == tmp_path / "hungary-test"


BAD_ANSWERS: list[tuple[dict[str, Any], str]] = [
    ({"country": "XX"}, "unknown country 'XX'; write an ISO 3166-1 alpha-2 code such as 'HU' or 'JO'"),
    ({"country": "EU"}, "unknown country 'EU'; write an ISO 3166-1 alpha-2 code such as 'HU' or 'JO'"),
    ({"country": "HUN"}, "unknown country 'HUN'; did you mean 'HU' (Hungary)?"),
    ({"country": "Hungry"}, "unknown country 'Hungry'; did you mean 'HU' (Hungary)?"),
    ({"country": "Kenia"}, "unknown country 'Kenia'; did you mean 'KE' (Kenya)?"),
    ({"country": "Columbia"}, "unknown country 'Columbia'; did you mean 'CO' (Colombia)?"),
    (
        {"country": "Narnia"},
        "unknown country 'Narnia'; write an ISO 3166-1 alpha-2 code such as 'HU' or 'JO'",
    ),
    (
        {"country": "Wakanda"},
        "unknown country 'Wakanda'; write an ISO 3166-1 alpha-2 code such as 'HU' or 'JO'",
    ),
    ({"languages": ["uk,klingon"]}, i18n_message("klingon")),
    ({"languages": ["uk_UA"]}, i18n_message("uk_UA")),
    ({"languages": ["uk", "ru,uk"]}, "language 'uk' is given twice"),
    (
        {"languages": [",".join(["uk", "ru", "hu", "en", "de", "fr", "es", "it", "pl", "ro"])]},
        "10 languages given; the phone menu offers at most 9",
    ),
    (
        {"timezone": "Mars/Olympus"},
        "unknown timezone 'Mars/Olympus'; write an IANA name such as 'Europe/Budapest'",
    ),
    ({"timezone": "Europe/Budapst"}, "unknown timezone 'Europe/Budapst'; did you mean 'Europe/Budapest'?"),
    (
        {"languages": ["uk,Russian"]},
        "'Russian' is the name of a language, not its tag; did you mean 'ru' (Russian)?",
    ),
    (
        {"slug": "Hungary"},
        "invalid slug 'Hungary'; use 2 to 24 lowercase letters, digits and hyphens, starting with a letter",
    ),
    (
        {"name": "Red {{ Cross }}"},
        "invalid society name 'Red {{ Cross }}'; braces and control characters are not allowed",
    ),
]


@pytest.mark.parametrize(("options", "message"), BAD_ANSWERS, ids=[m.split(";")[0] for _, m in BAD_ANSWERS])
def test_a_bad_answer_is_one_clear_message_and_writes_nothing(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    out = tmp_path / "new" / "country_configs"
    with pytest.raises(UsageError) as caught:
        init(out, **options)
    assert str(caught.value) == message
    assert list(tmp_path.iterdir()) == []


def test_the_language_message_is_i18ns() -> None:
    assert i18n_message("klingon").startswith("unknown language tag 'klingon';")


def test_a_bad_answer_typed_at_a_prompt_leaves_nothing_behind(tmp_path: Path, answer: Answer) -> None:
    out = tmp_path / "country_configs"
    out.mkdir()
    answer("HU\n\n\nMars/Olympus\n\n1\n")  # country, name, slug, timezone, languages, holidays
    with pytest.raises(UsageError, match="unknown timezone 'Mars/Olympus'"):
        init(out, no_input=False)
    assert list(out.iterdir()) == []


def test_an_output_folder_created_for_a_failed_init_is_removed_again(tmp_path: Path, answer: Answer) -> None:
    answer("HU\n\n\n\nuk,klingon\n1\n")
    with pytest.raises(UsageError, match="unknown language tag 'klingon'"):
        init(tmp_path / "a" / "b", no_input=False)
    assert list(tmp_path.iterdir()) == []


def test_a_template_that_writes_an_invalid_hub_fails_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "template"
    shutil.copytree(deh_deploy.init.template_dir(), broken)
    hub = broken / "{{cookiecutter.slug}}" / "hub.yaml"
    hub.write_text(hub.read_text(encoding="utf-8").replace("max_segments: 3", "max_segments: 30"), "utf-8")
    monkeypatch.setattr(deh_deploy.init, "template_dir", lambda: broken)
    out = tmp_path / "country_configs"
    out.mkdir()
    with pytest.raises(ConfigError) as caught:
        init(out, country="HU")
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.file == str(out / "hungary" / "hub.yaml")
    assert diagnostic.path == "$.channels.sms.max_segments"
    assert list(out.iterdir()) == []
