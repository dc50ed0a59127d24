"""TaskRouter: Flex's workspace and its task channels (adopted), the activities, the queues, the workflow, and the
workspace's event callback to the hub service."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register
from deh_deploy.providers.kinds.wiring_rules import Setting, hub_of, replacing
from deh_deploy.render.desired import Resource

WORKSPACE_ID = "taskrouter.workspace/flex"


def _ws(ctx: Ctx) -> Any:
    sid = ctx.sid(WORKSPACE_ID)
    assert sid, "workspace not yet known"
    return ctx.client.taskrouter.v1.workspaces(sid)


@register
class Workspace(Kind):
    """Flex's own "Flex Task Assignment": adopted by name, created only on an account that has none."""

    name = "taskrouter.workspace"
    adopt_only = True
    updatable = False
    deletable = False
    products = ("taskrouter.v1.workspaces",)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (Record(w.sid, {"friendly_name": w.friendly_name}) for w in _workspaces(ctx))

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        made = ctx.client.taskrouter.v1.workspaces.create(friendly_name=attrs["friendly_name"])
        return Record(made.sid, {"friendly_name": made.friendly_name})


@register
class TaskChannel(Kind):
    name = "taskrouter.task_channel"
    identified_by = "unique_name"
    parent = WORKSPACE_ID
    adopt_only = True
    updatable = False
    deletable = False

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (Record(c.sid, {"unique_name": c.unique_name}) for c in _ws(ctx).task_channels.list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        made = _ws(ctx).task_channels.create(
            friendly_name=attrs["unique_name"], unique_name=attrs["unique_name"]
        )
        return Record(made.sid, {"unique_name": made.unique_name})


@register
class Activity(Kind):
    name = "taskrouter.activity"
    compared = ("available",)
    parent = WORKSPACE_ID
    updatable = False
    replace_on_update = True

    @staticmethod
    def _record(x: Any) -> Record:
        return Record(x.sid, {"friendly_name": x.friendly_name, "available": x.available})

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(x) for x in _ws(ctx).activities.list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._record(
            _ws(ctx).activities.create(friendly_name=attrs["friendly_name"], available=attrs["available"])
        )

    def delete(self, ctx: Ctx, live: Live) -> None:
        _ws(ctx).activities(live.sid).delete()


@register
class Queue(Kind):
    name = "taskrouter.queue"
    compared = ("friendly_name", "target_workers")
    parent = WORKSPACE_ID

    def identity(self, attrs: Attrs) -> tuple[str, ...]:
        """A queue is known by its name up to the colon (``DEH hungary staging cva``), so its title can change."""
        name = str(attrs.get("friendly_name") or "")
        return (name.split(":", 1)[0],) if name else ()

    def detail(self, name: str, old: Any, new: Any) -> str:
        """A queue is re-pointed, not replaced: say so, since its waiting tasks move to the new workers."""
        if name != "target_workers":
            return ""
        return f"workers: {old} -> {new}; waiting tasks stay in the queue and go to the new workers"

    @staticmethod
    def _record(q: Any) -> Record:
        return Record(q.sid, {"friendly_name": q.friendly_name, "target_workers": q.target_workers})

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(q) for q in _ws(ctx).task_queues.list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._record(
            _ws(ctx).task_queues.create(
                friendly_name=attrs["friendly_name"], target_workers=attrs["target_workers"]
            )
        )

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self._record(
            _ws(ctx)
            .task_queues(live.sid)
            .update(friendly_name=attrs["friendly_name"], target_workers=attrs["target_workers"])
        )

    def delete(self, ctx: Ctx, live: Live) -> None:
        _ws(ctx).task_queues(live.sid).delete()


@register
class Workflow(Kind):
    name = "taskrouter.workflow"
    compared = ("configuration", "task_reservation_timeout")
    parent = WORKSPACE_ID

    @staticmethod
    def _record(w: Any) -> Record:
        config = json.loads(w.configuration) if isinstance(w.configuration, str) else w.configuration
        attrs = {
            "friendly_name": w.friendly_name,
            "configuration": config,
            "task_reservation_timeout": w.task_reservation_timeout,
        }
        return Record(w.sid, attrs)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(w) for w in _ws(ctx).workflows.list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._record(
            _ws(ctx).workflows.create(
                friendly_name=attrs["friendly_name"],
                configuration=json.dumps(attrs["configuration"], sort_keys=True),
                task_reservation_timeout=attrs["task_reservation_timeout"],
            )
        )

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self._record(
            _ws(ctx)
            .workflows(live.sid)
            .update(
                configuration=json.dumps(attrs["configuration"], sort_keys=True),
                task_reservation_timeout=attrs["task_reservation_timeout"],
            )
        )

    def delete(self, ctx: Ctx, live: Live) -> None:
        _ws(ctx).workflows(live.sid).delete()


def _workspaces(ctx: Ctx) -> list[Any]:
    return ctx.shared("workspaces", lambda: ctx.client.taskrouter.v1.workspaces.list())


@register
class WorkspaceEvents(Setting):
    """The adopted workspace's event callback, pointed at the hub service: one setting of a workspace that is
    not ours, so the record is the setting (known by the hub named in its URL), and deleting it clears it."""

    name = "taskrouter.workspace_events"
    parent = WORKSPACE_ID
    compared = ("event_callback_url", "events_filter")
    wiring = True
    what = "the workspace's event callback"

    def _record(self, w: Any) -> Record | None:
        url = w.event_callback_url or ""
        if not url:
            return None
        attrs = {
            "friendly_name": hub_of(url),
            "event_callback_url": url,
            "events_filter": w.events_filter or "",
        }
        return Record(w.sid, attrs)

    def _workspace(self, ctx: Ctx) -> Any:
        sid = ctx.sid(WORKSPACE_ID)
        return next((w for w in _workspaces(ctx) if w.sid == sid), None)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        found = self._workspace(ctx)
        record = self._record(found) if found is not None else None
        return [record] if record is not None else []

    def missing(self, ctx: Ctx, resource: Resource) -> str:
        found = self._workspace(ctx)
        live = found.event_callback_url if found is not None else None
        return replacing(resource.id, self.what, live, hub=str(resource.attrs["friendly_name"]))

    def _write(self, ctx: Ctx, attrs: Attrs) -> Record:
        updated = _ws(ctx).update(
            event_callback_url=attrs["event_callback_url"], events_filter=attrs["events_filter"]
        )
        record = self._record(updated)
        assert record is not None, "the workspace kept no event callback"
        return record

    def delete(self, ctx: Ctx, live: Live) -> None:
        _ws(ctx).update(event_callback_url="", events_filter="")
