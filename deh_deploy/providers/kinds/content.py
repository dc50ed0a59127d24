"""Content API: message templates and their WhatsApp approval, kept in versions.

Twilio and Meta refuse the name of a deleted or rejected WhatsApp template for weeks, so an approved template is
never deleted to be edited: an edit is a new version under a new name (``<name>_v2``, ``_v3``…: one more than the
highest on the account, so a name is never used twice), submitted for approval beside the approved one, which
stays in use (the flows keep its SID) until the new one is approved. The apply after that switches the flows and
then, once they no longer refer to it, deletes the superseded version. A version never approved, or rejected, is
replaced at once. Without WhatsApp there is no approval to wait for: the new version is in use at once.

An approval request lost on its way (the template made, the answer not) is sent on the next run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from deh_deploy.changes import Create, Delete, FieldChange, Keep, Live, Update
from deh_deploy.errors import ProviderError
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, Versions, canon, register
from deh_deploy.render.desired import Resource

APPROVAL = "whatsapp_approval"
UNSUBMITTED = "unsubmitted"
APPROVED = "approved"
REFUSED = frozenset({"rejected", "disabled"})  # never usable: a new version is made instead
CONTENT = ("language", "variables", "types")


class Version(NamedTuple):
    """One template on the account that is a version of a configured one."""

    number: int
    sid: str
    name: str
    attrs: Attrs
    status: str


@dataclass(frozen=True)
class Arrangement:
    """What becomes of a template's versions, by number: ``current`` is in use after apply (None: the new one),
    ``new`` the number of a version to make, ``submit`` a version whose approval request is owed, ``pending`` one
    awaiting approval beside ``current``, and ``retire`` the versions to delete."""

    current: int | None
    new: int | None = None
    submit: int | None = None
    pending: int | None = None
    retire: tuple[int, ...] = ()


def arrange(versions: Sequence[Version], same: frozenset[int], *, approval: bool) -> Arrangement:
    """The versions' fate, from what is live and which versions hold the configured content (``same``). In use:
    an approved version with the configured content, else the newest approved one while the new content awaits
    approval, else the version with the new content. Never retired: the version in use, or one awaiting."""
    top = max(v.number for v in versions)
    usable = [v.number for v in versions if v.number in same and (v.status == APPROVED or not approval)]
    if usable:
        best = max(usable)
        return Arrangement(best, retire=tuple(v.number for v in versions if v.number != best))
    if not approval:
        return Arrangement(None, new=top + 1, retire=tuple(v.number for v in versions))
    waiting = [v for v in versions if v.number in same and v.status not in REFUSED]
    candidate = max(waiting, key=lambda v: v.number) if waiting else None
    new = None if candidate else top + 1
    approved = [v.number for v in versions if v.status == APPROVED]
    current = max(approved) if approved else (candidate.number if candidate else None)
    submit = candidate.number if candidate and candidate.status == UNSUBMITTED else None
    pending = (candidate.number if candidate else new) if approved else None
    kept = {current, candidate.number if candidate else None}
    return Arrangement(
        current, new, submit, pending, tuple(v.number for v in versions if v.number not in kept)
    )


@register
class Template(Kind):
    name = "content.template"
    compared = CONTENT
    products = ("content.v1.contents", "content.v1.content_and_approvals")

    def identity(self, attrs: Attrs) -> tuple[str, ...]:
        """A template is known by its name and, for a hub deployed before names held the slug's length, by the
        name it had then: templates cannot be renamed, and making it again would lose its WhatsApp approval."""
        from deh_deploy.names import legacy_template_name

        name = str(attrs.get("friendly_name") or "")
        legacy = legacy_template_name(name)
        return tuple(n for n in (name, legacy) if n)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        """One record per template with all its versions (``extra["versions"]``), named by its first version;
        its SID is the version in use as far as the account alone says (the newest approved, else the newest)."""
        from deh_deploy.names import template_today, template_version_of

        families: dict[str, list[Version]] = {}
        for c in ctx.client.content.v1.content_and_approvals.list():
            name = str(c.friendly_name or "")
            base, number = template_version_of(name)
            approvals = c.approval_requests or {}
            status = approvals.get("status") if isinstance(approvals, Mapping) else None
            attrs = {"language": c.language, "variables": c.variables or {}, "types": c.types or {}}
            families.setdefault(template_today(ctx.slug, ctx.env, base), []).append(
                Version(number, c.sid, name, attrs, str(status or UNSUBMITTED))
            )
        for base, found in families.items():
            versions = tuple(sorted(found, key=lambda v: (v.number, v.sid)))
            approved = [v for v in versions if v.status == APPROVED]
            shown = (approved or list(versions))[-1]
            attrs = {"friendly_name": base, **shown.attrs}
            yield Record(shown.sid, attrs, {"approval_status": shown.status, "versions": versions})

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        from twilio.rest.content.v1.content import ContentList

        body = {k: attrs[k] for k in ("friendly_name", *CONTENT)}
        made = ctx.client.content.v1.contents.create(ContentList.ContentCreateRequest(body))
        approval = attrs.get(APPROVAL)
        status = submit_approval(ctx, made.sid, approval) if approval else UNSUBMITTED
        return Record(made.sid, {**body}, {"approval_status": status})

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        """The one update in place: the approval request a version still owes."""
        status = submit_approval(ctx, live.sid, attrs[APPROVAL])
        return Record(live.sid, live.attrs, {**live.extra, "approval_status": status})

    def delete(self, ctx: Ctx, live: Live) -> None:
        """One superseded version, never while anything live still refers to it; or a whole template the config
        no longer names (its flows change first), every version of it."""
        from deh_deploy.providers.errors import status_of

        if "version" in live.extra:
            users = sorted(
                other.id
                for other in ctx.live.values()
                if other.kind != self.name and live.sid in canon(other.attrs)
            )
            if users:
                raise ProviderError(f"{live.id}: not deleted: {live.sid} is still used by {', '.join(users)}")
        versions: tuple[Version, ...] = tuple(live.extra.get("versions") or ())
        for sid in [v.sid for v in versions] or [live.sid]:
            try:
                ctx.client.content.v1.contents(sid).delete()
            except Exception as exc:
                if status_of(exc) != 404:  # gone already: the goal is reached
                    raise

    def versions(self, resource: Resource, live: Live) -> Versions | None:
        found: tuple[Version, ...] = tuple(live.extra.get("versions") or ())
        if not found:
            return None
        approval = bool(resource.attrs.get(APPROVAL))
        wanted = canon({k: resource.attrs.get(k) for k in CONTENT})
        same = frozenset(v.number for v in found if canon({k: v.attrs.get(k) for k in CONTENT}) == wanted)
        return _versions_plan(resource, found, arrange(found, same, approval=approval), approval=approval)


def _versions_plan(
    resource: Resource, found: Sequence[Version], arr: Arrangement, *, approval: bool
) -> Versions:
    by_number = {v.number: v for v in found}
    label = f"template {resource.key.replace('.', '_')}"

    def live(v: Version) -> Live:
        current = v.number == arr.current
        key = resource.key if current else f"{resource.key}@v{v.number}"
        extra: dict[str, Any] = {"approval_status": v.status, "name": v.name}
        if not current:
            extra["version"] = v.number
        attrs = {"friendly_name": v.name, **v.attrs}
        return Live(resource.kind, key, v.sid, attrs, True, extra)

    changes: list[Create | Update | Delete] = []
    if arr.new is not None:
        key = resource.key if arr.current is None else f"{resource.key}@v{arr.new}"
        note = f"v{arr.new} of {label}" + (", submitted for WhatsApp approval" if approval else "")
        if arr.current is not None:
            note += f"; v{arr.current} stays in use until it is approved"
        changes.append(Create(version_resource(resource, arr.new, key), note=note))
    if arr.submit is not None:
        owed = live(by_number[arr.submit])
        changes.append(
            Update(
                owed,
                version_resource(resource, arr.submit, owed.key, name=by_number[arr.submit].name),
                (FieldChange(APPROVAL, UNSUBMITTED, "submitted"),),
                reason="its approval request was not sent",
            )
        )
    successor = arr.current or arr.new
    for n in arr.retire:
        v = by_number[n]
        if v.status == APPROVED:
            why = f"superseded by v{successor}, approved; deleted once nothing refers to it"
        elif v.status in REFUSED:
            why = f"{v.status}: replaced by v{successor}"
        else:
            why = f"never approved: replaced by v{successor}"
        changes.append(Delete(live(v), note=f"v{n} of {label}, {why}"))
    current = by_number[arr.current] if arr.current is not None else None
    keeps: list[Keep] = []
    if current is not None and approval:
        keeps.append(Keep(live(current), _state(label, current, arr)))
    return Versions(live(current) if current is not None else None, tuple(changes), tuple(keeps))


def _state(label: str, current: Version, arr: Arrangement) -> str:
    """``template welcome_uk: v1 approved and in use; v2 pending approval``."""
    if current.status == APPROVED:
        said = f"{label}: v{current.number} approved and in use"
    else:
        said = (
            f"{label}: v{current.number} in use, WhatsApp approval {current.status} (no version approved yet)"
        )
    if arr.pending is not None and arr.pending == arr.new:
        return f"{said}; v{arr.pending} submitted for approval by this apply"
    if arr.pending is not None:
        return f"{said}; v{arr.pending} pending approval"
    return said


def version_resource(resource: Resource, number: int, key: str, *, name: str | None = None) -> Resource:
    """The configured template as version ``number``: its name (``name``, for one on the account already), and
    the name it is submitted for approval under."""
    from deh_deploy.names import template_version

    name = name or template_version(str(resource.attrs["friendly_name"]), number)
    attrs: dict[str, Any] = {**resource.attrs, "friendly_name": name}
    if attrs.get(APPROVAL):
        attrs[APPROVAL] = {**attrs[APPROVAL], "name": name}
    return Resource(resource.kind, key, attrs, resource.depends_on)


def submit_approval(ctx: Ctx, sid: str, approval: Attrs) -> str:
    """Ask WhatsApp to approve a template; returns the status Twilio gives (usually "received")."""
    from twilio.rest.content.v1.content.approval_create import ApprovalCreateList

    req = ApprovalCreateList.ContentApprovalRequest(
        {"name": approval["name"], "category": approval["category"]}
    )
    return str(ctx.client.content.v1.contents(sid).approval_create.create(req).status or "received")
