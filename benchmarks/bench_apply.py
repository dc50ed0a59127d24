"""Apply speed against a sandbox that answers every request after 100 ms: how much the dependency-ordered, concurrent
executor gains over a real sequential run (the same first apply at ``--concurrency 1``, in a sandbox of its own),
and how close it comes to the dependency graph's critical path; then what a no-op apply costs. The model figure
(requests x latency) is printed beside the real one; the README quotes the real one.

    python benchmarks/bench_apply.py [--latency-ms 100] [--concurrency 10 16]

Targets: sequential run / wall >= 4x; wall / critical path <= 1.5x; a no-op apply makes 0 writes, one list per kind
and one read per flow.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from figures import row

from deh_deploy.apply import CONCURRENCY, Outcome
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
        senders=[
            {"sender_id": f"whatsapp:{s}"} for s in [environment.prerequisites.get("whatsapp_sender")] if s
        ],
        facebook_pages=[p for p in [environment.prerequisites.get("messenger_page_id")] if p],
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


@dataclass
class Run:
    """What one first apply measured."""

    concurrency: int
    wall: float
    requests: int
    critical: float = 0.0
    noop: tuple[int, int, str] = (0, 0, "")  # requests, writes, what the GETs were


def first_apply(hub: HubConfig, latency_ms: float, concurrency: int, sequential: float | None) -> Run:
    """A first apply in a fresh sandbox; with ``sequential`` (the wall time of the ``--concurrency 1`` run), the
    ratio to it, the critical path and a no-op apply after it."""
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = start(db_path=Path(tmp) / "sandbox.db")
        try:
            login(sandbox, hub)
            sandbox.set_faults(Faults(latency_ms=latency_ms))
            result, wall, started = timed_apply(sandbox, hub, concurrency)
            run = Run(concurrency, wall, result.requests)
            if sequential is None:
                print(f"-- first apply of {hub.slug}/{ENV}, {latency_ms:.0f} ms per request, concurrency 1")
                print(f"requests {result.requests}; writes {result.writes}; wall time {wall:6.2f} s")
                return run
            resources = list(render_hub(hub, env=ENV).resources)
            chain, path = longest_chain(resources, result.outcome)
            spans = result.outcome.timings.values()
            before = min(s for s, _ in spans) - started
            after = started + wall - max(e for _, e in spans)
            run.critical = before + chain + after
            report(hub, result, latency_ms, concurrency, wall, sequential, (before, chain, after), path)
            run.noop = noop(sandbox, hub, concurrency)
            return run
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
    model = result.requests * latency_ms / 1000
    print(f"-- first apply of {hub.slug}/{ENV}, {latency_ms:.0f} ms per request, concurrency {concurrency}")
    print(f"changes {len(result.outcome.done)}; requests {result.requests}; writes {result.writes}")
    print(f"wall time:                          {wall:6.2f} s")
    print(f"sequential, a real run (--concurrency 1): {sequential:6.2f} s")
    print(f"sequential, the model (requests x latency): {model:6.2f} s")
    print(
        f"critical path:                      {critical:6.2f} s  (before the executor {before:.2f} s: account "
        f"check and read, plan, lease beside the second read, plan; longest chain {chain:.2f} s over {len(path)} "
        f"resources; after it {after:.2f} s: lease release)"
    )
    spans_of = result.outcome.timings
    print("  chain: " + " -> ".join(f"{rid} {spans_of[rid][1] - spans_of[rid][0]:.2f} s" for rid in path))
    print(f"real sequential run / wall:         {sequential / wall:6.2f}x  (target >= 4x)")
    print(f"model sequential / wall:            {model / wall:6.2f}x")
    print(f"wall / critical path:               {wall / critical:6.2f}x  (target <= 1.5x)")


def noop(sandbox: RunningSandbox, hub: HubConfig, concurrency: int) -> tuple[int, int, str]:
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
    what = (
        f"the account check, {sum(lists.values()) - 1} lists, at most {max(lists.values())} per path; "
        f"{len(flows)} flow reads, at most {max(flows.values(), default=0)} each"
    )
    return result.requests, result.writes, what


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-ms", type=float, default=100.0)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[CONCURRENCY, 16])
    args = parser.parse_args()
    hub = load_hub(ROOT / "country_configs" / "hungary")
    sequential = first_apply(hub, args.latency_ms, 1, None).wall
    print()
    runs = []
    for concurrency in args.concurrency:
        runs.append(first_apply(hub, args.latency_ms, concurrency, sequential))
        print()
    main_run = next((r for r in runs if r.concurrency == CONCURRENCY), runs[0])
    others = "; ".join(
        f"{sequential / r.wall:.1f}× at concurrency {r.concurrency}" for r in runs if r is not main_run
    )
    row(
        f"first apply of Hungary, {args.latency_ms:.0f} ms per request (`bench_apply.py`), concurrency "
        f"{main_run.concurrency}, against a real run at `--concurrency 1`",
        f"{main_run.wall:.2f} s for {main_run.requests} requests against {sequential:.2f} s: "
        f"**{sequential / main_run.wall:.1f}×** faster than the real sequential run "
        f"({main_run.requests * args.latency_ms / 1000 / main_run.wall:.1f}× by the model requests × latency), "
        f"**{main_run.wall / main_run.critical:.2f}×** the critical path" + (f"; {others}" if others else ""),
        "≥ 4×, ≤ 1.5×",
    )
    requests, writes, what = main_run.noop
    row(
        "no-op apply",
        f"{requests} requests, {writes} writes: {what}",
        "0 writes; one list per kind, one read per flow",
    )


if __name__ == "__main__":
    main()
