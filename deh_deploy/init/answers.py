"""The answers of ``deh init`` and of the country template: defaults from CLDR (through ``babel``), checks,
and the facts the template writes. The template's Jinja extension calls these functions, so ``deh init`` and
a plain ``cookiecutter templates/country`` compute the same defaults and refuse the same bad answers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any, Literal
from zoneinfo import available_timezones

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from deh_deploy import channels as channel_table
from deh_deploy import i18n
from deh_deploy.errors import AnswerError, UsageError
from deh_deploy.hours.model import DAY_KEYS

__all__ = [
    "HubFacts",
    "LanguageFacts",
    "Starter",
    "check_country",
    "check_languages",
    "check_name",
    "check_slug",
    "check_timezone",
    "check_yes_no",
    "country_zones",
    "default_languages",
    "default_slug",
    "default_society_name",
    "default_timezone",
    "has_holiday_calendar",
    "hub_facts",
    "starter_days",
    "working_days",
]

_SLUG = re.compile(r"[a-z][a-z0-9-]{1,23}")
_SLUG_MAX = 24
# Two-letter CLDR territories that are not countries.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"})
# zone.tab lists a country's zones most populous first unless geography says otherwise; where that puts
# another zone before the capital's, the capital's zone wins.
_CAPITAL_ZONES = {
    "AU": "Australia/Sydney",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "FM": "Pacific/Pohnpei",
    "PS": "Asia/Hebron",
    "RU": "Europe/Moscow",
    "UA": "Europe/Kyiv",
    "UZ": "Asia/Tashkent",
}
_MAX_LANGUAGES = 9
# Besides control and format characters (categories C*): the line and paragraph separators, which YAML reads as
# line breaks, so a name with one would break the generated hub.yaml.
_NOT_IN_NAMES = frozenset({"Zl", "Zp"})
_MAX_DEFAULT_LANGUAGES = 3
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


@dataclass(frozen=True)
class LanguageFacts:
    tag: str
    english_name: str
    native_name: str
    direction: Literal["ltr", "rtl"]
    needs_audio: bool  # Twilio has no text-to-speech voice for it


@dataclass(frozen=True)
class HubFacts:
    """Everything the template writes, checked and with the defaults filled in."""

    country: str
    country_name: str
    society_name: str
    society_in_text: str
    slug: str
    timezone: str
    timezone_note: str  # a comment above `timezone:`, empty when nothing needs saying
    languages: tuple[LanguageFacts, ...]
    holidays: bool  # close on public holidays (asked for, and the holidays library has the calendar)
    holidays_note: str
    open_days: tuple[str, ...]
    weekend_note: str
    more_channels: tuple[
        str, ...
    ] = ()  # the lines of a comment offering the channels the template leaves out
    starter: Starter | None = None  # the instants of the starter scenarios


@dataclass(frozen=True)
class Starter:
    """When the starter scenarios happen: an ordinary working day of next year at 10:00 (open) and 19:00
    (closed), and the first public holiday of that year on a working day, at 10:00 (closed for the holiday)."""

    day: date
    holiday: date | None
    holiday_name: str

    @property
    def day_name(self) -> str:
        return _english_date(self.day)

    @property
    def holiday_label(self) -> str:
        return f"{self.holiday_name}, {_english_date(self.holiday)}" if self.holiday else ""


def _english_date(day: date) -> str:
    """``Tuesday 12 January 2027``, whatever the process's locale."""
    english = Locale("en")
    weekday = english.days["format"]["wide"][day.weekday()]
    return f"{weekday} {day.day} {english.months['format']['wide'][day.month]} {day.year}"


# --- defaults -------------------------------------------------------------------------------------------


def check_country(country: str) -> str:
    """An ISO 3166-1 alpha-2 code, or a country's English name as CLDR writes it (``Moldova``, ``Türkiye``, accents
    and case aside). Anything else is refused with the country most likely meant: an alpha-3 code's country
    (``HUN`` → ``HU``) or the closest name (``Turkey`` → ``TR``)."""
    text = country.strip()
    countries = _countries()
    if text.upper() in countries:
        return text.upper()
    named = _country_names().get(_fold(text))
    if named is not None:
        return named
    meant = _country_meant(text)
    tail = (
        f"; did you mean {meant!r} ({countries[meant]})?"
        if meant
        else "; write an ISO 3166-1 alpha-2 code such as 'HU' or 'JO'"
    )
    raise AnswerError(f"unknown country {country!r}{tail}", suggestion=meant)


