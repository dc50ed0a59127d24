"""Is the hub open at an instant? Evaluated from a compiled schedule, exactly as the hours Function does."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from deh_deploy.hours.compile import SCHEDULE_VERSION, load_zone
from deh_deploy.hours.model import MINUTES_PER_DAY

_CACHE_SIZE = 32
_OPEN = "open"
_OUTSIDE_HOURS = "outside_hours"
_CLOSED_NOW = "closed_now"
_OUTSIDE_YEARS = "outside_schedule_years"


@dataclass(frozen=True)
class Status:
    """``reason``: "open", "outside_hours", "holiday: <name>", "closure: <reason>", "closed_now" or
    "outside_schedule_years". ``local_time``: the local wall clock, ISO 8601 to the second, with offset."""

    open: bool
    reason: str
    local_time: str


@dataclass(frozen=True)
class PreparedSchedule:
    """A compiled schedule indexed for fast lookups (build with ``prepare_schedule``)."""

    zone: ZoneInfo
    years: frozenset[int]
    weekly: tuple[tuple[tuple[int, int], ...], ...]
    overnight: tuple[tuple[int, ...], ...]
    closed: Mapping[int, str]
    closed_now: bool


def _shifts(value: Any) -> tuple[tuple[int, int], ...]:
    pairs = []
    for pair in value:
        if len(pair) != 2 or not all(type(x) is int for x in pair):
            raise ValueError(f"schedule: bad shift {pair!r}")
        start, end = pair
        if not (0 <= start < MINUTES_PER_DAY and start < end <= start + MINUTES_PER_DAY):
            raise ValueError(f"schedule: bad shift {pair!r}")
        pairs.append((start, end))
    return tuple(sorted(pairs))


def prepare_schedule(schedule: Mapping[str, Any]) -> PreparedSchedule:
    """Index a schedule from ``compile_schedule`` (or its JSON); ``ValueError`` if it is not one."""
    try:
        if schedule["version"] != SCHEDULE_VERSION:
            raise ValueError(f"schedule: unsupported version {schedule['version']!r}")
        weekly = tuple(_shifts(schedule["weekly"].get(str(day), ())) for day in range(7))
        closed = {date.fromisoformat(key).toordinal(): str(why) for key, why in schedule["closed"].items()}
        years = frozenset(int(year) for year in schedule["years"])
        zone = load_zone(str(schedule["timezone"]))
        closed_now = schedule.get("closed_now") is True
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"schedule: not a compiled opening-hours schedule ({exc!r})") from exc
    overnight = tuple(
        tuple(end - MINUTES_PER_DAY for _, end in day if end > MINUTES_PER_DAY) for day in weekly
    )
    return PreparedSchedule(zone, years, weekly, overnight, closed, closed_now)


_prepared: dict[int, tuple[Mapping[str, Any], PreparedSchedule]] = {}
_prepared_lock = threading.Lock()


def indexed(schedule: Mapping[str, Any] | PreparedSchedule) -> PreparedSchedule:
    """Index once per schedule object; a schedule is treated as immutable once evaluated."""
    if isinstance(schedule, PreparedSchedule):
        return schedule
    entry = _prepared.get(id(schedule))
    if entry is not None and entry[0] is schedule:
        return entry[1]
    prepared = prepare_schedule(schedule)
    with _prepared_lock:
        while len(_prepared) >= _CACHE_SIZE:
            del _prepared[next(iter(_prepared))]
        _prepared[id(schedule)] = (schedule, prepared)
    return prepared


def _local(ix: PreparedSchedule, instant: datetime) -> datetime:
    # astimezone() returns a datetime already in the zone unchanged, even a wall time that a spring-forward
    # skipped; going through UTC turns it into the real instant it denotes.
    if instant.tzinfo is ix.zone:
        return instant.astimezone(UTC).astimezone(ix.zone)
    return instant.astimezone(ix.zone)


def local_wall_clock(schedule: Mapping[str, Any] | PreparedSchedule, instant: datetime) -> datetime:
    """The instant on the schedule's wall clock (``ValueError`` if it is naive)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"instant must be timezone-aware, got naive {instant.isoformat()}")
    return _local(indexed(schedule), instant)


def is_open(schedule: Mapping[str, Any] | PreparedSchedule, instant: datetime) -> Status:
    """Open or closed at ``instant`` (aware), with the reason. Fails closed outside the compiled years.

    A shift belongs to the date it starts on: a closed date cancels the shifts that start on it, and the
    previous date's overnight shift is honoured only if that date is in the compiled years and not closed.
    """
    ix = indexed(schedule)
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"instant must be timezone-aware, got naive {instant.isoformat()}")
    local = _local(ix, instant)
    local_time = local.replace(microsecond=0).isoformat()
    if ix.closed_now:
        return Status(False, _CLOSED_NOW, local_time)
    if local.year not in ix.years:
        return Status(False, _OUTSIDE_YEARS, local_time)
    minute = local.hour * 60 + local.minute
    today = local.toordinal()
    weekday = local.weekday()
    today_closed = ix.closed.get(today)
    in_today = False
    for start, end in ix.weekly[weekday]:
        if start <= minute < end:
            in_today = True
            break
    if in_today and today_closed is None:
        return Status(True, _OPEN, local_time)
    in_yesterday = False
    yesterday = today - 1
    for carry_end in ix.overnight[weekday - 1]:
        if minute < carry_end:
            in_yesterday = True
            break
    yesterday_closed: str | None = None
    if in_yesterday:
        if date.fromordinal(yesterday).year not in ix.years:
            in_yesterday = False
        else:
            yesterday_closed = ix.closed.get(yesterday)
            if yesterday_closed is None:
                return Status(True, _OPEN, local_time)
    if in_today and today_closed is not None:
        return Status(False, today_closed, local_time)
    if yesterday_closed is not None:
        return Status(False, yesterday_closed, local_time)
    if today_closed is not None:
        return Status(False, today_closed, local_time)
    return Status(False, _OUTSIDE_HOURS, local_time)
