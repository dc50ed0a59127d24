"""The opening-hours check: ``is_open`` on Budapest's compiled schedule, per call, on the schedule as the Function
reads it and on the prepared index the sweep uses.

    python benchmarks/bench_hours.py [--calls 50000]

Target: a few µs a call, so that sweeps and the hub service's deadlines of ~100k instants cost well under a second.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from figures import row

from deh_deploy.config import load_hub
from deh_deploy.hours import compile_schedule, is_open, prepare_schedule

ROOT = Path(__file__).resolve().parent.parent


def per_call_us(schedule: Any, instants: list[datetime]) -> float:
    """The best of three passes over ``instants``, in µs a call."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for moment in instants:
            is_open(schedule, moment)
        best = min(best, (time.perf_counter() - started) / len(instants) * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=50_000)
    calls = parser.parse_args().calls
    hub = load_hub(ROOT / "country_configs" / "hungary")
    schedule = compile_schedule(hub.hours, timezone=hub.timezone, years=[2026, 2027])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    instants = [start + timedelta(minutes=21 * n) for n in range(calls)]
    plain = per_call_us(schedule, instants)
    prepared = per_call_us(prepare_schedule(schedule), instants)
    print(
        f"is_open on the schedule dict: {plain:.2f} µs a call; prepared: {prepared:.2f} µs ({calls:,} instants)"
    )
    row(
        "is-open check (Python), Budapest's hours (`bench_hours.py`)", f"{prepared:.1f} µs a call", "a few µs"
    )


if __name__ == "__main__":
    main()