def _country_meant(text: str) -> str | None:
    import difflib

    aliases = [a for a in get_global("territory_aliases").get(text.strip().upper(), ()) if a in _countries()]
    if len(text.strip()) == 3 and len(aliases) == 1:
        return str(aliases[0])
    names = _country_names()
    folded = _fold(text)
    if len(folded) <= 3:
        return None
    # A misspelling keeps a name's first letter (Turkey → Türkiye, Kenia → Kenya), so a name that starts alike
    # may be less close than one that does not: Narnia is nearer Armenia than Turkey is Türkiye.
    alike = [n for n in names if n[0] == folded[0]]
    close = difflib.get_close_matches(folded, alike, n=1, cutoff=0.7) or difflib.get_close_matches(
        folded, list(names), n=1, cutoff=0.8
    )
    return names[close[0]] if close else None


def _fold(text: str) -> str:
    """Case, accents and the apostrophe's forms aside: ``Côte d'Ivoire`` is ``cote d'ivoire``."""
    ascii_text = unicodedata.normalize("NFKD", text.replace("’", "'")).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.casefold().split())


@lru_cache(maxsize=1)
def _countries() -> Mapping[str, str]:
    """Code → English name of every two-letter CLDR territory that is a country."""
    return {
        code: str(name)
        for code, name in _english_territories().items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


@lru_cache(maxsize=1)
def _country_names() -> Mapping[str, str]:
    """Folded English name → code."""
    return {_fold(name): code for code, name in sorted(_countries().items())}


def country_name(country: str) -> str:
    return str(_english_territories()[check_country(country)])


def default_society_name(country: str) -> str:
    return f"FILL IN: name of the National Society of {country_name(country)}"


def default_slug(country: str) -> str:
    name = re.sub(r"\s*\(.*?\)", "", country_name(country))
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"['’]", "", ascii_name)).split()
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > _SLUG_MAX:
            break
        slug = candidate
    return slug if _SLUG.fullmatch(slug) else f"country-{check_country(country).lower()}"


def country_zones(country: str) -> tuple[str, ...]:
    """The country's IANA zones (CLDR), the one for the helpdesk first."""
    code = check_country(country)
    zones = list(get_global("territory_zones").get(code, ()))
    order = {zone: i for i, zone in enumerate(_zone_tab().get(code, ()))}
    zones.sort(key=lambda z: (z != _CAPITAL_ZONES.get(code), order.get(z, len(order)), z))
    return tuple(zones)


def default_timezone(country: str) -> str:
    zones = country_zones(country)
    return zones[0] if zones else "UTC"


def default_languages(country: str) -> str:
    """The country's official languages (CLDR) that deh-deploy knows, most spoken first, comma-separated."""
    spoken = get_global("territory_languages").get(check_country(country), {})
    ranked = sorted(spoken.items(), key=lambda kv: (-float(kv[1].get("population_percent") or 0), kv[0]))
    seen: set[str] = set()  # one tag per language: "sr" but not also "sr-Latn"
    by_status: dict[str, list[str]] = {"official": [], "de_facto_official": [], "": []}
    for tag, info in ranked:
        bcp47 = tag.replace("_", "-")
        if bcp47.split("-")[0] in seen or not _known_language(bcp47):
            continue
        seen.add(bcp47.split("-")[0])
        by_status.get(str(info.get("official_status")), by_status[""]).append(bcp47)
    chosen = by_status["official"] or by_status["de_facto_official"] or by_status[""][:1] or ["en"]
    return ",".join(chosen[:_MAX_DEFAULT_LANGUAGES])


