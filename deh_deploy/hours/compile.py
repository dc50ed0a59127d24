"""Compile ``OpeningHours`` into the JSON schedule that the hours Function and ``is_open`` read."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from deh_deploy.hours.calendar import public_holidays
from deh_deploy.hours.model import OpeningHours

SCHEDULE_VERSION = 1
HOLIDAY_PREFIX = "holiday: "
CLOSURE_PREFIX = "closure: "


def load_zone(timezone: str) -> ZoneInfo:
    """The IANA zone, or ``ValueError`` naming it."""
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:  # OSError: a tzdata folder ('Europe')
        raise ValueError(f'unknown timezone "{timezone}" (not in the IANA time zone database)') from exc


def closed_dates(hours: OpeningHours, *, years: Sequence[int]) -> dict[date, str]:
    """Each closed date of ``years`` with the reason a caller sees: ``holiday: <name>``/``closure: <reason>``.

    Holidays listed in ``open_on`` are dropped; closures always win (over holidays and over ``open_on``).
    """
    wanted = set(years)
    closed: dict[date, str] = {}
    if hours.holidays is not None:
        for day, name in public_holidays(hours.holidays, wanted).items():
            if day not in hours.open_on:
                closed[day] = HOLIDAY_PREFIX + name
    for closure in hours.closures:
        for day in _days_in_years(closure.first, closure.last, wanted):
            closed[day] = CLOSURE_PREFIX + closure.reason
    return closed


def _days_in_years(first: date, last: date, years: set[int]) -> Iterator[date]:
    """The days of ``first``..``last`` that fall in ``years``: what is compiled costs what is asked for, however
    long the closure."""
    for year in sorted(years):
        start, end = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
        for n in range(start.toordinal(), end.toordinal() + 1):
            yield date.fromordinal(n)


def compile_schedule(hours: OpeningHours, *, timezone: str, years: Sequence[int]) -> dict[str, Any]:
    """The schedule as JSON-ready data (see the package docstring for its shape)."""
    load_zone(timezone)
    compiled_years = sorted(set(years))
    if not compiled_years:
        raise ValueError("compile_schedule needs at least one year")
    closed = closed_dates(hours, years=compiled_years)
    return {
        "version": SCHEDULE_VERSION,
        "timezone": timezone,
        "weekly": {
            str(weekday): [[shift.start, shift.end] for shift in sorted(shifts)]
            for weekday, shifts in enumerate(hours.weekly)
        },
        "closed": {day.isoformat(): closed[day] for day in sorted(closed)},
        "closed_now": hours.closed_now,
        "years": compiled_years,
    }


def dump_schedule(schedule: dict[str, Any]) -> str:
    """Canonical bytes for the ``/schedule.json`` asset: sorted keys, UTF-8 text, trailing newline."""
    return json.dumps(schedule, sort_keys=True, ensure_ascii=False, indent=1) + "\n"
