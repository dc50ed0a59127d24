"""Phone numbers, money and identity: bought with consent, never bought twice, adopted when the config names one,
never released by apply; and their routes (where calls and messages go), set once the hub is live."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.errors import PlanError, ProviderError
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register
from deh_deploy.providers.market import (
    check_bundle,
    configured_sid,
    describe,
    matching,
    offers,
    search_criteria,
)
from deh_deploy.render.desired import Resource

log = logging.getLogger(__name__)


def _incoming(ctx: Ctx) -> list[Any]:
    return ctx.shared("numbers", lambda: ctx.client.api.v2010.account.incoming_phone_numbers.list())


@register
class Number(Kind):
    name = "phone.number"
    compared = ("friendly_name",)
    guarded = True
    kept_note = "number kept"
    products = (
        "api.v2010.account.incoming_phone_numbers",
        "api.v2010.account.available_phone_numbers",
        "numbers.v2.regulatory_compliance",
    )

    @staticmethod
    def _record(n: Any) -> Record:
        # The number itself is what its SMS Conversations address is made of.
        attrs = {"phone_number": n.phone_number, "friendly_name": n.friendly_name}
        return Record(n.sid, attrs, {"phone_number": n.phone_number})

    def identity(self, attrs: Attrs) -> tuple[str, ...]:
        return tuple(str(attrs[k]) for k in ("adopt", "phone_number", "friendly_name") if attrs.get(k))

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(n) for n in _incoming(ctx))

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        """Buy a number. A purchase that fails ambiguously is looked up by its friendly name before anything else."""
        from twilio.base.exceptions import TwilioException

        if attrs.get("adopt"):
            raise ProviderError(
                f"number {attrs['adopt']} is not on account {ctx.account_sid}; buy it by hand or use buy:"
            )
        candidates = offers(ctx, attrs, limit=5)
        if not candidates:
            raise ProviderError(
                f"no {attrs['type']} number available in {attrs['country']} matching "
                f"{search_criteria(attrs) or 'any'}"
            )
        chosen = candidates[0].phone_number
        extra = {k: sid for k in ("bundle_sid", "address_sid") if (sid := configured_sid(attrs, k))}
        name = attrs["friendly_name"]
        numbers = ctx.client.api.v2010.account.incoming_phone_numbers
        try:
            bought = numbers.create(phone_number=chosen, friendly_name=name, **extra)
        except TwilioException as exc:
            if getattr(exc, "status", 500) < 500 and not isinstance(exc, ConnectionError):
                raise
            bought = _find_by_name(ctx, name, exc)
        except Exception as exc:  # dropped connection, timeout: the purchase may have happened
            bought = _find_by_name(ctx, name, exc)
        return self._record(bought)

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        numbers = ctx.client.api.v2010.account.incoming_phone_numbers
        return self._record(numbers(live.sid).update(friendly_name=attrs["friendly_name"]))

    def delete(self, ctx: Ctx, live: Live) -> None:
        ctx.client.api.v2010.account.incoming_phone_numbers(live.sid).delete()

    def missing(self, ctx: Ctx, resource: Resource) -> str:
        adopt = resource.attrs.get("adopt")
        if adopt:
            raise PlanError(
                f"number {adopt} (numbers.{resource.key}) is not on account "
                f"{ctx.account_sid}; buy it by hand first, or use buy: in the config"
            )
        from concurrent.futures import ThreadPoolExecutor

        attrs = resource.attrs
        what = f"numbers.{resource.key}: a {attrs.get('type', 'local')} number in {attrs.get('country', '?')}"
        with ThreadPoolExecutor(max_workers=1) as pool:  # the numbers on sale are searched beside the bundle
            on_sale = pool.submit(offers, ctx, attrs, limit=1)
            check_bundle(ctx, attrs, what)
            offered = on_sale.result()
        if not offered:
            if not configured_sid(attrs, "address_sid", where=f"numbers.{resource.key}") and offers(
                ctx, {**attrs, "address_sid": "any"}, limit=1
            ):
                raise PlanError(f"{what} needs an address on this account: set address_sid (an AD… SID)")
            raise PlanError(
                f"numbers.{resource.key}: no {attrs.get('type', 'local')} numbers in "
                f"{attrs.get('country', '?')} on this account{matching(attrs)}"
            )
        return f"BUY a {describe(attrs)}"

    def recover(self, ctx: Ctx, resource: Resource, taken: Collection[str]) -> tuple[Record, str] | None:
        """A number this hub bought is found by the SID its deployment record keeps, whatever its name now: apply
        never buys a second one while the first is on the account."""
        if resource.attrs.get("adopt"):
            return None
        sid = recorded_numbers(ctx).get(resource.key)
        for n in _incoming(ctx) if sid else ():
            if n.sid == sid and n.sid not in taken:
                log.debug("number %s (%s) found by its SID, named %r", resource.key, sid, n.friendly_name)
                return self._record(n), f"re-adopted: bought by this hub as {n.phone_number}, renamed"
        return None

    def purchase(self, resource: Resource) -> str | None:
        return describe(resource.attrs) if "buy" in resource.attrs else None

    def destroyed(self, ctx: Ctx, live: Live, resource: Resource | None, *, release: bool) -> str | None:
        """Only a number this hub bought is released: never one the config adopts, nor one another hub named."""
        from deh_deploy.names import owns

        adopted = resource is not None and bool(resource.attrs.get("adopt"))
        bought = not adopted and owns(ctx.slug, ctx.env, str(live.attrs.get("friendly_name") or ""))
        return None if release and bought else self.kept_note


def recorded_numbers(ctx: Ctx) -> dict[str, str]:
    """``{number id: SID}`` from the hub's record of what it bought (see ``render.serverless``)."""
    from deh_deploy.names import NUMBERS_VARIABLE

    live = ctx.live.get(f"serverless.variable/{NUMBERS_VARIABLE}")
    value = str(live.attrs.get("value") or "") if live else ""
    pairs = (item.partition("=") for item in value.split())
    return {key: sid for key, _, sid in pairs if key and sid.startswith("PN")}


def _find_by_name(ctx: Ctx, name: str, cause: Exception) -> Any:
    log.debug("purchase of %s: no answer (%s); looking it up by name", name, type(cause).__name__)
    found = ctx.client.api.v2010.account.incoming_phone_numbers.list(friendly_name=name)
    if found:
        log.debug("purchase of %s had happened: %s", name, found[0].sid)
        return found[0]
    log.debug("purchase of %s had not happened", name)
    raise cause


@register
class Route(Kind):
    """Where a number's calls and messages go. Never deleted: a kept number keeps its last route until told.

    A URL the config leaves blank (``None``) is cleared: SMS enters by its Conversations address, and a webhook
    left on the number would run beside it."""

    name = "phone.route"
    identified_by = "phone_number_sid"
    compared = ("voice_url", "sms_url")
    deletable = False

    @staticmethod
    def _record(n: Any) -> Record:
        return Record(
            n.sid, {"phone_number_sid": n.sid, "voice_url": n.voice_url or None, "sms_url": n.sms_url or None}
        )

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return (self._record(n) for n in _incoming(ctx))

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        urls = {k: attrs[k] or "" for k in ("voice_url", "sms_url") if k in attrs}
        return self._record(
            ctx.client.api.v2010.account.incoming_phone_numbers(attrs["phone_number_sid"]).update(**urls)
        )

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self.create(ctx, attrs)
