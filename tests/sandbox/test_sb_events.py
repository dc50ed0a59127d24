"""TaskRouter's Events log: what a workspace logged, read through the SDK with its time window and paging."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from deh_deploy.errors import UsageError
from deh_deploy.sandbox import RunningSandbox
from tests.sandbox.helpers import ACCOUNT
from tests.sandbox.test_sb_taskrouter import flex_workspace

TASK = "WT" + "ab" * 16


def log(sandbox: RunningSandbox, workspace: str, *ago_minutes: int, event: str = "task.created") -> list[str]:
    now = datetime.now(UTC)
    events = [
        {
            "workspace_sid": workspace,
            "event_type": event,
            "event_date": (now - timedelta(minutes=m)).isoformat(),
            "event_data": {
                "task_sid": TASK,
                "task_attributes": json.dumps({"type": "inbound"}),
                "task_age": "0",
            },
        }
        for m in ago_minutes
    ]
    sids: list[str] = sandbox.seed(ACCOUNT, taskrouter_events=events)["taskrouter_events"]
    return sids


def test_the_last_15_minutes_by_default_and_a_start_date_for_more(
    sandbox: RunningSandbox, client: Client
) -> None:
    ws = flex_workspace(client)
    recent, hour_old, month_old = log(sandbox, ws, 5, 60, 31 * 24 * 60)
    events = client.taskrouter.v1.workspaces(ws).events
    assert [e.sid for e in events.list()] == [recent]
    since = datetime.now(UTC) - timedelta(days=40)
    assert [e.sid for e in events.list(start_date=since)] == [recent, hour_old]  # 30 days are kept
    assert [e.sid for e in events.list(minutes=90)] == [recent, hour_old]
    assert month_old.startswith("EV")


def test_an_event_has_twilios_shape(sandbox: RunningSandbox, client: Client) -> None:
    ws = flex_workspace(client)
    (sid,) = log(sandbox, ws, 1)
    (event,) = client.taskrouter.v1.workspaces(ws).events.list()
    assert (event.sid, event.event_type, event.resource_sid, event.resource_type) == (
        sid,
        "task.created",
        TASK,
        "Task",
    )
    assert event.event_data["task_sid"] == TASK and event.event_data["workspace_sid"] == ws
    assert event.workspace_sid == ws and event.account_sid == ACCOUNT
    assert abs(event.event_date_ms - datetime.now(UTC).timestamp() * 1000) < 120_000


def test_pages_follow_each_other_and_filters_apply(sandbox: RunningSandbox, client: Client) -> None:
    ws = flex_workspace(client)
    created = log(sandbox, ws, 9, 8, 7, 6, 5)
    accepted = log(sandbox, ws, 4, event="reservation.accepted")
    events = client.taskrouter.v1.workspaces(ws).events
    assert [e.sid for e in events.stream(page_size=2)] == [*created, *accepted]
    assert [e.sid for e in events.list(event_type="reservation.accepted")] == accepted
    assert [e.sid for e in events.list(task_sid=TASK, page_size=50)] == [*created, *accepted]
    assert events.list(task_sid="WT" + "cd" * 16) == []


def test_an_unknown_workspace_is_404_and_a_bad_window_400(client: Client) -> None:
    with pytest.raises(TwilioException) as missing:  # the SDK's page error: the response is its second arg
        client.taskrouter.v1.workspaces("WS" + "0" * 32).events.list()
    assert missing.value.args[1].status_code == 404
    ws = flex_workspace(client)
    with pytest.raises(TwilioException) as bad:
        client.taskrouter.v1.workspaces(ws).events.list(minutes="soon")
    assert bad.value.args[1].status_code == 400


def test_seeding_refuses_an_event_without_its_date(sandbox: RunningSandbox, client: Client) -> None:
    ws = flex_workspace(client)
    with pytest.raises(UsageError, match="bad seed data"):
        sandbox.seed(ACCOUNT, taskrouter_events=[{"workspace_sid": ws, "event_type": "task.created"}])
    with pytest.raises(UsageError, match="no workspace"):
        sandbox.seed(
            ACCOUNT,
            taskrouter_events=[
                {"workspace_sid": "WS" + "1" * 32, "event_type": "x", "event_date": "2026-01-01Z"}
            ],
        )
