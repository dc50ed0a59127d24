"""The figures a benchmark reports for the README's table.

A benchmark prints what it measured for a person, and calls :func:`row` for each figure the README quotes. Run on
its own, a row is printed like any other line; run by ``run_all.py``, the rows are also collected (as JSON lines in
the file named by ``DEH_BENCH_ROWS``) so that the README's table is rebuilt from one recorded run.
"""

from __future__ import annotations

import json
import os

ROWS_FILE = "DEH_BENCH_ROWS"


def row(what: str, figure: str, target: str = "—") -> None:
    print(f"  => {what}: {figure} (target: {target})")
    path = os.environ.get(ROWS_FILE)
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(
                json.dumps({"what": what, "figure": figure, "target": target}, ensure_ascii=False) + "\n"
            )
