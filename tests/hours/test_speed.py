"""``is_open``'s prepared index follows the schedule it is given (its speed: benchmarks/bench_hours.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from deh_deploy.hours import compile_schedule, is_open, parse_hours

CALLS = 50_000
LIMIT_US = 25.0  # generous for slow CI machines; typical is a few µs


def test_the_index_follows_a_new_schedule_object(budapest_hours: dict[str, Any]) -> None:
    schedule = compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[2026]
    )
    moment = datetime(2026, 4, 13, 8, tzinfo=UTC)
    assert is_open(schedule, moment).open
    switched = schedule | {"closed_now": True}
    assert is_open(switched, moment).reason == "closed_now"
    assert is_open(schedule, moment).open
