"""Conversations: the addresses (an SMS number, a WhatsApp sender, a Messenger page, the web chat) whose messages
start the messaging flow. A sender is an identity: apply never deletes one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.errors import PlanError
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register
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
