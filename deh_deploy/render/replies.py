"""What a person may answer when a menu asks for a digit: the digit in any common script, or the option's name.

People answer "٢" on an Arabic keyboard, "২" on a Bengali one, "Укр" or "українська" for Ukrainian, and a speech
recogniser writes "Two." for a spoken digit. The flows compare a reply after Liquid's ``strip | downcase`` (and,
for speech, without full stops) with a ``matches_any_of`` list built here, in lower case, so the case and form
of a reply never matter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from babel import Locale, UnknownLocaleError

# The zero of each decimal numbering system (CLDR names); a digit n is chr(ord(zero) + n).
_ZERO = {
    "latn": "0",
    "arab": "\u0660",  # Arabic-Indic ٠-٩
    "arabext": "\u06f0",  # Eastern Arabic-Indic ۰-۹ (Persian, Urdu)
    "beng": "\u09e6",  # Bengali ০-৯
    "deva": "\u0966",  # Devanagari ०-९
    "mong": "\u1810",
    "mymr": "\u1040",
    "thai": "\u0e50",
    "khmr": "\u17e0",
    "laoo": "\u0ed0",
    "tibt": "\u0f20",
    "gujr": "\u0ae6",
    "guru": "\u0a66",
    "orya": "\u0b66",
    "tamldec": "\u0be6",
    "telu": "\u0c66",
    "knda": "\u0ce6",
    "mlym": "\u0d66",
}
# Keyboards people in DEH countries type on, whatever the hub's languages.
ALWAYS = ("latn", "arab", "arabext", "beng", "deva")
# Digits spoken in English, as recognisers often write them whatever the language.
_SPOKEN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

TEXT_REPLY = " | strip | downcase"
SPEECH_REPLY = ' | strip | downcase | remove: "." | remove: "!" | remove: "?"'


@lru_cache(maxsize=1)
def _everyday() -> dict[str, tuple[str, ...]]:
    raw: dict[str, Any] = json.loads(
        resources.files("deh_deploy").joinpath("data/language_names.json").read_text(encoding="utf-8")
    )
    return {k: tuple(str(n) for n in v) for k, v in raw["names"].items()}


def _systems(tag: str, country: str) -> tuple[str, ...]:
    """The numbering systems a language's writers use in the hub's country (CLDR's default and native)."""
    found: list[str] = []
    for name in (f"{tag.replace('-', '_')}_{country}", tag.replace("-", "_")):
        try:
            locale = Locale.parse(name)
        except (UnknownLocaleError, ValueError):
            continue
        found += [locale.default_numbering_system, str(locale.other_numbering_systems.get("native", ""))]
    return tuple(s for s in found if s in _ZERO)


def digit_forms(n: int, *, languages: Iterable[str], country: str) -> tuple[str, ...]:
    systems = [*ALWAYS, *(s for lang in languages for s in _systems(lang, country))]
    return tuple(dict.fromkeys(chr(ord(_ZERO[s]) + n) for s in systems))


def language_names(tag: str) -> tuple[str, ...]:
    """A language's native and English names (CLDR) and its everyday names, lower case."""
    from deh_deploy.i18n import language

    lang = language(tag)
    base = tag.split("-")[0].lower()
    names = (lang.native_name, lang.english_name, *_everyday().get(base, ()))
    return tuple(dict.fromkeys(n.lower() for n in names))


def choices(n: int, names: Iterable[str], *, languages: Iterable[str], country: str, spoken: bool) -> str:
    """The ``matches_any_of`` value for option ``n``: its digit in every script, the spoken digit when the reply
    is speech, and its names; commas (the list's separator) are dropped from names."""
    items = [*digit_forms(n, languages=languages, country=country)]
    if spoken and n < len(_SPOKEN):
        items.append(_SPOKEN[n])
    items += [name.lower().replace(",", " ").strip() for name in names]
    return ",".join(dict.fromkeys(i for i in items if i))
