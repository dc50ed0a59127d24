"""The world a new sandbox account starts in, so that an apply works offline.

- Flex's TaskRouter workspace "Flex Task Assignment": activities Offline (default), Available, Unavailable,
  Break; task channels default, voice, chat, sms, video, email; the queue "Everyone" and the workflow
  "Assign to Anyone" that Flex creates; and the Flex configuration pointing at them.
- Available numbers (20 per block below), all valid per libphonenumber. Local and mobile numbers take
  voice and SMS (US local numbers MMS too), toll-free numbers outside the US voice only. Which HU, MN and
  JO numbers take SMS on the real Twilio is unverified: seed voice-only numbers to test that case.
- Regulations for every (country, type) offered; HU, MN and JO *local* numbers require a bundle, and each
  account holds one approved bundle for each of those (find it with the Bundles list, IsoCountry and
  NumberType filters).
"""

from __future__ import annotations

import json
import re
from typing import Any

from deh_deploy.errors import UsageError
from deh_deploy.sandbox.channels import default_configuration
from deh_deploy.sandbox.crud import add_record as add
from deh_deploy.sandbox.model import Ctx
from deh_deploy.sandbox.store import Record
from deh_deploy.sandbox.taskrouter import populate_workspace

FLEX_WORKSPACE = "Flex Task Assignment"
BLOCK_SIZE = 20
VOICE = {"voice": True, "sms": False, "mms": False}
VOICE_SMS = {"voice": True, "sms": True, "mms": False}
ALL = {"voice": True, "sms": True, "mms": True}

# (iso, type, E.164 prefix: two more digits make a number, capabilities, locality)
BLOCKS: tuple[tuple[str, str, str, dict[str, bool], str | None], ...] = (
    ("HU", "local", "+36123456", VOICE_SMS, "Budapest"),
    ("HU", "mobile", "+362012345", VOICE_SMS, None),
    ("MN", "local", "+976113123", VOICE_SMS, "Ulaanbaatar"),
    ("MN", "mobile", "+976881123", VOICE_SMS, None),
    ("JO", "local", "+962652345", VOICE_SMS, "Amman"),
    ("JO", "mobile", "+9627912345", VOICE_SMS, None),
    ("NL", "local", "+312012345", VOICE_SMS, "Amsterdam"),
    ("NL", "mobile", "+316123456", VOICE_SMS, None),
    ("NL", "toll-free", "+3180012345", VOICE, None),
    ("US", "local", "+141555501", ALL, "San Francisco"),
    ("US", "toll-free", "+188855501", VOICE_SMS, None),
    ("GB", "local", "+4420794601", VOICE_SMS, "London"),
    ("GB", "mobile", "+4477001234", VOICE_SMS, None),
    ("GB", "toll-free", "+4480815701", VOICE, None),
)
BUNDLE_REQUIRED = (("HU", "local"), ("MN", "local"), ("JO", "local"))


def add_available(ctx: Ctx, number: dict[str, Any]) -> None:
    """Offer a number for sale (seed format: phone_number, iso_country, number_type, capabilities, ...)."""
    data = {
        "phone_number": number["phone_number"],
        "iso_country": number["iso_country"].upper(),
        "number_type": number.get("number_type", "local"),
        "capabilities": {**VOICE_SMS, **number.get("capabilities", {})},
        "address_requirements": number.get("address_requirements", "none"),
        "locality": number.get("locality"),
        "region": number.get("region"),
        "beta": bool(number.get("beta", False)),
    }
    ctx.store.put_number(ctx.account, data, state="available")


def _requirements(iso: str, *, required: bool) -> dict[str, Any]:
    """What a regulation asks for, in the shape of Twilio's ``requirements``: a required one names an end user and
    a supporting document (so a client tells required from not by the lists, as on Twilio); others name none."""
    if not required:
        return {"end_user": [], "supporting_document": []}
    return {
        "end_user": [{"name": "Business", "type": "business", "requirement_name": f"{iso.lower()}_business"}],
        "supporting_document": [
            {"name": "Proof of address", "type": "document", "requirement_name": "proof_of_address"}
        ],
    }


def add_regulation(ctx: Ctx, iso: str, number_type: str, *, required: bool) -> Record:
    for reg in ctx.store.select("numbers.regulation", ctx.account):
        if (reg["iso_country"], reg["number_type"]) == (iso, number_type):
            reg["_required"] = required
            reg["requirements"] = _requirements(iso, required=required)
            ctx.store.save("numbers.regulation", reg)
            return reg
    values = {
        "friendly_name": f"{iso} {number_type} business regulation",
        "iso_country": iso,
        "number_type": number_type,
        "end_user_type": "business",
        "requirements": _requirements(iso, required=required),
    }
    reg = add(ctx, "numbers.regulation", [], values)
    reg["_required"] = required
    ctx.store.save("numbers.regulation", reg)
    return reg


def add_bundle(
    ctx: Ctx,
    iso: str,
    number_type: str,
    *,
    status: str = "twilio-approved",
    name: str = "",
    sid: str | None = None,
) -> Record:
    """A bundle for (country, type), with the SID given (a Society's real bundle) or a new one."""
    reg = add_regulation(ctx, iso, number_type, required=True)
    if sid is not None:
        if not re.fullmatch(r"BU[0-9a-fA-F]{32}", sid):
            raise UsageError(f"not a bundle SID: {sid!r}")
        ctx.store.delete("numbers.bundle", sid)  # seeding again replaces it
    values = {
        "regulation_sid": reg["sid"],
        "friendly_name": name or f"Sandbox {iso} {number_type} bundle",
        "status": status,
        "email": "sandbox@example.org",
        "valid_until": None,
    }
    bundle = add(ctx, "numbers.bundle", [], values, sid=sid)
    bundle.update(_iso_country=iso, _number_type=number_type, _end_user_type="business")
    ctx.store.save("numbers.bundle", bundle)
    return bundle


