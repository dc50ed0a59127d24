"""The deployment lease: one apply at a time per hub and environment, held on the account itself, taken over when
its holder is gone or it has expired, and never left behind."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest

from deh_deploy.deploy import ApplyResult, apply_hub, destroy_hub, plan_hub
from deh_deploy.errors import DehError, LeaseError, SafetyError
from deh_deploy.providers.http import RequestCounter
from deh_deploy.providers.lease import TTL, holder, lease_name
from tests.provider.conftest import World, hub

LEASE = lease_name("hungary", "staging")
ELSEWHERE = "deploy@ci-runner-7 pid 4242"  # a holder on another machine


def lease_services(world: World) -> list[tuple[str, str]]:
    h = hub("hungary")
    with world.connect(h) as conn:
        services = conn.client.serverless.v1.services.list()
    return [(s.unique_name, s.friendly_name) for s in services if s.unique_name.startswith("deh--lease-")]


def leave_lease(world: World, who: str, until: datetime) -> None:
    """A lease as another apply leaves it: holder, nonce and expiry in the friendly name."""
    h = hub("hungary")
    with world.connect(h) as conn:
        conn.client.serverless.v1.services.create(
            unique_name=LEASE,
            friendly_name=f"DEH lease {who} 0badc0de until {until.isoformat(timespec='seconds')}",
        )


def successful_writes(world: World) -> list[dict[str, object]]:
    return [e for e in world.sandbox.requests() if e["method"] != "GET" and int(str(e["status"])) < 400]


def dead_pid() -> int:
    """The pid of a process of this machine that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_two_applies_at_once_one_writes_and_the_other_names_the_holder(world: World) -> None:
    """The second apply starts while the first holds the lease (the first is held at its first write until the
    second has answered), so the outcome does not depend on how the two happen to be scheduled."""
    h = hub("hungary")
    world.login(h)
    holding, go_on = threading.Event(), threading.Event()
    results: dict[int, ApplyResult | DehError] = {}
    counters: dict[int, RequestCounter] = {}

    def hold_at_first_write(_rid: str, _what: str) -> None:
        holding.set()
        assert go_on.wait(60), "the second apply never answered"

    def run(i: int) -> None:
        with world.connect(h) as conn:
            counters[i] = conn.counter
            try:
                results[i] = apply_hub(
                    h, "staging", conn, allow_purchase=True, progress=hold_at_first_write if i == 0 else None
                )
            except DehError as exc:
                results[i] = exc

    first = threading.Thread(target=run, args=(0,))
    first.start()
    try:
        assert holding.wait(60), "the first apply never wrote"
        run(1)
    finally:
        go_on.set()
        first.join()
    winners = [i for i, r in results.items() if isinstance(r, ApplyResult)]
    losers = [i for i, r in results.items() if isinstance(r, LeaseError)]
    assert len(winners) == 1 and len(losers) == 1, results
    winner = results[winners[0]]
    assert isinstance(winner, ApplyResult) and not winner.outcome.failed
    message = str(results[losers[0]])
    assert message.startswith(f"another apply holds the lease for hungary/staging: {holder()}, until ")
    assert f"delete the Serverless service {LEASE} if that apply is gone" in message
    # Every write that took effect came from the winner; the loser's one write was its refused lease.
    assert len(successful_writes(world)) == winner.writes
    assert counters[losers[0]].writes == 1
    refused = [e for e in world.sandbox.requests() if e["method"] != "GET" and int(str(e["status"])) >= 400]
    assert [(e["product"], e["path"]) for e in refused] == [("serverless", "/v1/Services")]
    assert f"UniqueName={LEASE}" in str(refused[0]["body"])
    assert lease_services(world) == []
    world.restart()
    with world.connect(h) as conn:
        again = apply_hub(h, "staging", conn, allow_purchase=True)  # the loser runs again
    assert again.outcome.done == [] and again.writes == 0


