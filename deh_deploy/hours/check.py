"""Semantic checks of the ``hours`` section: every problem, each with its path inside ``hours``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from deh_deploy.hours.calendar import CalendarUnavailable, ensure_calendar, public_holidays
from deh_deploy.hours.compile import load_zone
from deh_deploy.hours.model import (
    DAY_KEYS,
    MINUTES_PER_DAY,
    HolidayRule,
    Shift,
    holiday_rule,
    parse_date,
    parse_shift,
)

Path = tuple[str | int, ...]
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class HoursProblem:
    """One problem; ``path`` is relative to the ``hours`` mapping (``()`` for the top-level timezone)."""

    path: Path
    message: str
    severity: Literal["error", "warning"] = "error"


@dataclass(frozen=True)
class _Entry:
    day: int
    index: int
    text: str
    shift: Shift


def _error(path: Path, message: str) -> HoursProblem:
    return HoursProblem(path, message, "error")


def _warning(path: Path, message: str) -> HoursProblem:
    return HoursProblem(path, message, "warning")


def _check_weekly(weekly: object, out: list[HoursProblem]) -> list[_Entry]:
    if weekly is None:
        return []
    if not isinstance(weekly, Mapping):
        out.append(_error(("weekly",), "expected a mapping of days (mon … sun) to lists of shifts"))
        return []
    entries: list[_Entry] = []
    for key, shifts in weekly.items():
        if key not in DAY_KEYS:
            out.append(_error(("weekly", key), f'unknown day "{key}"; use one of {", ".join(DAY_KEYS)}'))
            continue
        if shifts is None:
            continue
        if isinstance(shifts, str) or not isinstance(shifts, Sequence):
            out.append(_error(("weekly", key), 'expected a list of "HH:MM-HH:MM" shifts'))
            continue
        for index, text in enumerate(shifts):
            try:
                entries.append(_Entry(DAY_KEYS.index(key), index, str(text), parse_shift(text)))
            except ValueError as exc:
                out.append(_error(("weekly", key, index), str(exc)))
    return entries


def _where(entry: _Entry) -> str:
    return f"weekly.{DAY_KEYS[entry.day]}[{entry.index}]"


def _check_overlaps(entries: list[_Entry], out: list[HoursProblem]) -> None:
    by_day: dict[int, list[_Entry]] = {day: [] for day in range(7)}
    for entry in entries:
        by_day[entry.day].append(entry)
    for day, day_entries in by_day.items():
        ordered = sorted(day_entries, key=lambda e: (e.shift.start, e.shift.end, e.index))
        for later_pos, later in enumerate(ordered):
            for earlier in ordered[:later_pos]:
                if later.shift.start < earlier.shift.end:
                    message = f'"{later.text}" overlaps "{earlier.text}" ({_where(earlier)})'
                    out.append(_error(("weekly", DAY_KEYS[day], later.index), message))
        next_day = (day + 1) % 7
        for entry in ordered:
            carry = entry.shift.end - MINUTES_PER_DAY
            for other in sorted(by_day[next_day], key=lambda e: (e.shift.start, e.index)):
                if carry > 0 and other.shift.start < carry:
                    message = (
                        f'"{entry.text}" runs past midnight into {DAY_KEYS[next_day]} and overlaps its shift '
                        f'"{other.text}" ({_where(other)})'
                    )
                    out.append(_error(("weekly", DAY_KEYS[day], entry.index), message))


def _check_calendar(
    data: Mapping[str, Any], *, country: str, out: list[HoursProblem]
) -> tuple[HolidayRule | None, bool]:
    """The holiday rule (None when the section is absent or broken) and whether its calendar exists."""
    try:
        rule = holiday_rule(data, country=country)
    except ValueError as exc:
        out.append(_error(("public_holidays",), str(exc)))
        return None, False
    if rule is None:
        return None, False
    section = data.get("public_holidays")
    explicit = set(section) if isinstance(section, Mapping) else set()
    try:
        for message in ensure_calendar(rule):
            out.append(_warning(("public_holidays",), f"the holidays library warns: {message}"))
    except CalendarUnavailable as exc:
        path: Path = ("public_holidays", exc.field) if exc.field in explicit else ("public_holidays",)
        out.append(_error(path, str(exc)))
        return rule, False
    return rule, True


def _check_closures(closures: object, out: list[HoursProblem]) -> list[tuple[date, date]]:
    """The closed periods, first and last day each: kept as periods, so one that spans centuries costs no more
    than one that spans a day."""
    closed: list[tuple[date, date]] = []
    if closures is None:
        return closed
    if isinstance(closures, str) or not isinstance(closures, Sequence):
        out.append(_error(("closures",), "expected a list of closures"))
        return closed
    for index, item in enumerate(closures):
        if not isinstance(item, Mapping):
            out.append(
                _error(
                    ("closures", index), 'expected a mapping with "date" (or "from" and "to") and "reason"'
                )
            )
            continue
        fields = ("date",) if item.get("date") is not None else ("from", "to")
        if item.get("date") is not None and (item.get("from") is not None or item.get("to") is not None):
            out.append(_error(("closures", index), 'use either "date" or "from" and "to", not both'))
            continue
        if any(item.get(field) is None for field in fields):
            out.append(_error(("closures", index), 'a closure needs either "date" or both "from" and "to"'))
            continue
        days: list[date] = []
        for field in fields:
            try:
                days.append(parse_date(item[field]))
            except ValueError as exc:
                out.append(_error(("closures", index, field), str(exc)))
        if len(days) != len(fields):
            continue
        first, last = days[0], days[-1]
        if first > last:
            message = f"closure runs backwards: from {first.isoformat()} is after to {last.isoformat()}"
            out.append(_error(("closures", index), message))
            continue
        closed.append((first, last))
    return closed


def _check_open_on(
    open_on: object,
    *,
    rule: HolidayRule | None,
    calendar_ok: bool,
    closed: list[tuple[date, date]],
    weekdays_with_shifts: set[int],
    out: list[HoursProblem],
) -> None:
    if not open_on:
        return
    if isinstance(open_on, str) or not isinstance(open_on, Sequence):
        out.append(_error(("open_on",), "expected a list of dates"))
        return
    dates: list[tuple[int, date]] = []
    for index, value in enumerate(open_on):
        try:
            dates.append((index, parse_date(value)))
        except ValueError as exc:
            out.append(_error(("open_on", index), str(exc)))
    if rule is None:
        out.append(_warning(("open_on",), "open_on has no effect: public_holidays is not set"))
        return
    where = rule.country + (f"-{rule.subdivision}" if rule.subdivision else "")
    holidays = public_holidays(rule, {day.year for _, day in dates}) if calendar_ok else {}
    for index, day in dates:
        text = day.isoformat()
        if calendar_ok and day not in holidays:
            out.append(
                _warning(
                    ("open_on", index), f"{text} is not a public holiday in {where}, so open_on has no effect"
                )
            )
        elif any(first <= day <= last for first, last in closed):
            out.append(
                _warning(("open_on", index), f"{text} is also a closure, and closures win over open_on")
            )
        elif day.weekday() not in weekdays_with_shifts:
            message = (
                f"{text} is a {_WEEKDAY_NAMES[day.weekday()]}, which has no shifts, so open_on has no effect"
            )
            out.append(_warning(("open_on", index), message))


def check_hours(data: Mapping[str, Any], *, country: str, timezone: str) -> list[HoursProblem]:
    """Every problem of the ``hours`` section (errors and warnings), in a stable order."""
    out: list[HoursProblem] = []
    try:
        load_zone(timezone)
    except ValueError as exc:
        out.append(_error((), str(exc)))
    errors_before = len(out)
    entries = _check_weekly(data.get("weekly"), out)
    _check_overlaps(entries, out)
    if not entries and len(out) == errors_before:
        out.append(_warning(("weekly",), "no day has a shift: the hub is never open"))
    rule, calendar_ok = _check_calendar(data, country=country, out=out)
    closed = _check_closures(data.get("closures"), out)
    _check_open_on(
        data.get("open_on"),
        rule=rule,
        calendar_ok=calendar_ok,
        closed=closed,
        weekdays_with_shifts={entry.day for entry in entries},
        out=out,
    )
    if data.get("closed_now") is True:
        out.append(_warning(("closed_now",), "closed_now is on: the hub is closed at every instant"))
    return out
