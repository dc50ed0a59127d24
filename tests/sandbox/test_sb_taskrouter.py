"""TaskRouter v1: Flex's default workspace, CRUD of each resource, uniqueness rules, cascades."""

from __future__ import annotations

import json

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from tests.sandbox.helpers import ACCOUNT


def flex_workspace(client: Client) -> str:
    (ws,) = client.taskrouter.v1.workspaces.list(friendly_name="Flex Task Assignment")
    return str(ws.sid)


def routing(queue_sid: str) -> str:
    return json.dumps({"task_routing": {"filters": [], "default_filter": {"queue": queue_sid}}})


def test_every_account_starts_with_flexs_workspace(client: Client) -> None:
    ws = client.taskrouter.v1.workspaces(flex_workspace(client))
    fetched = ws.fetch()
    assert fetched.default_activity_name == "Offline" and fetched.timeout_activity_name == "Offline"
    assert [(a.friendly_name, a.available) for a in ws.activities.list()] == [
        ("Offline", False),
        ("Available", True),
        ("Unavailable", False),
        ("Break", False),
    ]
    assert [c.unique_name for c in ws.task_channels.list()] == [
        "default",
        "voice",
        "chat",
        "sms",
        "video",
        "email",
    ]
    assert [q.friendly_name for q in ws.task_queues.list()] == ["Everyone"]
    (workflow,) = ws.workflows.list()
    assert workflow.friendly_name == "Assign to Anyone"
    assert (
        json.loads(workflow.configuration)["task_routing"]["default_filter"]["queue"]
        == ws.task_queues.list()[0].sid
    )
    assert ws.task_channels("voice").fetch().friendly_name == "Voice"


def test_a_duplicate_queue_name_is_refused_with_20001(client: Client) -> None:
    ws_sid = flex_workspace(client)
    queues = client.taskrouter.v1.workspaces(ws_sid).task_queues
    queue = queues.create(friendly_name="DEH hu Hungarian", target_workers="languages HAS 'hu'")
    assert (queue.max_reserved_workers, queue.task_order, queue.target_workers) == (
        1,
        "FIFO",
        "languages HAS 'hu'",
    )
    with pytest.raises(TwilioRestException) as exc:
        queues.create(friendly_name="DEH hu Hungarian")
    assert (exc.value.status, exc.value.code) == (400, 20001)
    assert exc.value.msg.endswith(
        f"Queue named DEH hu Hungarian already exists for workspace {ws_sid} for account {ACCOUNT}"
    )
    other = queues.create(friendly_name="DEH hu Other")
    with pytest.raises(TwilioRestException):
        queues(other.sid).update(friendly_name="DEH hu Hungarian")


def test_queue_activities_are_named_after_their_sids(client: Client) -> None:
    ws = client.taskrouter.v1.workspaces(flex_workspace(client))
    available = ws.activities.list(friendly_name="Available")[0].sid
    queue = ws.task_queues.create(friendly_name="DEH q", assignment_activity_sid=available)
    assert queue.assignment_activity_name == "Available" and queue.reservation_activity_name is None
    with pytest.raises(TwilioRestException) as exc:
        ws.task_queues(queue.sid).update(reservation_activity_sid="WA" + "9" * 32)
    assert exc.value.code == 20001


def test_workflows_must_route_to_existing_queues(client: Client) -> None:
    ws = client.taskrouter.v1.workspaces(flex_workspace(client))
    queue = ws.task_queues.create(friendly_name="DEH target")
    flow = ws.workflows.create(friendly_name="DEH hu routing", configuration=routing(queue.sid))
    assert (flow.task_reservation_timeout, flow.document_content_type) == (120, "application/json")
    for bad in (routing("WQ" + "0" * 32), "not json", json.dumps({"routing": {}})):
        with pytest.raises(TwilioRestException) as exc:
            ws.workflows(flow.sid).update(configuration=bad)
        assert exc.value.code == 20001
    assert ws.workflows(flow.sid).update(task_reservation_timeout=30).task_reservation_timeout == 30


def test_task_channel_unique_names_are_unique(client: Client) -> None:
    channels = client.taskrouter.v1.workspaces(flex_workspace(client)).task_channels
    made = channels.create(friendly_name="Viber", unique_name="viber", channel_optimized_routing=True)
    assert made.channel_optimized_routing is True
    with pytest.raises(TwilioRestException) as exc:
        channels.create(friendly_name="Viber again", unique_name="viber")
    assert exc.value.code == 20001
    assert channels(made.sid).update(friendly_name="Viber (bridge)").friendly_name == "Viber (bridge)"
    assert channels(made.sid).delete() is True


def test_workers_take_the_default_activity_and_follow_changes(client: Client) -> None:
    ws = client.taskrouter.v1.workspaces(flex_workspace(client))
    attrs = json.dumps({"routing": {"skills": ["language*hu"]}})
    worker = ws.workers.create(friendly_name="agent.one", attributes=attrs)
    assert (worker.activity_name, worker.available) == ("Offline", False)
    available = ws.activities.list(available=True)[0].sid
    moved = ws.workers(worker.sid).update(activity_sid=available)
    assert (moved.activity_name, moved.available) == ("Available", True)
    assert [w.sid for w in ws.workers.list(available="true")] == [worker.sid]
    with pytest.raises(TwilioRestException):
        ws.workers.create(friendly_name="agent.two", attributes="[1, 2]")


