"""The vocabulary of the emulator: resource kinds, their fields, requests, replies and hooks."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from deh_deploy.sandbox.errors import invalid, missing
from deh_deploy.sandbox.store import Record, Store

FieldType = Literal["str", "int", "bool", "json", "list", "any"]
Op = Literal["list", "create", "fetch", "update", "delete"]
ALL_OPS: frozenset[Op] = frozenset({"list", "create", "fetch", "update", "delete"})


def pascal(name: str) -> str:
    """``auto_creation.webhook_url`` -> ``AutoCreation.WebhookUrl`` (Twilio's form key for a field)."""
    return ".".join("".join(w[:1].upper() + w[1:] for w in part.split("_")) for part in name.split("."))


@dataclass(frozen=True)
class Field:
    """One attribute of a resource: its response key (dots nest), request key, type and default."""

    name: str
    type: FieldType = "str"
    default: Any = None
    required: bool = False
    form: str | None = None  # None: derived with pascal(); "": read-only
    choices: tuple[str, ...] = ()
    create_only: bool = False
    max_len: int | None = None
    max_bytes: int | None = None  # in UTF-8, where Twilio counts bytes (a Serverless Variable's value)

    @property
    def key(self) -> str:
        if self.form is None:
            return pascal(self.name)
        return self.form


@dataclass(frozen=True)
class Unique:
    """Fields whose values must be unique among siblings; ``message`` is formatted with the values (by the
    last part of the field name), ``parent`` (the parent SID) and ``account``."""

    fields: tuple[str, ...]
    status: int
    code: int
    message: str
    mode: Literal["any", "all"] = "any"  # conflict when any (or all) of the fields match a sibling's
    skip_empty: bool = False


@dataclass(frozen=True)
class Kind:
    name: str
    product: str  # the host label: https://<product>.twilio.com
    collection: str  # path template, parents as {Name} placeholders, root first
    prefix: str
    list_key: str
    fields: tuple[Field, ...]
    parents: tuple[tuple[str, str], ...] = ()  # (parent kind, response field), root first
    style: Literal["v1", "2010"] = "v1"
    ops: frozenset[Op] = ALL_OPS
    update_method: str = "POST"
    body: Literal["form", "json"] = "form"
    unique: tuple[Unique, ...] = ()
    filters: tuple[tuple[str, str], ...] = ()  # (query key, field); "field~": partial phone-number match
    links: tuple[tuple[str, str], ...] = ()  # (name, sub-path of the instance)
    list_hides: tuple[str, ...] = ()  # shown as null in list results
    dates: tuple[str, ...] = ("date_created", "date_updated")
    alt_key: str | None = None  # a field that may stand in for the SID in paths (e.g. unique_name)

    @property
    def suffix(self) -> str:
        return ".json" if self.style == "2010" else ""

    @property
    def host(self) -> str:
        return f"https://{self.product}.twilio.com"


@dataclass
class Ctx:
    """One API request, authenticated, with its parsed body."""

    store: Store
    account: str
    now: str
    method: str
    product: str
    path: str
    query: Mapping[str, list[str]]
    form: Mapping[str, list[str]] = field(default_factory=dict)
    json: Any = None
    content_type: str = ""
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    deliveries: list[dict[str, Any]] = field(
        default_factory=list
    )  # webhooks to send once the request commits

    @property
    def webhooks_enabled(self) -> bool:
        """``X-Twilio-Webhook-Enabled: true``: a REST write that fires the post-event webhooks."""
        return str(self.headers.get("X-Twilio-Webhook-Enabled", "")).lower() == "true"

    def q(self, key: str) -> str | None:
        values = self.query.get(key)
        return values[0] if values else None

    def f(self, key: str) -> str | None:
        values = self.form.get(key)
        return values[0] if values else None


@dataclass(frozen=True)
class Reply:
    status: int
    body: Any = None


Handler = Callable[[Ctx, dict[str, str]], Reply]


@dataclass(frozen=True)
class Route:
    method: str
    product: str
    pattern: re.Pattern[str]
    handler: Handler


CreateHook = Callable[[Ctx, list[Record], Record], None]
UpdateHook = Callable[[Ctx, Record, Record, dict[str, Any]], None]
DeleteHook = Callable[[Ctx, Record], None]
ViewHook = Callable[[Ctx, Record, dict[str, Any], bool], None]


@dataclass(frozen=True)
class Hooks:
    """Where Twilio behaves specially: called inside the request's transaction; raise ApiError to refuse."""

    before_create: CreateHook | None = None
    after_create: CreateHook | None = None
    before_update: UpdateHook | None = None
    before_delete: DeleteHook | None = None
    after_delete: DeleteHook | None = None
    view: ViewHook | None = None


NO_HOOKS = Hooks()


# -- nested values ----------------------------------------------------------------------------------
def get_path(rec: Mapping[str, Any], name: str) -> Any:
    value: Any = rec
    for part in name.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def set_path(rec: dict[str, Any], name: str, value: Any) -> None:
    parts = name.split(".")
    target = rec
    for part in parts[:-1]:
        nxt = target.get(part)
        if not isinstance(nxt, dict):
            nxt = {}
            target[part] = nxt
        target = nxt
    target[parts[-1]] = value


def prune(value: Any) -> Any:
    """Drop null members of JSON objects, recursively."""
    if isinstance(value, dict):
        return {k: prune(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [prune(v) for v in value]
    return value


# -- request values ---------------------------------------------------------------------------------
def convert(fld: Field, raw: list[str]) -> Any:
    """A form value (all occurrences of the key) as the field's type."""
    if fld.type == "list":
        return list(raw)
    text = raw[0]
    if fld.type == "int":
        try:
            return int(text)
        except ValueError:
            raise invalid(f"Invalid {fld.key}: {text!r} is not an integer") from None
    if fld.type == "bool":
        if text.lower() not in ("true", "false"):
            raise invalid(f"Invalid {fld.key}: {text!r} is not a boolean")
        return text.lower() == "true"
    if fld.type == "json":
        try:
            return json.loads(text)
        except ValueError:
            raise invalid(f"Invalid {fld.key}: not valid JSON") from None
    return text


def check_value(fld: Field, value: Any) -> None:
    if fld.choices and value not in fld.choices:
        raise invalid(f"Invalid {fld.key}: {value!r} is not one of {', '.join(fld.choices)}")
    if fld.max_len is not None and isinstance(value, str) and len(value) > fld.max_len:
        raise invalid(f"Invalid {fld.key}: longer than {fld.max_len} characters")
    if fld.max_bytes is not None and isinstance(value, str) and len(value.encode()) > fld.max_bytes:
        raise invalid(f"Invalid {fld.key}: it can be a maximum of {fld.max_bytes} bytes in size")


def read_values(ctx: Ctx, kind: Kind, *, creating: bool) -> dict[str, Any]:
    """The fields this request sets, by field name. Unknown keys are ignored, as Twilio does."""
    out: dict[str, Any] = {}
    for fld in kind.fields:
        if fld.form == "" or (fld.create_only and not creating):
            continue
        if kind.body == "json":  # the SDK sends every key, null when unset: null means absent
            body = ctx.json if isinstance(ctx.json, dict) else {}
            value = prune(body.get(fld.name))
            present = value is not None
        else:
            raw = ctx.form.get(fld.key)
            present = bool(raw)
            value = convert(fld, raw) if raw else None
        if not present:
            if creating and fld.required:
                raise missing(fld.key)
            continue
        check_value(fld, value)
        out[fld.name] = value
    return out
