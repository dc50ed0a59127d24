"""Records to Twilio JSON: URLs, dates in each API's format, and both pagination styles."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from deh_deploy.sandbox.errors import invalid
from deh_deploy.sandbox.model import Ctx, Kind
from deh_deploy.sandbox.store import Record

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000


def iso_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc2822(iso: str) -> str:
    """``2024-05-01T10:00:00Z`` -> ``Wed, 01 May 2024 10:00:00 +0000`` (the 2010 API's date format)."""
    dt = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return format_datetime(dt)


def collection_path(kind: Kind, rec: Record) -> str:
    """The collection path of a record, placeholders filled from the record's account and parent fields."""
    path = kind.collection
    if "{AccountSid}" in path:
        path = path.replace("{AccountSid}", str(rec["account_sid"]))
    for _parent_kind, fld in kind.parents:
        start = path.index("{")
        end = path.index("}", start)
        path = path[:start] + str(rec[fld]) + path[end + 1 :]
    return path


def instance_path(kind: Kind, rec: Record) -> str:
    return f"{collection_path(kind, rec)}/{rec['sid']}"


def render(kind: Kind, rec: Record, *, listing: bool = False) -> dict[str, Any]:
    """The JSON Twilio would return for this record (private ``_`` keys dropped)."""
    out = {k: v for k, v in rec.items() if not k.startswith("_")}
    for name in kind.dates:
        value = out.get(name)
        if kind.style == "2010" and isinstance(value, str):
            out[name] = rfc2822(value)
    base = instance_path(kind, rec)
    if kind.style == "2010":
        out["uri"] = base + ".json"
        if kind.links:
            out["subresource_uris"] = {name: f"{base}{sub}.json" for name, sub in kind.links}
    else:
        out["url"] = kind.host + base
        if kind.links:
            out["links"] = {name: f"{kind.host}{base}{sub}" for name, sub in kind.links}
    if listing:
        for name in kind.list_hides:
            out[name] = None
    return out


# -- pagination -------------------------------------------------------------------------------------
def page_size(ctx: Ctx) -> int:
    raw = ctx.q("PageSize")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        raise invalid(f"Invalid PageSize: {raw!r}") from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise invalid(f"PageSize must be between 1 and {MAX_PAGE_SIZE}")
    return size


def _page_of(
    ctx: Ctx, items: list[tuple[int, dict[str, Any]]], size: int
) -> tuple[int, list[tuple[int, Any]]]:
    """Select the page the request asks for. Tokens are ``PA<seq>`` (after) and ``PB<seq>`` (before)."""
    raw_page = ctx.q("Page") or "0"
    if not raw_page.isdigit():
        raise invalid(f"Invalid Page: {raw_page!r}")
    page = int(raw_page)
    token = ctx.q("PageToken")
    if token and token[:2] in ("PA", "PB") and token[2:].isdigit():
        mark = int(token[2:])
        if token.startswith("PA"):
            return page, [it for it in items if it[0] > mark][:size]
        before = [it for it in items if it[0] < mark]
        return page, before[-size:]
    if token:
        raise invalid(f"Invalid PageToken: {token!r}")
    return page, items[page * size : page * size + size]


def _query(ctx: Ctx, **paging: str | int) -> str:
    pairs: list[tuple[str, str]] = [
        (k, v) for k, vs in ctx.query.items() if k not in ("PageSize", "Page", "PageToken") for v in vs
    ]
    pairs += [(k, str(v)) for k, v in paging.items()]
    return urlencode(pairs)


def paginate(
    ctx: Ctx, items: list[tuple[int, dict[str, Any]]], *, key: str, style: str, host: str
) -> dict[str, Any]:
    """One page of ``(seq, rendered)`` items, shaped as the 2010 API or the v1/v2 APIs shape it."""
    size = page_size(ctx)
    page, chosen = _page_of(ctx, items, size)
    records = [r for _seq, r in chosen]
    has_next = bool(chosen) and any(seq > chosen[-1][0] for seq, _ in items)
    has_prev = bool(chosen) and any(seq < chosen[0][0] for seq, _ in items)
    first = f"{ctx.path}?{_query(ctx, PageSize=size, Page=0)}"
    here = f"{ctx.path}?{_query(ctx, PageSize=size, Page=page)}"
    nxt = (
        f"{ctx.path}?{_query(ctx, PageSize=size, Page=page + 1, PageToken=f'PA{chosen[-1][0]}')}"
        if has_next
        else None
    )
    prev = (
        f"{ctx.path}?{_query(ctx, PageSize=size, Page=max(page - 1, 0), PageToken=f'PB{chosen[0][0]}')}"
        if has_prev
        else None
    )
    if style == "2010":
        start = page * size
        return {
            "first_page_uri": first,
            "end": start + len(records) - 1 if records else start,
            "previous_page_uri": prev,
            key: records,
            "uri": here,
            "page_size": size,
            "start": start,
            "next_page_uri": nxt,
            "page": page,
        }
    return {
        key: records,
        "meta": {
            "page": page,
            "page_size": size,
            "first_page_url": host + first,
            "previous_page_url": host + prev if prev else None,
            "url": host + here,
            "next_page_url": host + nxt if nxt else None,
            "key": key,
        },
    }
