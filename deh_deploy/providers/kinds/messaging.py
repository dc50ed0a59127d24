"""Messaging: the hub's messaging service and the numbers in its sender pool.

Render declares neither any more: SMS enters by the number's Conversations address, and a Messaging Service
beside it would run in parallel. They stay kinds so that a hub an earlier version applied has its service
(and the pool with it, never the numbers) retired, after the addresses are live: deletes come last."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register

SERVICE_ID = "messaging.service/hub"


@register
class Service(Kind):
    name = "messaging.service"
    compared = ("use_inbound_webhook_on_number",)
    products = ("messaging.v1.services",)
    retired_note = "retired: SMS enters by the number's Conversations address; the number stays"

    @staticmethod
    def _record(s: Any) -> Record:
        attrs = {
            "friendly_name": s.friendly_name,
            "use_inbound_webhook_on_number": s.use_inbound_webhook_on_number,
        }
        return Record(s.sid, attrs)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(s) for s in ctx.client.messaging.v1.services.list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        services = ctx.client.messaging.v1.services
        made = services.create(friendly_name=attrs["friendly_name"])
        return self._record(
            services(made.sid).update(use_inbound_webhook_on_number=attrs["use_inbound_webhook_on_number"])
        )

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self._record(
            ctx.client.messaging.v1.services(live.sid).update(
                use_inbound_webhook_on_number=attrs["use_inbound_webhook_on_number"]
            )
        )

    def delete(self, ctx: Ctx, live: Live) -> None:
        ctx.client.messaging.v1.services(live.sid).delete()


def _mg(ctx: Ctx) -> Any:
    sid = ctx.sid(SERVICE_ID)
    assert sid, "messaging service not yet created"
    return ctx.client.messaging.v1.services(sid)


@register
class ServiceNumber(Kind):
    name = "messaging.service_number"
    identified_by = "phone_number_sid"
    parent = SERVICE_ID
    owned_by_parent = True
    updatable = False

    @staticmethod
    def _record(p: Any) -> Record:
        return Record(p.sid, {"phone_number_sid": p.sid, "service_sid": p.service_sid})

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(p) for p in _mg(ctx).phone_numbers.list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._record(_mg(ctx).phone_numbers.create(phone_number_sid=attrs["phone_number_sid"]))

    def delete(self, ctx: Ctx, live: Live) -> None:
        _mg(ctx).phone_numbers(live.sid).delete()
