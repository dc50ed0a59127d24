"""The settings that point Twilio at a Society's own service, and the calls Twilio then makes: the workspace's
event callback (``EventCallbackUrl``, ``EventsFilter``) and the account's Conversations webhook configuration
(``/v1/Configuration/Webhooks``: ``PostWebhookUrl``, ``PreWebhookUrl``, ``Filters``, ``Method``, ``Target``).

Refused as Twilio refuses (code 20001, the message the sandbox's own; Twilio's exact wording unverified): a
URL that is not absolute http(s), an event type or filter Twilio does not know, a method or target outside the
enums of ``twilio_conversations_v1.json``. A TaskRouter event logged in a workspace with a callback (the admin
API's ``taskrouter_events``) is posted there as TaskRouter posts it: a form of the event's fields in Pascal
case, ``EventType``, ``Sid``, ``TimestampMs``…, signed with ``X-Twilio-Signature``, only when the filter (if
any) names its type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from deh_deploy.sandbox.conversations import sign
from deh_deploy.sandbox.crud import template_regex
from deh_deploy.sandbox.errors import invalid
from deh_deploy.sandbox.model import Ctx, Reply, Route
from deh_deploy.sandbox.store import Record

# TaskRouter's event types (twilio.com/docs/taskrouter/api/event/reference).
TASKROUTER_EVENTS = frozenset(
    [
        "activity.created",
        "activity.updated",
        "activity.deleted",
        "reservation.created",
        "reservation.accepted",
        "reservation.rejected",
        "reservation.timeout",
        "reservation.canceled",
        "reservation.rescinded",
        "reservation.completed",
        "reservation.failed",
        "reservation.wrapup",
        "task.created",
        "task.updated",
        "task.canceled",
        "task.wrapup",
        "task.completed",
        "task.deleted",
        "task.system-deleted",
        "task.transfer-initiated",
        "task.transfer-attempt-failed",
        "task.transfer-failed",
        "task.transfer-canceled",
        "task.transfer-completed",
        "task-channel.created",
        "task-channel.updated",
        "task-channel.deleted",
        "task-queue.created",
        "task-queue.deleted",
        "task-queue.entered",
        "task-queue.timeout",
        "task-queue.moved",
        "task-queue.expression.updated",
        "worker.created",
        "worker.activity.update",
        "worker.attributes.update",
        "worker.capacity.update",
        "worker.channel.availability.update",
        "worker.deleted",
        "workflow.target-matched",
        "workflow.entered",
        "workflow.timeout",
        "workflow.skipped",
        "workflow.created",
        "workflow.updated",
        "workflow.deleted",
        "workspace.created",
        "workspace.updated",
        "workspace.deleted",
    ]
)
# The Conversations webhook filters (twilio_conversations_v1.json, configuration_webhook.filters).
CONVERSATION_FILTERS = frozenset(
    [
        "onMessageAdded",
        "onMessageUpdated",
        "onMessageRemoved",
        "onMessageAdd",
        "onMessageUpdate",
        "onMessageRemove",
        "onConversationUpdated",
        "onConversationRemoved",
        "onConversationAdd",
        "onConversationAdded",
        "onConversationRemove",
        "onConversationUpdate",
        "onConversationStateUpdated",
        "onParticipantAdded",
        "onParticipantUpdated",
        "onParticipantRemoved",
        "onParticipantAdd",
        "onParticipantRemove",
        "onParticipantUpdate",
        "onDeliveryUpdated",
        "onUserAdded",
        "onUserUpdate",
        "onUserUpdated",
    ]
)
CONFIGURATION = "conversations.configuration_webhook"
_URL = "https://conversations.twilio.com/v1/Configuration/Webhooks"


def check_url(name: str, value: object) -> None:
    if value in (None, ""):
        return  # cleared
    parts = urlsplit(str(value))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise invalid(f"Invalid {name}: {value!r} is not an absolute http or https URL")


def workspace_write(rec: Record) -> None:
    """A workspace's callback settings, as created or updated."""
    check_url("EventCallbackUrl", rec.get("event_callback_url"))
    wanted = [e.strip() for e in str(rec.get("events_filter") or "").split(",") if e.strip()]
    unknown = [e for e in wanted if e not in TASKROUTER_EVENTS]
    if unknown:
        raise invalid(f"Invalid EventsFilter: unknown event type(s) {', '.join(unknown)}")