def add_sender(ctx: Ctx, sender_id: str, *, status: str = "ONLINE") -> Record:
    """A WhatsApp sender registered on the account (``whatsapp:+<E.164>``), as the Senders API lists it. Seeding
    the same sender again sets its status."""
    channel, _, address = sender_id.partition(":")
    if channel != "whatsapp" or not re.fullmatch(r"\+[1-9][0-9]{6,14}", address):
        raise UsageError(f"not a WhatsApp sender id: {sender_id!r}")
    for rec in ctx.store.select("messaging.channels_sender", ctx.account):
        if rec["sender_id"] == sender_id:
            rec["status"] = status
            ctx.store.save("messaging.channels_sender", rec)
            return rec
    rec = add(ctx, "messaging.channels_sender", [], {"sender_id": sender_id, "status": status})
    rec["_channel"] = channel
    ctx.store.save("messaging.channels_sender", rec)
    return rec


FACEBOOK_PAGE = "sandbox.facebook_page"  # no Twilio resource: what the console's Messenger setup leaves


def connect_page(ctx: Ctx, page_id: str) -> None:
    """A Facebook Page connected to the account in the console (Messaging > Senders > Facebook Messenger): the
    only way Twilio gets one, and nothing any Twilio API lists. A Messenger address needs it."""
    if not re.fullmatch(r"[0-9]{5,20}", page_id):
        raise UsageError(f"not a Facebook Page id: {page_id!r}")
    sid = f"{ctx.account}:{page_id}"
    if ctx.store.get(FACEBOOK_PAGE, ctx.account, sid) is None:
        ctx.store.insert(FACEBOOK_PAGE, ctx.account, "", {"sid": sid, "page_id": page_id})


def page_connected(ctx: Ctx, page_id: str) -> bool:
    return ctx.store.get(FACEBOOK_PAGE, ctx.account, f"{ctx.account}:{page_id}") is not None


def _flex(ctx: Ctx) -> None:
    ws = add(ctx, "taskrouter.workspace", [], {"friendly_name": FLEX_WORKSPACE})
    acts = populate_workspace(ctx, ws, extra_activities=("Break",))
    queue = add(
        ctx,
        "taskrouter.task_queue",
        [ws],
        {"friendly_name": "Everyone", "target_workers": "1==1", "max_reserved_workers": 1},
    )
    config = {
        "task_routing": {
            "filters": [
                {
                    "filter_friendly_name": "Everyone",
                    "expression": "1==1",
                    "targets": [{"queue": queue["sid"]}],
                }
            ],
            "default_filter": {"queue": queue["sid"]},
        }
    }
    workflow = add(
        ctx,
        "taskrouter.workflow",
        [ws],
        {
            "friendly_name": "Assign to Anyone",
            "configuration": json.dumps(config),
            "task_reservation_timeout": 120,
        },
    )
    default_configuration(ctx, workspace=ws, workflow=workflow, queue=queue, offline=acts["Offline"])


def populate_account(ctx: Ctx) -> None:
    """Everything a brand-new account has; runs once, inside the account's creation transaction."""
    _flex(ctx)
    for iso, number_type, prefix, caps, locality in BLOCKS:
        add_regulation(ctx, iso, number_type, required=(iso, number_type) in BUNDLE_REQUIRED)
        for i in range(BLOCK_SIZE):
            add_available(
                ctx,
                {
                    "phone_number": f"{prefix}{i:02d}",
                    "iso_country": iso,
                    "number_type": number_type,
                    "capabilities": caps,
                    "locality": locality,
                },
            )
    for iso, number_type in BUNDLE_REQUIRED:
        add_bundle(ctx, iso, number_type)


# Number types the sandbox sells in any other country, from libphonenumber's example of each type.
_TYPES = (
    ("local", "FIXED_LINE", VOICE_SMS),
    ("mobile", "MOBILE", VOICE_SMS),
    ("toll-free", "TOLL_FREE", VOICE),
)
OTHER_BLOCK_SIZE = 5


def offer_country(ctx: Ctx, iso: str) -> None:
    """Put a country's numbers on sale the first time an account asks for it: every region libphonenumber knows
    (numbers valid per libphonenumber, varied from its example number), so a new country applies to the sandbox
    instead of meeting a bare 404. Its regulations are marked unknown: no source says what Twilio asks there,
    so none is required here."""
    import phonenumbers

    if iso not in phonenumbers.SUPPORTED_REGIONS:
        return
    if any(reg["iso_country"] == iso for reg in ctx.store.select("numbers.regulation", ctx.account)):
        return  # offered already (a block above, or an earlier ask)
    for number_type, kind, caps in _TYPES:
        example = phonenumbers.example_number_for_type(iso, getattr(phonenumbers.PhoneNumberType, kind))
        if example is None:
            continue
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        offered = 0
        for i in range(100):
            candidate = f"{e164[:-2]}{i:02d}"
            if offered == OTHER_BLOCK_SIZE or not phonenumbers.is_valid_number(phonenumbers.parse(candidate)):
                continue
            add_available(
                ctx,
                {
                    "phone_number": candidate,
                    "iso_country": iso,
                    "number_type": number_type,
                    "capabilities": caps,
                },
            )
            offered += 1
        if offered:
            reg = add_regulation(ctx, iso, number_type, required=False)
            reg["_requirements"] = "unknown"
            ctx.store.save("numbers.regulation", reg)
