"""Connecting to Twilio (credentials from the environment, by the names the config gives) or to a sandbox."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from twilio.rest import Client

from deh_deploy import secrets
from deh_deploy.config.model import Environment
from deh_deploy.errors import CredentialsError
from deh_deploy.providers.http import InFlight, RequestCounter, RetryingHttpClient, sandbox_http_client

if TYPE_CHECKING:
    from deh_deploy.sandbox import RunningSandbox

SANDBOX_DB = Path(".deh") / "sandbox.db"


@dataclass
class Connection:
    client: Client
    account_sid: str
    counter: RequestCounter
    where: str  # "twilio" or the sandbox URL
    in_flight: InFlight = field(default_factory=InFlight)  # the bound every request of the client waits for


def credentials(env: Environment) -> tuple[str, str, str]:
    """(username, password, account_sid) from the environment variables the config names."""
    names = env.credentials
    account = os.environ.get(names.account_sid)  # an identifier, printed in plans: not a secret
    key, secret = secrets.from_env(names.api_key), secrets.from_env(names.api_secret)
    token = secrets.from_env(names.auth_token)
    if not account or not ((key and secret) or token):
        raise CredentialsError(
            f"no Twilio credentials for {env.name}: set {names.account_sid} and {names.auth_token} "
            f"(or {names.api_key} and {names.api_secret}), or use --sandbox"
        )
    if key and secret:
        return key, secret, account
    assert token
    return account, token, account


def load_sdk(client: Client) -> Client:
    """The twilio SDK loads each product's modules on first use (about 0.1 s of imports); load the ones the kinds
    use (their ``products``) now, so that the first reads of a plan go out together rather than one import at a
    time."""
    from deh_deploy.providers.kinds import REGISTRY

    for path in REGISTRY.products():
        functools.reduce(getattr, path.split("."), client)
    return client


def stand_in_for_the_society(running: RunningSandbox, client: Client, env: Environment) -> None:
    """The embedded sandbox plays the Society's account: it holds the approved regulatory bundles, the numbers
    bought by hand, the registered WhatsApp sender and the connected Facebook Page that the config names, as the
    real account would."""
    named = {
        n.id: n.bundle_sid or os.environ.get(n.bundle_sid_env or "", "").strip() for n in env.numbers.values()
    }
    bundles = [
        {"sid": named[n.id], "iso_country": n.country, "number_type": n.type.replace("-", "")}
        for n in env.numbers.values()
        if re.fullmatch(r"BU[0-9a-fA-F]{32}", named[n.id] or "")
    ]
    have = {n.phone_number for n in client.api.v2010.account.incoming_phone_numbers.list()}
    numbers = [
        {"phone_number": n.adopt, "friendly_name": "Bought by hand"}
        for n in env.numbers.values()
        if n.adopt and n.adopt not in have
    ]
    # The sandbox's default world sells numbers in a few countries; a hub buying elsewhere has its country
    # put on sale (libphonenumber's numbering), as Twilio would offer it to the Society.
    countries = sorted({n.country for n in env.numbers.values() if not n.adopt})
    # The WhatsApp sender the config names is registered on the Society's account (Meta's review happens there),
    # and its Facebook Page connected in the console.
    sender = env.prerequisites.get("whatsapp_sender")
    senders = [{"sender_id": f"whatsapp:{sender}"}] if sender else []
    page = env.prerequisites.get("messenger_page_id")
    running.seed(
        env.account_sid,
        countries=countries,
        bundles=bundles,
        incoming_numbers=numbers,
        senders=senders,
        facebook_pages=[page] if page else [],
    )


def refuse_placeholders(env: Environment) -> None:
    """A value still to fill in (a FILL IN, the all-zero account SID) stops plan, apply and destroy here, before
    any request and before a sandbox is started: one line at the first, with how many more there are."""
    if not env.placeholders:
        return
    from dataclasses import replace

    from deh_deploy.errors import ConfigError

    first, more = env.placeholders[0], len(env.placeholders) - 1
    tail = f" ({more} more in {env.name}: deh validate lists them)" if more else ""
    raise ConfigError([replace(first, message=first.message + tail)])


@contextmanager
def connect(
    env: Environment,
    *,
    sandbox: bool = False,
    sandbox_url: str | None = None,
    state_dir: Path | None = None,
    timeout: float = 30.0,
) -> Iterator[Connection]:
    refuse_placeholders(env)
    counter, in_flight = RequestCounter(), InFlight()
    if sandbox_url:
        user, password, account = credentials(env)
        http = sandbox_http_client(sandbox_url, timeout=timeout, counter=counter, in_flight=in_flight)
        client = load_sdk(Client(user, password, account_sid=account, http_client=http))
        yield Connection(client, account, counter, sandbox_url, in_flight)
        return
    if sandbox:
        from deh_deploy.sandbox.server import start

        db = (state_dir or Path.cwd()) / SANDBOX_DB
        db.parent.mkdir(parents=True, exist_ok=True)
        with start(db_path=db) as running:
            token = running.ensure_account(env.account_sid)
            secrets.register(token)
            http = sandbox_http_client(running.url, timeout=timeout, counter=counter, in_flight=in_flight)
            client = load_sdk(Client(env.account_sid, token, http_client=http))
            stand_in_for_the_society(running, client, env)
            counter.reset()  # the stand-in's own requests are not the command's
            yield Connection(client, env.account_sid, counter, running.url, in_flight)
        return
    user, password, account = credentials(env)
    http = RetryingHttpClient(timeout=timeout)
    http.counter, http.in_flight = counter, in_flight
    yield Connection(
        load_sdk(Client(user, password, account_sid=account, http_client=http)),
        account,
        counter,
        "twilio",
        in_flight,
    )
