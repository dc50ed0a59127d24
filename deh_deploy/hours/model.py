"""The typed model of the ``hours`` section and the parsing of its plain-data form."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

DAY_KEYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MINUTES_PER_DAY = 1440

_SHIFT_RE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, order=True)
class Shift:
    """Open from ``start`` to ``end`` minutes after local midnight of the day the shift starts.

    ``end`` above 1440 means the shift runs past midnight into the next day (at most 2880).
    """

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < MINUTES_PER_DAY:
            raise ValueError(f"shift start {self.start} is outside 0..1439 minutes")
        if not self.start < self.end <= self.start + MINUTES_PER_DAY:
            raise ValueError(f"shift end {self.end} must lie after start {self.start} and within a day of it")

    @property
    def overnight(self) -> bool:
        return self.end > MINUTES_PER_DAY

    def label(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end if self.end <= MINUTES_PER_DAY else self.end - 1440)}"


@dataclass(frozen=True)
class HolidayRule:
    """Close on the public holidays of ``country`` (and ``subdivision``) per the ``holidays`` library."""

    country: str
    subdivision: str | None = None
    observed: bool = True


@dataclass(frozen=True)
class Closure:
    """Whole local days ``first``..``last`` (inclusive) closed for ``reason``."""

    first: date
    last: date
    reason: str


@dataclass(frozen=True)
class OpeningHours:
    """Weekly shifts per weekday (index 0 = Monday), holiday rule, closures, ``open_on`` and the switch."""

    weekly: tuple[tuple[Shift, ...], ...]
    holidays: HolidayRule | None
    closures: tuple[Closure, ...] = ()
    open_on: frozenset[date] = frozenset()
    closed_now: bool = False


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_shift(text: object) -> Shift:
    """Parse ``"HH:MM-HH:MM"``; an end at or before the start runs past midnight.

    Raises ``ValueError`` whose message is the one ``check_hours`` reports.
    """
    if not isinstance(text, str):
        raise ValueError(f'expected a shift "HH:MM-HH:MM", got {text!r}')
    match = _SHIFT_RE.match(text)
    if match is None:
        raise ValueError(f'"{text}" is not a shift; write "HH:MM-HH:MM", for example "08:00-12:00"')
    sh, sm, eh, em = (int(g) for g in match.groups())
    if sh > 23 or sm > 59:
        raise ValueError(f'"{text}": start {sh:02d}:{sm:02d} is not a time of day (00:00 to 23:59)')
    if eh > 24 or em > 59 or (eh == 24 and em != 0):
        raise ValueError(f'"{text}": end {eh:02d}:{em:02d} is not a time of day (00:00 to 24:00)')
    start, end = sh * 60 + sm, eh * 60 + em
    if start == end:
        raise ValueError(
            f'"{text}" is empty: it starts and ends at the same time (a whole day is "00:00-24:00")'
        )
    if end <= start:
        end += MINUTES_PER_DAY
    return Shift(start, end)


def parse_date(value: object) -> date:
    """A ``datetime.date`` (as YAML loads it) or a ``"YYYY-MM-DD"`` string."""
    if isinstance(value, datetime):
        raise ValueError(f'"{value.isoformat()}" is a timestamp, not a date; write YYYY-MM-DD')
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE_RE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f'"{value}" is not a date; write YYYY-MM-DD')


def parse_closure(item: Mapping[str, Any]) -> Closure:
    reason = str(item.get("reason") or "closed")
    if item.get("date") is not None:
        day = parse_date(item["date"])
        return Closure(day, day, reason)
    if item.get("from") is None or item.get("to") is None:
        raise ValueError('a closure needs either "date" or both "from" and "to"')
    first, last = parse_date(item["from"]), parse_date(item["to"])
    if first > last:
        raise ValueError(f"closure runs backwards: from {first.isoformat()} is after to {last.isoformat()}")
    return Closure(first, last, reason)


def holiday_rule(data: Mapping[str, Any], *, country: str) -> HolidayRule | None:
    """``public_holidays`` absent, null or false: no holidays; a mapping (even empty) or true: on."""
    section = data.get("public_holidays")
    if section is None or section is False:
        return None
    if section is True:
        return HolidayRule(country=country.upper())
    if not isinstance(section, Mapping):
        raise ValueError("public_holidays must be a mapping")
    subdivision = section.get("subdivision")
    return HolidayRule(
        country=str(section.get("country") or country).upper(),
        subdivision=None if subdivision is None else str(subdivision),
        observed=bool(section.get("observed", True)),
    )


def parse_hours(data: Mapping[str, Any], *, country: str) -> OpeningHours:
    """Build the model from the (already checked) ``hours`` mapping; ``country`` is the Society's ISO code."""
    weekly_data: Mapping[str, Any] = data.get("weekly") or {}
    unknown = sorted(set(weekly_data) - set(DAY_KEYS))
    if unknown:
        raise ValueError(f"unknown day {unknown[0]!r}; use one of {', '.join(DAY_KEYS)}")
    weekly = tuple(
        tuple(sorted(parse_shift(text) for text in (weekly_data.get(key) or ()))) for key in DAY_KEYS
    )
    closures_data: Sequence[Mapping[str, Any]] = data.get("closures") or ()
    open_on_data: Sequence[object] = data.get("open_on") or ()
    return OpeningHours(
        weekly=weekly,
        holidays=holiday_rule(data, country=country),
        closures=tuple(parse_closure(item) for item in closures_data),
        open_on=frozenset(parse_date(value) for value in open_on_data),
        closed_now=bool(data.get("closed_now", False)),
    )
