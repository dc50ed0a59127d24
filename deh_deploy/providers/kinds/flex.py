"""Flex: the legacy Flex Flow that handed web chat to the messaging flow, in Flex's chat service.

Programmable Chat reached end of life and render declares no Flex Flow: web chat is Webchat 3 on a ``chat``
Conversations address. The kind stays so that a Flex Flow an earlier version made is deleted, after the new
address is live (deletes come last)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from deh_deploy.changes import FieldChange, Live
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register
from deh_deploy.render.desired import Resource


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


class _Body:
    """A JSON body for the SDK's Flex configuration update, which asks its argument for ``to_dict()``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return self._data


@register
class FlexSkills(Kind):
    """The skills an admin can assign in Flex (the Flex configuration's ``taskrouter_skills``).

    The configuration is one object the whole account shares, and Twilio replaces the list it is sent: the
    update sends what is there plus what the hub's queues ask for, never fewer, so skills others made stay."""

    name = "flex.skills"
    identified_by = "name"
    compared = ("skills",)
    adopt_only = True
    deletable = False
    products = ("flex_api.v1.configuration",)

    @staticmethod
    def _listed(configuration: Any) -> list[dict[str, Any]]:
        return [s for s in (configuration.taskrouter_skills or []) if isinstance(s, dict)]

    def list(self, ctx: Ctx) -> Iterable[Record]:
        configuration = ctx.shared(
            "flex_configuration", lambda: [ctx.client.flex_api.v1.configuration().fetch()]
        )
        names = [str(s.get("name")) for s in self._listed(configuration[0])]
        # An empty list is no list yet: the plan creates it (a new account's Flex has none).
        return [Record(ctx.account_sid, {"name": "taskrouter_skills", "skills": names})] if names else []

    def missing(self, ctx: Ctx, resource: Resource) -> str:
        return f"adds {len(resource.attrs['skills'])} skills to Flex's list, for admins to assign"

    def diff(self, live: Live, attrs: Attrs) -> tuple[FieldChange, ...]:
        """Only skills the hub needs and Flex lacks are a change; others' skills are no drift."""
        have = list(live.attrs.get("skills") or [])
        missing = [s for s in attrs["skills"] if s not in have]
        if not missing:
            return ()
        return (FieldChange("skills", have, [*have, *missing], "adds " + ", ".join(missing)),)

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._merge(ctx, attrs)

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self._merge(ctx, attrs)

    def _merge(self, ctx: Ctx, attrs: Attrs) -> Record:
        configuration = ctx.client.flex_api.v1.configuration()
        listed = self._listed(configuration.fetch())
        have = {str(s.get("name")) for s in listed}
        added = [
            {"name": skill, "multivalue": False, "minimum": None, "maximum": None}
            for skill in attrs["skills"]
            if skill not in have
        ]
        if added:
            configuration.update(
                body=_Body({"account_sid": ctx.account_sid, "taskrouter_skills": [*listed, *added]})
            )
        names = [str(s.get("name")) for s in (*listed, *added)]
        return Record(ctx.account_sid, {"name": "taskrouter_skills", "skills": names})
