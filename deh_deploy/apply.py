"""Apply: run a plan's changes in dependency order with bounded concurrency."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Protocol

from deh_deploy import stopping
from deh_deploy.changes import Change, Settling
from deh_deploy.errors import DehError, ProviderError
from deh_deploy.plan import Plan

log = logging.getLogger(__name__)
CONCURRENCY = 10  # as Twilio's own serverless deployer (p-limit 10); 429s back off beyond that
Progress = Callable[[str, str], None]  # (resource id, what happened)


class Applier(Protocol):
    """What the executor needs of a provider."""

    def apply(self, change: Change) -> str | Settling: ...

    def waits(self, plan: Plan) -> list[frozenset[int]]: ...

    def prefetches(self, plan: Plan) -> list[Callable[[], None]]: ...


@dataclass
class Outcome:
    done: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    timings: dict[str, tuple[float, float]] = field(
        default_factory=dict
    )  # resource → (start, end), perf_counter


def execute(
    provider: Applier, plan: Plan, *, concurrency: int = CONCURRENCY, progress: Progress | None = None
) -> Outcome:
    """Run every change of the plan, each once what it waits for is done (see the provider's ``waits``), at most
    ``concurrency`` at a time, in the plan's order among those ready. A change the provider answers with
    :class:`~deh_deploy.changes.Settling` lets what waits for it start while the rest of it is written; it is done
    (and reported) once that is. Stops scheduling at the first failure; what was done stays done, and a re-run
    converges from there. Asked to stop (SIGTERM, :mod:`deh_deploy.stopping`),
    it starts nothing more, lets what is running finish, and then raises ``Terminated``."""
    report = progress or (lambda _id, _what: None)
    concurrency = max(1, concurrency)
    outcome = Outcome()
    changes = plan.changes
    waits = provider.waits(plan)
    pending = list(range(len(changes)))
    finished: set[int] = set()

    def run(change: Change) -> str | Settling:
        started = time.perf_counter()
        try:
            return provider.apply(change)
        finally:
            outcome.timings[change.id] = (started, time.perf_counter())  # until its dependents may start

    def finish(what: str, rest: Callable[[], None]) -> str:
        rest()
        return what

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for prefetch in provider.prefetches(plan):
            pool.submit(prefetch)  # a failure shows at the create that needs it
        running: dict[Future[str | Settling], int] = {}
        while pending or running:
            if not outcome.failed and not stopping.asked():
                for i in list(pending):
                    if len(running) >= concurrency:
                        break  # bounded: after a failure, nothing queued is left to start
                    if waits[i] <= finished:
                        pending.remove(i)
                        running[pool.submit(run, changes[i])] = i
            elif not running:
                break
            if not running:
                if pending:  # a dependency cycle: render prevents it
                    raise ProviderError(f"cannot order: {', '.join(sorted(changes[i].id for i in pending))}")
                break
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                i = running.pop(fut)
                rid = changes[i].id
                try:
                    what = fut.result()
                except DehError as exc:
                    _failed(outcome, report, rid, str(exc))
                    continue
                except Exception as exc:  # an unexpected failure still stops the run cleanly
                    _failed(outcome, report, rid, f"{rid}: {type(exc).__name__}: {exc}")
                    continue
                if i not in finished:
                    finished.add(i)  # what waits for it may start
                    if isinstance(what, Settling):  # its last write, beside them; done once that is
                        running[pool.submit(finish, what.what, what.rest)] = i
                        continue
                assert isinstance(what, str)
                outcome.done.append((rid, what))
                report(rid, what)
    stopping.checkpoint()  # the pool is shut down and nothing is on its way: a safe point
    return outcome


def _failed(outcome: Outcome, report: Progress, rid: str, why: str) -> None:
    log.debug("%s failed: %s", rid, why)
    outcome.failed.append((rid, why))
    report(rid, "failed")
