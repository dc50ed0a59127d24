"""Sweep speed: ``deh test --sweep`` for each example country (every channel, language, topic, half hour of a week
and public holiday), in one process.

    python benchmarks/bench_sweep.py [--env staging]

Targets: under 30 s per country; at least 2,000 conversations per second.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from figures import row

from deh_deploy.config import load_hub
from deh_deploy.simulate.sweep import sweep

ROOT = Path(__file__).resolve().parent.parent

COUNTRIES = ("hungary", "mongolia", "jordan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--env", default=None, help="Environment (default: each config's first).")
    env_arg = parser.parse_args().env
    total_conversations, total_seconds = 0, 0.0
    figures = []
    print(f"{'country':10} {'conversations':>13} {'seconds':>8} {'conv/s':>8} {'violations':>10}  ends")
    for country in COUNTRIES:
        hub = load_hub(ROOT / "country_configs" / country)
        env = env_arg or next(iter(hub.environments))
        started = time.perf_counter()
        report = sweep(hub, env=env)
        wall = time.perf_counter() - started
        total_conversations += report.conversations
        total_seconds += wall
        figures.append(f"{country} {report.conversations:,} in {wall:.1f} s")
        ends = ", ".join(f"{k} {v}" for k, v in sorted(report.ends.items()))
        print(
            f"{country:10} {report.conversations:13,} {wall:8.2f} {report.conversations / wall:8,.0f} "
            f"{report.violation_count:10}  {ends}"
        )
    print(
        f"{'all':10} {total_conversations:13,} {total_seconds:8.2f} {total_conversations / total_seconds:8,.0f}"
        "  (targets: < 30 s per country, >= 2,000 conversations/s)"
    )

    row(
        "sweep of every channel × language × topic × half hour × holiday (`bench_sweep.py`, also in CI)",
        "; ".join(figures) + f": {total_conversations / total_seconds:,.0f} conversations/s",
        "< 30 s a country, ≥ 2,000/s",
    )


if __name__ == "__main__":
    main()
