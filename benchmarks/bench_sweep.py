"""Sweep speed: ``deh test --sweep`` (every channel, language, topic, half hour of a week and public holiday) for
each example country, for hubs grown from Hungary's, and the exhaustive sweep (every path run at every instant,
on one core) beside the grouped one on the same hub.

    python benchmarks/bench_sweep.py [--env staging] [--no-exhaustive]

Targets: Hungary's sweep at least 10x faster than the exhaustive one; the 9-language, 9-topic, 9-queue hub under
10 s; the interpreter at least 10,000 conversations/s on one core.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from figures import row
from grow import grown_hub

from deh_deploy.config import load_hub
from deh_deploy.config.model import HubConfig
from deh_deploy.simulate.sweep import SweepReport, sweep

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ("hungary", "mongolia", "jordan")
GROWN = ((3, 9, 3), (6, 6, 3), (9, 6, 3), (9, 9, 9))  # languages, topics, queues
SOCIETIES = 35  # the scale of the largest peer


def timed(hub: HubConfig, env: str, **options: object) -> tuple[SweepReport, float]:
    started = time.perf_counter()
    report = sweep(hub, env=env, **options)  # type: ignore[arg-type]
    return report, time.perf_counter() - started


def line(name: str, report: SweepReport, wall: float) -> str:
    return (
        f"{name:28} {report.conversations:9,} {report.runs:7,} {report.behaviours:4} {report.instants:6,} "
        f"{report.processes:3} {wall:7.2f} {report.violation_count:5}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--env", default=None, help="Environment (default: each config's first).")
    parser.add_argument("--no-exhaustive", action="store_true", help="Skip the exhaustive run (about 30 s).")
    args = parser.parse_args()
    print(
        f"{'hub':28} {'covered':>9} {'run':>7} {'beh':>4} {'inst':>6} {'cpu':>3} {'seconds':>7} {'viol':>5}"
    )
    examples = 0.0
    figures = []
    for country in COUNTRIES:
        hub = load_hub(ROOT / "country_configs" / country)
        report, wall = timed(hub, args.env or next(iter(hub.environments)))
        examples += wall
        figures.append(f"{country} {wall:.2f} s")
        print(line(country, report, wall))
    with tempfile.TemporaryDirectory() as tmp:
        for languages, topics, queues in GROWN:
            name = f"grown {languages} lang, {topics} topics, {queues} q"
            hub = load_hub(grown_hub(Path(tmp) / name.replace(" ", "_").replace(",", ""), languages=languages,
                                     topics=topics, queues=queues))  # fmt: skip
            report, wall = timed(hub, "staging")
            print(line(name, report, wall))
            if (languages, topics, queues) == GROWN[-1]:
                row(
                    "grouped sweep of a hub grown to 9 languages, 9 topics, 9 queues",
                    f"{report.conversations:,} conversations covered by {report.runs:,} run in {wall:.2f} s",
                    "< 10 s",
                )
    row(
        "`deh test --sweep` of the three example countries (`bench_sweep.py`, also in CI)",
        "; ".join(figures)
        + f"; about {examples / len(COUNTRIES) * SOCIETIES:.0f} s for {SOCIETIES} Societies",
        "< 30 s a country",
    )
    if not args.no_exhaustive:
        hub = load_hub(ROOT / "country_configs" / "hungary")
        env = args.env or next(iter(hub.environments))
        grouped, fast = timed(hub, env)
        # One process: its CPU time is the interpreter's, however loaded the machine is.
        cpu = time.process_time()
        exhaustive, slow = timed(hub, env, grouped=False, processes=1)
        cpu = time.process_time() - cpu
        assert exhaustive.violations == grouped.violations and exhaustive.ends == grouped.ends
        print(line("hungary, exhaustive, 1 core", exhaustive, slow))
        print(
            f"grouped / exhaustive: {slow / fast:.1f}x faster; interpreter {exhaustive.runs / cpu:,.0f}/s of CPU time "
            f"({exhaustive.runs / slow:,.0f}/s by the clock)"
        )
        row(
            "Hungary's sweep beside the exhaustive one (every path at every instant, one core)",
            f"{fast:.2f} s against {slow:.1f} s: **{slow / fast:.0f}×** faster, the same findings",
            "≥ 10×",
        )
        row(
            "interpreter rate on one core (the exhaustive run)",
            f"{exhaustive.runs / cpu:,.0f} conversations/s of CPU time ({exhaustive.runs / slow:,.0f}/s by the clock)",
            "≥ 10,000/s",
        )


if __name__ == "__main__":
    main()
