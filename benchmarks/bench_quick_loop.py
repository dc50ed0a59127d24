"""The quick loop: ``pytest -m "not slow"``, the tests a developer runs between edits, timed as a whole command.

    python benchmarks/bench_quick_loop.py [--runs N]

Target: under 60 s on a 2-core machine. Each run is the whole command (workers started, tests collected, servers
started and stopped); the figure is the fastest of ``--runs`` (default 2: the first also fills the bytecode cache,
unless ``PYTHONDONTWRITEBYTECODE`` forbids it, which the output says). CPU is the seconds of every process the
command ran, so CPU / wall is how many processors it kept busy.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from figures import row

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, "-m", "pytest", "-m", "not slow", "-q"]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run() -> tuple[float, float, str]:
    cpu_before, started = children_cpu(), time.perf_counter()
    done = subprocess.run(COMMAND, cwd=ROOT, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu_before
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if done.returncode != 0:
        sys.exit(
            f"the quick loop failed (exit {done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
        )
    return wall, cpu, summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    cache = "off (PYTHONDONTWRITEBYTECODE)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
    print(f"{' '.join(COMMAND[1:])}: {os.cpu_count()} processors, bytecode cache {cache}")
    runs = []
    for n in range(1, max(1, args.runs) + 1):
        wall, cpu, summary = one_run()
        runs.append((wall, cpu, summary))
        print(f"run {n}: {wall:6.1f} s wall {cpu:6.1f} s CPU ({cpu / wall:.2f} processors busy)  {summary}")
    wall, cpu, summary = min(runs)
    tests = re.search(r"(\d[\d,]*) passed", summary)
    row(
        "quick loop (pytest -m 'not slow')",
        f"{wall:.0f} s wall, {cpu:.0f} s CPU, {tests.group(1) if tests else '?'} tests on {os.cpu_count()} processors",
        "< 60 s on 2 cores",
    )


if __name__ == "__main__":
    main()
