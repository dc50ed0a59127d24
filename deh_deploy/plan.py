"""Changes and the Plan: what apply would do, its safety checks, and its printable and savable forms."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from deh_deploy.errors import PlanError, SafetyError
from deh_deploy.render.desired import Resource, canonical_json

Format = Literal["text", "markdown", "json"]
# Kinds whose creation costs money or whose removal loses an identity; apply never deletes them.
GUARDED_KINDS = frozenset({"phone.number", "conversations.address"})


@dataclass(frozen=True)
class Live:
    """A resource as it is on the account, in the same attribute shape as the desired one."""

    kind: str
    key: str
    sid: str
    attrs: Mapping[str, Any]
    owned: bool = True
    extra: Mapping[str, Any] = field(
        default_factory=dict
    )  # values others may reference (webhook_url, domain…)

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.key}"


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: Any
    new: Any
    detail: str = ""  # e.g. the widgets of a flow that changed


@dataclass(frozen=True)
class Change:
    """Create(new), Update(existing, new, fields) or Delete(existing). Applied creates, updates, then deletes."""

    action: Literal["create", "update", "delete", "keep"]
    kind: str
    key: str
    new: Resource | None = None
    existing: Live | None = None
    fields: tuple[FieldChange, ...] = ()
    note: str = ""

    ORDER: ClassVar[dict[str, int]] = {"create": 0, "update": 1, "delete": 2, "keep": 3}

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.key}"

    @property
    def writes(self) -> bool:
        return self.action in ("create", "update", "delete")

    @property
    def purchase(self) -> bool:
        return (
            self.action == "create"
            and self.kind == "phone.number"
            and bool(self.new and "buy" in self.new.attrs)
        )

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action, "kind": self.kind, "key": self.key}
        if self.existing:
            out["sid"] = self.existing.sid
        if self.new and self.action == "create":
            out["attrs"] = _public(self.new.attrs)
        if self.fields:
            out["fields"] = [
                {"name": f.name, "old": _public(f.old), "new": _public(f.new), "detail": f.detail}
                for f in self.fields
            ]
        if self.note:
            out["note"] = self.note
        return out


def _public(value: Any) -> Any:
    """Big values (flow definitions, workflow JSON) are summarised in plans by their digest."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    if len(text) > 400:
        return {"sha256": hashlib.sha256(text.encode()).hexdigest()[:16], "bytes": len(text)}
    return value


@dataclass(frozen=True)
class Plan:
    slug: str
    env: str
    account_sid: str
    changes: tuple[Change, ...]
    owned: int  # owned resources found on the account

    # Safety like octodns: too large a share of owned resources changed at once needs --force.
    UPDATE_PCT_THRESHOLD: ClassVar[float] = 0.3
    MIN_EXISTING: ClassVar[int] = 10

    @property
    def writes(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.writes)

    @property
    def empty(self) -> bool:
        return not self.writes

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "delete": 0}
        for c in self.writes:
            out[c.action] += 1
        return out

    def check_safety(
        self,
        *,
        force: bool,
        allow_purchase: bool,
        threshold: float | None = None,
        min_existing: int | None = None,
    ) -> None:
        limit = self.UPDATE_PCT_THRESHOLD if threshold is None else threshold
        floor = self.MIN_EXISTING if min_existing is None else min_existing
        counts = self.counts()
        touched = counts["update"] + counts["delete"]
        if not force and self.owned >= floor and self.owned and touched / self.owned > limit:
            raise SafetyError(
                f"{self.slug}/{self.env}: too many changes to owned resources: {touched} of {self.owned} "
                f"({touched / self.owned:.0%}) would be updated or deleted, above the {limit:.0%} limit; "
                "force required"
            )
        buys = [c for c in self.writes if c.purchase]
        if buys and not allow_purchase:
            what = ", ".join(f"{c.key} ({describe_purchase(c)})" for c in buys)
            raise SafetyError(
                f"{self.slug}/{self.env}: apply would buy phone numbers, which bills the account at "
                f"once: {what}; --allow-purchase required"
            )

    # -- serialised forms ------------------------------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        body = {
            "slug": self.slug,
            "env": self.env,
            "account_sid": self.account_sid,
            "changes": [c.as_json() for c in self.changes],
        }
        return {**body, "checksum": checksum(body)}

    def to_json(self) -> str:
        return canonical_json(self.as_json())

    def render(self, fmt: Format) -> str:
        if fmt == "json":
            return self.to_json().rstrip("\n")
        return _markdown(self) if fmt == "markdown" else _text(self)


def describe_purchase(change: Change) -> str:
    attrs = change.new.attrs if change.new else {}
    buy = attrs.get("buy", {})
    area = f", area code {buy['area_code']}" if buy.get("area_code") else ""
    return f"{attrs.get('type', 'local')} number in {attrs.get('country', '?')}{area}"


def checksum(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def verify_saved(saved_text: str, current: Plan) -> None:
    """A saved plan pins what was reviewed: apply refuses when the plan now differs or the file was altered."""
    try:
        saved = json.loads(saved_text)
        body = {k: saved[k] for k in ("slug", "env", "account_sid", "changes")}
        claimed = saved["checksum"]
    except (ValueError, KeyError, TypeError) as exc:
        raise PlanError(f"the saved plan is not a deh plan file ({exc})") from None
    if checksum(body) != claimed:
        raise PlanError("the saved plan was modified after it was written (checksum mismatch)")
    if claimed != current.as_json()["checksum"]:
        raise PlanError(
            "the live account or the config changed since the plan was saved; run deh plan again "
            f"(saved {claimed[:12]}, now {current.as_json()['checksum'][:12]})"
        )


SYMBOL = {"create": "+", "update": "~", "delete": "-", "keep": "="}


def _line(c: Change) -> str:
    sid = f" ({c.existing.sid})" if c.existing else ""
    note = f"  [{c.note}]" if c.note else ""
    return f"{SYMBOL[c.action]} {c.action:6} {c.kind} {c.key}{sid}{note}"


def _field_lines(c: Change, indent: str) -> list[str]:
    out = []
    for f in c.fields:
        detail = f" ({f.detail})" if f.detail else ""
        out.append(f"{indent}{f.name}: {_short(f.old)} → {_short(f.new)}{detail}")
    return out


def _short(value: Any) -> str:
    text = json.dumps(_public(value), ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:119] + "…"


def _summary(plan: Plan) -> str:
    c = plan.counts()
    return (
        f"{plan.slug}/{plan.env} ({plan.account_sid}): {c['create']} to create, {c['update']} to update, "
        f"{c['delete']} to delete"
    )


def _text(plan: Plan) -> str:
    if plan.empty:
        return f"{_summary(plan)}\nNo changes: the account matches the config."
    lines = [_summary(plan)]
    for c in plan.changes:
        lines.append(_line(c))
        lines.extend(_field_lines(c, "      "))
    return "\n".join(lines)


def _markdown(plan: Plan) -> str:
    lines = [f"### deh plan: {_summary(plan)}", ""]
    if plan.empty:
        return "\n".join([*lines, "No changes: the account matches the config."])
    lines += ["| | action | resource | details |", "|---|---|---|---|"]
    for c in plan.changes:
        details = "<br>".join(x.strip().replace("|", "\\|") for x in _field_lines(c, "")) or c.note
        lines.append(f"| {SYMBOL[c.action]} | {c.action} | `{c.kind} {c.key}` | {details} |")
    return "\n".join(lines)
