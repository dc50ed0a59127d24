"""Retries where they are safe: a 429 on any request (Twilio did not process it) after Retry-After; a 5xx or a
dropped connection on a read; never a write that may have happened. A purchase whose answer was lost is looked up,
not repeated."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest

from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.errors import CredentialsError, DehError, ProviderError
from deh_deploy.plan import Plan
from deh_deploy.providers.http import BASE_DELAY, MAX_DELAY, RETRY_LIMIT, RetryingMixin
from deh_deploy.sandbox import Faults
from tests.provider.conftest import World, hub

Entry = dict[str, object]


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[float]]:
    """Every pause the HTTP layer takes before a retry, recorded instead of slept."""
    taken: list[float] = []
    monkeypatch.setattr(RetryingMixin, "sleep", staticmethod(taken.append))
    yield taken


def key(e: Entry) -> tuple[object, ...]:
    return (e["method"], e["product"], e["path"], e["query"], e["body"])


def faulted(log: list[Entry], fault: str) -> list[int]:
    return [i for i, e in enumerate(log) if e.get("fault") == fault]


def deployed(world: World) -> None:
    """Hungary's staging hub, applied in full on a healthy sandbox; the request log starts empty."""
    h = hub("hungary")
    world.applied(h)
    world.sandbox.clear_requests()


def plan_with(world: World, faults: Faults) -> tuple[Plan, list[Entry]]:
    h = hub("hungary")
    world.sandbox.set_faults(faults)
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
    log = world.sandbox.requests()
    world.sandbox.set_faults(Faults())
    world.sandbox.clear_requests()
    return plan, log


def test_a_plan_completes_through_429s_and_every_refused_request_is_sent_again(
    world: World, sleeps: list[float]
) -> None:
    deployed(world)
    plan, log = plan_with(world, Faults(rate_429=0.3, retry_after=0.5, seed=7))
    assert plan.empty
    refused = faulted(log, "429")
    assert len(refused) >= 5
    for i in refused:  # reads run side by side: the same request comes again later, and is answered
        assert any(key(e) == key(log[i]) and e.get("fault") is None for e in log[i + 1 :])
    _, healthy = plan_with(world, Faults())
    assert Counter(key(e) for e in log if e.get("fault") is None) == Counter(key(e) for e in healthy)
    assert len(sleeps) == len(refused)


@pytest.mark.slow  # waits the Retry-After
def test_retry_after_is_honoured(world: World, sleeps: list[float]) -> None:
    deployed(world)
    _, log = plan_with(world, Faults(rate_429=0.3, retry_after=1.5, seed=3))
    assert sleeps == [1.5] * len(faulted(log, "429")) != []
    sleeps.clear()
    _, log = plan_with(world, Faults(rate_429=0.3, retry_after=600, seed=3))
    assert sleeps == [MAX_DELAY] * len(faulted(log, "429")) != [], "a pause is capped"


@pytest.mark.slow
def test_retry_after_is_waited_for_in_real_time(world: World) -> None:
    deployed(world)
    started = time.perf_counter()
    plan, log = plan_with(world, Faults(rate_429=0.25, retry_after=0.2, seed=5))
    elapsed = time.perf_counter() - started
    assert plan.empty
    assert len(faulted(log, "429")) >= 2
    assert elapsed >= 0.2  # the reads run side by side, so their pauses overlap; none is skipped


@pytest.mark.parametrize(
    ("faults", "fault"), [(Faults(rate_5xx=0.3, seed=11), "503"), (Faults(rate_drop=0.3, seed=11), "drop")]
)
def test_a_read_that_fails_on_the_server_or_the_wire_is_retried(
    world: World, sleeps: list[float], faults: Faults, fault: str
) -> None:
    deployed(world)
    plan, log = plan_with(world, faults)
    assert plan.empty
    failed = faulted(log, fault)
    assert len(failed) >= 5
    for i in failed:
        assert log[i]["method"] == "GET"
        assert any(key(e) == key(log[i]) and e.get("fault") is None for e in log[i + 1 :])
    assert len(sleeps) == len(failed)
    assert all(0 <= s <= min(MAX_DELAY, BASE_DELAY * 2**RETRY_LIMIT) for s in sleeps)


@pytest.mark.slow  # every retry of a read, with its back-off
def test_a_read_that_keeps_failing_ends_in_one_clear_error_after_the_retry_limit(
    world: World, sleeps: list[float]
) -> None:
    deployed(world)
    h = hub("hungary")
    world.sandbox.set_faults(Faults(rate_5xx=1.0))
    with world.connect(h) as conn, pytest.raises(DehError, match="Twilio error 20503"):
        plan_hub(h, "staging", conn)
    sent = Counter(key(e) for e in world.sandbox.requests())
    assert set(sent.values()) == {RETRY_LIMIT + 1}, "each read is tried once and retried RETRY_LIMIT times"
    assert len(sleeps) == RETRY_LIMIT * len(sent)


@pytest.mark.slow  # an outage's retries
def test_an_outage_is_not_reported_as_a_credentials_problem(world: World, sleeps: list[float]) -> None:
    deployed(world)
    h = hub("hungary")
    world.sandbox.set_faults(Faults(rate_5xx=1.0))
    with world.connect(h) as conn, pytest.raises(ProviderError) as caught:
        plan_hub(h, "staging", conn)
    assert not isinstance(caught.value, CredentialsError)
    assert "credentials" not in str(caught.value)