def weekend(country: str) -> tuple[frozenset[int], str]:
    """The country's weekend (0 is Monday) and its source. The holidays library's calendar for the country wins
    where it states a weekend of its own (its authors follow each country's law; CLDR's week data is wrong for
    some, such as Bangladesh's Friday–Saturday); where the library has no calendar, or its calendar keeps the
    library's default, CLDR's week data for the country's likely locale is used."""
    import holidays

    code = check_country(country)
    try:
        calendar = type(holidays.country_holidays(code))
    except NotImplementedError:
        calendar = None
    if calendar is not None and any(
        "weekend" in vars(c) for c in calendar.__mro__ if c is not holidays.HolidayBase
    ):
        return frozenset(calendar.weekend), "the holidays library"
    likely = get_global("likely_subtags").get(f"und_{code}")
    start, end = 5, 6
    if likely:
        try:
            locale = Locale.parse(str(likely))
            start, end = int(locale.weekend_start), int(locale.weekend_end)
        except (UnknownLocaleError, ValueError):
            pass
    return frozenset((start + i) % 7 for i in range((end - start) % 7 + 1)), "CLDR"


def working_days(country: str) -> tuple[tuple[str, ...], str]:
    """Weekdays outside the country's weekend, and the weekend's English name ("Friday–Saturday")."""
    days, _ = weekend(country)
    names = Locale("en").days["format"]["wide"]
    # Named from its first day, the one after a working day (Friday of Friday–Saturday, Saturday of Saturday–Sunday).
    first = next((d for d in sorted(days) if (d - 1) % 7 not in days), min(days, default=5))
    run = [first]
    while (run[-1] + 1) % 7 in days and len(run) < len(days):
        run.append((run[-1] + 1) % 7)
    if len(run) == len(days):
        label = names[run[0]] if len(run) == 1 else f"{names[run[0]]}–{names[run[-1]]}"
    else:
        label = " and ".join(names[d] for d in sorted(days))
    return tuple(day for i, day in enumerate(DAY_KEYS) if i not in days), label


# --- answers ----------------------------------------------------------------------------------------------


def check_languages(tags: Sequence[str]) -> tuple[LanguageFacts, ...]:
    wanted = [t.strip() for item in tags for t in item.split(",") if t.strip()]
    if not wanted:
        raise UsageError("no languages given; write BCP-47 tags such as 'uk,ru,hu'")
    if len(wanted) > _MAX_LANGUAGES:
        raise UsageError(f"{len(wanted)} languages given; the phone menu offers at most {_MAX_LANGUAGES}")
    out: list[LanguageFacts] = []
    for tag in wanted:
        try:
            lang = i18n.language(tag)
        except ValueError as exc:
            found = i18n.suggest(tag)
            if found is None:
                raise AnswerError(str(exc)) from None
            meant, what = found
            raise AnswerError(
                f"{what}; did you mean {meant!r} ({i18n.language(meant).english_name})?",
                suggestion=",".join(meant if t == tag else t for t in wanted),
            ) from None
        if any(seen.tag == lang.tag for seen in out):
            raise UsageError(f"language {lang.tag!r} is given twice")
        out.append(
            LanguageFacts(
                lang.tag,
                lang.english_name,
                lang.native_name,
                lang.direction,
                needs_audio=i18n.tts_voice(lang.tag) is None,
            )
        )
    return tuple(out)


def check_timezone(timezone: str) -> str:
    """An IANA zone name; a misspelt one (``Europe/Chisnau``) or a city alone (``Chisinau``) is refused with the
    zone most likely meant."""
    if timezone in _timezones():
        return timezone
    from deh_deploy.config.rules import closest_zone

    meant = closest_zone(timezone)
    tail = f"; did you mean {meant!r}?" if meant else "; write an IANA name such as 'Europe/Budapest'"
    raise AnswerError(f"unknown timezone {timezone!r}{tail}", suggestion=meant)


def check_slug(slug: str) -> str:
    if not _SLUG.fullmatch(slug):
        meant = re.sub(r"[^a-z0-9]+", "-", _fold(slug)).strip("-")[:_SLUG_MAX].strip("-")
        raise AnswerError(
            f"invalid slug {slug!r}; use 2 to 24 lowercase letters, digits and hyphens, "
            "starting with a letter",
            suggestion=meant if _SLUG.fullmatch(meant) else None,
        )
    return slug


def check_yes_no(answer: str) -> bool:
    word = answer.strip().lower()
    if word in _YES or word in _NO:
        return word in _YES
    raise AnswerError(f"answer yes or no, not {answer!r}")


def check_name(name: str) -> str:
    name = name.strip()
    if not 2 <= len(name) <= 120:
        raise UsageError(f"invalid society name {name!r}; it needs 2 to 120 characters")
    if any(c in "{}" or _unprintable(c) for c in name):
        raise UsageError(f"invalid society name {name!r}; braces and control characters are not allowed")
    return name


