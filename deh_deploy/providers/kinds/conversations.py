"""Conversations: the addresses (an SMS number, a WhatsApp sender, a Messenger page, the web chat) whose messages
start the messaging flow. A sender is an identity: apply never deletes one. And the account's post-event
webhook to the hub service."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.errors import PlanError
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register
from deh_deploy.providers.kinds.wiring_rules import Setting, hub_of, replacing
from deh_deploy.render.desired import Resource


@register
class Address(Kind):
    name = "conversations.address"
    identified_by = "address"
    compared = ("friendly_name", "auto_creation")
    guarded = True
    kept_note = "sender binding kept"
    products = ("conversations.v1.address_configurations", "messaging.v2.channels_senders")

    @staticmethod
    def _record(x: Any) -> Record:
        auto = x.auto_creation or {}
        attrs = {
            "type": x.type,
            "address": x.address,
            "friendly_name": x.friendly_name,
            "auto_creation": {
                "enabled": bool(auto.get("enabled")),
                "type": auto.get("type"),
                "studio_flow_sid": auto.get("studio_flow_sid"),
                "webhook_filters": list(auto.get("webhook_filters") or []),
            },
        }
        return Record(x.sid, attrs)

    @staticmethod
    def _args(attrs: Attrs) -> dict[str, Any]:
        auto = attrs["auto_creation"]
        return {
            "friendly_name": attrs["friendly_name"],
            "auto_creation_enabled": auto["enabled"],
            "auto_creation_type": auto["type"],
            "auto_creation_studio_flow_sid": auto["studio_flow_sid"],
            "auto_creation_webhook_filters": auto["webhook_filters"],
        }

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(x) for x in ctx.client.conversations.v1.address_configurations.list())

    def missing(self, ctx: Ctx, resource: Resource) -> str:
        """An address is created only where Twilio has what it needs first: a WhatsApp sender registered and
        online (the Senders API, read here at plan, so apply refuses before any write); a Messenger Page connected
        in the console, which no API shows, so the plan names that step."""
        attrs = resource.attrs
        if attrs["type"] == "whatsapp":
            check_sender(ctx, resource.id, str(attrs["address"]))
        if attrs["type"] == "messenger":
            page = str(attrs["address"]).removeprefix("messenger:")
            return (
                f"CONSOLE STEP: Messaging > Senders > Facebook Messenger: Facebook Page {page} connected to "
                "this account first (no Twilio API shows it)"
            )
        return console_step(attrs)

    def kept(self, resource: Resource, live: Live) -> str | None:
        """Twilio cannot tell whether the console step was done: every plan names it."""
        return console_step(resource.attrs) or None

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        configurations = ctx.client.conversations.v1.address_configurations
        return self._record(
            configurations.create(type=attrs["type"], address=attrs["address"], **self._args(attrs))
        )

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        configurations = ctx.client.conversations.v1.address_configurations
        return self._record(configurations(live.sid).update(**self._args(attrs)))

    def delete(self, ctx: Ctx, live: Live) -> None:
        ctx.client.conversations.v1.address_configurations(live.sid).delete()


def check_sender(ctx: Ctx, resource_id: str, sender_id: str) -> None:
    senders = {x.sender_id: x for x in ctx.client.messaging.v2.channels_senders.list(channel="whatsapp")}
    found = senders.get(sender_id)
    if found is None:
        raise PlanError(
            f"{resource_id}: no WhatsApp sender {sender_id} is registered on account {ctx.account_sid}: register "
            "it first (Messaging > Senders > WhatsApp senders)"
        )
    if found.status != "ONLINE":
        raise PlanError(f"{resource_id}: WhatsApp sender {sender_id} is {found.status}, not ONLINE")


def console_step(attrs: Attrs) -> str:
    """What only the Twilio console does for an address (a Webchat 3 deployment key and its allowed origins)."""
    console = attrs.get("console")
    if not console:
        return ""
    origins = ", ".join(console.get("allowed_origins") or ()) or "none configured"
    return (
        f"CONSOLE STEP: Flex > Channel management > Webchat: a deployment key for address {attrs['address']}, "
        f"allowed origins {origins}"
    )


def _webhook_configuration(ctx: Ctx) -> Any:
    return ctx.shared(
        "conversations_webhooks", lambda: [ctx.client.conversations.v1.configuration.webhooks().fetch()]
    )[0]


@register
class PostWebhook(Setting):
    """The account's Conversations post-event webhook, pointed at the hub service. The account has one: the
    record is the setting (known by the hub named in its URL); deleting it clears the URL and keeps the rest
    (a pre-event webhook someone set stays as it is)."""

    name = "conversations.post_webhook"
    compared = ("post_webhook_url", "filters", "method", "target")
    wiring = True
    products = ("conversations.v1.configuration.webhooks",)
    what = "the Conversations post-event webhook"

    @staticmethod
    def _record(ctx: Ctx, w: Any) -> Record | None:
        url = w.post_webhook_url or ""
        if not url:
            return None
        attrs = {
            "friendly_name": hub_of(url),
            "post_webhook_url": url,
            "filters": list(w.filters or []),
            "method": str(w.method or "").upper(),
            "target": w.target,
        }
        return Record(ctx.account_sid, attrs)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        record = self._record(ctx, _webhook_configuration(ctx))
        return [record] if record is not None else []

    def canonical(self, name: str, value: Any) -> Any:
        return sorted(value or []) if name == "filters" else value

    def missing(self, ctx: Ctx, resource: Resource) -> str:
        live = _webhook_configuration(ctx).post_webhook_url
        return replacing(resource.id, self.what, live, hub=str(resource.attrs["friendly_name"]))

    def _write(self, ctx: Ctx, attrs: Attrs) -> Record:
        updated = ctx.client.conversations.v1.configuration.webhooks().update(
            post_webhook_url=attrs["post_webhook_url"],
            filters=list(attrs["filters"]),
            method=attrs["method"],
            target=attrs["target"],
        )
        record = self._record(ctx, updated)
        assert record is not None, "the account kept no post-event webhook"
        return record

    def delete(self, ctx: Ctx, live: Live) -> None:
        ctx.client.conversations.v1.configuration.webhooks().update(post_webhook_url="")
