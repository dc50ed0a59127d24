"""The promise's deadline: by when a human must have answered a contact.

The Society tells every caller it answers "within 24 hours or the next working day". The two halves are joined by
*or*, so the promise is kept when either holds, and its deadline is the later of:

- ``within_hours`` hours (real elapsed time, whatever the clocks do) after the contact; and, when
  ``or_next_working_day`` is set,
- the close of the next working day: the end of the last shift that starts on the first working day after the
  contact's local date (a Friday 20:00-02:00 shift ends that Friday's working day at Saturday 02:00).

A *working day* is a date that is a working day of the country's calendar (the ``holidays`` library's weekend,
Friday–Saturday in Jordan, with its transferred working Saturdays counted as working days) **and** a day the hub
opens (it has a shift starting that date, and the date is neither a public holiday the hub closes on nor one of
its closures; ``open_on`` reopens a holiday). Closed dates come from ``deh_deploy.hours``, the same ones the hours
Function reads. ``closed_now`` is a switch of the moment and moves no deadline. When no working day follows within
a year, the deadline is the ``within_hours`` one alone.

The deadline is computed once, when a feedback record is created, and stored: a later change of hours, holidays or
closures never rewrites it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from deh_deploy.hours.workdays import weekend_of

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig

_SEARCH_DAYS = 370  # a year and a few days: a working day after any closure a Society plausibly configures


class PromiseCalendar:
    """Deadlines for one hub, from its opening hours, holidays, closures and promise rule."""

    def __init__(self, hub: HubConfig) -> None:
        self._hours = hub.hours
        self._zone = ZoneInfo(hub.timezone)
        self._promise = hub.service.promise
        rule = hub.hours.holidays
        self._country = rule.country if rule is not None else hub.country.upper()
        self._subdivision = rule.subdivision if rule is not None else None

    @property
    def rule(self) -> str:
        """The rule as stored on a record, so a report can say which promise a deadline kept."""
        hours = f"{self._promise.within_hours}h"
        return f"{hours} or next working day" if self._promise.or_next_working_day else hours

    def deadline(self, contact: datetime) -> datetime:
        """The deadline (UTC) for a contact at ``contact`` (aware)."""
        if contact.tzinfo is None:
            raise ValueError(f"contact time must be timezone-aware, got {contact.isoformat()}")
        within = contact.astimezone(UTC) + timedelta(hours=self._promise.within_hours)
        if not self._promise.or_next_working_day:
            return within
        day = self.next_working_day(contact.astimezone(self._zone).date())
        if day is None:
            return within
        return max(within, self.close_of(day))

    def next_working_day(self, after: date) -> date | None:
        """The first working day strictly after ``after``, or ``None`` within a year."""
        for offset in range(1, _SEARCH_DAYS + 1):
            day = after + timedelta(days=offset)
            if self.is_working_day(day):
                return day
        return None

    def is_working_day(self, day: date) -> bool:
        """A working day of the country's calendar on which the hub opens."""
        if not self._hours.weekly[day.weekday()] or day in _closed(self._hours, day.year):
            return False
        weekend, workdays = weekend_of(self._country, self._subdivision, day.year)
        return day in workdays or day.weekday() not in weekend

    def close_of(self, day: date) -> datetime:
        """The end (UTC) of the last shift that starts on ``day``, read on the hub's wall clock."""
        end = max(shift.end for shift in self._hours.weekly[day.weekday()])
        wall = datetime.combine(day, time()) + timedelta(minutes=end)
        return wall.replace(tzinfo=self._zone).astimezone(UTC)


@cache
def _closed(hours: Any, year: int) -> frozenset[date]:
    """The hub's closed dates of a year: holidays it closes on and closures, as the hours Function has them."""
    from deh_deploy.hours.compile import closed_dates

    return frozenset(closed_dates(hours, years=[year]))
