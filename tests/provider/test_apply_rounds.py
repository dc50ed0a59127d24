"""How many round trips a first apply waits through, one after another, and why each is safe: the lease is taken
after the first read and its checks and before the read the plan is built from; the checks a create needs go out
beside the read's next level, not after the read; the entry points open while the deployment is recorded."""

from __future__ import annotations

from typing import Any

import pytest

from deh_deploy.apply import execute
from deh_deploy.changes import Create
from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.errors import ProviderError
from deh_deploy.plan import Plan
from deh_deploy.providers.http import Span
from deh_deploy.providers.kinds.serverless import Deployment
from deh_deploy.providers.twilio import TwilioProvider
from deh_deploy.render.desired import resource
from deh_deploy.render.refs import ref
from deh_deploy.sandbox import Faults
from tests.provider.conftest import World, hub

LATENCY_MS = 300  # far above the milliseconds between requests sent together, on a loaded machine too
CHECKS = ("/RegulatoryCompliance/Regulations", "/RegulatoryCompliance/Bundles/", "/AvailablePhoneNumbers/")


def round_trips(spans: list[Span]) -> int:
    """The longest run of requests each sent after the one before it was answered: the round trips waited
    through one after another, however many requests went out beside them."""
    ordered = sorted(spans, key=lambda s: s.start)
    depth: list[int] = []
    for i, span in enumerate(ordered):
        before = [depth[j] for j in range(i) if ordered[j].end <= span.start]
        depth.append(1 + max(before, default=0))
    return max(depth, default=0)


def timeline(spans: list[Span]) -> str:
    """The requests as a failure shows them: milliseconds from the first, method and path."""
    t0 = min((s.start for s in spans), default=0.0)
    return "\n".join(
        f"{(s.start - t0) * 1000:5.0f}-{(s.end - t0) * 1000:5.0f} ms {s.method} {s.where.split('.com', 1)[-1]}"
        for s in sorted(spans, key=lambda s: s.start)
    )


def first_apply(world: World) -> tuple[Any, list[Span]]:
    """Hungary's first apply with room for every list of a level at once (its top level is 11 requests with the
    account check: at the default 10 one of them waits a round trip)."""
    h = hub("hungary")
    world.login(h)
    world.sandbox.set_faults(Faults(latency_ms=LATENCY_MS))
    with world.connect(h) as conn:
        result = apply_hub(h, "staging", conn, allow_purchase=True, concurrency=16)
        return result, sorted(conn.counter.spans, key=lambda s: s.start)


@pytest.mark.slow  # a first apply at 300 ms a request: seconds of waiting
def test_a_first_apply_writes_after_five_round_trips_its_checks_beside_the_reads(world: World) -> None:
    """Each read takes two round trips (the top level, with the account check the first time; then the level
    below, with the checks of what the top level shows missing: the number's regulation, bundle and offers, the
    WhatsApp sender), and the lease one between them; a check no longer waits for the whole read."""
    result, spans = first_apply(world)
    writes = [s for s in spans if s.method != "GET"]
    lease, first_write = writes[0], writes[1]
    before = [s for s in spans if s.start < first_write.start]
    assert round_trips(before) == 5, timeline(before)
    for read in ([s for s in before if s.end <= lease.start], [s for s in before if s.start >= lease.end]):
        lower = [s for s in read if "/Workspaces/WS" in s.where]
        checks = [
            s for s in read if any(c in s.where for c in CHECKS) or s.where.endswith("/Channels/Senders")
        ]
        assert len(checks) == 4 and lower, timeline(read)
        assert all(c.start < min(s.end for s in lower) for c in checks), timeline(read)
    assert not result.outcome.failed


@pytest.mark.slow  # a first apply at 300 ms a request: seconds of waiting
def test_the_entry_points_open_while_the_deployment_is_recorded(world: World) -> None:
    """Once the build is deployed the functions are live: the Conversations addresses are created beside the
    write of the deployment's record, not after it, and the deployment is reported done once it is recorded."""
    result, spans = first_apply(world)
    deployed = next(s for s in spans if s.where.endswith("/Deployments"))
    record = next(s for s in spans if s.start >= deployed.end and s.where.endswith("/Variables"))
    addresses = [s for s in spans if s.method == "POST" and s.where.endswith("/Configuration/Addresses")]
    assert addresses and all(a.start < record.end for a in addresses), timeline(spans)
    assert "serverless.deployment/staging" in [rid for rid, _ in result.outcome.done]
    h = hub("hungary")
    with world.connect(h) as conn:
        assert plan_hub(h, "staging", conn).empty


def test_a_deployment_whose_record_fails_stops_the_apply_and_the_next_deploys_again(world: World) -> None:
    """The record is the deployment's last write: when it fails, apply says so and stops, and the next plan finds
    no record and deploys again, so the account converges."""
    h = hub("hungary")
    world.login(h)

    def refused(*_args: Any) -> None:
        raise ProviderError("serverless.deployment/staging: the record was refused")

    with (
        pytest.MonkeyPatch.context() as mp,
        world.connect(h) as conn,
        pytest.raises(ProviderError, match="the record was refused"),
    ):
        mp.setattr(Deployment, "settle", refused)
        apply_hub(h, "staging", conn, allow_purchase=True)
    with world.connect(h) as conn:
        again = plan_hub(h, "staging", conn)
        assert "serverless.deployment/staging" in [c.id for c in again.changes]
        assert not apply_hub(h, "staging", conn, allow_purchase=True).outcome.failed
        assert plan_hub(h, "staging", conn).empty


def test_a_plan_that_refers_to_what_a_deployment_records_is_refused(world: World) -> None:
    """The deployment's record is written beside what waits for it, so nothing may refer to its attributes: a
    plan that does is refused before anything is written, with the reference named."""
    h = hub("hungary")
    world.login(h)
    needy = resource(
        "studio.flow", "needy", {"friendly_name": "x", "note": ref("serverless.deployment", "staging", "sid")}
    )
    plan = Plan("hungary", "staging", h.environment("staging").account_sid, (Create(needy),), 0)
    with world.connect(h) as conn:
        provider = TwilioProvider(conn.client, account_sid=plan.account_sid, slug="hungary", env="staging")
        with pytest.raises(ProviderError) as caught:
            execute(provider, plan)
    assert str(caught.value) == (
        "cannot order: studio.flow/needy refers to serverless.deployment/staging.sid, which is known only once "
        "apply is done"
    )
    assert conn.counter.requests == 0
