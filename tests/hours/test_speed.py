"""``is_open`` is cheap enough for sweeps of ~100k instants (target: under 10 µs a call)."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from deh_deploy.hours import check_hours, compile_schedule, is_open, parse_hours, prepare_schedule

from .conftest import SPEED

CALLS = 50_000
LIMIT_US = 25.0  # generous for slow CI machines; typical is a few µs


def _per_call_us(schedule: Any, instants: list[datetime]) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for moment in instants:
            is_open(schedule, moment)
        best = min(best, (time.perf_counter() - started) / len(instants) * 1e6)
    return best


def test_is_open_is_fast_on_a_plain_schedule_and_on_a_prepared_one(budapest_hours: dict[str, Any]) -> None:
    schedule = compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[2026, 2027]
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [start + timedelta(minutes=21 * n) for n in range(CALLS)]
    plain = _per_call_us(schedule, instants)
    prepared = _per_call_us(prepare_schedule(schedule), instants)
    SPEED.append(f"is_open: {plain:.2f} µs a call on the schedule dict, {prepared:.2f} µs prepared")
    assert plain < LIMIT_US
    assert prepared < LIMIT_US


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
    started = time.perf_counter()
    problems = check_hours(section, country="HU", timezone="Europe/Budapest")
    checked = time.perf_counter() - started
    started = time.perf_counter()
    schedule = compile_schedule(parse_hours(section, country="HU"), timezone="Europe/Budapest", years=[2026])
    compiled = time.perf_counter() - started
    SPEED.append(
        f"40 closures of 0001..9999: checked in {checked * 1000:.0f} ms, compiled in {compiled * 1000:.0f} ms"
    )
    assert [p for p in problems if p.severity == "error"] == []
    assert len(schedule["closed"]) == 365 and schedule["closed"]["2026-06-01"] == "closure: r39"
    assert checked < 0.5 and compiled < 0.5
