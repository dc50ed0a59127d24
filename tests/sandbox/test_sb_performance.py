"""Fast enough for apply benchmarks: a no-op GET well under 5 ms, thousands of calls in seconds."""

from __future__ import annotations

import statistics
import time

import pytest
from twilio.rest import Client

from deh_deploy.sandbox import RunningSandbox


def test_a_no_op_get_takes_under_5_ms(client: Client) -> None:
    flow = client.studio.v2.flows.create(
        friendly_name="perf",
        status="draft",
        definition={
            "description": "perf",
            "flags": {"allow_concurrent_calls": True},
            "initial_state": "Trigger",
            "states": [{"name": "Trigger", "type": "trigger", "properties": {}, "transitions": []}],
        },
    )
    timings = []
    for _ in range(300):
        began = time.perf_counter()
        client.studio.v2.flows(flow.sid).fetch()
        timings.append(time.perf_counter() - began)
    assert statistics.median(timings) < 0.005


@pytest.mark.slow
def test_two_thousand_requests_take_seconds(sandbox: RunningSandbox, client: Client) -> None:
    (ws,) = client.taskrouter.v1.workspaces.list()
    queues = client.taskrouter.v1.workspaces(ws.sid).task_queues
    began = time.perf_counter()
    made = [queues.create(friendly_name=f"DEH perf {i}").sid for i in range(500)]
    for sid in made:
        queues(sid).fetch()
        queues(sid).update(target_workers="1==1")
    listed = queues.list(page_size=50)
    for sid in made:
        queues(sid).delete()
    elapsed = time.perf_counter() - began
    assert len(listed) == 501 and len(sandbox.requests()) >= 2000
    assert elapsed < 15
