"""The Viber bridge's settings and its one-off set-up: the bot (``channels.viber``: its name, the variable holding
its token), the account and the messaging flow it posts into, and ``set_webhook``, which points the bot at the
hub service. Turned on by ``hub.viber_bridge``; a missing channel or token is one line naming what to set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from deh_deploy.errors import HubError
from deh_deploy.hub import viber
from deh_deploy.names import friendly

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig

INBOUND_PATH = "/viber"
MESSAGING_FLOW = "messaging"  # render.channels.MESSAGING_FLOW: the flow every messaging channel starts


@dataclass(frozen=True)
class BridgeSettings:
    """What the bridge needs besides the service's settings; from ``channels.viber`` and the environment."""

    token: str = field(repr=False)
    bot_name: str
    account_sid: str
    flow_name: str
    languages: tuple[str, ...]
    viber_api_url: str = viber.API
    sandbox_url: str | None = None  # Twilio's API from a deh sandbox (development and tests)


def _bot(hub: HubConfig, environ: Mapping[str, str]) -> tuple[str, str]:
    """The bot's (name, token); ``HubError`` when the bridge is off, its channel absent or its token unset."""
    from deh_deploy.channels.viber import Viber
    from deh_deploy.secrets import register

    if not hub.service.viber_bridge:
        raise HubError(f"the Viber bridge is off: set hub.viber_bridge: true in {hub.source}")
    channel = hub.channels.settings.get("viber")
    if not isinstance(channel, Viber):
        raise HubError(f"hub.viber_bridge is on but {hub.source} has no channels.viber")
    token = environ.get(channel.token_env)
    register(token)
    if not token:
        raise HubError(f"missing variable {channel.token_env} (the Viber bot's token)")
    return channel.bot_name, token


def resolve(
    hub: HubConfig,
    env: str,
    environ: Mapping[str, str],
    *,
    sandbox_url: str | None = None,
    viber_api_url: str | None = None,
) -> BridgeSettings:
    """The bridge's settings (``hub.viber_bridge`` on); ``HubError`` when its channel or token is missing."""
    bot_name, token = _bot(hub, environ)
    return BridgeSettings(
        token=token,
        bot_name=bot_name,
        account_sid=hub.environment(env).account_sid,
        flow_name=friendly(hub.slug, env, MESSAGING_FLOW),
        languages=tuple(hub.languages),
        viber_api_url=viber_api_url or viber.API,
        sandbox_url=sandbox_url,
    )


def set_webhook(
    hub: HubConfig,
    env: str,
    *,
    public_url: str | None = None,
    viber_api_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """Point the bot at ``<public URL>/viber`` (Viber calls it at once: the service must be up and reachable
    there over HTTPS with a CA-signed certificate); the line that says so."""
    _name, token = _bot(hub, os.environ if environ is None else environ)
    base = (public_url or hub.service.public_url.get(env) or "").rstrip("/")
    if not base:
        raise HubError(
            f"no public URL for {env}: set hub.public_url.{env} in {hub.source} or pass --public-url"
        )
    if not base.startswith("https://"):
        raise HubError(f"Viber calls only https:// URLs with a CA-signed certificate, not {base}")
    api = viber.ViberApi(token, _name, base_url=viber_api_url or viber.API)
    try:
        api.set_webhook(base + INBOUND_PATH)
    finally:
        api.session.close()
    return f"the Viber bot now calls {base + INBOUND_PATH}"
