"""Content API: template checks, WhatsApp approval requests, and the ContentAndApprovals / v2 listings.

An approval request starts as ``received``; the seed API flips it to ``approved`` or ``rejected``. A name that
was ever submitted (by any template of the account) cannot be submitted again; the name of an approved template
that was deleted is remembered and refused for ``REUSE_BLOCKED`` (Meta: "once deleted, the name of an approved
template cannot be reused for 30 days", as WhatsApp providers' API references quote it; Twilio's code for it is
unverified, so the sandbox answers 20001 as for any name already used).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from deh_deploy.sandbox.crud import template_regex
from deh_deploy.sandbox.errors import invalid, missing, not_found
from deh_deploy.sandbox.kinds import BY_NAME
from deh_deploy.sandbox.model import Ctx, Hooks, Reply, Route
from deh_deploy.sandbox.render import paginate, render
from deh_deploy.sandbox.store import Record

CONTENT = BY_NAME["content.content"]
TYPES = frozenset(
    {
        "twilio/text", "twilio/media", "twilio/location", "twilio/list-picker", "twilio/call-to-action",
        "twilio/quick-reply", "twilio/card", "twilio/catalog", "twilio/carousel", "twilio/flows",
        "twilio/schedule", "whatsapp/card", "whatsapp/authentication", "whatsapp/flows",
    }
)  # fmt: skip
NEEDS = {
    "twilio/text": ("body",),
    "twilio/quick-reply": ("body", "actions"),
    "twilio/list-picker": ("body", "button", "items"),
    "twilio/call-to-action": ("body", "actions"),
    "twilio/media": ("media",),
}
CATEGORIES = ("UTILITY", "MARKETING", "AUTHENTICATION")
REUSE_BLOCKED = timedelta(days=30)
RETIRED = "content.retired_name"  # the account's memory of deleted approved names (no API lists it)
_TEMPLATE_NAME = re.compile(r"^[a-z0-9_]{1,512}$")


def check_content(rec: Record) -> None:
    if not isinstance(rec.get("language"), str) or not rec["language"]:
        raise invalid("Invalid language: a language code is required")
    types = rec.get("types")
    if not isinstance(types, dict) or not types:
        raise invalid("Invalid types: at least one content type is required")
    for name, body in types.items():
        if name not in TYPES:
            raise invalid(f"Invalid types: unknown content type {name!r}")
        if not isinstance(body, dict):
            raise invalid(f"Invalid types: {name} must be an object")
        for need in NEEDS.get(name, ()):
            if need not in body:
                raise invalid(f"Invalid types: {name} requires {need}")
    if "twilio/list-picker" in types and len(types["twilio/list-picker"].get("items") or []) > 10:
        raise invalid("Invalid types: twilio/list-picker allows at most 10 items")
    variables = rec.get("variables")
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise invalid("Invalid variables: an object of strings expected")


def before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    check_content(rec)


def before_update(ctx: Ctx, _old: Record, new: Record, _changes: dict[str, Any]) -> None:
    check_content(new)


def before_delete(ctx: Ctx, rec: Record) -> None:
    """An approved template's name outlives it: WhatsApp keeps refusing the name after the template is gone."""
    app = _approval(rec)
    if app.get("status") == "approved" and app.get("name"):
        name = str(app["name"])
        memory = {"sid": f"{ctx.account}/{name}", "name": name, "content_sid": rec["sid"], "deleted": ctx.now}
        if ctx.store.get(RETIRED, ctx.account, memory["sid"]) is None:
            ctx.store.insert(RETIRED, ctx.account, "", memory)
        else:
            ctx.store.save(RETIRED, memory)


def _refuse_retired(ctx: Ctx, name: str) -> None:
    memory = ctx.store.get(RETIRED, ctx.account, f"{ctx.account}/{name}")
    if memory is None:
        return
    until = datetime.fromisoformat(str(memory["deleted"])) + REUSE_BLOCKED
    if datetime.fromisoformat(ctx.now) < until:
        raise invalid(
            f"Template name {name!r} belonged to an approved template deleted on {str(memory['deleted'])[:10]}; "
            f"WhatsApp refuses it until {until.date().isoformat()}"
        )


