"""Flex: the legacy Flex Flow that handed web chat to the messaging flow, in Flex's chat service.

Programmable Chat reached end of life and render declares no Flex Flow: web chat is Webchat 3 on a ``chat``
Conversations address. The kind stays so that a Flex Flow an earlier version made is deleted, after the new
address is live (deletes come last)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register


def _chat_service(ctx: Ctx) -> str:
    configuration = ctx.shared("flex_configuration", lambda: [ctx.client.flex_api.v1.configuration().fetch()])
    return str(configuration[0].chat_service_instance_sid)


@register
class FlexFlow(Kind):
    name = "flex.flow"
    compared = ("integration", "enabled")
    prefetches = True
    products = ("flex_api.v1.flex_flow",)
    retired_note = "legacy web chat (end of life): the Webchat 3 chat address replaces it"

    @staticmethod
    def _record(f: Any) -> Record:
        integration = f.integration or {}
        attrs = {
            "friendly_name": f.friendly_name,
            "channel_type": f.channel_type,
            "integration_type": f.integration_type,
            "integration": {"flow_sid": integration.get("flow_sid")},
            "enabled": f.enabled,
            "contact_identity": f.contact_identity,
        }
        return Record(f.sid, attrs)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(f) for f in ctx.client.flex_api.v1.flex_flow.list())

    def prefetch(self, ctx: Ctx) -> None:
        """Every Flex Flow belongs to the chat service the Flex configuration names: read it up front."""
        _chat_service(ctx)

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._record(
            ctx.client.flex_api.v1.flex_flow.create(
                friendly_name=attrs["friendly_name"],
                chat_service_sid=_chat_service(ctx),
                channel_type=attrs["channel_type"],
                integration_type=attrs["integration_type"],
                integration_flow_sid=attrs["integration"]["flow_sid"],
                enabled=attrs["enabled"],
                contact_identity=attrs["contact_identity"],
            )
        )

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self._record(
            ctx.client.flex_api.v1.flex_flow(live.sid).update(
                integration_flow_sid=attrs["integration"]["flow_sid"], enabled=attrs["enabled"]
            )
        )

    def delete(self, ctx: Ctx, live: Live) -> None:
        ctx.client.flex_api.v1.flex_flow(live.sid).delete()
