"""Changes as small value objects: Create(new), Update(existing, new, fields), Delete(existing), each with its JSON
form and a fixed order (creates, updates, deletes), and Keep, which is not a change but a note on a resource left
as it is on purpose."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from deh_deploy.render.desired import Resource
from deh_deploy.render.refs import shown_form

# A value that depends on a resource apply creates or replaces first (its new SID, its domain).
UNKNOWN = "(known after apply)"


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


Action = Literal["create", "update", "delete", "keep"]


class _OfNew:
    """Names a change by the desired resource it brings."""

    new: Resource

    @property
    def kind(self) -> str:
        return self.new.kind

    @property
    def key(self) -> str:
        return self.new.key

    @property
    def id(self) -> str:
        return self.new.id


class _OfExisting:
    """Names an entry by the resource on the account it concerns."""

    existing: Live

    @property
    def kind(self) -> str:
        return self.existing.kind

    @property
    def key(self) -> str:
        return self.existing.key

    @property
    def id(self) -> str:
        return self.existing.id

    @property
    def sid(self) -> str:
        return self.existing.sid


def _head(entry: Entry, *, sid: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"action": entry.action, "kind": entry.kind, "key": entry.key}
    if sid:
        out["sid"] = entry.sid
    return out


@dataclass(frozen=True)
class Create(_OfNew):
    """A desired resource that is not on the account. ``purchase`` says what buying it means ("local number in
    HU"): a create that bills the account needs consent."""

    new: Resource
    note: str = ""
    purchase: str | None = None

    action: ClassVar[Action] = "create"
    ORDER: ClassVar[int] = 0
    fields: ClassVar[tuple[FieldChange, ...]] = ()
    sid: ClassVar[None] = None

    def as_json(self) -> dict[str, Any]:
        out = _head(self, sid=False)
        out["attrs"] = public(self.new.attrs)
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Update(_OfNew):
    """A resource on the account whose compared fields differ from the config. ``replace``: Twilio cannot change
    it in place, so it is deleted and created again (with a new SID, which those that refer to it then take)."""

    existing: Live
    new: Resource
    fields: tuple[FieldChange, ...]
    replace: bool = False
    reason: str = ""  # why a record is updated that was not matched by name ("re-adopted: …")

    action: ClassVar[Action] = "update"
    ORDER: ClassVar[int] = 1
    purchase: ClassVar[None] = None

    @property
    def sid(self) -> str:
        return self.existing.sid

    @property
    def note(self) -> str:
        return "replace" if self.replace else self.reason

    def as_json(self) -> dict[str, Any]:
        out = _head(self)
        out["fields"] = [_field_json(f) for f in self.fields]
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Delete(_OfExisting):
    """An owned resource on the account that the config no longer has. ``guarded``: it cannot be had back (a
    number, a sender), so only destroy, with the explicit flag, deletes it."""

    existing: Live
    guarded: bool = False
    note: str = ""  # why apply removes it, when that is news to a reviewer (what replaced it)

    action: ClassVar[Action] = "delete"
    ORDER: ClassVar[int] = 2
    fields: ClassVar[tuple[FieldChange, ...]] = ()
    purchase: ClassVar[None] = None

    def as_json(self) -> dict[str, Any]:
        out = _head(self)
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Keep(_OfExisting):
    """Not a change: a resource the plan leaves as it is on purpose, and why (a number kept, a WhatsApp approval
    still pending). Listed after the changes, so that a reviewer sees it."""

    existing: Live
    note: str

    action: ClassVar[Action] = "keep"
    ORDER: ClassVar[int] = 3
    fields: ClassVar[tuple[FieldChange, ...]] = ()

    def as_json(self) -> dict[str, Any]:
        return {**_head(self), "note": self.note}


Change = Create | Update | Delete
Entry = Change | Keep


def _field_json(f: FieldChange) -> dict[str, Any]:
    return {"name": f.name, "old": public(f.old), "new": public(f.new), "detail": f.detail}


def public(value: Any) -> Any:
    """Big values (flow definitions, workflow JSON) are summarised in plans by their digest."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=shown_form)
    if len(text) > 400:
        return {"sha256": hashlib.sha256(text.encode()).hexdigest()[:16], "bytes": len(text)}
    return value


def hides_unknown(value: Any) -> bool:
    """Whether a value summarised by :func:`public` holds something known only after apply."""
    return public(value) is not value and UNKNOWN in json.dumps(value, ensure_ascii=False, default=shown_form)