def _unprintable(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] == "C" or category in _NOT_IN_NAMES


def hub_facts(answers: Mapping[str, Any]) -> HubFacts:
    """Check the template's answers (``cookiecutter`` context) and derive what the files need."""
    country = check_country(str(answers["country"]))
    name = check_name(str(answers["society_name"]))
    timezone = check_timezone(str(answers["timezone"]).strip())
    zones = country_zones(country)
    note = ""
    if timezone == default_timezone(country) and not zones:
        note = (
            f"FILL IN: CLDR knows no time zone for {country_name(country)}; replace UTC with the IANA name "
            "of the helpdesk's time zone"
        )
    elif timezone == default_timezone(country) and len(zones) > 1:
        note = f"{country_name(country)} has several time zones ({', '.join(zones)}); the hours use this one"
    holidays_wanted = str(answers["holidays"]).strip().lower() in _YES
    has_calendar = has_holiday_calendar(country)
    holidays_note = (
        ""
        if has_calendar or not holidays_wanted
        else f"The holidays library has no calendar for {country}: list public holidays under closures."
    )
    days, weekend_name = working_days(country)
    _, source = weekend(country)
    return HubFacts(
        country=country,
        country_name=country_name(country),
        society_name=name,
        society_in_text="National Society" if "FILL IN" in name else name,
        slug=check_slug(str(answers["slug"]).strip()),
        timezone=timezone,
        timezone_note=note,
        languages=check_languages([str(answers["languages"])]),
        holidays=holidays_wanted and has_calendar,
        holidays_note=holidays_note,
        open_days=days,
        weekend_note=f"Working days outside the weekend in {country_name(country)} ({weekend_name}, from {source}).",
        more_channels=_more_channels(country),
        starter=starter_days(country, open_days=days, holidays=holidays_wanted and has_calendar),
    )


def starter_days(
    country: str, *, open_days: Sequence[str], holidays: bool, today: date | None = None
) -> Starter:
    """The days of the starter scenarios, in the year after ``today``: the hub's own holiday calendar (the
    ``holidays`` library as the hours read it) decides which day is a public holiday."""
    from deh_deploy.hours.calendar import public_holidays
    from deh_deploy.hours.model import HolidayRule

    year = (today or date.today()).year + 1
    closed = public_holidays(HolidayRule(country=country), [year]) if holidays else {}
    working = {DAY_KEYS.index(day) for day in open_days}
    day = date(year, 1, 12)  # past the new year's holidays
    while day.weekday() not in working or day in closed:
        day += timedelta(days=1)
    holiday = next((d for d in sorted(closed) if d.weekday() in working), None)
    return Starter(day, holiday, closed[holiday] if holiday else "")


def _more_channels(country: str, width: int = 106) -> tuple[str, ...]:
    """``More channels: `whatsapp: {}` (needs whatsapp_sender in each environment), …``, wrapped for a comment."""
    import textwrap

    offers = [
        f"`{c.name}: {c.suggestion.replace('{country}', country)}`"
        + (f" (needs {' and '.join(p.key for p in c.needs)} in each environment)" if c.needs else "")
        for c in channel_table.table()
        if c.suggestion is not None
    ]
    if not offers:
        return ()
    text = f"More channels: {', '.join(offers)}."
    return tuple(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


@lru_cache(maxsize=1)
def _english_territories() -> Mapping[str, str]:
    return dict(Locale("en").territories)


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def listed_zones() -> frozenset[str]:
    """The zones tzdata's zone.tab lists (not the old names kept as aliases)."""
    return frozenset(zone for zones in _zone_tab().values() for zone in zones)


@lru_cache(maxsize=1)
def _zone_tab() -> dict[str, tuple[str, ...]]:
    order: dict[str, list[str]] = {}
    text = resources.files("tzdata").joinpath("zoneinfo/zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) >= 3 and not line.startswith("#"):
            order.setdefault(cols[0], []).append(cols[2])
    return {code: tuple(zones) for code, zones in order.items()}


def _known_language(tag: str) -> bool:
    try:
        i18n.language(tag)
    except ValueError:
        return False
    return True


def has_holiday_calendar(country: str) -> bool:
    from deh_deploy.hours.calendar import registered_countries

    return country in registered_countries()
