"""plan / apply / destroy for one hub and environment: the library functions behind the CLI commands."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from deh_deploy.apply import CONCURRENCY, Outcome, Progress, destroy_changes, execute
from deh_deploy.config.model import HubConfig
from deh_deploy.errors import ProviderError, SafetyError
from deh_deploy.plan import Change, Plan, describe_purchase, verify_saved
from deh_deploy.providers.connect import Connection
from deh_deploy.providers.errors import sdk_errors
from deh_deploy.providers.lease import lease
from deh_deploy.providers.twilio import TwilioProvider
from deh_deploy.render import Desired, render_hub

Confirm = Callable[[str], bool]


@dataclass
class ApplyResult:
    plan: Plan
    outcome: Outcome
    requests: int
    writes: int


def prepare(
    hub: HubConfig, env: str, conn: Connection, *, today: date | None = None, desired: Desired | None = None
) -> TwilioProvider:
    """Read what is live. Without a render, the account check and the first reads go out while the hub renders;
    with one (the second read of an apply, under the lease), the account was checked already."""
    environment = hub.environment(env)
    provider = TwilioProvider(
        conn.client,
        account_sid=environment.account_sid,
        slug=hub.slug,
        env=env,
        desired=desired or Desired(hub.slug, env),
    )
    if desired is None:
        provider.populate(render=lambda: render_hub(hub, env=env, today=today))
    else:
        provider.populate(check_account=False)
    return provider


@sdk_errors
def plan_hub(hub: HubConfig, env: str, conn: Connection, *, today: date | None = None) -> Plan:
    return prepare(hub, env, conn, today=today).plan()


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
    on_plan: Callable[[Plan], None] | None = None,
) -> ApplyResult:
    environment = hub.environment(env)
    # Read-only first: an account that already matches is left without a single write (not even the lease).
    first = prepare(hub, env, conn, today=today)
    plan = first.plan()
    if saved_plan is not None:
        verify_saved(saved_plan, plan)
    if plan.empty:
        if on_plan is not None:
            on_plan(plan)
        return ApplyResult(plan, Outcome(), conn.counter.requests, conn.counter.writes)
    with lease(conn.client, slug=hub.slug, env=env):
        provider = prepare(hub, env, conn, desired=first.desired)  # again, under the lease
        plan = provider.plan()
        if saved_plan is not None:
            verify_saved(saved_plan, plan)
        buys = [c for c in plan.writes if c.purchase]
        if buys and not allow_purchase and confirm is not None:
            question = "; ".join(f"buy a {describe_purchase(c)} for numbers.{c.key}" for c in buys)
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
        outcome = execute(provider, plan, concurrency=concurrency, progress=progress)
    if outcome.failed:
        _, why = outcome.failed[0]
        raise ProviderError(
            f"apply stopped after {len(outcome.done)} change(s): {why}. What was done is "
            "kept; run apply again to continue"
        )
    return ApplyResult(plan, outcome, conn.counter.requests, conn.counter.writes)


@sdk_errors
def destroy_hub(
    hub: HubConfig,
    env: str,
    conn: Connection,
    *,
    release_numbers: bool = False,
    confirm_slug: str | None = None,
    progress: Progress | None = None,
) -> list[Change]:
    """Remove what the hub owns, children first. Numbers and senders stay unless release_numbers is given and the
    Society's slug is typed back."""
    if release_numbers and confirm_slug != hub.slug:
        raise SafetyError(f"releasing numbers needs the slug typed back: --confirm {hub.slug}")
    with lease(conn.client, slug=hub.slug, env=env):
        provider = prepare(hub, env, conn)
        changes = destroy_changes(provider, release_numbers=release_numbers)
        report = progress or (lambda _id, _what: None)
        for change in changes:
            if change.action == "delete" and change.existing is not None:
                provider.delete_one(change.existing)
                report(change.id, "delete")
            else:
                report(change.id, f"keep ({change.note})")
    return changes
