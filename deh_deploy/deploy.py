"""plan / apply / destroy for one hub and environment, and reconcile for its hub service: the library functions
behind the CLI commands.

Data flows one way: render the desired hub (while the first reads are on their way), read what is live, plan the
diff, check it, and execute the plan under the lease.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from deh_deploy import stopping, wiring
from deh_deploy.apply import CONCURRENCY, Outcome, Progress, execute
from deh_deploy.changes import Entry
from deh_deploy.config.model import HubConfig
from deh_deploy.errors import ProviderError, SafetyError
from deh_deploy.plan import Plan, check_release, verify_saved
from deh_deploy.providers.connect import Connection
from deh_deploy.providers.errors import sdk_errors
from deh_deploy.providers.lease import lease
from deh_deploy.providers.planner import Inventory
from deh_deploy.providers.twilio import TwilioProvider
from deh_deploy.render import Desired, render_hub
from deh_deploy.terms import Review, diff

if TYPE_CHECKING:
    from deh_deploy.hub.reconcile import Reconciled
    from deh_deploy.hub.settings import Settings

T = TypeVar("T")
Confirm = Callable[[str], bool]
OnPlan = Callable[[Plan], None]


@dataclass
class ApplyResult:
    plan: Plan
    outcome: Outcome
    requests: int
    writes: int
    held: str | None = None  # why the wiring was held back (the hub service is not healthy), if it was


@dataclass(frozen=True)
class Exported:
    """Flow files by name, and how many changes apply would still make (0: what is exported is what is live)."""

    files: dict[str, str]
    pending: int


@dataclass(frozen=True)
class Reading:
    """The desired hub and what is live, read through ``provider``."""

    provider: TwilioProvider
    desired: Desired
    inventory: Inventory

    def plan(self) -> Plan:
        return self.provider.plan(self.desired, self.inventory)


def read(
    hub: HubConfig, env: str, conn: Connection, *, today: date | None = None, desired: Desired | None = None
) -> Reading:
    """Read what is live. Without a rendered hub, the render is handed to the provider as a future it asks for
    once the account check and the first reads are on their way; with one (the second read of an apply, under the
    lease), the account was checked already."""
    environment = hub.environment(env)
    provider = TwilioProvider(conn.client, account_sid=environment.account_sid, slug=hub.slug, env=env)
    if desired is not None:
        return Reading(provider, desired, provider.read(desired, check_account=False))
    rendering = Deferred(partial(render_hub, hub, env=env, today=today))
    inventory = provider.read(rendering)
    return Reading(provider, rendering.result(), inventory)


class Deferred(Future[T]):
    """A future computed by the first thread that asks for its result. The provider asks right after sending its
    first reads, so the render runs while they are answered; a render started in a thread of its own at once
    competes with the building of those requests instead, and a no-op apply took 20 to 30 ms longer."""

    def __init__(self, compute: Callable[[], T]) -> None:
        super().__init__()
        self._compute: Callable[[], T] | None = compute
        self._claim = threading.Lock()

    def result(self, timeout: float | None = None) -> T:
        with self._claim:
            compute, self._compute = self._compute, None
        if compute is not None and self.set_running_or_notify_cancel():
            try:
                self.set_result(compute())
            except BaseException as exc:  # kept for result() to raise, as any future does
                self.set_exception(exc)
        return super().result(timeout)


@sdk_errors
def plan_hub(hub: HubConfig, env: str, conn: Connection, *, today: date | None = None) -> Plan:
    return read(hub, env, conn, today=today).plan()


@sdk_errors
def review_hub(hub: HubConfig, env: str, conn: Connection, *, today: date | None = None) -> Review:
    """The plan, and what it changes in the config's terms: the desired and the live resources read alike."""
    reading = read(hub, env, conn, today=today)
    plan = reading.plan()
    inventory = reading.inventory
    live = {live.id: live.attrs for live in inventory.orphans.values()}
    live.update({rid: record.attrs for rid, record in inventory.live.items()})
    desired = {r.id: r.attrs for r in reading.desired.resources}
    return Review(plan, diff(desired, live, plan.entries))


