"""An apply stopped from outside: SIGTERM (what CI sends on cancel) and Ctrl-C stop at a safe point and leave the
account unlocked; ``kill -9`` at any moment leaves a lease the next apply removes, even one that finds nothing to
do."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest

from deh_deploy import stopping
from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.errors import Terminated
from deh_deploy.providers.lease import lease_name
from deh_deploy.sandbox import Faults
from tests.provider.conftest import ROOT, World, hub

HUNGARY = ROOT / "country_configs" / "hungary"
LEASE = lease_name("hungary", "staging")
# deh as its console script runs it, with Ctrl-C's usual disposition whatever this process inherited (under nohup
# and some CI runners SIGINT is ignored, and a child would inherit that).
DEH = (
    sys.executable,
    "-c",
    "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); from deh_deploy.cli.app import run; run()",
)


def leases(world: World) -> list[str]:
    h = hub("hungary")
    with world.connect(h) as conn:
        return [s.sid for s in conn.client.serverless.v1.services.list() if s.unique_name == LEASE]


def start_apply(world: World) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            *DEH,
            "apply",
            str(HUNGARY),
            "-e",
            "staging",
            "--sandbox-url",
            world.sandbox.url,
            "--allow-purchase",
        ],
        cwd=world.tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )


def wait_for_writes(world: World, proc: subprocess.Popen[str], count: int) -> None:
    deadline = time.monotonic() + 60
    while sum(e["method"] != "GET" for e in world.sandbox.requests()) < count:
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the apply did not reach its writes"
        time.sleep(0.01)


def converges(world: World) -> None:
    """The next apply finishes the work and leaves no lease. ``force``: a run cut short after a few writes can
    leave a handful of resources that the next run updates, which on a hub this small passes the safety limit
    (more than 30% of at least 10 owned); that guard is not what is tested here."""
    h = hub("hungary")
    with world.connect(h) as conn:
        assert not apply_hub(h, "staging", conn, allow_purchase=True, force=True).outcome.failed
    with world.connect(h) as conn:
        assert plan_hub(h, "staging", conn).empty
    assert leases(world) == []


@contextmanager
def held_at_write(world: World, count: int) -> Iterator[tuple[threading.Event, threading.Event]]:
    """The sandbox holds the ``count``-th write on its way in: ``reached`` is set when it arrives, and it is
    served once ``go`` is set. An apply is mid-run at that moment, whatever the machine's load: no timing."""
    core = world.sandbox.core
    serve = core.handle
    reached, go = threading.Event(), threading.Event()
    writes = itertools.count(1)
    lock = threading.Lock()

    def handle(method: str, target: str, headers: Mapping[str, str], body: bytes) -> Any:
        if method != "GET":
            with lock:
                n = next(writes)
            if n == count:
                reached.set()
                go.wait(120)  # bounded, should the test fail before it lets go
        return serve(method, target, headers, body)

    core.handle = handle  # type: ignore[method-assign]
    try:
        yield reached, go
    finally:
        go.set()
        core.handle = serve  # type: ignore[method-assign]


@pytest.mark.parametrize(
    ("signum", "code", "line"),
    [
        pytest.param(  # the quick loop stops by Ctrl-C: the same safe point
            signal.SIGTERM,
            143,
            "deh: terminated (SIGTERM): what was done is kept, the lease released; run the command again",
            marks=pytest.mark.slow,
        ),
        (
            signal.SIGINT,
            130,
            "deh: interrupted: what was done is kept, the lease released; run the command again",
        ),
    ],
    ids=["SIGTERM", "Ctrl-C"],
)
def test_a_signal_mid_apply_stops_at_a_safe_point_with_one_line_and_releases_the_lease(
    world: World, signum: signal.Signals, code: int, line: str
) -> None:
    world.login(hub("hungary"))
    with held_at_write(world, 4) as (reached, go):  # the lease, and a few of the hub's writes
        proc = start_apply(world)
        assert reached.wait(120), "the apply did not reach its fourth write"
        proc.send_signal(signum)
        go.set()  # the write on its way finishes; nothing new is started
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == code, err
    assert err.splitlines() == [line]
    assert leases(world) == [], "the signal leaves the account unlocked"
    converges(world)


@pytest.mark.parametrize(
    "writes",
    [1, *(pytest.param(n, marks=pytest.mark.slow) for n in (3, 12, 25))],  # the quick loop: the first write
)
def test_kill_9_at_any_moment_leaves_no_lease_after_the_next_apply(world: World, writes: int) -> None:
    world.login(hub("hungary"))
    world.sandbox.set_faults(Faults(latency_ms=20))
    proc = start_apply(world)
    wait_for_writes(world, proc, writes)
    proc.kill()
    proc.communicate(timeout=30)
    world.sandbox.set_faults(Faults())
    converges(world)


@pytest.mark.slow  # a crash at another moment; kill -9 covers the quick loop
def test_a_crash_after_the_last_write_is_cleared_by_an_apply_with_nothing_to_do(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    crash = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from deh_deploy.config import load_hub
        from deh_deploy.providers.connect import connect
        from deh_deploy.providers.lease import lease
        h = load_hub(Path({str(HUNGARY)!r}))
        with connect(h.environment("staging"), sandbox_url={world.sandbox.url!r}) as conn:
            with lease(conn.client, slug="hungary", env="staging"):
                os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", crash], cwd=ROOT, env=dict(os.environ), check=False)
    assert done.returncode == -signal.SIGKILL
    assert len(leases(world)) == 1, "the crash left its lease"
    with world.connect(h) as conn:
        again = apply_hub(h, "staging", conn, allow_purchase=True)
    assert again.plan.empty and again.outcome.done == []
    assert leases(world) == [], "an apply with nothing to do removed the dead holder's lease"


def test_a_live_holders_lease_is_left_by_an_apply_with_nothing_to_do(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        conn.client.serverless.v1.services.create(
            unique_name=LEASE,
            friendly_name="DEH lease ci@runner pid 1 on elsewhere 0a0a until 2999-01-01T00:00:00",
        )
        apply_hub(h, "staging", conn, allow_purchase=True)
    assert len(leases(world)) == 1, "another machine's lease is not provably dead: it is left to expire"


def test_a_stop_asked_under_the_lease_starts_nothing_more_and_releases_the_lease(world: World) -> None:
    """What SIGTERM does under the lease, in-process: the run stops at its next safe point, not wherever the
    signal happened to land."""
    h = hub("hungary")
    world.login(h)
    done: list[str] = []

    def progress(rid: str, what: str) -> None:
        done.append(rid)
        if len(done) == 3:
            stopping.ask()

    try:
        with pytest.raises(Terminated), world.connect(h) as conn:
            apply_hub(h, "staging", conn, allow_purchase=True, concurrency=1, progress=progress)
    finally:
        stopping.reset()
    assert len(done) == 3, "nothing was started once the stop was asked"
    assert leases(world) == []
    converges(world)
