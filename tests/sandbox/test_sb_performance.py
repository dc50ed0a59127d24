"""Bulk work through the real SDK: 500 queues made, read, changed, listed across pages and removed (its speed is
measured by benchmarks/bench_sandbox.py, not here)."""

from __future__ import annotations

import pytest
from twilio.rest import Client

from deh_deploy.sandbox import RunningSandbox


@pytest.mark.slow
def test_five_hundred_queues_are_made_listed_across_pages_and_removed(
    sandbox: RunningSandbox, client: Client
) -> None:
    (ws,) = client.taskrouter.v1.workspaces.list()
    queues = client.taskrouter.v1.workspaces(ws.sid).task_queues
    made = [queues.create(friendly_name=f"DEH perf {i}").sid for i in range(500)]
    for sid in made:
        assert queues(sid).fetch().friendly_name.startswith("DEH perf ")
        queues(sid).update(target_workers="1==1")
    listed = queues.list(page_size=50)
    for sid in made:
        queues(sid).delete()
    assert len(listed) == 501 and len(sandbox.requests()) >= 2000
    assert [q.sid for q in queues.list()] == [q.sid for q in listed if q.sid not in made]
