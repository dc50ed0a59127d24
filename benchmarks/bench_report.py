"""The report's time: figures, plots and page for the demo's four months (~2,300 records, filled through the inbox
by ``deh hub demo``'s generator) and for 100,000 records (the demo's records copied with new keys), on SQLite.

    python benchmarks/bench_report.py

CPU time of this process (the machine is shared: wall time is printed beside it); the CSV export is timed too.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from figures import row

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from deh_deploy.config import load_hub  # noqa: E402
from deh_deploy.hub.report.build import build, demo_service  # noqa: E402
from deh_deploy.hub.report.demo import fill  # noqa: E402
from deh_deploy.hub.tables import records  # noqa: E402

FIRST, LAST = date(2026, 8, 3), date(2026, 11, 29)
SECRETS = {"DEH_HU_PERSON_KEY": "bench"}


def timed(engine: object, hub: object, output: str) -> tuple[float, float]:
    best_cpu, best_wall = float("inf"), float("inf")
    for _ in range(3):
        cpu, wall = time.process_time(), time.perf_counter()
        build(engine, hub, first=FIRST, last=LAST, role="supervisor", sensitive=False, output=output)  # type: ignore[arg-type]
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall


def grow(engine: object, target: int) -> int:
    with engine.begin() as conn:  # type: ignore[attr-defined]
        base = [dict(r) for r in conn.execute(select(records)).mappings()]
        n, copy = len(base), 0
        while n < target:
            copy += 1
            batch = []
            for r in base[: target - n]:
                new = {k: v for k, v in r.items() if k != "id"}
                new["contact_key"] = f"{r['contact_key']}#{copy}"
                batch.append(new)
            conn.execute(insert(records), batch)
            n += len(batch)
        return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


def main() -> None:
    hub = load_hub(ROOT / "country_configs" / "hungary")
    with tempfile.TemporaryDirectory() as tmp:
        service = demo_service(hub, "staging", f"sqlite:///{Path(tmp) / 'hub.db'}", environ=SECRETS)
        cpu = time.process_time()
        demo = fill(service, seed=1, last=LAST, now=datetime(2026, 11, 29, 18, tzinfo=UTC))
        print(f"demo: {demo.contacts} contacts, {demo.events} events through the inbox, "
              f"{time.process_time() - cpu:.1f} s CPU")  # fmt: skip
        for size in (0, 100_000):
            count = grow(service.engine, size) if size else demo.contacts
            page_cpu, page_wall = timed(service.engine, hub, "html")
            csv_cpu, csv_wall = timed(service.engine, hub, "csv")
            print(f"{count:>7} records: page {page_cpu:.3f} s CPU ({page_wall:.3f} s wall), "
                  f"CSV {csv_cpu:.3f} s CPU ({csv_wall:.3f} s wall)")  # fmt: skip
            target = "< 1 s" if not size else "< 5 s"
            row(f"report page, {count:,} records (SQLite)", f"{page_cpu:.2f} s CPU", target)
        service.close()


if __name__ == "__main__":
    main()
