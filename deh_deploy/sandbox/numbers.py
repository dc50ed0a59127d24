"""Phone numbers and the 2010 API: the account, the number market (search, purchase, release), bundles.

A number is in one of three states per account: ``available`` (searchable, purchasable), ``owned`` (an
IncomingPhoneNumber exists) or ``released`` (cooling off: never offered again). Buying a number of a
(country, type) that has a regulation marked ``_required`` needs an approved bundle for that regulation.
"""

from __future__ import annotations

import re
from typing import Any

from deh_deploy.sandbox.crud import template_regex
from deh_deploy.sandbox.errors import ApiError, invalid, not_found
from deh_deploy.sandbox.model import Ctx, Hooks, Reply, Route
from deh_deploy.sandbox.render import paginate, rfc2822
from deh_deploy.sandbox.store import Record

API = "/2010-04-01/Accounts/{AccountSid}"
TYPE_PATHS = {
    "Local": "local",
    "Mobile": "mobile",
    "TollFree": "toll-free",
    "National": "national",
    "SharedCost": "shared-cost",
    "Voip": "voip",
    "MachineToMachine": "machine-to-machine",
}
COUNTRY_NAMES = {
    "HU": "Hungary",
    "MN": "Mongolia",
    "JO": "Jordan",
    "NL": "Netherlands",
    "US": "United States",
    "GB": "United Kingdom",
}


def available_view(num: Record) -> dict[str, Any]:
    caps = num.get("capabilities", {})
    return {
        "friendly_name": friendly(num["phone_number"]),
        "phone_number": num["phone_number"],
        "lata": None,
        "locality": num.get("locality"),
        "rate_center": None,
        "latitude": None,
        "longitude": None,
        "region": num.get("region"),
        "postal_code": None,
        "iso_country": num["iso_country"],
        "address_requirements": num.get("address_requirements", "none"),
        "beta": bool(num.get("beta", False)),
        "capabilities": {
            "voice": bool(caps.get("voice")),
            "SMS": bool(caps.get("sms")),
            "MMS": bool(caps.get("mms")),
        },
    }


def friendly(e164: str) -> str:
    m = re.fullmatch(r"\+1(\d{3})(\d{3})(\d{4})", e164)
    return f"({m[1]}) {m[2]}-{m[3]}" if m else e164


def _flag(ctx: Ctx, key: str) -> bool:
    return (ctx.q(key) or "").lower() == "true"


def _search(ctx: Ctx, iso: str, number_type: str) -> list[Record]:
    found = ctx.store.available_numbers(ctx.account, iso, number_type)
    caps = {"VoiceEnabled": "voice", "SmsEnabled": "sms", "MmsEnabled": "mms", "FaxEnabled": "fax"}
    for key, cap in caps.items():
        if _flag(ctx, key):
            found = [n for n in found if n.get("capabilities", {}).get(cap)]
    if (area := ctx.q("AreaCode")) and iso in ("US", "CA"):  # elsewhere Twilio ignores it
        found = [n for n in found if n["phone_number"].startswith(f"+1{area}")]
    if contains := ctx.q("Contains"):
        found = [n for n in found if _contains(contains).search(n["phone_number"][1:])]
    if _flag(ctx, "ExcludeAllAddressRequired"):
        found = [n for n in found if n.get("address_requirements", "none") == "none"]
    for key, req in (("ExcludeLocalAddressRequired", "local"), ("ExcludeForeignAddressRequired", "foreign")):
        if _flag(ctx, key):
            found = [n for n in found if n.get("address_requirements", "none") != req]
    for key, attr in (("InLocality", "locality"), ("InRegion", "region")):
        if wanted := ctx.q(key):
            found = [n for n in found if n.get(attr) == wanted]
    return found


def _contains(pattern: str) -> re.Pattern[str]:
    """Twilio's ``Contains``: ``*`` one character, ``%`` any run, ``+`` anchors the start, ``$`` the end;
    letters stand for their keypad digits."""
    keypad = {
        c: str(d)
        for d, cs in enumerate(("", "", "abc", "def", "ghi", "jkl", "mno", "pqrs", "tuv", "wxyz"))
        for c in cs
    }
    body = pattern.lower()
    start, end = body.startswith("+"), body.endswith("$")
    body = body.strip("+$")
    regex = "".join(
        "[0-9]" if c == "*" else "[0-9]*" if c == "%" else keypad.get(c, re.escape(c)) for c in body
    )
    return re.compile(("^" if start else "") + regex + ("$" if end else ""))


def _check_account(ctx: Ctx, params: dict[str, str]) -> None:
    if params.get("account") != ctx.account:
        raise ApiError(404, 20003, f"The requested resource {ctx.path} was not found for these credentials")


def search(ctx: Ctx, params: dict[str, str]) -> Reply:
    _check_account(ctx, params)
    number_type = TYPE_PATHS.get(params["p1"])
    if number_type is None or params["p0"].upper() not in _countries(ctx):  # a country not offered: 404
        raise not_found(ctx.path)
    found = _search(ctx, params["p0"].upper(), number_type)
    items = [(i, available_view(n)) for i, n in enumerate(found)]
    body = paginate(ctx, items, key="available_phone_numbers", style="2010", host="https://api.twilio.com")
    body["next_page_uri"] = None  # Twilio answers a search with one page
    return Reply(200, body)


def _country(ctx: Ctx, iso: str, types: list[str]) -> dict[str, Any]:
    base = f"/2010-04-01/Accounts/{ctx.account}/AvailablePhoneNumbers/{iso}"
    names = {v: k for k, v in TYPE_PATHS.items()}
    return {
        "country_code": iso,
        "country": COUNTRY_NAMES.get(iso, iso),
        "uri": base + ".json",
        "beta": False,
        "subresource_uris": {t.replace("-", "_"): f"{base}/{names[t]}.json" for t in types},
    }


