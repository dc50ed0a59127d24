"""Opening hours: the weekly schedule, public holidays, closures, and whether the hub is open now.

The ``hours`` section of hub.yaml (``timezone`` and the Society's ISO ``country`` come from the top level)::

    hours:
      weekly: {mon: ["08:00-12:00", "13:00-17:00"], fri: ["08:00-17:00", "20:00-02:00"], sat: ["00:00-24:00"]}
      public_holidays: {country: HU, subdivision: null, observed: true}
      closures: [{date: 2026-12-24, reason: Christmas Eve}, {from: 2026-12-27, to: 2026-12-31, reason: Break}]
      open_on: [2026-12-26]
      closed_now: false

The rules:

- Days absent from ``weekly`` are closed. A shift ``"HH:MM-HH:MM"`` is open from its start (inclusive) to
  its end (exclusive), in whole minutes of the local wall clock. An end at or before the start runs past
  midnight into the next day; ``24:00`` is allowed as an end; a shift that starts and ends at the same time
  is an error.
- A shift belongs to the local date on which it starts. A closed date (a public holiday or a closure)
  cancels the shifts that start on it: a Friday 20:00-02:00 shift stays open until Saturday 02:00 even if
  Saturday is a holiday, and is closed entirely when Friday is one.
- Public holidays come from the ``holidays`` library for ``public_holidays.country`` (default: the Society's
  country) and ``subdivision``, named in English where the library has English. Without a
  ``public_holidays`` section (or with ``public_holidays: false``) holidays do not close the hub.
  ``observed: false`` leaves out the library's observed days and its substituted bridge days (e.g.
  Hungary's "Day off (substituted from …)").
- ``closures`` close whole local days (``date``, or ``from``..``to`` inclusive). ``open_on`` reopens dates
  that are public holidays only: the weekly shifts of that date apply. A closure wins over ``open_on``.
- ``closed_now: true`` closes the hub at every instant (reason ``closed_now``); so does the Function's
  ``CLOSED_NOW=true`` environment variable.
- Instants are read in the IANA timezone with ``zoneinfo``. Wall-clock rules follow daylight saving time: on a
  spring-forward day the skipped hour does not exist; on a fall-back day both readings of a repeated time are
  judged by the wall clock.
- A schedule is compiled for a list of years. Any instant whose local date falls outside them is closed with
  reason ``outside_schedule_years`` (fail closed); an overnight shift from a date outside them is ignored.

The compiled schedule (``compile_schedule``), read by ``templates/functions/hours.js`` and by ``is_open``::

    {"version": 1, "timezone": "Europe/Budapest",
     "weekly": {"0": [[480, 720], [780, 1020]], ..., "6": []},       # minutes from the start date's midnight
     "closed": {"2026-12-25": "holiday: Christmas Day", "2026-12-27": "closure: Year-end"},
     "closed_now": false, "years": [2026, 2027]}

``closed`` values are already the reason a caller sees, so the Function needs no knowledge of their kinds.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deh_deploy.hours.check import HoursProblem, check_hours
    from deh_deploy.hours.compile import compile_schedule, dump_schedule
    from deh_deploy.hours.model import Closure, HolidayRule, OpeningHours, Shift, parse_hours, parse_shift
    from deh_deploy.hours.search import next_opening
    from deh_deploy.hours.status import PreparedSchedule, Status, is_open, prepare_schedule

# Imported on first use (PEP 562): validating a config needs only the checks, not the evaluator or the search.
_HOME = {
    "HoursProblem": "check", "check_hours": "check",
    "compile_schedule": "compile", "dump_schedule": "compile",
    "Closure": "model", "HolidayRule": "model", "OpeningHours": "model", "Shift": "model", "parse_hours": "model",
    "parse_shift": "model",
    "next_opening": "search",
    "PreparedSchedule": "status", "Status": "status", "is_open": "status", "prepare_schedule": "status",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(importlib.import_module(f"deh_deploy.hours.{_HOME[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'deh_deploy.hours' has no attribute {name!r}")


__all__ = [
    "Closure",
    "HolidayRule",
    "HoursProblem",
    "OpeningHours",
    "PreparedSchedule",
    "Shift",
    "Status",
    "check_hours",
    "compile_schedule",
    "dump_schedule",
    "is_open",
    "next_opening",
    "parse_hours",
    "parse_shift",
    "prepare_schedule",
]
