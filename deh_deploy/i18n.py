"""Languages (BCP-47 tags, native names, script, direction) and text-to-speech support per language.

Language facts come from CLDR through ``babel``; the text-to-speech list is data in ``data/tts_voices.json``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from babel import Locale, UnknownLocaleError
from babel.core import get_global

__all__ = ["Language", "TtsVoice", "canonical", "language", "suggest", "tts_voice", "tts_voices"]

# language[-script][-region][-variant...]; extensions and private use are not accepted.
_TAG = re.compile(
    r"(?P<language>[A-Za-z]{2,3})"
    r"(?:-(?P<script>[A-Za-z]{4}))?"
    r"(?:-(?P<region>[A-Za-z]{2}|[0-9]{3}))?"
    r"(?P<variants>(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)"
)
_EXAMPLES = "write a BCP-47 tag such as 'uk', 'pt-BR' or 'sr-Latn'"


@dataclass(frozen=True)
class Language:
    """One language as the hub speaks it: canonical tag, names and how its text runs."""

    tag: str
    native_name: str
    english_name: str
    direction: Literal["ltr", "rtl"]
    script: str | None


@dataclass(frozen=True)
class TtsVoice:
    """A Twilio ``<Say>`` voice for a language; ``verified`` is False where no source confirmed the name."""

    tag: str
    language: str
    voice: str
    verified: bool


@dataclass(frozen=True)
class _Parts:
    language: str
    script: str | None
    region: str | None
    variants: tuple[str, ...]

    @property
    def tag(self) -> str:
        return "-".join(p for p in (self.language, self.script, self.region, *self.variants) if p)


def _split(tag: str) -> _Parts:
    match = _TAG.fullmatch(tag)
    if match is None:
        why = "BCP-47 separates subtags with hyphens, not underscores" if "_" in tag else "not BCP-47"
        raise ValueError(f"unknown language tag {tag!r}; {why} — {_EXAMPLES}")
    script, region = match["script"], match["region"]
    return _Parts(
        language=match["language"].lower(),
        script=script.title() if script else None,
        region=region.upper() if region else None,
        variants=tuple(v.lower() for v in match["variants"].split("-") if v),
    )


def _likely_script(language: str, region: str | None) -> str | None:
    likely = get_global("likely_subtags")
    for key in ([f"{language}_{region}"] if region else []) + [language]:
        found = str(likely.get(key) or "")
        if found:
            subtags = found.split("_")
            if len(subtags) > 1 and len(subtags[1]) == 4:
                return subtags[1]
    return None


def _effective_script(parts: _Parts) -> str | None:
    return parts.script or _likely_script(parts.language, parts.region)


@lru_cache(maxsize=512)
def canonical(tag: str) -> str:
    """The canonical form of a BCP-47 tag CLDR knows; ``ValueError`` otherwise. Cheap: loads no locale data."""
    return _checked(tag)[0].tag


def _checked(tag: str) -> tuple[_Parts, Locale]:
    parts = _split(tag)
    if parts.language == "und":
        raise ValueError(f"unknown language tag {tag!r}; 'und' means undetermined — {_EXAMPLES}")
    try:
        locale = Locale.parse(parts.tag, sep="-")
    except (UnknownLocaleError, ValueError):
        raise ValueError(f"unknown language tag {tag!r}; CLDR has no such language — {_EXAMPLES}") from None
    # babel silently drops subtags it has no data for ("ar-Latn" would come back as Arabic script, rtl).
    kept_scripts = (locale.script, _likely_script(parts.language, None))
    dropped = [
        *([parts.script] if parts.script and parts.script not in kept_scripts else []),
        *([parts.region] if parts.region and parts.region != locale.territory else []),
        *[v for v in parts.variants if v.upper() != (locale.variant or "").upper()],
    ]
    if locale.language != parts.language:
        raise ValueError(
            f"unknown language tag {tag!r}; CLDR replaces {parts.language!r} with {locale.language!r}"
            f" — write {locale.language!r}"
        )
    if dropped:
        what = ", ".join(repr(d) for d in dropped)
        raise ValueError(f"unknown language tag {tag!r}; CLDR has no data for subtag {what} — {_EXAMPLES}")
    return parts, locale


@lru_cache(maxsize=64)
def suggest(text: str) -> tuple[str, str] | None:
    """The tag someone who wrote ``text`` most likely meant, and what ``text`` is instead, from CLDR: a language's English name
    (``Turkish`` → ``tr``) or a country's code (``ua`` is Ukraine → its official language ``uk``). None when
    ``text`` is a tag CLDR knows, or nothing fits."""
    try:
        canonical(text)
    except ValueError:
        pass
    else:
        return None
    english = Locale("en")
    wanted = text.strip().casefold()
    for code, name in sorted(english.languages.items()):
        if str(name).casefold() == wanted and _known_tag(code):
            return code.replace("_", "-"), f"{text!r} is the name of a language, not its tag"
    for code, names in sorted(_everyday_names().items()):  # Bengali (CLDR: Bangla), українська
        if wanted in names and _known_tag(code):
            return code, f"{text!r} is the name of a language, not its tag"
    region = text.strip().upper()
    if len(region) == 2 and region.isalpha() and region in english.territories:
        from babel.languages import get_official_languages

        for code in get_official_languages(region, de_facto=True):
            if _known_tag(code):
                return code, f"{text!r} is the country code of {english.territories[region]}, not a language"
    return None


@lru_cache(maxsize=1)
def _everyday_names() -> dict[str, frozenset[str]]:
    """``data/language_names.json``: the names people write for a language besides CLDR's English one."""
    import json
    from importlib import resources

    table = json.loads(resources.files("deh_deploy").joinpath("data/language_names.json").read_text("utf-8"))
    return {code: frozenset(n.casefold() for n in names) for code, names in table["names"].items()}


