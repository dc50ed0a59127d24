"""``--concurrency N`` bounds every request apply makes (the reads, the checks before a purchase, the lease, the
writes, the build's polls, the uploads), not only the changes its executor runs at once: at 1 an apply is truly
sequential, one request in flight at a time. The sandbox counts the requests it holds unanswered at once."""

from __future__ import annotations

import threading
import time

import pytest

from deh_deploy.deploy import apply_hub
from deh_deploy.providers.http import InFlight
from deh_deploy.sandbox import Faults
from tests.provider.conftest import World, hub

LATENCY_MS = 20  # every request lasts long enough to overlap whatever is sent beside it


def peak_of_apply(world: World, concurrency: int) -> tuple[int, int]:
    """The most requests in flight at once during a first apply of Hungary and during the no-op apply after it."""
    h = hub("hungary")
    world.login(h)
    world.sandbox.set_faults(Faults(latency_ms=LATENCY_MS))
    peaks = []
    for _ in range(2):
        world.sandbox.reset_peak()
        with world.connect(h) as conn:
            result = apply_hub(h, "staging", conn, allow_purchase=True, concurrency=concurrency)
        assert not result.outcome.failed
        peaks.append(world.sandbox.peak_in_flight())
    assert result.writes == 0, "the second apply had nothing to do"
    return peaks[0], peaks[1]


@pytest.mark.slow  # one request at a time, each slowed so that two would overlap
def test_at_concurrency_1_apply_has_one_request_in_flight_at_a_time(world: World) -> None:
    assert peak_of_apply(world, 1) == (1, 1)


def test_at_concurrency_4_apply_has_at_most_4_requests_in_flight_and_sends_them_together(
    world: World,
) -> None:
    first, noop = peak_of_apply(world, 4)
    assert 1 < first <= 4
    assert 1 < noop <= 4


def test_the_bound_holds_only_inside_its_block_and_a_wait_for_a_place_ends_when_one_is_left() -> None:
    gate = InFlight()
    inside: list[int] = []
    now = 0
    lock = threading.Lock()

    def request() -> None:
        nonlocal now
        with gate:
            with lock:
                now += 1
                inside.append(now)
            time.sleep(0.01)
            with lock:
                now -= 1

    with gate.bounded(2):
        threads = [threading.Thread(target=request) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
    assert max(inside) <= 2 and len(inside) == 6
    with gate, gate, gate:  # unbounded again once the block is left
        pass


@pytest.mark.parametrize("limit", [0, -3])
def test_a_bound_below_one_is_one(limit: int) -> None:
    gate = InFlight()
    entered = threading.Event()

    def second() -> None:
        with gate:
            entered.set()

    with gate.bounded(limit):
        with gate:
            waiter = threading.Thread(target=second)
            waiter.start()
            assert not entered.wait(0.05), "a second request went out beside the first"
        waiter.join(10)
        assert entered.is_set()
