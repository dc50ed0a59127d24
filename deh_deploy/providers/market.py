"""The number market as a purchase meets it: the search it makes (Contains outside the US and Canada, numbers
that need an address left out unless one is given) and what Twilio asks first (an approved regulatory bundle, an
address), checked at plan with reads only, so that apply never fails on them half-way."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deh_deploy.errors import PlanError

if TYPE_CHECKING:  # the kinds package imports this module while it loads
    from deh_deploy.providers.kinds.base import Attrs, Ctx

# Twilio's AreaCode filter applies to numbers in the US and Canada only (AvailablePhoneNumbers, AreaCode).
AREA_CODE_COUNTRIES = ("US", "CA")


def search_criteria(attrs: Attrs) -> dict[str, Any]:
    """The search filters for a number to buy, in the SDK's names.

    An area code outside the US and Canada (which Twilio would silently ignore) becomes a ``Contains`` pattern
    anchored at the start, ``+<country code><area code>``; without an address in the config, numbers that need
    one are left out, since buying them would fail (21631)."""
    import phonenumbers

    buy = attrs.get("buy", {})
    country = str(attrs.get("country", "")).upper()
    criteria: dict[str, Any] = {}
    if buy.get("contains"):
        criteria["contains"] = buy["contains"]
    if buy.get("area_code"):
        if country in AREA_CODE_COUNTRIES:
            criteria["area_code"] = buy["area_code"]
        elif "contains" not in criteria:
            criteria["contains"] = f"+{phonenumbers.country_code_for_region(country)}{buy['area_code']}"
    if not attrs.get("address_sid") and not attrs.get("address_sid_env"):
        criteria["exclude_all_address_required"] = True
    return criteria


def configured_sid(attrs: Attrs, key: str, *, where: str = "") -> str | None:
    """A bundle or address SID as the config gives it: written (``bundle_sid``) or in the environment variable it
    names (``bundle_sid_env``), read at plan and apply. A named variable that is not set, or holds no SID of the
    kind, stops the plan in one line."""
    import os
    import re

    if attrs.get(key):
        return str(attrs[key])
    name = attrs.get(f"{key}_env")
    if not name:
        return None
    value = os.environ.get(str(name), "").strip()
    prefix = {"bundle_sid": "BU", "address_sid": "AD"}[key]
    if not re.fullmatch(prefix + r"[0-9a-fA-F]{32}", value):
        held = "is not set" if not value else f"does not hold a SID ({prefix} and 32 hex digits)"
        raise PlanError(f"{where}{': ' if where else ''}{key}_env names {name}, which {held}")
    return value


def offers(ctx: Ctx, attrs: Attrs, *, limit: int) -> list[Any]:
    """Numbers on sale to this account that the purchase would take (a read: plan searches too)."""
    from twilio.base.exceptions import TwilioException

    search = ctx.client.api.v2010.account.available_phone_numbers(attrs["country"])
    offer = {"local": search.local, "mobile": search.mobile, "toll-free": search.toll_free}[attrs["type"]]
    needs = {f"{c}_enabled": True for c in attrs.get("capabilities", ())}
    try:
        return list(offer.list(limit=limit, **needs, **search_criteria(attrs)))
    except TwilioException as exc:
        # A country Twilio sells no numbers of the type in, to this account: a 404 (from the SDK's page fetch,
        # which carries the response rather than a status).
        response = exc.args[1] if len(exc.args) > 1 else None
        if getattr(exc, "status", None) == 404 or getattr(response, "status_code", None) == 404:
            return []
        raise


def check_bundle(ctx: Ctx, attrs: Attrs, what: str) -> None:
    """Before a purchase (at plan, read-only): where Twilio lists a regulation with requirements for the country
    and number type, an approved bundle for it must be named, else the purchase fails with 21649. A regulation
    with no requirements, or none at all, asks for nothing. The regulations and the bundle are read side by side."""
    from concurrent.futures import ThreadPoolExecutor

    compliance = ctx.client.numbers.v2.regulatory_compliance
    bundle_sid = configured_sid(attrs, "bundle_sid", where=what.partition(":")[0])
    with ThreadPoolExecutor(max_workers=1) as pool:
        listed = pool.submit(
            lambda: list(
                compliance.regulations.list(
                    iso_country=attrs["country"], number_type=attrs["type"], end_user_type="business"
                )
            )
        )
        bundle = _bundle(ctx, str(bundle_sid)) if bundle_sid else None
        regulations = listed.result()
    needed = [r for r in regulations if any((r.requirements or {}).values())]
    if not bundle_sid:
        if needed:
            raise PlanError(
                f"{what} needs an approved regulatory bundle (regulation {needed[0].sid}): set bundle_sid"
            )
        return
    if bundle is None:
        raise PlanError(f"{what}: bundle {bundle_sid} is not on this account")
    if bundle.status != "twilio-approved":
        raise PlanError(f"{what}: bundle {bundle_sid} is {bundle.status}, not twilio-approved")
    if needed and bundle.regulation_sid not in {r.sid for r in needed}:
        raise PlanError(f"{what}: bundle {bundle_sid} is for another regulation than {needed[0].sid}")


def _bundle(ctx: Ctx, sid: str) -> Any:
    from twilio.base.exceptions import TwilioRestException

    try:
        return ctx.client.numbers.v2.regulatory_compliance.bundles(sid).fetch()
    except TwilioRestException as exc:
        if exc.status == 404:
            return None
        raise


def matching(attrs: Attrs) -> str:
    shown = {k: v for k, v in search_criteria(attrs).items() if k != "exclude_all_address_required"}
    needs = ", ".join(attrs.get("capabilities", ()))
    parts = [*(f"{k} {v}" for k, v in shown.items()), *([f"with {needs}"] if needs else [])]
    return f" ({'; '.join(parts)})" if parts else ""


def describe(attrs: Attrs) -> str:
    buy = attrs.get("buy", {})
    area = f", area code {buy['area_code']}" if buy.get("area_code") else ""
    pattern = f", matching {buy['contains']}" if buy.get("contains") else ""
    return f"{attrs.get('type', 'local')} number in {attrs.get('country', '?')}{area}{pattern}"