def _known_tag(code: str) -> bool:
    try:
        canonical(code.replace("_", "-"))
    except ValueError:
        return False
    return True


@lru_cache(maxsize=512)
def language_region(tag: str, *, country: str) -> str:
    """A tag in language-region form, lower case (``uk`` → ``uk-ua``), as the DEH convention names skills.

    A tag with a region keeps it; a language official in the hub's country takes that country (``ar`` in Jordan is
    ``ar-jo``); any other takes CLDR's likely region (``ru`` → ``ru-ru``, ``en`` → ``en-us``)."""
    parts = _split(tag)
    region = parts.region
    if region is None:
        official = get_global("territory_languages").get(country.upper(), {})
        status = str(official.get(parts.language, {}).get("official_status") or "")
        if status.startswith("official") or status == "de_facto_official":
            region = country.upper()
    if region is None:
        likely = str(get_global("likely_subtags").get(parts.language) or "")
        found = [s for s in likely.split("_")[1:] if len(s) == 2 or s.isdigit()]
        region = found[0] if found else None
    return f"{parts.language}-{region}".lower() if region else parts.language


@lru_cache(maxsize=512)
def language(tag: str) -> Language:
    """The language behind a BCP-47 tag; ``ValueError`` if the tag is malformed or CLDR does not know it."""
    parts, locale = _checked(tag)
    english = locale.get_display_name("en") or parts.tag
    native = locale.get_display_name(locale) or locale.get_display_name(Locale(locale.language)) or english
    # Mongolian script is written top-to-bottom; its characters are strong left-to-right for bidi.
    direction: Literal["ltr", "rtl"] = "rtl" if locale.text_direction == "rtl" else "ltr"
    return Language(
        tag=parts.tag,
        native_name=native,
        english_name=english,
        direction=direction,
        script=_effective_script(parts),
    )


@lru_cache(maxsize=1)
def _tts_table() -> dict[str, TtsVoice]:
    raw: dict[str, Any] = json.loads(
        resources.files("deh_deploy").joinpath("data/tts_voices.json").read_text(encoding="utf-8")
    )
    table: dict[str, TtsVoice] = {}
    for key, entry in raw["voices"].items():
        table[key] = TtsVoice(
            tag=key,
            language=str(entry["language"]),
            voice=str(entry["voice"]),
            verified=bool(entry["verified"]),
        )
    return table


def tts_voices() -> dict[str, TtsVoice]:
    """Every language with a Twilio ``<Say>`` voice, keyed by BCP-47 tag."""
    return dict(_tts_table())


def _cldr_parents(parts: _Parts) -> list[str]:
    """CLDR's parent locales of a regional tag: es-CO → es-419, en-IE → en-001, pt-AO → pt-PT."""
    parents = get_global("parent_exceptions")
    key = "_".join(p for p in (parts.language, parts.script, parts.region) if p)
    chain: list[str] = []
    while key in parents and len(chain) < 8:
        key = str(parents[key])
        chain.append(key.replace("_", "-"))
    return chain


@lru_cache(maxsize=512)
def tts_voice(tag: str) -> TtsVoice | None:
    """The ``<Say>`` voice for a language, or None when Twilio speaks no such language.

    "uk" and "uk-UA" both find Ukrainian; "ar-JO" falls back to "ar" and "es-CO" to its CLDR parent "es-419";
    a tag never falls back to an entry written in another script ("sr-Latn" does not take the Cyrillic
    Serbian voice).
    """
    parts = _split(canonical(tag))
    script = _effective_script(parts)
    table = _tts_table()
    candidates = [
        parts.tag,
        _Parts(parts.language, parts.script, parts.region, ()).tag,
        _Parts(parts.language, None, parts.region, ()).tag,
        *_cldr_parents(parts),
        _Parts(parts.language, parts.script, None, ()).tag,
        parts.language,
    ]
    for candidate in dict.fromkeys(candidates):
        found = table.get(candidate)
        if found is not None and _effective_script(_split(candidate)) == script:
            return found
    return None


@lru_cache(maxsize=1)
def _speech_languages() -> tuple[str, ...]:
    raw: dict[str, Any] = json.loads(
        resources.files("deh_deploy").joinpath("data/speech_languages.json").read_text(encoding="utf-8")
    )
    return tuple(str(code) for code in raw["languages"])


@lru_cache(maxsize=512)
def speech_language(tag: str, *, country: str) -> str | None:
    """The code Twilio's speech recognition takes for a hub language, or None when it recognises no such language.

    Recognition has its own list, regional codes only (``ar-JO``, ``mn-MN``; no ``ar-XA``, no bare ``mn``), so
    the code is the tag itself when listed, else the language in the hub's country, else in the region
    :func:`language_region` gives it, else the first region Twilio lists for the language."""
    known = {code.lower(): code for code in _speech_languages()}
    parts = _split(tag)
    candidates = [
        parts.tag.lower(),
        f"{parts.language}-{country}".lower(),
        language_region(tag, country=country),
    ]
    for candidate in candidates:
        if candidate in known:
            return known[candidate]
    same = [code for low, code in known.items() if low.split("-")[0] == parts.language]
    return same[0] if same else None