def test_workspaces_are_created_with_defaults_and_deleted_with_everything(client: Client) -> None:
    spaces = client.taskrouter.v1.workspaces
    ws = spaces.create(friendly_name="DEH mn", multi_task_enabled=False, prioritize_queue_order="LIFO")
    assert (ws.multi_task_enabled, ws.prioritize_queue_order, ws.default_activity_name) == (
        False,
        "LIFO",
        "Offline",
    )
    queue = spaces(ws.sid).task_queues.create(friendly_name="DEH mn q")
    unavailable = spaces(ws.sid).activities.list(friendly_name="Unavailable")[0].sid
    assert spaces(ws.sid).update(timeout_activity_sid=unavailable).timeout_activity_name == "Unavailable"
    with pytest.raises(TwilioRestException):
        spaces(ws.sid).activities(ws.default_activity_sid).delete()
    assert len(spaces.list(page_size=1)) == 2
    assert spaces(ws.sid).delete() is True
    with pytest.raises(TwilioRestException) as exc:
        client.taskrouter.v1.workspaces(ws.sid).task_queues(queue.sid).fetch()
    assert exc.value.code == 20404


def test_a_resource_under_another_parent_is_not_found(client: Client) -> None:
    spaces = client.taskrouter.v1.workspaces
    ws = spaces.create(friendly_name="DEH jo")
    queue = spaces(ws.sid).task_queues.create(friendly_name="DEH jo q")
    with pytest.raises(TwilioRestException) as exc:
        spaces(flex_workspace(client)).task_queues(queue.sid).fetch()
    assert exc.value.code == 20404


def test_activities_are_created_updated_and_unique(client: Client) -> None:
    acts = client.taskrouter.v1.workspaces(flex_workspace(client)).activities
    lunch = acts.create(friendly_name="Lunch", available=False)
    assert acts(lunch.sid).update(friendly_name="Lunch break").friendly_name == "Lunch break"
    with pytest.raises(TwilioRestException):
        acts.create(friendly_name="Offline")
    assert acts(lunch.sid).delete() is True


def test_a_queue_whose_target_workers_do_not_parse_is_refused(client: Client) -> None:
    ws = client.taskrouter.v1.workspaces(flex_workspace(client))
    with pytest.raises(TwilioRestException) as exc:
        ws.task_queues.create(friendly_name="DEH broken", target_workers='routing.skills HAS "language*uk-ua')
    assert (exc.value.status, exc.value.code) == (400, 20001)
    assert exc.value.msg == (  # the SDK puts "Unable to create record: " before Twilio's message
        "Unable to create record: Invalid TargetWorkers expression 'routing.skills HAS \"language*uk-ua': unexpected '\"' at character 20"
    )
    queue = ws.task_queues.create(
        friendly_name="DEH fine", target_workers='routing.skills HAS "language*uk-ua"'
    )
    assert queue.target_workers == 'routing.skills HAS "language*uk-ua"'
    with pytest.raises(TwilioRestException) as exc:
        ws.task_queues(queue.sid).update(target_workers="routing.skills HAS")
    assert exc.value.msg.endswith("expected a constant, a key or an array, found the end at character 19")
    assert ws.task_queues(queue.sid).fetch().target_workers == 'routing.skills HAS "language*uk-ua"'
    assert [q.friendly_name for q in ws.task_queues.list(friendly_name="DEH broken")] == []


@pytest.mark.parametrize(
    ("where", "expression", "message"),
    [
        (
            "filter",
            "queue = ",
            "task_routing.filters[0].expression 'queue = ' is not a valid expression: expected "
            "a constant, a key or an array, found the end at character 9",
        ),
        (
            "target",
            "worker.skills HAS 'a' OR",
            "task_routing.filters[0].targets[0].expression "
            "\"worker.skills HAS 'a' OR\" is not a valid expression: expected a constant, a key or an array, found "
            "the end at character 25",
        ),
    ],
)
def test_a_workflow_whose_expressions_do_not_parse_is_refused(
    client: Client, where: str, expression: str, message: str
) -> None:
    ws = client.taskrouter.v1.workspaces(flex_workspace(client))
    queue = ws.task_queues.create(friendly_name="DEH target")
    target: dict[str, object] = {"queue": queue.sid, "expression": "worker.skills HAS 'a'"}
    rule = {"filter_friendly_name": "f", "expression": "queue == 'x'", "targets": [target]}
    if where == "filter":
        rule["expression"] = expression
    else:
        target["expression"] = expression
    config = json.dumps({"task_routing": {"filters": [rule], "default_filter": {"queue": queue.sid}}})
    with pytest.raises(TwilioRestException) as exc:
        ws.workflows.create(friendly_name="DEH routing", configuration=config)
    assert (exc.value.status, exc.value.code) == (400, 20001)
    assert exc.value.msg == f"Unable to create record: Invalid Configuration: {message}"
    assert all(w.friendly_name != "DEH routing" for w in ws.workflows.list())
