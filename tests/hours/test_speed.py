"""``is_open``'s prepared index follows the schedule it is given (its speed: benchmarks/bench_hours.py), and
hostile but valid hours cost what the years asked about cost (a bound on hostile input, not a speed figure)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from deh_deploy.hours import check_hours, compile_schedule, is_open, parse_hours


def test_the_index_follows_a_new_schedule_object(budapest_hours: dict[str, Any]) -> None:
    schedule = compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[2026]
    )
    moment = datetime(2026, 4, 13, 8, tzinfo=UTC)
    assert is_open(schedule, moment).open
    switched = schedule | {"closed_now": True}
    assert is_open(switched, moment).reason == "closed_now"
    assert is_open(schedule, moment).open


def _centuries(budapest_hours: dict[str, Any]) -> dict[str, Any]:
    """Forty closures of the whole calendar, and open days in forty centuries: a hostile but valid section."""
    return budapest_hours | {
        "closures": [{"from": "0001-01-01", "to": "9999-12-31", "reason": f"r{n}"} for n in range(40)],
        "open_on": [f"{year:04d}-01-01" for year in range(1, 10_000, 250)],
    }


def test_closures_spanning_centuries_cost_what_the_asked_years_cost(budapest_hours: dict[str, Any]) -> None:
    section = _centuries(budapest_hours)
    started = time.process_time()
    problems = check_hours(section, country="HU", timezone="Europe/Budapest")
    checked = time.process_time() - started
    started = time.process_time()
    schedule = compile_schedule(parse_hours(section, country="HU"), timezone="Europe/Budapest", years=[2026])
    compiled = time.process_time() - started
    assert [p for p in problems if p.severity == "error"] == []
    assert len(schedule["closed"]) == 365 and schedule["closed"]["2026-06-01"] == "closure: r39"
    assert checked < 0.5 and compiled < 0.5
