"""Messaging number pools, Flex configuration / FlexFlows / WebChannels, and Conversations addresses.

An address is refused without the form Twilio writes its type in (``whatsapp:+…``, ``messenger:<page id>``, an
E.164 number for SMS): 20001, Twilio's invalid-parameter code (the address's own code is unverified). Auto-creation
is refused without a type (45762 "Auto create type is empty or invalid") and Studio auto-creation without the flow
it starts (45763 "Auto create studio flow SID missing"): both codes and messages are Twilio's, documented for Flex's
validation of an address configuration (twilio.com/docs/api/errors/45762, /45763); whether the REST create answers
with them or only Flex does later is unverified. A flow SID not of the OpenAPI file's pattern ``^FW[0-9a-fA-F]{32}$``
is refused with 20001, and so is a Messenger address for a Facebook Page the console has not connected (seed
``facebook_pages``; the code Twilio answers with is unverified)."""

from __future__ import annotations

import re
from typing import Any

from deh_deploy.sandbox.crud import template_regex
from deh_deploy.sandbox.errors import ApiError, invalid, not_found
from deh_deploy.sandbox.model import Ctx, Hooks, Reply, Route, get_path
from deh_deploy.sandbox.store import Record

POOL_LIMIT = 400


def pool_before_create(ctx: Ctx, parents: list[Record], rec: Record) -> None:
    sid = rec["_phone_number_sid"]
    number = ctx.store.get("api.incoming_number", ctx.account, sid)
    if number is None:
        raise ApiError(400, 21421, f"PhoneNumberSid {sid} is not a phone number of this account")
    service = parents[-1]
    held = ctx.store.get("messaging.phone_number", ctx.account, sid)
    if held is not None:
        if held["service_sid"] == service["sid"]:
            raise ApiError(
                409, 21710, f"Phone Number {number['phone_number']} is already in the Messaging Service"
            )
        raise ApiError(
            400,
            21712,
            "Phone Number or Short Code is already associated with another Messaging Service "
            + str(held["service_sid"]),
        )
    if len(ctx.store.select("messaging.phone_number", ctx.account, service["sid"])) >= POOL_LIMIT:
        raise ApiError(
            400, 21714, f"Messaging Service {service['sid']} already holds {POOL_LIMIT} phone numbers"
        )
    caps = number.get("capabilities") or {}
    if not (caps.get("sms") or caps.get("mms")):
        raise ApiError(400, 21715, f"Phone Number {number['phone_number']} is not SMS or MMS capable")
    rec.update(
        sid=sid,
        phone_number=number["phone_number"],
        country_code=number.get("_iso_country"),
        capabilities=[
            name for key, name in (("voice", "Voice"), ("sms", "SMS"), ("mms", "MMS")) if caps.get(key)
        ],
    )


def web_channel_before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    if ctx.store.get("flex.flex_flow", ctx.account, rec["flex_flow_sid"]) is None:
        raise invalid(f"Invalid FlexFlowSid: {rec['flex_flow_sid']} does not exist")


ADDRESS_FORMS = {
    "sms": re.compile(r"^\+[1-9][0-9]{6,14}$"),
    "whatsapp": re.compile(r"^whatsapp:\+[1-9][0-9]{6,14}$"),
    "messenger": re.compile(r"^messenger:[0-9]{5,20}$"),
}
"""How an address of a type is written, for the types deh-deploy uses that have a fixed form."""


FLOW_SID = re.compile(r"^FW[0-9a-fA-F]{32}$")  # twilio_conversations_v1.json, AutoCreation.StudioFlowSid
AUTO_CREATE_TYPE_INVALID = 45762
AUTO_CREATE_FLOW_MISSING = 45763


def _check_address(rec: Record) -> None:
    form = ADDRESS_FORMS.get(str(rec.get("type")))
    if form is not None and not form.match(str(rec.get("address") or "")):
        raise invalid(f"Address {rec.get('address')} is not a valid {rec['type']} address")
    enabled = get_path(rec, "auto_creation.enabled")
    kind = get_path(rec, "auto_creation.type")
    flow = get_path(rec, "auto_creation.studio_flow_sid")
    if enabled and not kind:
        raise ApiError(
            400,
            AUTO_CREATE_TYPE_INVALID,
            "Failed to validate address configuration. Auto create type is empty or invalid.",
        )
    if enabled and kind == "studio" and not flow:
        raise ApiError(
            400,
            AUTO_CREATE_FLOW_MISSING,
            "Unable to validate address configuration. Auto create studio flow SID missing. "
            "(AutoCreation.StudioFlowSid is required when AutoCreation.Type is studio)",
        )
    if flow and not FLOW_SID.match(str(flow)):
        raise invalid(f"Invalid AutoCreation.StudioFlowSid: {flow} is not a Studio flow SID (FW…)")


