"""Generic list / create / fetch / update / delete for every kind in the table, and the routes for them."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from deh_deploy.sandbox.errors import ApiError, not_found
from deh_deploy.sandbox.kinds import BY_NAME
from deh_deploy.sandbox.model import (
    NO_HOOKS,
    Ctx,
    Handler,
    Hooks,
    Kind,
    Reply,
    Route,
    get_path,
    read_values,
    set_path,
)
from deh_deploy.sandbox.render import paginate, render
from deh_deploy.sandbox.store import Record, key_of

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def template_regex(template: str, tail: str = "") -> re.Pattern[str]:
    """``/v1/Workspaces/{WorkspaceSid}/Workers`` -> a regex with a group per placeholder (p0, p1, ...)."""
    out, pos, i = "", 0, 0
    for m in _PLACEHOLDER.finditer(template):
        out += re.escape(template[pos : m.start()])
        name = "account" if m.group(1) == "AccountSid" else f"p{i}"
        i += 0 if name == "account" else 1
        out += f"(?P<{name}>[^/]+?)"
        pos = m.end()
    out += re.escape(template[pos:]) + tail
    return re.compile(f"^{out}$")


def find(ctx: Ctx, kind: Kind, key: str, parent_sid: str | None) -> Record | None:
    rec = ctx.store.get(kind.name, ctx.account, key)
    if rec is None and kind.alt_key is not None:
        rec = ctx.store.match(kind.name, ctx.account, parent_sid, {kind.alt_key: key})
    if rec is None:
        return None
    if parent_sid is not None and ctx.store.parent_of(kind.name, key_of(rec)) != parent_sid:
        return None
    return rec


def resolve_parents(ctx: Ctx, kind: Kind, params: dict[str, str]) -> list[Record]:
    """The chain of parent records named by the path (p0, p1, ...), root first; 404 when one is missing."""
    chain: list[Record] = []
    for i, (parent_name, _fld) in enumerate(kind.parents):
        parent_kind = BY_NAME[parent_name]
        above = chain[-1]["sid"] if chain else None
        rec = find(ctx, parent_kind, params[f"p{i}"], above if i else None)
        if rec is None:
            raise not_found(ctx.path)
        chain.append(rec)
    return chain


def parent_key(parents: list[Record]) -> str:
    return str(parents[-1]["sid"]) if parents else ""


def check_unique(ctx: Ctx, kind: Kind, rec: Record, parents: list[Record]) -> None:
    if not kind.unique:
        return
    for rule in kind.unique:
        values = {f: get_path(rec, f) for f in rule.fields}
        if rule.skip_empty and all(v in (None, "") for v in values.values()):
            continue
        groups = [values] if rule.mode == "all" else [{f: v} for f, v in values.items()]
        for where in groups:
            if (
                ctx.store.match(kind.name, ctx.account, parent_key(parents), where, exclude=rec["sid"])
                is not None
            ):
                fmt = {f.split(".")[-1]: v for f, v in values.items()}
                message = rule.message.format(parent=parent_key(parents), account=ctx.account, **fmt)
                raise ApiError(rule.status, rule.code, message)


def new_record(ctx: Ctx, kind: Kind, parents: list[Record], values: dict[str, Any]) -> Record:
    """A record with every field of the kind: the values given, the defaults for the rest."""
    rec: Record = {"account_sid": ctx.account}
    for (_pk, parent_field), parent in zip(kind.parents, parents, strict=True):
        rec[parent_field] = parent["sid"]
    for fld in kind.fields:
        if "." in fld.name or fld.name not in rec:
            set_path(rec, fld.name, values[fld.name] if fld.name in values else copy.deepcopy(fld.default))
    for name in kind.dates:
        rec[name] = ctx.now
    return rec


def add_record(
    ctx: Ctx, kind_name: str, parents: list[Record], values: dict[str, Any], *, sid: str | None = None
) -> Record:
    """Create a record directly, without a request and without hooks (the default world and seeds)."""
    kind = BY_NAME[kind_name]
    rec = new_record(ctx, kind, parents, values)
    rec["sid"] = sid or ctx.store.next_sid(kind.prefix)
    ctx.store.insert(kind.name, ctx.account, parent_key(parents), rec)
    return rec


def do_list(
    ctx: Ctx, kind: Kind, hooks: Hooks, parents: list[Record], *, keep: Callable[[Record], bool] | None = None
) -> Reply:
    """One page of a kind's records, filtered by its query filters (and ``keep``, a product's own rule)."""
    items = ctx.store.select(kind.name, ctx.account, parent_key(parents))
    if keep is not None:
        items = [r for r in items if keep(r)]
    for qkey, fname in kind.filters:
        wanted = ctx.q(qkey)
        if wanted is not None:
            name = fname.rstrip("~")
            items = [r for r in items if _matches(get_path(r, name), wanted, fuzzy=name != fname)]
    rendered = [(int(r["_seq"]), view(ctx, kind, hooks, r, listing=True)) for r in items]
    return Reply(200, paginate(ctx, rendered, key=kind.list_key, style=kind.style, host=kind.host))


def _matches(value: Any, wanted: str, *, fuzzy: bool = False) -> bool:
    if fuzzy:  # a phone number: partial digits, ``*`` for any digit
        digits = re.sub(r"[^0-9*]", "", wanted)
        pattern = re.escape(digits).replace(r"\*", "[0-9]")
        return bool(re.search(pattern, re.sub(r"[^0-9]", "", str(value or ""))))
    if isinstance(value, bool):
        return str(value).lower() == wanted.lower()
    return str(value) == wanted


def view(ctx: Ctx, kind: Kind, hooks: Hooks, rec: Record, *, listing: bool = False) -> dict[str, Any]:
    out = render(kind, rec, listing=listing)
    if hooks.view is not None:
        hooks.view(ctx, rec, out, listing)
    return out


def do_create(ctx: Ctx, kind: Kind, hooks: Hooks, parents: list[Record]) -> Reply:
    values = read_values(ctx, kind, creating=True)
    rec = new_record(ctx, kind, parents, values)
    if hooks.before_create is not None:
        hooks.before_create(ctx, parents, rec)
    if "sid" not in rec:
        rec["sid"] = ctx.store.next_sid(kind.prefix)
    check_unique(ctx, kind, rec, parents)
    ctx.store.insert(kind.name, ctx.account, parent_key(parents), rec)
    if hooks.after_create is not None:
        hooks.after_create(ctx, parents, rec)
        ctx.store.save(kind.name, rec)
    return Reply(201, view(ctx, kind, hooks, rec))


def do_update(ctx: Ctx, kind: Kind, hooks: Hooks, parents: list[Record], rec: Record) -> Reply:
    changes = read_values(ctx, kind, creating=False)
    new = dict(rec)
    for name, value in changes.items():
        set_path(new, name, value)
    if "date_updated" in kind.dates:
        new["date_updated"] = ctx.now
    if hooks.before_update is not None:
        hooks.before_update(ctx, rec, new, changes)
    check_unique(ctx, kind, new, parents)
    ctx.store.save(kind.name, new)
    return Reply(200, view(ctx, kind, hooks, new))


def do_delete(ctx: Ctx, kind: Kind, hooks: Hooks, rec: Record) -> Reply:
    if hooks.before_delete is not None:
        hooks.before_delete(ctx, rec)
    ctx.store.delete(kind.name, key_of(rec))
    if hooks.after_delete is not None:
        hooks.after_delete(ctx, rec)
    return Reply(204)


def routes_for(kind: Kind, hooks: Hooks = NO_HOOKS) -> list[Route]:
    """The generic routes of one kind: collection GET/POST and instance GET/update/DELETE."""
    coll = template_regex(kind.collection, re.escape(kind.suffix))
    inst = template_regex(kind.collection, r"/(?P<sid>[^/]+?)" + re.escape(kind.suffix))

    def on_collection(op: str) -> Handler:
        def handler(ctx: Ctx, params: dict[str, str]) -> Reply:
            parents = resolve_parents(ctx, kind, params)
            return (
                do_list(ctx, kind, hooks, parents) if op == "list" else do_create(ctx, kind, hooks, parents)
            )

        return handler

    def on_instance(op: str) -> Handler:
        def handler(ctx: Ctx, params: dict[str, str]) -> Reply:
            parents = resolve_parents(ctx, kind, params)
            rec = find(ctx, kind, params["sid"], parent_key(parents))
            if rec is None:
                raise not_found(ctx.path)
            if op == "fetch":
                return Reply(200, view(ctx, kind, hooks, rec))
            if op == "update":
                return do_update(ctx, kind, hooks, parents, rec)
            return do_delete(ctx, kind, hooks, rec)

        return handler

    out: list[Route] = []
    if "list" in kind.ops:
        out.append(Route("GET", kind.product, coll, on_collection("list")))
    if "create" in kind.ops:
        out.append(Route("POST", kind.product, coll, on_collection("create")))
    if "fetch" in kind.ops:
        out.append(Route("GET", kind.product, inst, on_instance("fetch")))
    if "update" in kind.ops:
        out.append(Route(kind.update_method, kind.product, inst, on_instance("update")))
    if "delete" in kind.ops:
        out.append(Route("DELETE", kind.product, inst, on_instance("delete")))
    return out
