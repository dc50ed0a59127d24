"""Phone numbers in the config: written in E.164, valid, and in the Society's own country."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from babel import Locale
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, ValidationResult

__all__ = ["calling_code", "check_phone", "country_problem", "example", "normalise"]

_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_NON_GEOGRAPHIC = "001"
# Two-letter CLDR codes that name groups or placeholders, not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
_LENGTH_PROBLEMS = {
    ValidationResult.TOO_SHORT: "too short",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "too short",
    ValidationResult.TOO_LONG: "too long",
    ValidationResult.INVALID_LENGTH: "the wrong length",
}


@lru_cache(maxsize=1)
def _english() -> Locale:
    return Locale("en")


def _region(country: str) -> str:
    """The ISO 3166 code, upper case. A territory without a numbering plan of its own (Antarctica) is a country
    too: no number is ever valid there, and check_phone says where a number belongs instead."""
    region = country.upper()
    if region in phonenumbers.SUPPORTED_REGIONS or (
        len(region) == 2
        and region.isalpha()
        and region not in _NOT_COUNTRIES
        and region in _english().territories
    ):
        return region
    raise ValueError(f"unknown country {country!r}; write an ISO 3166 alpha-2 code such as 'HU'")


def country_problem(country: str) -> str | None:
    """None when ``country`` is an ISO 3166 alpha-2 code, else what is wrong with it (for the rules, which report
    rather than raise)."""
    try:
        _region(country)
    except ValueError as exc:
        return str(exc)
    return None


def calling_code(country: str) -> int:
    """The country's calling code (36 for HU); 0 for a territory without a numbering plan of its own."""
    return int(phonenumbers.country_code_for_region(_region(country)))


def _territory(region: str) -> str:
    return str(_english().territories.get(region, region))


def _name(region: str) -> str:
    return f"{_territory(region)} ({region})"


def _e164(number: PhoneNumber) -> str:
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def _example(number: str, region: str) -> str:
    """The number itself in E.164 when it can be read as a valid number, else the country's example."""
    try:
        parsed = phonenumbers.parse(number, region)
    except NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        parsed = phonenumbers.example_number(region)
    code = phonenumbers.country_code_for_region(region)
    if parsed is None:
        return f"+{code}…" if code else "+ and the number's country code, such as +3612345678"
    return _e164(parsed)


def example(country: str) -> str | None:
    """An example number of ``country`` in E.164 (phonenumbers' own), or None for an unknown country."""
    try:
        region = _region(country)
    except ValueError:
        return None
    parsed = phonenumbers.example_number(region)
    return _e164(parsed) if parsed is not None else None


def _instead(region: str, owner_code: int) -> str:
    """What a number of ``region`` looks like, for the fix: its calling code (when the number's is another) and
    phonenumbers' example."""
    code = phonenumbers.country_code_for_region(region)
    sample = example(region)
    if not code or sample is None:
        return ""
    if code == owner_code:  # +1 and +7 are shared: the area code tells the countries apart
        return f"; a number in {_territory(region)} is one such as {sample}"
    return f"; numbers in {_territory(region)} start with +{code}, such as {sample}"


def check_phone(number: str, *, country: str) -> str | None:
    """None when ``number`` is an E.164 number valid in ``country`` (ISO 3166 alpha-2), else the problem."""
    region = _region(country)
    if not _E164.fullmatch(number):
        return f"{number!r} is not in E.164 form; write it in E.164, e.g. {_example(number, region)}"
    try:
        parsed = phonenumbers.parse(number, None)
    except NumberParseException:
        return f"{number!r} is not a valid phone number: it starts with no country's calling code"
    if not phonenumbers.is_valid_number(parsed):
        code = parsed.country_code or 0
        home = phonenumbers.region_code_for_country_code(code)
        where = f"+{code}" if home in (_NON_GEOGRAPHIC, "ZZ") else f"{_territory(home)} (+{code})"
        problem = _LENGTH_PROBLEMS.get(phonenumbers.is_possible_number_with_reason(parsed))
        detail = f"{problem} for {where}" if problem else f"no number in {where} has this form"
        return f"{number!r} is not a valid phone number: {detail}"
    if not phonenumbers.is_valid_number_for_region(parsed, region):
        owner = phonenumbers.region_code_for_number(parsed) or _NON_GEOGRAPHIC
        if owner == _NON_GEOGRAPHIC:
            return (
                f"{number!r} is an international non-geographic number (+{parsed.country_code}),"
                f" not a number in {_name(region)}"
            )
        return f"{number!r} is a number in {_name(owner)}, not {_name(region)}{_instead(region, parsed.country_code or 0)}"
    return None


def normalise(number: str, *, country: str | None = None) -> str:
    """``number`` in E.164 (``+3612345678``); national forms need ``country``. ValueError if unreadable."""
    region = _region(country) if country is not None else None
    try:
        parsed = phonenumbers.parse(number, region)
    except NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_possible_number(parsed):
        where = (
            f" in {_name(region)}" if region is not None else " (without a country, it must start with '+')"
        )
        raise ValueError(f"cannot read {number!r} as a phone number{where}")
    return _e164(parsed)