def address_before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    _check_address(rec)
    if rec.get("type") == "messenger":
        from deh_deploy.sandbox.world import page_connected

        page = str(rec["address"]).removeprefix("messenger:")
        if not page_connected(ctx, page):
            raise invalid(f"Facebook Page {page} is not connected to this account")


def address_before_update(_ctx: Ctx, _old: Record, new: Record, _changes: dict[str, Any]) -> None:
    _check_address(new)


HOOKS = {
    "messaging.phone_number": Hooks(before_create=pool_before_create),
    "conversations.address": Hooks(before_create=address_before_create, before_update=address_before_update),
    "flex.web_channel": Hooks(before_create=web_channel_before_create),
}


# -- Flex configuration (one per account) -----------------------------------------------------------
def flex_configuration(ctx: Ctx) -> Record:
    rec = ctx.store.get("flex.configuration", ctx.account, ctx.account)
    if rec is None:
        raise not_found(ctx.path)
    return rec


def _config_view(rec: Record) -> dict[str, Any]:
    out = {k: v for k, v in rec.items() if not k.startswith("_") and k != "sid"}
    out["url"] = "https://flex-api.twilio.com/v1/Configuration"
    return out


def configuration_fetch(ctx: Ctx, _params: dict[str, str]) -> Reply:
    return Reply(200, _config_view(flex_configuration(ctx)))


def configuration_update(ctx: Ctx, _params: dict[str, str]) -> Reply:
    rec = flex_configuration(ctx)
    if not isinstance(ctx.json, dict):
        raise invalid("Expected a JSON object body")
    fixed = ("account_sid", "sid", "url", "date_created", "flex_instance_sid", "flex_service_instance_sid")
    for key, value in ctx.json.items():
        if key not in fixed and not key.startswith("_"):
            rec[key] = value
    rec["date_updated"] = ctx.now
    ctx.store.save("flex.configuration", rec)
    return Reply(200, _config_view(rec))


def default_configuration(
    ctx: Ctx, *, workspace: Record, workflow: Record, queue: Record, offline: Record
) -> Record:
    """The configuration Flex creates with a new account (values shaped like Twilio's)."""
    sids = {p: ctx.store.next_sid(p[:2]) for p in ("IS", "ISflex", "GO", "MG")}
    rec: Record = {
        "sid": ctx.account,
        "account_sid": ctx.account,
        "date_created": ctx.now,
        "date_updated": ctx.now,
        "attributes": {},
        "status": "ok",
        "taskrouter_workspace_sid": workspace["sid"],
        "taskrouter_target_workflow_sid": workflow["sid"],
        "taskrouter_target_taskqueue_sid": queue["sid"],
        "taskrouter_taskqueues": [{"sid": queue["sid"], "targettable": True}],
        "taskrouter_skills": [],
        "taskrouter_worker_channels": {},
        "taskrouter_worker_attributes": {},
        "taskrouter_offline_activity_sid": offline["sid"],
        "runtime_domain": f"sandbox-{sids['GO'][2:6]}.twil.io",
        "messaging_service_instance_sid": sids["MG"],
        "chat_service_instance_sid": sids["IS"],
        "flex_service_instance_sid": sids["ISflex"],
        "flex_instance_sid": sids["GO"],
        "ui_language": "en",
        "ui_attributes": {},
        "ui_dependencies": {},
        "ui_version": "2.x",
        "service_version": "1.0",
        "call_recording_enabled": False,
        "crm_enabled": False,
        "plugin_service_enabled": True,
        "integrations": [],
        "serverless_service_sids": [],
        "channel_configs": [],
        "flex_url": "https://flex.twilio.com/sandbox",
    }
    ctx.store.insert("flex.configuration", ctx.account, "", rec)
    return rec


ROUTES = [
    Route("GET", "flex-api", template_regex("/v1/Configuration"), configuration_fetch),
    Route("POST", "flex-api", template_regex("/v1/Configuration"), configuration_update),
]
