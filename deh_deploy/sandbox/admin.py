"""Sandbox administration, over HTTP under ``/_sandbox/`` (JSON) and as Python functions.

``POST /_sandbox/accounts {sid, auth_token?}`` -> ``{sid, auth_token}``;
``POST /_sandbox/api_keys {account}`` -> ``{sid, secret}``; ``POST /_sandbox/seed {account, <sections>}``;
``GET|DELETE /_sandbox/requests``;
``GET|POST /_sandbox/faults``; ``GET /_sandbox/health``;
``POST /_sandbox/conversations/messages {account, conversation_sid, author, body?, media?}`` -> an agent writes
in Flex (``Source=SDK``, webhooks fire); ``GET /_sandbox/webhooks`` -> the post-event webhooks sent.

Over HTTP every endpoint but health needs the sandbox's admin token (``Authorization: Bearer …``, from
``<db>.admin-token``) and JSON bodies; see :mod:`deh_deploy.sandbox.guard`.

Seed sections (each a list of objects):

- ``available_numbers``: ``{phone_number, iso_country, number_type?, capabilities?{voice,sms,mms},
  address_requirements?, locality?, region?}`` -> offered for sale.
- ``regulations``: ``{iso_country, number_type, required?=true}`` -> whether buying needs a bundle.
- ``bundles``: ``{iso_country, number_type, sid?, status?="twilio-approved", friendly_name?}`` -> SIDs
  returned; with ``sid`` the bundle gets that SID (a Society's real bundle), replacing an earlier one.
- ``incoming_numbers``: ``{phone_number, iso_country?, number_type?, friendly_name?, voice_url?, sms_url?,
  capabilities?}`` -> numbers "bought by hand" (SIDs returned).
- ``flow_definitions``: ``{sid, definition}`` -> someone edited the flow in the console (new revision).
- ``content_approvals``: ``{sid, status: approved|rejected|pending|received, rejection_reason?}``.
- ``taskrouter_events``: ``{workspace_sid, event_type, event_date, event_data?, resource_sid?, sid?}`` -> events
  in the workspace's Events log (what TaskRouter logged while a webhook was not delivered); SIDs returned.
- ``senders``: ``{sender_id: "whatsapp:+<E.164>", status?="ONLINE"}`` -> a WhatsApp sender registered on the
  account, as the Senders API lists it (SIDs returned).
- ``facebook_pages``: page ids -> Facebook Pages connected in the console; a Messenger address needs its Page.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Mapping
from typing import Any

import phonenumbers

from deh_deploy.errors import UsageError
from deh_deploy.sandbox import conversations, studio, taskrouter, world
from deh_deploy.sandbox.content import set_approval
from deh_deploy.sandbox.core import Core
from deh_deploy.sandbox.crud import add_record
from deh_deploy.sandbox.errors import ApiError
from deh_deploy.sandbox.faults import Faults
from deh_deploy.sandbox.model import Ctx
from deh_deploy.sandbox.render import iso_now

ACCOUNT = re.compile(r"^AC[0-9a-fA-F]{32}$")
SECTIONS = (
    "countries",
    "available_numbers",
    "regulations",
    "bundles",
    "incoming_numbers",
    "flow_definitions",
    "content_approvals",
    "taskrouter_events",
    "senders",
    "facebook_pages",
)


def system_ctx(core: Core, account: str) -> Ctx:
    return Ctx(store=core.store, account=account, now=iso_now(), method="SEED", product="", path="", query={})


def ensure_account(core: Core, sid: str, auth_token: str | None = None) -> str:
    """Create the account (with its default world) unless it exists; returns its auth token."""
    if not ACCOUNT.match(sid):
        raise UsageError(f"not an account SID: {sid!r}")
    with core.store.transaction():
        token = core.store.account_token(sid)
        if token is not None:
            if auth_token is not None and auth_token != token:
                core.store.put_account(sid, auth_token, iso_now())
                return auth_token
            return token
        token = auth_token or secrets.token_hex(16)
        core.store.put_account(sid, token, iso_now())
        world.populate_account(system_ctx(core, sid))
        return token


def ensure_api_key(core: Core, account: str) -> tuple[str, str]:
    """The account's API key ``(SK…, secret)``, created on first use."""
    with core.store.transaction():
        if core.store.account_token(account) is None:
            raise UsageError(f"no such sandbox account: {account}")
        key = core.store.first_api_key(account)
        if key is None:
            key = (core.store.next_sid("SK"), secrets.token_urlsafe(24))
            core.store.put_api_key(key[0], account, key[1])
        return key


def _incoming(ctx: Ctx, spec: Mapping[str, Any]) -> str:
    phone = str(spec["phone_number"])
    iso = spec.get("iso_country") or phonenumbers.region_code_for_number(phonenumbers.parse(phone))
    number_type = spec.get("number_type", "local")
    caps = {"voice": True, "sms": True, "mms": False, "fax": False, **spec.get("capabilities", {})}
    world.add_available(ctx, {"phone_number": phone, "iso_country": iso, "number_type": number_type})
    values = {
        k: spec[k]
        for k in ("friendly_name", "voice_url", "sms_url", "voice_method", "sms_method")
        if k in spec
    }
    values.setdefault("friendly_name", phone)
    values.update(phone_number=phone, capabilities=caps, type=number_type)
    rec = add_record(ctx, "api.incoming_number", [], values)
    rec["_iso_country"] = iso
    ctx.store.save("api.incoming_number", rec)
    ctx.store.set_number_state(ctx.account, phone, "owned")
    return str(rec["sid"])


