"""Content API: message templates, immutable once made (a change is a new template), and their WhatsApp approval
requests, which are sent with the template or, when that answer was lost, on the next run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from deh_deploy.changes import FieldChange, Live
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register
from deh_deploy.render.desired import Resource

APPROVAL = "whatsapp_approval"
UNSUBMITTED = "unsubmitted"


@register
class Template(Kind):
    name = "content.template"
    compared = ("language", "variables", "types")
    replace_on_update = True
    products = ("content.v1.contents", "content.v1.content_and_approvals")

    def identity(self, attrs: Attrs) -> tuple[str, ...]:
        """A template is known by its name and, for a hub deployed before names held the slug's length, by the
        name it had then: templates cannot be renamed, and making it again would lose its WhatsApp approval."""
        from deh_deploy.names import legacy_template_name

        name = str(attrs.get("friendly_name") or "")
        legacy = legacy_template_name(name)
        return tuple(n for n in (name, legacy) if n)

    @staticmethod
    def _record(c: Any) -> Record:
        approvals = c.approval_requests or {}
        status = approvals.get("status") if isinstance(approvals, Mapping) else None
        attrs = {
            "friendly_name": c.friendly_name,
            "language": c.language,
            "variables": c.variables or {},
            "types": c.types or {},
        }
        return Record(c.sid, attrs, {"approval_status": status or UNSUBMITTED})

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(c) for c in ctx.client.content.v1.content_and_approvals.list())

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        from twilio.rest.content.v1.content import ContentList

        body = {
            "friendly_name": attrs["friendly_name"],
            "language": attrs["language"],
            "variables": attrs["variables"],
            "types": attrs["types"],
        }
        made = ctx.client.content.v1.contents.create(ContentList.ContentCreateRequest(body))
        approval = attrs.get(APPROVAL)
        status = submit_approval(ctx, made.sid, approval) if approval else UNSUBMITTED
        return Record(made.sid, {**body}, {"approval_status": status})

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        """The one update in place: the approval request a template still owes."""
        status = submit_approval(ctx, live.sid, attrs[APPROVAL])
        return Record(live.sid, live.attrs, {**live.extra, "approval_status": status})

    def delete(self, ctx: Ctx, live: Live) -> None:
        ctx.client.content.v1.contents(live.sid).delete()

    def owed(self, resource: Resource, live: Live) -> tuple[FieldChange, ...]:
        status = live.extra.get("approval_status", UNSUBMITTED)
        if resource.attrs.get(APPROVAL) and status == UNSUBMITTED:  # created, but its request was lost
            return (FieldChange(APPROVAL, status, "submitted"),)
        return ()

    def replaces(self, fields: tuple[FieldChange, ...]) -> bool:
        return any(f.name != APPROVAL for f in fields)

    def kept(self, resource: Resource, live: Live) -> str | None:
        if not resource.attrs.get(APPROVAL):
            return None
        return f"WhatsApp approval: {live.extra.get('approval_status', UNSUBMITTED)}"


def submit_approval(ctx: Ctx, sid: str, approval: Attrs) -> str:
    """Ask WhatsApp to approve a template; returns the status Twilio gives (usually "received")."""
    from twilio.rest.content.v1.content.approval_create import ApprovalCreateList

    req = ApprovalCreateList.ContentApprovalRequest(
        {"name": approval["name"], "category": approval["category"]}
    )
    return str(ctx.client.content.v1.contents(sid).approval_create.create(req).status or "received")
