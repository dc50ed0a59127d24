"""The next instant the hub opens, for promises such as "answered by the next working day"."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from deh_deploy.hours.status import PreparedSchedule, indexed, is_open, local_wall_clock

_DAY = timedelta(days=1)
_SECOND = timedelta(seconds=1)
_SCAN_STEP = 6 * 3600  # no zone changes its offset twice within six hours


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


def _offset(ix: PreparedSchedule, seconds: int) -> timedelta | None:
    return datetime.fromtimestamp(seconds, ix.zone).utcoffset()


def _transitions(ix: PreparedSchedule, lo: datetime, hi: datetime) -> list[datetime]:
    """UTC instants in (lo, hi] at which the zone's offset changes (zone changes fall on whole seconds)."""
    found: list[datetime] = []
    left, stop = math.floor(lo.timestamp()), math.ceil(hi.timestamp())
    while left < stop:
        right = min(left + _SCAN_STEP, stop)
        if _offset(ix, left) != _offset(ix, right):
            a, b = left, right
            while b - a > 1:
                mid = (a + b) // 2
                if _offset(ix, mid) == _offset(ix, a):
                    a = mid
                else:
                    b = mid
            found.append(datetime.fromtimestamp(b, UTC))
        left = right
    return found


def _shift_starts(ix: PreparedSchedule, day: date) -> list[datetime]:
    """Each shift start of ``day`` under both readings of the wall clock (they differ only at a change)."""
    if day.year not in ix.years or day.toordinal() in ix.closed:
        return []
    midnight = datetime(day.year, day.month, day.day)
    out: list[datetime] = []
    for start, _end in ix.weekly[day.weekday()]:
        wall = midnight + timedelta(minutes=start)
        out.extend(_utc(wall.replace(tzinfo=ix.zone, fold=fold)) for fold in (0, 1))
    return out


def next_opening(schedule: Mapping[str, Any] | PreparedSchedule, instant: datetime) -> datetime | None:
    """The first open instant at or after ``instant`` (aware, in the schedule's zone), or ``None`` when the
    hub does not open again within the compiled years (or ``closed_now`` is set).

    Openness can only begin at a shift start or where the clock jumps (an offset change), so the search walks
    day-long windows of real time and tries those moments in order.
    """
    ix = indexed(schedule)
    local = local_wall_clock(ix, instant)
    if is_open(ix, instant).open:
        return local
    if ix.closed_now or not ix.years:
        return None
    earliest = datetime(min(ix.years), 1, 1, tzinfo=ix.zone) - _DAY
    end = datetime(max(ix.years) + 1, 1, 1, tzinfo=ix.zone) + _DAY
    window = max(_utc(instant), _utc(earliest))
    while window < end:
        upper = window + _DAY
        first_day = window.astimezone(ix.zone).date() - _DAY
        last_day = upper.astimezone(ix.zone).date() + _DAY
        moments = set(_transitions(ix, window - _SECOND, upper))
        day = first_day
        while day <= last_day:
            moments.update(_shift_starts(ix, day))
            day += _DAY
        for moment in sorted(m for m in moments if window <= m < upper and m >= _utc(instant)):
            if is_open(ix, moment).open:
                return moment.astimezone(ix.zone)
        window = upper
    return None