def event_callback(ctx: Ctx, workspace: Record, event: Mapping[str, Any]) -> None:
    """Queue the post of a logged event to the workspace's event callback, as TaskRouter makes it."""
    url = str(workspace.get("event_callback_url") or "")
    wanted = {e.strip() for e in str(workspace.get("events_filter") or "").split(",") if e.strip()}
    if not url or (wanted and event["event_type"] not in wanted):
        return
    params = {_pascal(k): v if isinstance(v, str) else str(v) for k, v in event["event_data"].items()}
    ms = int(event["event_date_ms"])
    params.update(
        Sid=str(event["sid"]),
        EventType=str(event["event_type"]),
        AccountSid=ctx.account,
        WorkspaceSid=str(workspace["sid"]),
        WorkspaceName=str(workspace.get("friendly_name") or ""),
        EventDescription=str(event.get("description") or ""),
        ResourceType=str(event["resource_type"]),
        ResourceSid=str(event["resource_sid"]),
        Timestamp=str(ms // 1000),
        TimestampMs=str(ms),
    )
    token = ctx.store.account_token(ctx.account) or ""
    ctx.deliveries.append(
        {"target": "webhook", "url": url, "params": params, "signature": sign(token, url, params)}
    )


def _pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


# -- the account's Conversations webhook configuration (one per account) ----------------------------------------
def configuration(ctx: Ctx) -> Record:
    rec = ctx.store.get(CONFIGURATION, ctx.account, ctx.account)
    if rec is None:
        rec = {
            "sid": ctx.account,
            "account_sid": ctx.account,
            "method": "POST",
            "filters": [],
            "pre_webhook_url": None,
            "post_webhook_url": None,
            "target": "webhook",
        }
        ctx.store.insert(CONFIGURATION, ctx.account, "", rec)
    return rec


def _view(rec: Record) -> dict[str, Any]:
    out = {k: v for k, v in rec.items() if not k.startswith("_") and k != "sid"}
    out["url"] = _URL
    return out


def configuration_fetch(ctx: Ctx, _params: dict[str, str]) -> Reply:
    return Reply(200, _view(configuration(ctx)))


def configuration_update(ctx: Ctx, _params: dict[str, str]) -> Reply:
    rec = configuration(ctx)
    method = ctx.f("Method")
    if method is not None:
        if method.upper() not in ("GET", "POST"):
            raise invalid(f"Invalid Method: {method!r} (GET or POST)")
        rec["method"] = method.upper()
    if "Filters" in ctx.form:
        filters = [f for f in ctx.form["Filters"] if f]
        unknown = [f for f in filters if f not in CONVERSATION_FILTERS]
        if unknown:
            raise invalid(f"Invalid Filters: unknown event(s) {', '.join(unknown)}")
        rec["filters"] = filters
    for form, key in (("PreWebhookUrl", "pre_webhook_url"), ("PostWebhookUrl", "post_webhook_url")):
        value = ctx.f(form)
        if value is not None:
            check_url(form, value)
            rec[key] = value or None
    target = ctx.f("Target")
    if target is not None:
        if target not in ("webhook", "flex"):
            raise invalid(f"Invalid Target: {target!r} (webhook or flex)")
        rec["target"] = target
    ctx.store.save(CONFIGURATION, rec)
    return Reply(200, _view(rec))


def post_event(ctx: Ctx, event: str, params: Mapping[str, str]) -> None:
    """Queue a post-event webhook to the account's configured URL, when its filters name the event."""
    rec = ctx.store.get(CONFIGURATION, ctx.account, ctx.account)
    if rec is None or rec.get("target") != "webhook" or not rec.get("post_webhook_url"):
        return
    if event not in (rec.get("filters") or []):
        return
    url = str(rec["post_webhook_url"])
    token = ctx.store.account_token(ctx.account) or ""
    hooked = dict(params, WebhookType="webhook")
    ctx.deliveries.append(
        {"target": "webhook", "url": url, "params": hooked, "signature": sign(token, url, hooked)}
    )


ROUTES = [
    Route("GET", "conversations", template_regex("/v1/Configuration/Webhooks"), configuration_fetch),
    Route("POST", "conversations", template_regex("/v1/Configuration/Webhooks"), configuration_update),
]
