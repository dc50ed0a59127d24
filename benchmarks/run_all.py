"""Run every benchmark once, record what each printed in ``benchmarks/RESULTS.md`` with the date and the machine,
and rebuild the README's table of figures from that one run.

    python benchmarks/run_all.py [--only bench_validate ...]

The README's figures are therefore always those of one recorded run, never a mixture of runs of different days.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"
BENCHMARKS = (
    "bench_validate",
    "bench_apply",
    "bench_sweep",
    "bench_hours",
    "bench_sandbox",
    "bench_hub",
    "bench_report",
    "bench_quick_loop",
)
START, END = "<!-- figures: written by benchmarks/run_all.py -->", "<!-- /figures -->"


LOAD_AT_START = os.getloadavg()[0]


def machine() -> str:
    """The machine, and how busy it was when the run began: figures from a loaded machine are upper bounds."""
    cores = os.cpu_count() or 0
    return (
        f"{cores} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"load average {LOAD_AT_START:.1f} at the start"
    )


def run(name: str, rows_file: Path) -> tuple[str, float]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(HERE / f"{name}.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DEH_BENCH_ROWS": str(rows_file), "PYTHONPATH": str(ROOT)},
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"{name} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout, time.perf_counter() - started


def table(rows: list[dict[str, str]], stamp: str) -> str:
    lines = [
        START,
        f"Recorded {stamp} on the development machine ({machine()}); `python benchmarks/run_all.py` runs every "
        "benchmark again and rewrites this table and [`benchmarks/RESULTS.md`](benchmarks/RESULTS.md) (what each printed).",
        "",
        "| what | figure | target |",
        "|---|---|---|",
    ]
    lines += [f"| {r['what']} | {r['figure']} | {r['target']} |" for r in rows]
    return "\n".join([*lines, END])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="+", choices=BENCHMARKS, default=list(BENCHMARKS))
    names = parser.parse_args().only
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = [f"# Benchmark results\n\nRecorded {stamp} on {machine()}.\n"]
    rows: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            rows_file = Path(tmp) / f"{name}.jsonl"
            print(f"running {name} …", file=sys.stderr, flush=True)
            output, seconds = run(name, rows_file)
            report.append(f"## {name}.py ({seconds:.0f} s)\n\n```\n{output.rstrip()}\n```\n")
            if rows_file.exists():
                rows += [json.loads(line) for line in rows_file.read_text(encoding="utf-8").splitlines()]
    (HERE / "RESULTS.md").write_text("\n".join(report), encoding="utf-8")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not block.search(text):
        sys.exit(f"README.md has no {START} … {END} block to rewrite")
    readme.write_text(block.sub(lambda _: table(rows, stamp), text), encoding="utf-8")
    print(f"wrote benchmarks/RESULTS.md and {len(rows)} rows of the README's table", file=sys.stderr)


if __name__ == "__main__":
    main()
