"""Apply speed against a sandbox that answers every request after 100 ms: how much the dependency-ordered, concurrent
executor gains over a real sequential run (the same first apply at ``--concurrency 1``, one request in flight at a
time, in a sandbox of its own), and how close it comes to the dependency graph's critical path; the round trips
waited through one after another and where they go; then what a no-op apply costs. The model figure (requests x
latency) is printed beside the real one; the README quotes the real one. CPU time is the process's (the sandbox's
included): on a loaded machine it is the steadier figure.

    python benchmarks/bench_apply.py [--latency-ms 100] [--concurrency 10 16] [--timeline]

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
from deh_deploy.providers.http import Span
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


@dataclass
class Timed:
    """One apply as measured: its result, wall and CPU time, when it started (perf_counter) and its requests."""

    result: ApplyResult
    wall: float
    cpu: float
    started: float
    spans: list[Span]


def timed_apply(sandbox: RunningSandbox, hub: HubConfig, concurrency: int) -> Timed:
    with connect(hub.environment(ENV), sandbox_url=sandbox.url) as conn:
        started, cpu = time.perf_counter(), time.process_time()
        result = apply_hub(hub, ENV, conn, allow_purchase=True, concurrency=concurrency)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        return Timed(result, wall, cpu, started, sorted(conn.counter.spans, key=lambda s: s.start))


def round_trips(spans: list[Span]) -> int:
    """The longest run of requests each sent after the one before it was answered."""
    depth: list[int] = []
    for i, span in enumerate(spans):  # sorted by start
        depth.append(1 + max((depth[j] for j in range(i) if spans[j].end <= span.start), default=0))
    return max(depth, default=0)


def phases(timed: Timed) -> list[tuple[str, float, float, int]]:
    """Where a first apply's wall time goes: (what, start, end, round trips), from the apply's start."""
    spans, t0 = timed.spans, timed.started
    writes = [s for s in spans if s.method != "GET"]
    lease, release = writes[0], spans[-1]
    work = [start for start, _ in timed.result.outcome.timings.values()]
    executor = min(work) if work else release.start
    first = [s for s in spans if s.end <= lease.start]
    second = [s for s in spans if lease.end <= s.start < executor]
    applied = [s for s in spans if executor <= s.start and s is not release]
    out = [
        ("first read (account check, lists, the checks of what is missing) and plan", t0, lease.start, first),
        ("lease taken", lease.start, lease.end, [lease]),
        ("second read, under the lease, with its checks, and plan", lease.end, executor, second),
        ("writes (the executor)", executor, max((s.end for s in applied), default=executor), applied),
        ("lease released", release.start, release.end, [release]),
    ]
    return [(what, a - t0, b - t0, round_trips(part)) for what, a, b, part in out]


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
    cpu: float
    requests: int
    trips: int  # round trips waited through one after another
    critical: float = 0.0
    noop: tuple[int, int, str] = (0, 0, "")  # requests, writes, what the GETs were


def first_apply(
    hub: HubConfig, latency_ms: float, concurrency: int, sequential: Run | None, *, timeline: bool = False
) -> Run:
    """A first apply in a fresh sandbox; with ``sequential`` (the wall time of the ``--concurrency 1`` run), the
    ratio to it, the critical path and a no-op apply after it."""
    with tempfile.TemporaryDirectory() as tmp:
        sandbox = start(db_path=Path(tmp) / "sandbox.db")
        try:
            login(sandbox, hub)
            sandbox.set_faults(Faults(latency_ms=latency_ms))
            timed = timed_apply(sandbox, hub, concurrency)
            result, wall, started = timed.result, timed.wall, timed.started
            run = Run(concurrency, wall, timed.cpu, result.requests, round_trips(timed.spans))
            if sequential is None:
                print(f"-- first apply of {hub.slug}/{ENV}, {latency_ms:.0f} ms per request, concurrency 1")
                print(
                    f"requests {result.requests}; writes {result.writes}; wall time {wall:6.2f} s; CPU "
                    f"{timed.cpu:.2f} s; {run.trips} round trips one after another"
                )
                return run
            resources = list(render_hub(hub, env=ENV).resources)
            chain, path = longest_chain(resources, result.outcome)
            spans = result.outcome.timings.values()
            before = min(s for s, _ in spans) - started
            after = started + wall - max(e for _, e in spans)
            run.critical = before + chain + after
            report(hub, timed, latency_ms, concurrency, sequential, (before, chain, after), path)
            if timeline:
                for span in timed.spans:
                    where = span.where.split(".com", 1)[-1]
                    print(f"  {span.start - started:6.3f} {span.end - started:6.3f} {span.method:6} {where}")
            run.noop = noop(sandbox, hub, concurrency)
            return run
        finally:
            sandbox.stop()


def report(
    hub: HubConfig,
    timed: Timed,
    latency_ms: float,
    concurrency: int,
    seq: Run,
    parts: tuple[float, float, float],
    path: list[str],
) -> None:
    result, wall, sequential = timed.result, timed.wall, seq.wall
    before, chain, after = parts
    critical = before + chain + after
    model = result.requests * latency_ms / 1000
    print(f"-- first apply of {hub.slug}/{ENV}, {latency_ms:.0f} ms per request, concurrency {concurrency}")
    print(f"changes {len(result.outcome.done)}; requests {result.requests}; writes {result.writes}")
    print(
        f"wall time:                          {wall:6.2f} s  (CPU {timed.cpu:.2f} s, the sandbox's included)"
    )
    print(f"sequential, a real run (--concurrency 1): {sequential:6.2f} s  (CPU {seq.cpu:.2f} s)")
    print(f"sequential, the model (requests x latency): {model:6.2f} s")
    print(
        f"critical path:                      {critical:6.2f} s  (before the executor {before:.2f} s: the first "
        f"read and its checks, plan, the lease, the second read and its checks, plan; longest chain {chain:.2f} s "
        f"over {len(path)} resources; after it {after:.2f} s: lease release)"
    )
    spans_of = result.outcome.timings
    print("  chain: " + " -> ".join(f"{rid} {spans_of[rid][1] - spans_of[rid][0]:.2f} s" for rid in path))
    trips = round_trips(timed.spans)
    print(
        f"where the time goes: {trips} round trips one after another ({wall / trips * 1000:.0f} ms each), "
        f"against {seq.trips} in the sequential run"
    )
    for what, begin, end, n in phases(timed):
        print(f"  {begin:5.2f}-{end:5.2f} s  {what}: {n} round trip(s)")
    print(f"real sequential run / wall:         {sequential / wall:6.2f}x  (target >= 4x)")
    print(f"model sequential / wall:            {model / wall:6.2f}x")
    print(f"wall / critical path:               {wall / critical:6.2f}x  (target <= 1.5x)")


def noop(sandbox: RunningSandbox, hub: HubConfig, concurrency: int) -> tuple[int, int, str]:
    sandbox.clear_requests()
    timed = timed_apply(sandbox, hub, concurrency)
    result, wall = timed.result, timed.wall
    log = sandbox.requests()
    flows = Counter(str(e["path"]) for e in log if re.search(r"/v2/Flows/FW[0-9a-f]{32}$", str(e["path"])))
    lists = Counter(
        f"{e['product']} {e['path']}" for e in log if e["method"] == "GET" and str(e["path"]) not in flows
    )
    print(
        f"-- no-op apply, concurrency {concurrency}: {wall:.2f} s, {round_trips(timed.spans)} round trips one after "
        "another"
    )
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
    parser.add_argument(
        "--timeline", action="store_true", help="every request of each concurrent first apply"
    )
    args = parser.parse_args()
    hub = load_hub(ROOT / "country_configs" / "hungary")
    seq = first_apply(hub, args.latency_ms, 1, None)
    sequential = seq.wall
    print()
    runs = []
    for concurrency in args.concurrency:
        runs.append(first_apply(hub, args.latency_ms, concurrency, seq, timeline=args.timeline))
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
        f"**{main_run.wall / main_run.critical:.2f}×** the critical path; {main_run.trips} round trips one after "
        f"another against {seq.trips}" + (f"; {others}" if others else ""),
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