def _countries(ctx: Ctx) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for iso, number_type in ctx.store.available_countries(ctx.account):
        out.setdefault(iso, []).append(number_type)
    return out


def countries(ctx: Ctx, params: dict[str, str]) -> Reply:
    _check_account(ctx, params)
    listing = [_country(ctx, iso, types) for iso, types in _countries(ctx).items()]
    return Reply(
        200, {"countries": listing, "uri": f"/2010-04-01/Accounts/{ctx.account}/AvailablePhoneNumbers.json"}
    )


def country(ctx: Ctx, params: dict[str, str]) -> Reply:
    _check_account(ctx, params)
    types = _countries(ctx).get(params["p0"].upper())
    if types is None:
        raise not_found(ctx.path)
    return Reply(200, _country(ctx, params["p0"].upper(), types))


def account(ctx: Ctx, params: dict[str, str]) -> Reply:
    _check_account(ctx, params)
    created = ctx.store.account_created(ctx.account) or ctx.now
    base = f"/2010-04-01/Accounts/{ctx.account}"
    subs = ("IncomingPhoneNumbers", "AvailablePhoneNumbers", "Addresses", "Calls", "Messages", "Applications")
    return Reply(
        200,
        {
            "auth_token": None,  # Twilio shows it; the sandbox never echoes a secret
            "date_created": rfc2822(created),
            "date_updated": rfc2822(created),
            "friendly_name": f"Sandbox {ctx.account}",
            "owner_account_sid": ctx.account,
            "sid": ctx.account,
            "status": "active",
            "subresource_uris": {
                re.sub(r"(?<!^)(?=[A-Z])", "_", s).lower(): f"{base}/{s}.json" for s in subs
            },
            "type": "Full",
            "uri": base + ".json",
        },
    )


# -- purchase and release ---------------------------------------------------------------------------
def _regulation(ctx: Ctx, iso: str, number_type: str) -> Record | None:
    for reg in ctx.store.select("numbers.regulation", ctx.account):
        if reg["iso_country"] == iso and reg["number_type"] == number_type and reg.get("_required"):
            return reg
    return None


def _pick(ctx: Ctx, rec: Record) -> Record:
    phone = rec.get("phone_number")
    if phone:
        entry = ctx.store.number(ctx.account, phone)
        if entry is None or entry[0] != "available":
            raise ApiError(400, 21422, f"PhoneNumber {phone} is not available")
        return entry[1]
    area = ctx.f("AreaCode")
    if not area:
        raise invalid("A 'PhoneNumber' or 'AreaCode' is required")
    found = [
        n for n in ctx.store.available_numbers(ctx.account, "US", "local") if n["phone_number"][2:5] == area
    ]
    if not found:
        raise ApiError(400, 21452, f"No phone numbers found in area code {area}")
    return found[0]


def before_purchase(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    num = _pick(ctx, rec)
    iso, number_type = num["iso_country"], num["number_type"]
    reg = _regulation(ctx, iso, number_type)
    if reg is not None:
        bundle = ctx.store.get("numbers.bundle", ctx.account, rec.get("bundle_sid") or "")
        if bundle is None or bundle["status"] != "twilio-approved" or bundle["regulation_sid"] != reg["sid"]:
            raise ApiError(
                400,
                21649,
                f"Phone Number Requires a Bundle: a {number_type} number in {iso} needs the BundleSid of an "
                f"approved bundle for regulation {reg['sid']}",
            )
    requirement = num.get("address_requirements", "none")
    if requirement != "none" and not re.fullmatch(r"AD[0-9a-fA-F]{32}", rec.get("address_sid") or ""):
        raise ApiError(
            400, 21631, "Phone Number Requires an Address but the 'AddressSid' parameter was empty."
        )
    caps = num.get("capabilities", {})
    rec.update(
        phone_number=num["phone_number"],
        friendly_name=rec.get("friendly_name") or friendly(num["phone_number"]),
        capabilities={k: bool(caps.get(k)) for k in ("voice", "sms", "mms", "fax")},
        address_requirements=requirement,
        beta=bool(num.get("beta", False)),
        type=number_type,
        _iso_country=iso,
    )
    if reg is None:
        rec["bundle_sid"] = None
    ctx.store.set_number_state(ctx.account, num["phone_number"], "owned")


def after_release(ctx: Ctx, rec: Record) -> None:
    """A released number cools off (never available again) and leaves any messaging service."""
    ctx.store.set_number_state(ctx.account, rec["phone_number"], "released")
    ctx.store.delete("messaging.phone_number", rec["sid"])


def before_update(_ctx: Ctx, _old: Record, new: Record, _changes: dict[str, Any]) -> None:
    """A webhook set to an empty value is cleared: Twilio then shows no URL (null), not an empty one."""
    for key, value in list(new.items()):
        if key.endswith("_url") and value == "":
            new[key] = None


HOOKS = {
    "api.incoming_number": Hooks(
        before_create=before_purchase, before_update=before_update, after_delete=after_release
    )
}

_AVAILABLE = API + "/AvailablePhoneNumbers"
ROUTES = [
    Route("GET", "api", template_regex(API + ".json"), account),
    Route("GET", "api", template_regex(_AVAILABLE + ".json"), countries),
    Route("GET", "api", template_regex(_AVAILABLE + "/{Country}.json"), country),
    Route("GET", "api", template_regex(_AVAILABLE + "/{Country}/{Type}.json"), search),
]
