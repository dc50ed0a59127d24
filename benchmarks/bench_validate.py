"""Validation speed: cold `deh validate` beside `check-jsonschema` on the same file, cold `deh --help`, and
validating 200 configs in one process.

The two validators run in turn (deh, check-jsonschema, deh, check-jsonschema, …) after a warm-up of each, and the
ratio is taken pair by pair, so that a machine whose speed drifts during the run affects both sides of each ratio
alike; the median and the range of the pairs' ratios are printed.

    python benchmarks/bench_validate.py [--runs 21]

Targets: validate at most 0.6x check-jsonschema's time; `deh --help` under 150 ms; 200 configs under 3 s.
"""

from __future__ import annotations

import argparse
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
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def timed(cmd: list[str], runs: int) -> float:
    once(cmd)  # warm-up: the file cache, not the interpreter, is what a first run would measure
    return statistics.median(once(cmd) for _ in range(runs))


def interleaved(a: list[str], b: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Times of ``a`` and ``b`` run alternately (A B A B …), after one warm-up of each."""
    once(a), once(b)
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(once(a))
        times_b.append(once(b))
    return times_a, times_b


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    hub = "country_configs/hungary"
    deh_times, cj_times = interleaved(
        [str(BIN / "deh"), "validate", hub],
        [str(BIN / "check-jsonschema"), "--schemafile", "schemas/hub.schema.json", f"{hub}/hub.yaml"],
        runs,
    )
    ratios = sorted(d / c for d, c in zip(deh_times, cj_times, strict=True))
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
        f"deh validate {hub} (cold):          {statistics.median(deh_times) * 1000:7.0f} ms (median of {runs})"
    )
    print(f"check-jsonschema on the same file:        {statistics.median(cj_times) * 1000:7.0f} ms")
    print(
        f"ratio deh / check-jsonschema, pair by pair: {statistics.median(ratios):5.2f}x median, "
        f"{ratios[0]:.2f}x to {ratios[-1]:.2f}x over {runs} interleaved pairs   (target <= 0.60x)"
    )
    print(f"deh --help (cold):                        {helptime * 1000:7.0f} ms  (target < 150 ms)")
    print(f"deh validate, 200 configs in one process: {many:7.2f} s   (target < 3 s)")

    median = statistics.median(ratios)
    row(
        f"`deh validate country_configs/hungary` beside `check-jsonschema` on the same file, cold, {runs} "
        "interleaved pairs (`bench_validate.py`)",
        f"{statistics.median(deh_times) * 1000:.0f} ms against {statistics.median(cj_times) * 1000:.0f} ms: "
        f"**{median:.2f}×** (pairs {ratios[0]:.2f}× to {ratios[-1]:.2f}×)",
        "≤ 0.6×",
    )
    row("`deh --help`, cold", f"{helptime * 1000:.0f} ms", "< 150 ms")
    row("200 configs validated in one process", f"{many:.2f} s", "< 3 s")


if __name__ == "__main__":
    main()
