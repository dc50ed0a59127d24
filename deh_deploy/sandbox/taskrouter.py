"""TaskRouter beyond plain CRUD: a new workspace's default activities and channels, activity names that
follow SIDs, workflow configurations that must name existing queues, workers' activities, expressions that must
parse, and the Events log (read with its time window: ``StartDate``/``EndDate``, else the last ``Minutes``, 15 by
default; 30 days kept), each posted to the workspace's event callback (``callbacks``).

Twilio refuses a queue whose ``TargetWorkers`` or a workflow whose filter or target expression does not parse;
the exact code and message are not documented anywhere found (the error catalogue has no expression error), so
the sandbox answers 400 with 20001, Twilio's code for an invalid parameter, naming the parameter, the
expression's place in the configuration and the parser's reason."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from deh_deploy.channels.definition import TASK_CHANNELS
from deh_deploy.sandbox import callbacks
from deh_deploy.sandbox.crud import add_record as add
from deh_deploy.sandbox.crud import do_list, resolve_parents, template_regex
from deh_deploy.sandbox.errors import invalid
from deh_deploy.sandbox.kinds import BY_NAME
from deh_deploy.sandbox.model import NO_HOOKS, Ctx, Hooks, Reply, Route
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


def workspace_before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    callbacks.workspace_write(rec)


def workspace_after_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    populate_workspace(ctx, rec)


def workspace_before_update(ctx: Ctx, old: Record, new: Record, changes: dict[str, Any]) -> None:
    callbacks.workspace_write(new)
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
    "taskrouter.workspace": Hooks(
        before_create=workspace_before_create,
        after_create=workspace_after_create,
        before_update=workspace_before_update,
    ),
    "taskrouter.activity": Hooks(before_delete=activity_before_delete),
    "taskrouter.task_queue": Hooks(before_create=queue_before_create, before_update=queue_before_update),
    "taskrouter.workflow": Hooks(before_create=workflow_before_create, before_update=workflow_before_update),
    "taskrouter.worker": Hooks(before_create=worker_before_create, before_update=worker_before_update),
}


EVENTS_KEPT = timedelta(days=30)
DEFAULT_MINUTES = 15


def _instant(ctx: Ctx, key: str) -> datetime | None:
    raw = ctx.q(key)
    if raw is None:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(f"Invalid {key}: {raw!r} is not an ISO 8601 date-time") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _window(ctx: Ctx) -> tuple[datetime, datetime]:
    """The events a list asks for: ``StartDate``..``EndDate``, else the last ``Minutes`` (default 15), never
    more than the 30 days TaskRouter keeps."""
    now = datetime.fromisoformat(ctx.now.replace("Z", "+00:00"))
    start, end = _instant(ctx, "StartDate"), _instant(ctx, "EndDate")
    minutes = ctx.q("Minutes")
    if start is None:
        try:
            span = int(minutes) if minutes is not None else DEFAULT_MINUTES
        except ValueError:
            raise invalid(f"Invalid Minutes: {minutes!r}") from None
        start = (end or now) - timedelta(minutes=span)
    return max(start, now - EVENTS_KEPT), end or now


def _list_events(ctx: Ctx, params: dict[str, str]) -> Reply:
    kind = BY_NAME["taskrouter.event"]
    parents = resolve_parents(ctx, kind, params)
    start, end = _window(ctx)
    low, high = start.timestamp() * 1000, end.timestamp() * 1000
    return do_list(ctx, kind, NO_HOOKS, parents, keep=lambda rec: low <= int(rec["event_date_ms"]) <= high)


def add_event(ctx: Ctx, spec: Mapping[str, Any]) -> str:
    """Log one event in a workspace (the sandbox's seed): ``{workspace_sid, event_type, event_date,
    event_data?, resource_sid?, resource_type?, description?, sid?}``; the event's SID."""
    ws = ctx.store.get("taskrouter.workspace", ctx.account, str(spec["workspace_sid"]))
    if ws is None:
        raise invalid(f"no workspace {spec['workspace_sid']} in account {ctx.account}")
    at = datetime.fromisoformat(str(spec["event_date"]).replace("Z", "+00:00"))
    if at.tzinfo is None:
        raise invalid(f"event_date {spec['event_date']!r} needs Z or an offset")
    data = dict(spec.get("event_data") or {})
    resource = str(spec.get("resource_sid") or data.get("task_sid") or ws["sid"])
    resource_type = str(spec.get("resource_type") or _RESOURCE_TYPES.get(resource[:2], "Workspace"))
    values = {
        "actor_sid": ws["sid"],
        "actor_type": "workspace",
        "actor_url": f"https://taskrouter.twilio.com/v1/Workspaces/{ws['sid']}",
        "description": str(spec.get("description") or f"{resource_type} {resource} {spec['event_type']}"),
        "event_data": {"workspace_sid": ws["sid"], "account_sid": ctx.account, **data},
        "event_date": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "event_date_ms": int(at.timestamp() * 1000),
        "event_type": str(spec["event_type"]),
        "resource_sid": resource,
        "resource_type": resource_type,
        "resource_url": f"https://taskrouter.twilio.com/v1/Workspaces/{ws['sid']}/{resource_type}s/{resource}",
        "source": "Twilio",
        "source_ip_address": "127.0.0.1",
    }
    sid = spec.get("sid")
    if sid is not None and not _EVENT_SID.match(str(sid)):
        raise invalid(f"not an event SID: {sid!r}")
    event = add(ctx, "taskrouter.event", [ws], values, sid=str(sid) if sid else None)
    callbacks.event_callback(ctx, ws, event)
    return str(event["sid"])


_EVENT_SID = re.compile(r"^EV[0-9a-fA-F]{32}$")
_RESOURCE_TYPES = {"WT": "Task", "WR": "Reservation", "WK": "Worker", "WW": "Workflow", "WA": "Activity"}
ROUTES = [
    Route("GET", "taskrouter", template_regex(BY_NAME["taskrouter.event"].collection), _list_events),
]
