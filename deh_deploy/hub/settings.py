"""The hub service's settings: from the hub's config, its environment's variables, and the command's options.

Secrets are read by the variable names the config gives (the environment's Twilio auth token, the person-id key,
the readers' tokens); a missing one stops the start with one line naming the variable, never its value.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from deh_deploy.errors import HubError

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig
    from deh_deploy.hub.viber_settings import BridgeSettings


@dataclass(frozen=True)
class Reader:
    role: str
    token: str = field(repr=False)
    sensitive: bool


@dataclass(frozen=True)
class Settings:
    hub: HubConfig
    env: str
    public_url: str
    database_url: str = field(repr=False)
    auth_token: str = field(repr=False)
    person_key: bytes = field(repr=False)
    readers: tuple[Reader, ...] = ()
    retention_days: int = 365
    database_source: str = "sqlite"  # what chose the database, for the start-up line
    viber: BridgeSettings | None = None  # the Viber bridge, when hub.viber_bridge is on


def _secret(environ: Mapping[str, str], name: str, why: str) -> str:
    from deh_deploy.secrets import register

    value = environ.get(name)
    register(value)
    if not value:
        raise HubError(f"missing variable {name} ({why})")
    return value


def resolve(
    hub: HubConfig,
    env: str,
    *,
    database_url: str | None = None,
    public_url: str | None = None,
    state_dir: Path = Path(".deh"),
    environ: Mapping[str, str] | None = None,
    sandbox_url: str | None = None,
    viber_api_url: str | None = None,
) -> Settings:
    """Settings for ``env``; ``HubError`` (one line) for anything missing."""
    environ = os.environ if environ is None else environ
    environment = hub.environment(env)
    url = (public_url or hub.service.public_url.get(env) or "").rstrip("/")
    if not url:
        raise HubError(
            f"no public URL for {env}: set hub.public_url.{env} in {hub.source} or pass --public-url"
        )
    source = "--database-url"
    variable = hub.hosting.database_url_variable if hub.hosting is not None else None
    if database_url is None and variable:
        database_url = environ.get(variable) or None
        source = variable
    if database_url is None:
        path = state_dir / f"hub-{hub.slug}-{env}.db"
        if path.parent.exists() and not path.parent.is_dir():
            raise HubError(f"{path.parent}: not a folder (the hub service keeps its SQLite database there)")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HubError(f"{path.parent}: cannot create: {exc.strerror or exc}") from None
        database_url, source = f"sqlite:///{path}", "sqlite"
    readers = tuple(
        Reader(role, _secret(environ, r.token_env, f"the bearer token of role {role}"), r.sensitive)
        for role, r in hub.service.roles.items()
    )
    return Settings(
        hub=hub,
        env=env,
        public_url=url,
        database_url=database_url,
        auth_token=_secret(
            environ, environment.credentials.auth_token, "the Twilio auth token that signs webhooks"
        ),
        person_key=_secret(environ, hub.service.person_key_env, "the key of the opaque person ids").encode(),
        readers=readers,
        retention_days=hub.service.retention_days,
        database_source=source,
        viber=_bridge(hub, env, environ, sandbox_url=sandbox_url, viber_api_url=viber_api_url),
    )


def _bridge(
    hub: HubConfig,
    env: str,
    environ: Mapping[str, str],
    *,
    sandbox_url: str | None,
    viber_api_url: str | None,
) -> BridgeSettings | None:
    if not hub.service.viber_bridge:
        return None  # the bridge's modules (and the twilio SDK's REST client) are not even imported
    from deh_deploy.hub.viber_settings import resolve as resolve_bridge

    return resolve_bridge(hub, env, environ, sandbox_url=sandbox_url, viber_api_url=viber_api_url)