def _flow(ctx: Ctx, spec: Mapping[str, Any]) -> int:
    rec = ctx.store.get("studio.flow", ctx.account, str(spec["sid"]))
    if rec is None:
        raise UsageError(f"no flow {spec['sid']} in account {ctx.account}")
    new = {**rec, "definition": spec["definition"], "date_updated": ctx.now}
    studio.before_update(ctx, rec, new, {"definition": spec["definition"]})
    ctx.store.save("studio.flow", new)
    return int(new["revision"])


def agent_message(core: Core, account: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    """An agent's message in a conversation, as Flex adds it; its webhooks are sent once it is stored."""
    if core.store.account_token(account) is None:
        raise UsageError(f"no such sandbox account: {account}")
    ctx = system_ctx(core, account)
    try:
        with core.store.transaction():
            out = conversations.agent_message(ctx, spec)
    except (KeyError, TypeError) as exc:
        raise UsageError(f"bad message: {exc!r}") from exc
    except ApiError as exc:
        raise UsageError(f"bad message: {exc.message}") from exc
    core.webhooks.submit(ctx.deliveries)
    return out


def seed(core: Core, account: str, spec: Mapping[str, Any]) -> dict[str, Any]:
    """Apply seed sections to an existing account; returns what was created."""
    unknown = sorted(set(spec) - set(SECTIONS))
    if unknown:
        raise UsageError(f"unknown seed section(s): {', '.join(unknown)}")
    if core.store.account_token(account) is None:
        raise UsageError(f"no such sandbox account: {account}")
    out: dict[str, Any] = {}
    ctx = system_ctx(core, account)
    try:
        with core.store.transaction():
            for iso in spec.get("countries", ()):
                world.offer_country(ctx, str(iso).upper())
            for num in spec.get("available_numbers", ()):
                world.add_available(ctx, num)
            out["available_numbers"] = len(spec.get("available_numbers", ()))
            for reg in spec.get("regulations", ()):
                world.add_regulation(
                    ctx, reg["iso_country"], reg["number_type"], required=reg.get("required", True)
                )
            out["bundles"] = [
                world.add_bundle(
                    ctx, b["iso_country"], b["number_type"], status=b.get("status", "twilio-approved"),
                    name=b.get("friendly_name", ""), sid=b.get("sid"),
                )["sid"]
                for b in spec.get("bundles", ())
            ]  # fmt: skip
            out["incoming_numbers"] = [_incoming(ctx, n) for n in spec.get("incoming_numbers", ())]
            out["flow_revisions"] = [_flow(ctx, f) for f in spec.get("flow_definitions", ())]
            out["senders"] = [
                world.add_sender(ctx, x["sender_id"], status=x.get("status", "ONLINE"))["sid"]
                for x in spec.get("senders", ())
            ]
            for page in spec.get("facebook_pages", ()):
                world.connect_page(ctx, str(page))
            for app in spec.get("content_approvals", ()):
                set_approval(ctx, app["sid"], app["status"], app.get("rejection_reason", ""))
            out["taskrouter_events"] = [
                taskrouter.add_event(ctx, e) for e in spec.get("taskrouter_events", ())
            ]
    except (KeyError, TypeError, AttributeError, ValueError, phonenumbers.NumberParseException) as exc:
        raise UsageError(f"bad seed data: {exc!r}") from exc
    except ApiError as exc:
        raise UsageError(f"bad seed data: {exc.message}") from exc
    core.webhooks.submit(ctx.deliveries)  # events for the workspace's event callback
    return out


# -- HTTP -------------------------------------------------------------------------------------------
def handle(core: Core, method: str, path: str, body: bytes) -> tuple[int, Any]:
    """Serve ``/_sandbox/<path>``; returns (status, JSON body or None)."""
    try:
        data = json.loads(body) if body else {}
        if not isinstance(data, dict):
            raise UsageError("a JSON object is expected")
        return _admin(core, method, path.rstrip("/"), data)
    except ValueError as exc:  # JSONDecodeError
        return 400, {"message": f"invalid JSON: {exc}"}
    except UsageError as exc:
        return 400, {"message": str(exc)}


def _admin(core: Core, method: str, path: str, data: dict[str, Any]) -> tuple[int, Any]:
    if (method, path) == ("GET", "/_sandbox/health"):
        return 200, {"ok": True}
    if (method, path) == ("POST", "/_sandbox/accounts"):
        sid = str(data.get("sid", ""))
        return 201, {"sid": sid, "auth_token": ensure_account(core, sid, data.get("auth_token"))}
    if (method, path) == ("POST", "/_sandbox/api_keys"):
        key_sid, secret = ensure_api_key(core, str(data.get("account", "")))
        return 201, {"sid": key_sid, "secret": secret}
    if (method, path) == ("POST", "/_sandbox/seed"):
        account = str(data.pop("account", ""))
        return 200, seed(core, account, data)
    if (method, path) == ("POST", "/_sandbox/conversations/messages"):
        account = str(data.pop("account", ""))
        return 201, agent_message(core, account, data)
    if (method, path) == ("POST", "/_sandbox/hosts"):
        try:
            return 200, {"hosts": core.webhooks.map_hosts({str(k): str(v) for k, v in data.items()})}
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if (method, path) == ("GET", "/_sandbox/webhooks"):
        return 200, {"webhooks": core.webhooks.log()}
    if (method, path) == ("GET", "/_sandbox/requests"):
        return 200, {"requests": core.requests()}
    if (method, path) == ("DELETE", "/_sandbox/requests"):
        core.clear_requests()
        return 204, None
    if (method, path) == ("GET", "/_sandbox/faults"):
        return 200, core.gate.faults.to_json()
    if (method, path) == ("POST", "/_sandbox/faults"):
        core.gate.reset(Faults.from_json(data))
        return 200, core.gate.faults.to_json()
    return 404, {"message": f"no admin endpoint {method} {path}"}
