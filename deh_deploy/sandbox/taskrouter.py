"""TaskRouter beyond plain CRUD: a new workspace's default activities and channels, activity names that
follow SIDs, workflow configurations that must name existing queues, expressions that must parse, and workers'
activities.

Twilio refuses a queue whose ``TargetWorkers`` or a workflow whose filter or target expression does not parse;
the exact code and message are not documented anywhere found (the error catalogue has no expression error), so
the sandbox answers 400 with 20001, Twilio's code for an invalid parameter, naming the parameter, the
expression's place in the configuration and the parser's reason."""

from __future__ import annotations

import json
from typing import Any

from deh_deploy.channels.definition import TASK_CHANNELS
from deh_deploy.sandbox.crud import add_record as add
from deh_deploy.sandbox.errors import invalid
from deh_deploy.sandbox.model import Ctx, Hooks
from deh_deploy.sandbox.store import Record
from deh_deploy.taskrouter_expressions import problem

ACTIVITIES = (("Offline", False), ("Available", True), ("Unavailable", False))


def populate_workspace(ctx: Ctx, ws: Record, *, extra_activities: tuple[str, ...] = ()) -> dict[str, Record]:
    """Default activities and task channels of a new workspace; returns the activities by name."""
    acts = {}
    for name, available in (*ACTIVITIES, *((n, False) for n in extra_activities)):
        acts[name] = add(ctx, "taskrouter.activity", [ws], {"friendly_name": name, "available": available})
    for unique, friendly in TASK_CHANNELS:
        add(ctx, "taskrouter.task_channel", [ws], {"unique_name": unique, "friendly_name": friendly})
    ws.update(
        default_activity_sid=acts["Offline"]["sid"],
        default_activity_name="Offline",
        timeout_activity_sid=acts["Offline"]["sid"],
        timeout_activity_name="Offline",
    )
    ctx.store.save("taskrouter.workspace", ws)
    return acts


def _activity(ctx: Ctx, workspace_sid: str, sid: str, key: str) -> Record:
    act = ctx.store.get("taskrouter.activity", ctx.account, sid)
    if act is None or act["workspace_sid"] != workspace_sid:
        raise invalid(f"Invalid {key}: {sid} is not an activity of workspace {workspace_sid}")
    return act


def workspace_after_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    populate_workspace(ctx, rec)


def workspace_before_update(ctx: Ctx, old: Record, new: Record, changes: dict[str, Any]) -> None:
    for which, key in (("default", "DefaultActivitySid"), ("timeout", "TimeoutActivitySid")):
        if f"{which}_activity_sid" in changes:
            act = _activity(ctx, old["sid"], changes[f"{which}_activity_sid"], key)
            new[f"{which}_activity_name"] = act["friendly_name"]


def activity_before_delete(ctx: Ctx, rec: Record) -> None:
    ws = ctx.store.get("taskrouter.workspace", ctx.account, rec["workspace_sid"])
    if ws is not None and rec["sid"] in (ws.get("default_activity_sid"), ws.get("timeout_activity_sid")):
        raise invalid(f"Activity {rec['sid']} is the workspace's default or timeout activity")


def _queue_activities(ctx: Ctx, rec: Record) -> None:
    for which in ("reservation", "assignment"):
        sid = rec.get(f"{which}_activity_sid")
        key = f"{which.capitalize()}ActivitySid"
        rec[f"{which}_activity_name"] = (
            _activity(ctx, rec["workspace_sid"], sid, key)["friendly_name"] if sid else None
        )


def _check_target_workers(rec: Record) -> None:
    why = problem(rec.get("target_workers"))
    if why is not None:
        raise invalid(f"Invalid TargetWorkers expression {rec.get('target_workers')!r}: {why}")


def queue_before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    _check_target_workers(rec)
    _queue_activities(ctx, rec)


def queue_before_update(ctx: Ctx, _old: Record, new: Record, changes: dict[str, Any]) -> None:
    if "target_workers" in changes:
        _check_target_workers(new)
    _queue_activities(ctx, new)


def _check_expression(where: str, text: object) -> None:
    why = problem(text)
    if why is not None:
        raise invalid(f"Invalid Configuration: {where} {text!r} is not a valid expression: {why}")


def check_configuration(ctx: Ctx, workspace_sid: str, text: str) -> None:
    """A workflow configuration must be JSON with ``task_routing`` whose queues exist in the workspace."""
    try:
        config = json.loads(text)
    except ValueError:
        raise invalid("Invalid Configuration: not valid JSON") from None
    routing = config.get("task_routing") if isinstance(config, dict) else None
    if not isinstance(routing, dict):
        raise invalid("Invalid Configuration: task_routing object expected")
    queues: list[Any] = []
    filters = routing.get("filters", [])
    if not isinstance(filters, list):
        raise invalid("Invalid Configuration: task_routing.filters must be an array")
    for i, flt in enumerate(filters):
        targets = flt.get("targets") if isinstance(flt, dict) else None
        if not isinstance(targets, list):
            raise invalid("Invalid Configuration: every filter needs a targets array")
        _check_expression(f"task_routing.filters[{i}].expression", flt.get("expression"))
        for j, target in enumerate(targets):
            if isinstance(target, dict) and "expression" in target:
                _check_expression(f"task_routing.filters[{i}].targets[{j}].expression", target["expression"])
        queues += [t.get("queue") if isinstance(t, dict) else None for t in targets]
    default = routing.get("default_filter")
    if default is not None:
        queues.append(default.get("queue") if isinstance(default, dict) else None)
    for sid in queues:
        q = ctx.store.get("taskrouter.task_queue", ctx.account, sid) if isinstance(sid, str) else None
        if q is None or q["workspace_sid"] != workspace_sid:
            raise invalid(f"Invalid Configuration: {sid!r} is not a task queue of workspace {workspace_sid}")


def workflow_before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    check_configuration(ctx, rec["workspace_sid"], rec["configuration"])


def workflow_before_update(ctx: Ctx, _old: Record, new: Record, changes: dict[str, Any]) -> None:
    if "configuration" in changes:
        check_configuration(ctx, new["workspace_sid"], new["configuration"])


def _worker(ctx: Ctx, rec: Record, *, activity_changed: bool) -> None:
    try:
        attrs = json.loads(rec["attributes"])
    except ValueError:
        attrs = None
    if not isinstance(attrs, dict):
        raise invalid("Invalid Attributes: a JSON object expected")
    if activity_changed:
        act = _activity(ctx, rec["workspace_sid"], rec["activity_sid"], "ActivitySid")
        rec.update(
            activity_name=act["friendly_name"], available=act["available"], date_status_changed=ctx.now
        )


def worker_before_create(ctx: Ctx, parents: list[Record], rec: Record) -> None:
    rec["activity_sid"] = rec.get("activity_sid") or parents[-1]["default_activity_sid"]
    _worker(ctx, rec, activity_changed=True)


def worker_before_update(ctx: Ctx, old: Record, new: Record, changes: dict[str, Any]) -> None:
    _worker(
        ctx, new, activity_changed=changes.get("activity_sid", old["activity_sid"]) != old["activity_sid"]
    )


HOOKS = {
    "taskrouter.workspace": Hooks(after_create=workspace_after_create, before_update=workspace_before_update),
    "taskrouter.activity": Hooks(before_delete=activity_before_delete),
    "taskrouter.task_queue": Hooks(before_create=queue_before_create, before_update=queue_before_update),
    "taskrouter.workflow": Hooks(before_create=workflow_before_create, before_update=workflow_before_update),
    "taskrouter.worker": Hooks(before_create=worker_before_create, before_update=worker_before_update),
}