def lose_template(world: World) -> str:
    """Delete one owned content template by hand, so the next apply creates it, and the messaging flow (whose
    callbacks carry the template's SID) takes its new SID."""
    h = hub("hungary")
    with world.connect(h) as conn:
        template = next(c for c in conn.client.content.v1.contents.list() if c.friendly_name.endswith("_uk"))
        conn.client.content.v1.contents(template.sid).delete()
        plan = plan_hub(h, "staging", conn)
    assert [c.id for c in plan.writes] == ["content.template/callback.uk", "studio.flow/messaging"]
    world.sandbox.clear_requests()
    return str(template.friendly_name)


def test_a_5xx_on_a_write_is_not_retried_the_apply_stops_and_a_rerun_converges(
    world: World, sleeps: list[float]
) -> None:
    deployed(world)
    name = lose_template(world)
    h = hub("hungary")

    def progress(_rid: str, what: str) -> None:
        if what == "failed":
            world.sandbox.set_faults(Faults())  # healthy again, so that the lease is released

    with world.connect(h) as conn:
        with pytest.raises(ProviderError) as caught:
            apply_hub(
                h,
                "staging",
                conn,
                progress=progress,
                on_plan=lambda _plan: world.sandbox.set_faults(Faults(rate_5xx=1.0)),  # only the writes fail
            )
        assert str(caught.value).startswith(
            "apply stopped after 0 change(s): content.template/callback.uk: Twilio error 20503"
        )
        log = world.sandbox.requests()
        creates = [e for e in log if e["method"] == "POST" and e["product"] == "content"]
        assert [(e["path"], e["status"]) for e in creates] == [("/v1/Content", 503)], "sent once, not retried"
        assert sleeps == []
        again = apply_hub(h, "staging", conn)
        assert [rid for rid, _ in again.outcome.done] == [
            "content.template/callback.uk",
            "studio.flow/messaging",
        ]
        assert plan_hub(h, "staging", conn).empty
        names = [c.friendly_name for c in conn.client.content.v1.contents.list()]
    assert names.count(name) == 1


def test_after_a_write_fails_apply_starts_no_other_change(world: World, sleeps: list[float]) -> None:
    h = hub("hungary")
    world.login(h)
    seen: list[str] = []

    def progress(rid: str, what: str) -> None:
        seen.append(what)
        if len(seen) == 1:
            world.sandbox.set_faults(Faults(rate_5xx=1.0))  # the next write fails
        if what == "failed":
            world.sandbox.set_faults(Faults())

    with world.connect(h) as conn, pytest.raises(ProviderError, match=r"^apply stopped after 1 change\(s\)"):
        apply_hub(h, "staging", conn, allow_purchase=True, concurrency=1, progress=progress)
    log = world.sandbox.requests()
    first = next(i for i, e in enumerate(log) if e.get("fault") == "503" and e["method"] != "GET")
    after = [(e["method"], e["product"]) for e in log[first + 1 :] if e["method"] != "GET"]
    assert after == [("DELETE", "serverless")], "only the lease is released"


def test_a_purchase_whose_answer_was_lost_is_found_by_name_and_not_bought_again(
    world: World, sleeps: list[float]
) -> None:
    deployed(world)
    h = hub("hungary")
    with world.connect(h) as conn:
        numbers = conn.client.api.v2010.account.incoming_phone_numbers
        numbers(numbers.list()[0].sid).delete()  # released by hand: the next apply buys again

        def progress(rid: str, _what: str) -> None:
            if rid == "phone.number/main":
                world.sandbox.set_faults(Faults())

        result = apply_hub(
            h,
            "staging",
            conn,
            allow_purchase=True,
            # the purchase happens, but the connection drops before its answer arrives
            on_plan=lambda _plan: world.sandbox.set_faults(Faults(rate_drop_after_write=1.0)),
            progress=progress,
        )
        assert not result.outcome.failed
        assert ("phone.number/main", "create") in result.outcome.done
        log = world.sandbox.requests()
        bought = [
            e for e in log if e["method"] == "POST" and str(e["path"]).endswith("/IncomingPhoneNumbers.json")
        ]
        assert [e.get("fault") for e in bought] == ["drop_after_write"], "one purchase, its answer lost"
        looked_up = log[log.index(bought[0]) + 1]
        assert looked_up["method"] == "GET" and looked_up["query"] == "FriendlyName=DEH+hungary+staging+main"
        assert sleeps == [], "the purchase was not retried"
        assert plan_hub(h, "staging", conn).empty
        assert [n.friendly_name for n in numbers.list()] == ["DEH hungary staging main"]


@pytest.mark.slow  # a lost answer again; the lost purchase covers the quick loop
def test_a_template_whose_approval_request_was_lost_is_submitted_on_the_next_run(world: World) -> None:
    deployed(world)
    lose_template(world)
    h = hub("hungary")
    with world.connect(h) as conn, pytest.raises(ProviderError):
        # the template is created, then the server dies before the approval request
        apply_hub(h, "staging", conn, on_plan=lambda _plan: world.sandbox.set_faults(Faults(die_after=1)))
    world.restart()
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn)
        template = next(
            c for c in conn.client.content.v1.content_and_approvals.list() if c.friendly_name.endswith("_uk")
        )
    assert (template.approval_requests or {}).get("status") not in (None, "unsubmitted")
