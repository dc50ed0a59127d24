"""Apply speed against a sandbox that answers every request after 100 ms: how much the dependency-ordered, concurrent
executor gains over one request at a time, and how close it comes to the dependency graph's critical path; then what
a no-op apply costs.

    python benchmarks/bench_apply.py [--latency-ms 100] [--concurrency 10 16]

Targets: sequential / wall >= 4x; wall / critical path <= 1.5x; a no-op apply makes 0 writes, one list per kind and
one read per flow.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from deh_deploy.apply import Outcome
from deh_deploy.config import load_hub
from deh_deploy.config.model import HubConfig
from deh_deploy.deploy import ApplyResult, apply_hub
from deh_deploy.providers.connect import connect
from deh_deploy.render import render_hub
from deh_deploy.render.desired import Resource
from deh_deploy.sandbox import Faults, RunningSandbox, start

ROOT = Path(__file__).resolve().parent.parent

ENV = "staging"


def login(sandbox: RunningSandbox, hub: HubConfig) -> None:
    environment = hub.environment(ENV)
    token = sandbox.ensure_account(environment.account_sid)
    bundles = [n.bundle_sid for n in environment.numbers.values() if n.bundle_sid]
    sandbox.seed(
        environment.account_sid,
        bundles=[{"sid": sid, "iso_country": hub.country, "number_type": "local"} for sid in bundles],
    )
    os.environ["TWILIO_ACCOUNT_SID"] = environment.account_sid
    os.environ["TWILIO_AUTH_TOKEN"] = token
    for name in ("TWILIO_API_KEY", "TWILIO_API_SECRET"):
        os.environ.pop(name, None)


def timed_apply(
    sandbox: RunningSandbox, hub: HubConfig, concurrency: int
) -> tuple[ApplyResult, float, float]:
    """The apply's result, its wall time, and when (perf_counter) it started."""
    with connect(hub.environment(ENV), sandbox_url=sandbox.url) as conn:
        started = time.perf_counter()
        result = apply_hub(hub, ENV, conn, allow_purchase=True, concurrency=concurrency)
        return result, time.perf_counter() - started, started


def longest_chain(resources: list[Resource], outcome: Outcome) -> tuple[float, list[str]]:
    """The longest path through the dependency graph, each resource weighted by how long the executor spent on it."""
    by_id = {r.id: r for r in resources}
    best: dict[str, tuple[float, list[str]]] = {}

    def finish(rid: str) -> tuple[float, list[str]]:
        if rid not in best:
            start, end = outcome.timings.get(rid, (0.0, 0.0))
            before = max((finish(d) for d in by_id[rid].depends_on if d in by_id), default=(0.0, []))
            best[rid] = (before[0] + end - start, [*before[1], rid])
        return best[rid]

    return max((finish(rid) for rid in by_id), default=(0.0, []))


def first_apply(hub: HubConfig, latency_ms: float, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = start(db_path=Path(tmp) / "sandbox.db")
        try:
            login(sandbox, hub)
            sandbox.set_faults(Faults(latency_ms=latency_ms))
            result, wall, started = timed_apply(sandbox, hub, concurrency)
            resources = list(render_hub(hub, env=ENV).resources)
            chain, path = longest_chain(resources, result.outcome)
            spans = result.outcome.timings.values()
            before = min(s for s, _ in spans) - started
            after = started + wall - max(e for _, e in spans)
            sequential = result.requests * latency_ms / 1000
            report(hub, result, latency_ms, concurrency, wall, sequential, (before, chain, after), path)
            noop(sandbox, hub, concurrency)
        finally:
            sandbox.stop()


def report(
    hub: HubConfig,
    result: ApplyResult,
    latency_ms: float,
    concurrency: int,
    wall: float,
    sequential: float,
    parts: tuple[float, float, float],
    path: list[str],
) -> None:
    before, chain, after = parts
    critical = before + chain + after
    print(f"-- first apply of {hub.slug}/{ENV}, {latency_ms:.0f} ms per request, concurrency {concurrency}")
    print(f"changes {len(result.outcome.done)}; requests {result.requests}; writes {result.writes}")
    print(f"wall time:                          {wall:6.2f} s")
    print(f"sequential (requests x latency):    {sequential:6.2f} s")
    print(
        f"critical path:                      {critical:6.2f} s  (before the executor {before:.2f} s: account "
        f"check, read, plan, lease, read, plan; longest chain {chain:.2f} s over {len(path)} "
        f"resources; after it {after:.2f} s: lease release)"
    )
    spans_of = result.outcome.timings
    print("  chain: " + " -> ".join(f"{rid} {spans_of[rid][1] - spans_of[rid][0]:.2f} s" for rid in path))
    print(f"sequential / wall:                  {sequential / wall:6.2f}x  (target >= 4x)")
    print(f"wall / critical path:               {wall / critical:6.2f}x  (target <= 1.5x)")


def noop(sandbox: RunningSandbox, hub: HubConfig, concurrency: int) -> None:
    sandbox.clear_requests()
    result, wall, _ = timed_apply(sandbox, hub, concurrency)
    log = sandbox.requests()
    flows = Counter(str(e["path"]) for e in log if re.search(r"/v2/Flows/FW[0-9a-f]{32}$", str(e["path"])))
    lists = Counter(
        f"{e['product']} {e['path']}" for e in log if e["method"] == "GET" and str(e["path"]) not in flows
    )
    print(f"-- no-op apply, concurrency {concurrency}: {wall:.2f} s")
    print(f"requests {result.requests} (sandbox saw {len(log)}); writes {result.writes} (target 0)")
    print(
        f"GETs other than flow reads: {sum(lists.values())} over {len(lists)} paths, at most "
        f"{max(lists.values())} per path (the account check and one list per kind)"
    )
    print(f"flow reads: {len(flows)} flows, at most {max(flows.values(), default=0)} read each (target 1)")
    for path, n in sorted(lists.items()):
        print(f"  {n} x GET {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 16])
    args = parser.parse_args()
    hub = load_hub(ROOT / "country_configs" / "hungary")
    for concurrency in args.concurrency:
        first_apply(hub, args.latency_ms, concurrency)
        print()


if __name__ == "__main__":
    main()
