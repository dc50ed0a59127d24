"""Validation speed: cold `deh validate` beside `check-jsonschema` on the same file, cold `deh --help`, and
validating 200 configs in one process. Prints medians over several runs and the ratio.

    python benchmarks/bench_validate.py [--runs 9]

Targets (issue 2): validate at most 0.7x check-jsonschema's time; `deh --help` under 150 ms; 200 configs under 3 s.
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

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    runs = parser.parse_args().runs
    hub = "country_configs/hungary"
    deh = timed([str(BIN / "deh"), "validate", hub], runs)
    cj = timed(
        [str(BIN / "check-jsonschema"), "--schemafile", "schemas/hub.schema.json", f"{hub}/hub.yaml"], runs
    )
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
    print(f"deh validate {hub} (cold):          {deh * 1000:7.0f} ms (median of {runs})")
    print(f"check-jsonschema on the same file:        {cj * 1000:7.0f} ms")
    print(f"ratio deh / check-jsonschema:             {deh / cj:7.2f}x   (target <= 0.70x)")
    print(f"deh --help (cold):                        {helptime * 1000:7.0f} ms  (target < 150 ms)")
    print(f"deh validate, 200 configs in one process: {many:7.2f} s   (target < 3 s)")


if __name__ == "__main__":
    main()