def test_while_apply_runs_the_account_shows_who_holds_the_lease_and_until_when(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    seen: list[tuple[str, str]] = []
    before = datetime.now(UTC)
    with world.connect(h) as conn:

        def progress(_rid: str, _what: str) -> None:
            if not seen:
                seen.extend(lease_services(world))

        apply_hub(h, "staging", conn, allow_purchase=True, progress=progress)
    assert len(seen) == 1 and seen[0][0] == LEASE
    friendly = seen[0][1]
    assert friendly.startswith(f"DEH lease {holder()} ")
    until = datetime.fromisoformat(friendly.rpartition(" until ")[2])
    assert before + TTL - timedelta(seconds=5) <= until <= datetime.now(UTC) + TTL
    assert lease_services(world) == []


def test_a_lease_left_by_a_process_that_is_gone_is_taken_over(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    user_host, _, rest = holder().partition(" pid ")
    where = rest.partition(" on ")[2]
    leave_lease(world, f"{user_host} pid {dead_pid()} on {where}", datetime.now(UTC) + TTL)
    with world.connect(h) as conn:
        result = apply_hub(h, "staging", conn, allow_purchase=True)
        assert plan_hub(h, "staging", conn).empty
    assert result.outcome.done and not result.outcome.failed
    assert lease_services(world) == []


@pytest.mark.slow  # another takeover; the gone process covers the quick loop
def test_a_lease_this_process_left_behind_in_an_ended_apply_is_taken_over(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    leave_lease(world, holder(), datetime.now(UTC) + TTL)
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn, allow_purchase=True)
        assert plan_hub(h, "staging", conn).empty
    assert lease_services(world) == []


@pytest.mark.slow  # another takeover; the gone process covers the quick loop
def test_an_expired_lease_is_taken_over(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    leave_lease(world, ELSEWHERE, datetime.now(UTC) - timedelta(minutes=1))
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn, allow_purchase=True)
        assert plan_hub(h, "staging", conn).empty
    assert lease_services(world) == []


def test_a_live_lease_of_another_machine_stops_apply_and_destroy_and_is_left_alone(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    until = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)
    leave_lease(world, ELSEWHERE, until)
    left = lease_services(world)
    world.sandbox.clear_requests()
    with world.connect(h) as conn:
        with pytest.raises(LeaseError) as caught:
            apply_hub(h, "staging", conn, allow_purchase=True)
        assert str(caught.value) == (
            f"another apply holds the lease for hungary/staging: {ELSEWHERE}, until {until.isoformat()}; "
            f"wait for it, or delete the Serverless service {LEASE} if that apply is gone"
        )
        with pytest.raises(LeaseError, match=ELSEWHERE):
            destroy_hub(h, "staging", conn)
    assert successful_writes(world) == []
    assert lease_services(world) == left


def test_the_lease_is_released_after_every_apply_that_took_it(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        with pytest.raises(SafetyError, match="--allow-purchase required"):
            apply_hub(h, "staging", conn)  # refused under the lease
        assert lease_services(world) == []
        apply_hub(h, "staging", conn, allow_purchase=True)
        assert lease_services(world) == []
        world.sandbox.clear_requests()
        apply_hub(h, "staging", conn, allow_purchase=True)  # nothing to do: no lease taken at all
        assert [e for e in world.sandbox.requests() if e["method"] != "GET"] == []
        destroy_hub(h, "staging", conn)
    assert lease_services(world) == []


def test_a_live_lease_of_a_container_with_this_host_name_is_left_alone(world: World) -> None:
    """Containers share host names and pids: a holder whose pid is not visible here, on another machine or pid
    namespace, is not taken for dead."""
    h = hub("hungary")
    world.login(h)
    user_host = holder().partition(" pid ")[0]
    other = f"{user_host} pid {dead_pid()} on 0123456789ab"
    leave_lease(world, other, datetime.now(UTC) + timedelta(minutes=10))
    world.sandbox.clear_requests()
    with world.connect(h) as conn, pytest.raises(LeaseError, match="another apply holds the lease"):
        apply_hub(h, "staging", conn, allow_purchase=True)
    assert successful_writes(world) == []
