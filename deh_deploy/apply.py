"""Apply: run a plan in dependency order with bounded concurrency, under a lease every deploying machine sees."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from deh_deploy.errors import DehError, ProviderError
from deh_deploy.plan import Change, Live, Plan
from deh_deploy.providers.twilio import TwilioProvider
from deh_deploy.render.desired import Resource

CONCURRENCY = 10  # as Twilio's own serverless deployer (p-limit 10); 429s back off beyond that
Progress = Callable[[str, str], None]  # (resource id, what happened)


@dataclass
class Outcome:
    done: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, tuple[float, float]] = field(
        default_factory=dict
    )  # resource → (start, end), perf_counter


def execute(
    provider: TwilioProvider, plan: Plan, *, concurrency: int = CONCURRENCY, progress: Progress | None = None
) -> Outcome:
    """Creates and updates in dependency order, then deletes children-first. Stops scheduling at the first failure;
    what was done stays done, and a re-run converges from there."""
    report = progress or (lambda _id, _what: None)
    concurrency = max(1, concurrency)
    outcome = Outcome()
    resources = {r.id: r for r in provider.desired.resources}
    changes = {c.id: c for c in plan.changes if c.action in ("create", "update")}
    pending = dict(resources)
    finished: set[str] = set()
    wrote: set[str] = set()
    lock = threading.Lock()

    def run(r: Resource) -> tuple[str, str | None]:
        changed_deps = any(d in wrote for d in r.depends_on)
        started = time.perf_counter()
        try:
            return r.id, provider.apply_one(r, changes.get(r.id), changed_deps=changed_deps)
        finally:
            outcome.timings[r.id] = (started, time.perf_counter())

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for kind in provider.prefetches(plan):
            pool.submit(kind.prefetch, provider.ctx)  # type: ignore[arg-type]  # failures show at the create
        running: dict[Future[tuple[str, str | None]], str] = {}
        while pending or running:
            if not outcome.failed:
                for rid, r in list(pending.items()):
                    if len(running) >= concurrency:
                        break  # bounded: after a failure, nothing queued is left to start
                    if all(d in finished for d in r.depends_on if d in resources):
                        del pending[rid]
                        running[pool.submit(run, r)] = rid
            elif not running:
                break
            if not running:
                if pending:  # a dependency cycle or a missing dependency: render prevents both
                    raise ProviderError(f"cannot order: {', '.join(sorted(pending))}")
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                rid = running.pop(fut)
                try:
                    _, what = fut.result()
                except DehError as exc:
                    outcome.failed.append((rid, str(exc)))
                    report(rid, "failed")
                    continue
                except Exception as exc:  # an unexpected failure still stops the run cleanly
                    outcome.failed.append((rid, f"{rid}: {type(exc).__name__}: {exc}"))
                    report(rid, "failed")
                    continue
                with lock:
                    finished.add(rid)
                    if what:
                        wrote.add(rid)
                        outcome.done.append((rid, what))
                        report(rid, what)
    if outcome.failed:
        return outcome
    for change in plan.changes:
        if change.action == "delete" and change.existing is not None:
            try:
                provider.delete_one(change.existing)
            except DehError as exc:
                outcome.failed.append((change.id, str(exc)))
                report(change.id, "failed")
                return outcome
            outcome.done.append((change.id, "delete"))
            report(change.id, "delete")
    return outcome


def destroy_changes(provider: TwilioProvider, *, release_numbers: bool) -> list[Change]:
    """Everything the hub owns, children first; numbers and senders only with release_numbers."""
    from deh_deploy.plan import GUARDED_KINDS
    from deh_deploy.providers.kinds import BY_NAME, KINDS

    owned = [live for live in provider.ctx.live.values() if live.owned] + list(provider.orphans.values())
    owned.sort(key=lambda live: KINDS.index(BY_NAME[live.kind]), reverse=True)
    out = []
    for live in owned:
        kind = BY_NAME[live.kind]
        if live.kind == "phone.number" and not (release_numbers and _bought_by_hub(provider, live)):
            out.append(Change("keep", live.kind, live.key, existing=live, note="number kept"))
        elif live.kind in GUARDED_KINDS and not release_numbers:
            out.append(Change("keep", live.kind, live.key, existing=live, note="sender binding kept"))
        elif kind.delete is None or live.kind in (
            "serverless.function",
            "serverless.asset",
            "serverless.variable",
            "serverless.environment",
            "serverless.deployment",
            "messaging.service_number",
        ):
            continue  # removed with their parent
        else:
            out.append(Change("delete", live.kind, live.key, existing=live))
    return out


def _bought_by_hub(provider: TwilioProvider, live: Live) -> bool:
    """Only a number this hub bought may be released: never one the config adopts, nor one named by another hub."""
    from deh_deploy.render.names import owns

    desired = provider.desired.by_id().get(live.id)
    if desired is not None and desired.attrs.get("adopt"):
        return False
    return owns(provider.ctx.slug, provider.ctx.env, str(live.attrs.get("friendly_name") or ""))
