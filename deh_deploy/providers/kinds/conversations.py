"""Conversations: the sender addresses (a WhatsApp number, a Messenger page) whose messages start the messaging
flow. A sender is an identity: apply never deletes one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register


@register
class Address(Kind):
    name = "conversations.address"
    identified_by = "address"
    compared = ("friendly_name", "auto_creation")
    guarded = True
    kept_note = "sender binding kept"
    products = ("conversations.v1.address_configurations",)

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
