"""Time in working hours: the hub's open intervals, from the same compiled schedule the hours Function reads.

A first response at 09:00 Monday to a voicemail left at 17:00 Friday took one working hour, not 64 real ones:
supervisors judge their agents on the hours the helpdesk was open. The intervals are the shifts of each date that
is not closed (a holiday the hub closes on, or a closure), a shift belonging to the date it starts on; they are
built once per report and searched by bisection, so a report of 100,000 records stays fast.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig


class WorkingClock:
    """Open intervals (UTC, as POSIX seconds) of a hub between two dates, and the working time between instants."""

    def __init__(self, hub: HubConfig, *, first: date, last: date) -> None:
        from deh_deploy.hours.compile import compile_schedule

        first, last = first - timedelta(days=1), last + timedelta(days=1)
        years = list(range(first.year, last.year + 1))
        schedule = compile_schedule(hub.hours, timezone=hub.timezone, years=years)
        zone = ZoneInfo(hub.timezone)
        closed = set(schedule["closed"])
        starts: list[float] = []
        ends: list[float] = []
        day = first
        while day <= last:
            if day.isoformat() not in closed:
                for start, end in schedule["weekly"][str(day.weekday())]:
                    midnight = datetime.combine(day, time())
                    for minutes, out in ((start, starts), (end, ends)):
                        wall = (midnight + timedelta(minutes=minutes)).replace(tzinfo=zone)
                        out.append(wall.astimezone(UTC).timestamp())
            day += timedelta(days=1)
        self._starts = starts
        self._ends = ends
        cumulative = [0.0]
        for start, end in zip(starts, ends, strict=True):
            cumulative.append(cumulative[-1] + (end - start))
        self._cumulative = cumulative

    def _open_before(self, t: float) -> float:
        """Working seconds from the first interval up to ``t``."""
        i = bisect_right(self._starts, t)  # intervals starting at or before t
        if i == 0:
            return 0.0
        done = self._cumulative[i - 1]
        return done + min(t, self._ends[i - 1]) - self._starts[i - 1]

    def working_seconds(self, start: datetime, end: datetime) -> float:
        """Seconds the hub was open between ``start`` and ``end`` (0 when ``end`` is not after ``start``)."""
        a, b = start.timestamp(), end.timestamp()
        if b <= a:
            return 0.0
        return self._open_before(b) - self._open_before(a)

    def is_open(self, instant: datetime) -> bool:
        """Whether ``instant`` falls in a shift of an open date."""
        t = instant.timestamp()
        i = bisect_right(self._starts, t)
        return i > 0 and t < self._ends[i - 1]

    def next_open(self, instant: datetime) -> datetime | None:
        """``instant`` itself when open, else the start of the next shift (``None`` past the last one)."""
        t = instant.timestamp()
        i = bisect_right(self._starts, t)
        if i > 0 and t < self._ends[i - 1]:
            return instant
        if i >= len(self._starts):
            return None
        return datetime.fromtimestamp(self._starts[i], UTC)

    def after_working(self, instant: datetime, seconds: float) -> datetime | None:
        """The instant ``seconds`` of working time after ``instant`` (``None`` past the last shift)."""
        target = self._open_before(instant.timestamp()) + seconds
        i = bisect_right(self._cumulative, target) - 1  # the interval in which the target's time falls
        if i >= len(self._starts):
            return None
        if i < 0:
            i = 0
        return datetime.fromtimestamp(self._starts[i] + (target - self._cumulative[i]), UTC)
