"""Apply through a failing network and a dying server: re-running converges, nothing is created twice, and a
number is never bought twice."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest

from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.errors import DehError
from deh_deploy.names import owns
from deh_deploy.sandbox import Faults
from tests.provider.conftest import World, hub

SEEDS = range(100)
QUICK = 1  # the quick loop (-m "not slow") runs the first seeds; the full suite runs all of them
MAX_RUNS = 40


def faults_for(seed: int, *, die: bool) -> Faults:
    rng = random.Random(seed)
    return Faults(
        rate_429=rng.uniform(0.0, 0.15),
        rate_5xx=rng.uniform(0.0, 0.04),
        rate_drop=rng.uniform(0.0, 0.03),
        rate_drop_after_write=rng.uniform(0.0, 0.03),
        die_after=rng.randint(5, 120) if die else None,
        retry_after=0.0,
        seed=seed,
    )


@pytest.fixture(autouse=True)
def quick_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same retries and polls, with shorter waits: the sandbox answers at once."""
    monkeypatch.setattr("deh_deploy.providers.http.BASE_DELAY", 0.001)
    monkeypatch.setattr("deh_deploy.providers.builds.BUILD_POLL_SECONDS", 0.005)
    monkeypatch.setattr("deh_deploy.providers.builds.BUILD_POLL_MAX_SECONDS", 0.005)


@pytest.mark.parametrize(
    "seed", [pytest.param(s, marks=() if s < QUICK else pytest.mark.slow) for s in SEEDS]
)
def test_apply_converges_through_faults_and_a_crash(world: World, seed: int) -> None:
    h = hub("hungary")
    world.login(h)
    world.restart(faults_for(seed, die=True))
    runs = 0
    while True:
        runs += 1
        assert runs <= MAX_RUNS, "apply did not converge"
        try:
            with world.connect(h) as conn:
                apply_hub(h, "staging", conn, allow_purchase=True, concurrency=4)
            break
        except DehError:
            if world.sandbox.stopped:  # the crash: start again on the same state, no more crashes
                world.restart(faults_for(seed, die=False))
    world.restart()  # a healthy server to inspect what is left
    with world.connect(h) as conn:
        assert plan_hub(h, "staging", conn).empty
        client = conn.client
        numbers = client.api.v2010.account.incoming_phone_numbers.list()
        assert len(numbers) == 1, "a number bought twice"
        names: Counter[str] = Counter()
        names.update(f"flow {f.friendly_name}" for f in client.studio.v2.flows.list())
        names.update(f"service {s.unique_name}" for s in client.serverless.v1.services.list())
        names.update(f"template {c.friendly_name}" for c in client.content.v1.contents.list())
        names.update(f"messaging {m.friendly_name}" for m in client.messaging.v1.services.list())
        names.update(f"address {a.address}" for a in client.conversations.v1.address_configurations.list())
        workspace = next(
            w for w in client.taskrouter.v1.workspaces.list() if w.friendly_name == "Flex Task Assignment"
        )
        tr = client.taskrouter.v1.workspaces(workspace.sid)
        names.update(f"queue {q.friendly_name}" for q in tr.task_queues.list())
        names.update(f"workflow {w.friendly_name}" for w in tr.workflows.list())
        service = client.serverless.v1.services("deh-hungary-staging")
        names.update(f"function {f.friendly_name}" for f in service.functions.list())
        names.update(f"asset {a.friendly_name}" for a in service.assets.list())
    duplicates = {name: n for name, n in names.items() if n > 1}
    assert duplicates == {}
    assert sum(owns("hungary", "staging", name.split(" ", 1)[1]) for name in names) >= 10
    # A lease the crash left behind (its release never reached the server) must not block the next apply from
    # this machine, and is gone once an apply has run.
    changed = replace(h, raw_hours={**h.raw_hours, "closed_now": True})
    with world.connect(h) as conn:
        apply_hub(changed, "staging", conn)
        services = [s.unique_name for s in conn.client.serverless.v1.services.list()]
    assert "deh--lease-hungary-staging" not in services