HOOKS = {
    "content.content": Hooks(
        before_create=before_create, before_update=before_update, before_delete=before_delete
    )
}


def _content(ctx: Ctx, sid: str) -> Record:
    rec = ctx.store.get("content.content", ctx.account, sid)
    if rec is None:
        raise not_found(ctx.path)
    return rec


def _approval(rec: Record) -> dict[str, Any]:
    app = rec.get("_approval")
    return dict(app) if isinstance(app, dict) else {}


def approval_create(ctx: Ctx, params: dict[str, str]) -> Reply:
    rec = _content(ctx, params["p0"])
    body = ctx.json if isinstance(ctx.json, dict) else {}
    for key in ("name", "category"):
        if not isinstance(body.get(key), str) or not body[key]:
            raise missing(key)
    name, category = body["name"], body["category"]
    if not _TEMPLATE_NAME.match(name):
        raise invalid("Invalid name: lowercase letters, digits and underscores only")
    if category not in CATEGORIES:
        raise invalid(f"Invalid category: {category!r} is not one of {', '.join(CATEGORIES)}")
    if _approval(rec).get("status") in ("received", "pending", "approved"):
        raise invalid(f"Content {rec['sid']} was already submitted for WhatsApp approval")
    for other in ctx.store.select("content.content", ctx.account):
        if name in (other.get("_names") or []):
            raise invalid(f"Template name {name!r} was already used and cannot be reused")
    _refuse_retired(ctx, name)
    approval = {
        "name": name,
        "category": category,
        "content_type": next(iter(rec["types"])),
        "status": "received",
        "rejection_reason": "",
        "allow_category_change": bool(body.get("allow_category_change", True)),
    }
    rec["_approval"] = approval
    rec["_names"] = [*(rec.get("_names") or []), name]
    ctx.store.save("content.content", rec)
    return Reply(201, approval)


def approval_fetch(ctx: Ctx, params: dict[str, str]) -> Reply:
    rec = _content(ctx, params["p0"])
    app = _approval(rec)
    whatsapp = {"type": "whatsapp", **app} if app else {}
    url = f"{CONTENT.host}/v1/Content/{rec['sid']}/ApprovalRequests"
    return Reply(200, {"sid": rec["sid"], "account_sid": ctx.account, "whatsapp": whatsapp, "url": url})


def _listing(ctx: Ctx, *, approvals: bool) -> Reply:
    items = []
    for rec in ctx.store.select("content.content", ctx.account):
        out = render(CONTENT, rec)
        if approvals:
            out.pop("url", None)
            out.pop("links", None)
            app = _approval(rec)
            out["approval_requests"] = {"type": "whatsapp", **app} if app else {}
        items.append((int(rec["_seq"]), out))
    return Reply(200, paginate(ctx, items, key="contents", style="v1", host=CONTENT.host))


def content_and_approvals(ctx: Ctx, _params: dict[str, str]) -> Reply:
    return _listing(ctx, approvals=True)


def content_v2(ctx: Ctx, _params: dict[str, str]) -> Reply:
    return _listing(ctx, approvals=False)


def set_approval(ctx: Ctx, sid: str, status: str, reason: str = "") -> None:
    """Seed knob: decide a pending WhatsApp approval."""
    rec = _content(ctx, sid)
    app = _approval(rec)
    if not app:
        raise invalid(f"Content {sid} has no approval request")
    app.update(status=status, rejection_reason=reason)
    rec["_approval"] = app
    ctx.store.save("content.content", rec)


ROUTES = [
    Route("POST", "content", template_regex("/v1/Content/{Sid}/ApprovalRequests/whatsapp"), approval_create),
    Route("GET", "content", template_regex("/v1/Content/{Sid}/ApprovalRequests"), approval_fetch),
    Route("GET", "content", template_regex("/v1/ContentAndApprovals"), content_and_approvals),
    Route("GET", "content", template_regex("/v2/ContentAndApprovals"), content_and_approvals),
    Route("GET", "content", template_regex("/v2/Content"), content_v2),
]
