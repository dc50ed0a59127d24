"""Viber: the bot's webhook, pointed at the hub service's Viber route when ``hub.viber_bridge`` is on. Not a
Twilio resource: it is read and written through Viber's REST API (``get_account_info``'s ``webhook``,
``set_webhook``; an empty URL removes it), with the bot's token from the variable the config names, and
``DEH_VIBER_API_URL`` for Viber's API at another address (a test double). A bot has one webhook: the hub's own
is known by the hub named in its URL, like the Twilio settings of the wiring."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from deh_deploy.changes import Live
from deh_deploy.errors import ProviderError
from deh_deploy.providers.kinds.base import Attrs, Ctx, Kind, Record, register
from deh_deploy.providers.kinds.wiring_rules import hub_of, replacing
from deh_deploy.render.desired import Resource

API_URL_ENV = "DEH_VIBER_API_URL"


def _api(token_env: str) -> Any:
    from deh_deploy.hub.viber import API, ViberApi
    from deh_deploy.secrets import register as secret

    token = os.environ.get(token_env, "").strip()
    if not token:
        raise ProviderError(f"missing variable {token_env} (the Viber bot's token, for its webhook)")
    secret(token)
    return ViberApi(token, "", base_url=os.environ.get(API_URL_ENV, "").strip() or API)


def _viber(what: str, call: Any) -> Any:
    from deh_deploy.hub.viber import ViberError

    try:
        return call()
    except ViberError as exc:
        raise ProviderError(f"{what}: {exc}") from None


@register
class Webhook(Kind):
    name = "viber.webhook"
    compared = ("url",)
    wiring = True
    what = "the Viber bot's webhook"

    def _live_url(self, ctx: Ctx, token_env: str) -> str:
        def fetch() -> list[str]:
            api = _api(token_env)
            try:
                return [_viber("viber.webhook/bot", api.webhook)]
            finally:
                api.session.close()

        return str(ctx.shared("viber_webhook", fetch)[0])

    def list(self, ctx: Ctx) -> Iterable[Record]:
        wanted = ctx.wanted(self.name)
        if not wanted:
            return []  # no bridge in the config: Viber is not asked
        url = self._live_url(ctx, str(wanted[0].attrs["token_env"]))
        if not url:
            return []
        return [Record("viber", {"friendly_name": hub_of(url), "url": url})]

    def missing(self, ctx: Ctx, resource: Resource) -> str:
        live = self._live_url(ctx, str(resource.attrs["token_env"]))
        return replacing(resource.id, self.what, live, hub=str(resource.attrs["friendly_name"]))

    def _write(self, attrs: Attrs, url: str) -> Record:
        if url and not url.startswith("https://"):
            raise ProviderError(f"viber.webhook/bot: Viber calls only https:// URLs, not {url}")
        api = _api(str(attrs["token_env"]))
        try:
            _viber("viber.webhook/bot", lambda: api.set_webhook(url))
        finally:
            api.session.close()
        return Record("viber", {"friendly_name": hub_of(url), "url": url})

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        return self._write(attrs, str(attrs["url"]))

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        return self._write(attrs, str(attrs["url"]))

    def delete(self, ctx: Ctx, live: Live) -> None:
        wanted = ctx.wanted(self.name)
        if not wanted:
            return  # the config no longer names the bot's token: nothing can clear it
        self._write(wanted[0].attrs, "")