@sdk_errors
def apply_hub(
    hub: HubConfig,
    env: str,
    conn: Connection,
    *,
    saved_plan: str | None = None,
    force: bool = False,
    allow_purchase: bool = False,
    confirm: Confirm | None = None,
    progress: Progress | None = None,
    concurrency: int = CONCURRENCY,
    today: date | None = None,
    on_plan: OnPlan | None = None,
    hub_url: str | None = None,
) -> ApplyResult:
    """``hub_url``: where the hub service's health is asked before Twilio is pointed at it (see
    :mod:`deh_deploy.wiring`); the wiring is held back, and ``held`` says why, while it is not healthy.
    ``concurrency`` bounds every request the apply makes (the reads, the checks, the lease, the writes, the build's
    polls), not only the changes it runs at once: at 1 it is a truly sequential run, one request in flight at a
    time."""
    with conn.in_flight.bounded(concurrency):
        environment = hub.environment(env)
        # Read-only first: an account that already matches is left without a single write (not even the lease).
        first = read(hub, env, conn, today=today)
        plan = first.plan()
        if saved_plan is not None:
            verify_saved(saved_plan, plan)
        held = wiring.gate(hub, env, plan, hub_url=hub_url, sandbox=conn.where != "twilio")
        if held is not None:
            plan = wiring.hold(plan)
        if plan.empty:
            if on_plan is not None:
                on_plan(plan)
            _clear_stale_lease(hub.slug, env, first)
            return ApplyResult(plan, Outcome(), conn.counter.requests, conn.counter.writes, held)
        # Under the lease SIGTERM only asks to stop: the run stops at a safe point and the lease is released.
        with stopping.deferred(), lease(conn.client, slug=hub.slug, env=env):
            stopping.checkpoint()
            again = read(hub, env, conn, desired=first.desired)  # again, under the lease
            stopping.checkpoint()
            plan = again.plan()
            if saved_plan is not None:
                verify_saved(saved_plan, plan)
            if held is not None:
                plan = wiring.hold(plan)
            buys = [c for c in plan.changes if c.purchase]
            if buys and not allow_purchase and confirm is not None:
                question = "; ".join(f"buy a {c.purchase} for numbers.{c.key}" for c in buys)
                allow_purchase = confirm(
                    f"{question} — this bills account {environment.account_sid} at once. Buy?"
                )
            if on_plan is not None:
                on_plan(plan)
            plan.check_safety(
                force=force,
                allow_purchase=allow_purchase,
                threshold=environment.update_threshold,
                min_existing=environment.min_existing,
            )
            outcome = execute(again.provider, plan, concurrency=concurrency, progress=progress)
        if outcome.failed:
            _, why = outcome.failed[0]
            raise ProviderError(
                f"apply stopped after {len(outcome.done)} change(s): {why}. What was done is "
                "kept; run apply again to continue"
            )
        return ApplyResult(plan, outcome, conn.counter.requests, conn.counter.writes, held)


def _clear_stale_lease(slug: str, env: str, reading: Reading) -> None:
    """Nothing to do, so no lease is taken: but one a crashed apply left behind is removed when it is provably
    stale, from the services the read listed (no request unless there is one to remove)."""
    from deh_deploy.providers.kinds.serverless import listed_services
    from deh_deploy.providers.lease import clear_stale

    ctx = reading.provider.ctx
    if "services" in ctx.reads:
        clear_stale(ctx.client, listed_services(ctx), slug=slug, env=env)


@sdk_errors
def export_hub(hub: HubConfig, env: str, conn: Connection, *, today: date | None = None) -> Exported:
    """The hub's flows as the account holds them after apply, every reference a real SID or domain (resolved
    against what is live, the versions of templates in use included), importable in the Studio console as is.
    Also says whether the account still differs from the config (then apply would change what is exported)."""
    from deh_deploy.providers.planner import resolved
    from deh_deploy.render.desired import canonical_json

    reading = read(hub, env, conn, today=today)
    plan = reading.plan()  # settles which version of each template is in use
    flows = {}
    for name, document in sorted(reading.desired.documents.items()):
        if name.startswith("flows/"):  # the rendered flows, references in them
            flows[name] = canonical_json(resolved(document, reading.inventory.live, subject=name))
    return Exported(flows, pending=len(plan.changes))


@sdk_errors
def destroy_hub(
    hub: HubConfig,
    env: str,
    conn: Connection,
    *,
    release_numbers: bool = False,
    confirm_slug: str | None = None,
    progress: Progress | None = None,
    on_plan: OnPlan | None = None,
    approve: Callable[[Plan], bool] | None = None,
) -> tuple[Entry, ...]:
    """Remove what the hub owns, children first, as a plan of deletes run by the same executor as apply. Numbers
    and senders stay unless release_numbers is given and the Society's slug is typed back. Returns the plan's
    deletes and what it keeps."""
    check_release(hub.slug, release_numbers=release_numbers, confirm_slug=confirm_slug)
    report = progress or (lambda _id, _what: None)
    with stopping.deferred(), lease(conn.client, slug=hub.slug, env=env):
        stopping.checkpoint()
        reading = read(hub, env, conn)
        stopping.checkpoint()
        plan = reading.provider.destroy_plan(
            reading.desired, reading.inventory, release_numbers=release_numbers
        )
        if on_plan is not None:
            on_plan(plan)
        plan.check_destroy(release_numbers=release_numbers, confirm_slug=confirm_slug)
        if approve is not None and plan.writes and not approve(plan):
            raise SafetyError("destroy canceled: nothing was deleted")
        for keep in plan.keeps:
            report(keep.id, f"keep ({keep.note})")
        outcome = execute(reading.provider, plan, progress=progress)
    if outcome.failed:
        _, why = outcome.failed[0]
        raise ProviderError(
            f"destroy stopped after {len(outcome.done)} deletion(s): {why}. What was deleted stays deleted; "
            "run destroy again to continue"
        )
    return plan.entries


@sdk_errors
def reconcile_hub(settings: Settings, conn: Connection, *, days: int) -> Reconciled:
    """Feed the last ``days`` days of the workspace's TaskRouter events into the hub service's inbox (what a
    webhook outage lost becomes a record; what was delivered is not processed twice)."""
    from deh_deploy.hub.reconcile import reconcile
    from deh_deploy.hub.service import Service
    from deh_deploy.providers.events import task_events, workspace_sid

    environment = settings.hub.environment(settings.env)
    TwilioProvider.check_account_of(conn.client, account_sid=environment.account_sid, env=settings.env)
    service = Service(settings)
    try:
        service.start()
        workspace = workspace_sid(conn, settings.hub.routing.workspace)
        return reconcile(service, task_events(conn, workspace=workspace, days=days))
    finally:
        service.close()
