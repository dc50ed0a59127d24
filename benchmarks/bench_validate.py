"""Validation speed: cold `deh validate` beside `check-jsonschema` on the same file, cold `deh --help`, and
validating 200 configs in one process.

The two validators run in turn (deh, check-jsonschema, deh, check-jsonschema, …) after a warm-up of each, and the
ratio is taken pair by pair, so that a machine whose speed drifts during the run affects both sides of each ratio
alike; the median and the range of the pairs' ratios are printed, of wall time and of CPU time (user + system of
the child, from ``getrusage``). On a loaded, shared machine the CPU time is the steadier figure: a process that
waits for a core adds wall time but not CPU time; the README quotes the CPU ratio and shows the wall ratio beside it.

    python benchmarks/bench_validate.py [--runs 21]

Targets: validate at most 0.6x check-jsonschema's time; `deh --help` under 150 ms; 200 configs under 3 s.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from figures import row

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def once(cmd: list[str]) -> float:
    return measured(cmd)[0]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured(cmd: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run."""
    start, used = time.perf_counter(), cpu()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start, cpu() - used


def timed(cmd: list[str], runs: int) -> float:
    once(cmd)  # warm-up: the file cache, not the interpreter, is what a first run would measure
    return statistics.median(once(cmd) for _ in range(runs))


Times = list[tuple[float, float]]


def interleaved(a: list[str], b: list[str], runs: int) -> tuple[Times, Times]:
    """Wall and CPU times of ``a`` and ``b`` run alternately (A B A B …), after one warm-up of each."""
    once(a), once(b)
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(measured(a))
        times_b.append(measured(b))
    return times_a, times_b


def ratios(a: Times, b: Times, which: int) -> list[float]:
    return sorted(x[which] / y[which] for x, y in zip(a, b, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    hub = "country_configs/hungary"
    deh_runs, cj_runs = interleaved(
        [str(BIN / "deh"), "validate", hub],
        [str(BIN / "check-jsonschema"), "--schemafile", "schemas/hub.schema.json", f"{hub}/hub.yaml"],
        runs,
    )
    deh_times, cj_times = [w for w, _ in deh_runs], [w for w, _ in cj_runs]
    deh_cpu, cj_cpu = [c for _, c in deh_runs], [c for _, c in cj_runs]
    wall_ratios, cpu_ratios = ratios(deh_runs, cj_runs, 0), ratios(deh_runs, cj_runs, 1)
    helptime = timed([str(BIN / "deh"), "--help"], runs)
    with tempfile.TemporaryDirectory() as tmp:
        folders = []
        for i in range(200):
            target = Path(tmp) / f"hub{i:03d}"
            shutil.copytree(ROOT / hub, target)
            text = (
                (target / "hub.yaml")
                .read_text(encoding="utf-8")
                .replace("slug: hungary", f"slug: hub{i:03d}")
            )
            (target / "hub.yaml").write_text(text, encoding="utf-8")
            folders.append(str(target))
        many = timed([str(BIN / "deh"), "validate", *folders], max(1, runs // 3))
    print(
        f"deh validate {hub} (cold):          {statistics.median(deh_times) * 1000:7.0f} ms wall, "
        f"{statistics.median(deh_cpu) * 1000:5.0f} ms CPU (median of {runs})"
    )
    print(
        f"check-jsonschema on the same file:        {statistics.median(cj_times) * 1000:7.0f} ms wall, "
        f"{statistics.median(cj_cpu) * 1000:5.0f} ms CPU"
    )
    for what, rs in (("CPU ", cpu_ratios), ("wall", wall_ratios)):
        print(
            f"ratio deh / check-jsonschema, {what}, pair by pair: {statistics.median(rs):5.2f}x median, "
            f"{rs[0]:.2f}x to {rs[-1]:.2f}x over {runs} interleaved pairs   (target <= 0.60x)"
        )
    print(f"deh --help (cold):                        {helptime * 1000:7.0f} ms  (target < 150 ms)")
    print(f"deh validate, 200 configs in one process: {many:7.2f} s   (target < 3 s)")

    row(
        f"`deh validate country_configs/hungary` beside `check-jsonschema` on the same file, cold, {runs} "
        "interleaved pairs, CPU time (user + system; wall time beside it) (`bench_validate.py`)",
        f"{statistics.median(deh_cpu) * 1000:.0f} ms CPU against {statistics.median(cj_cpu) * 1000:.0f} ms: "
        f"**{statistics.median(cpu_ratios):.2f}×** (pairs {cpu_ratios[0]:.2f}× to {cpu_ratios[-1]:.2f}×); "
        f"wall {statistics.median(deh_times) * 1000:.0f} ms against {statistics.median(cj_times) * 1000:.0f} ms: "
        f"{statistics.median(wall_ratios):.2f}×",
        "≤ 0.6×",
    )
    row("`deh --help`, cold", f"{helptime * 1000:.0f} ms", "< 150 ms")
    row("200 configs validated in one process", f"{many:.2f} s", "< 3 s")


if __name__ == "__main__":
    main()
