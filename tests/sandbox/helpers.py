"""Shared constants and helpers for the sandbox tests."""

from __future__ import annotations

from collections.abc import Callable

from twilio.rest import Client

from deh_deploy.providers.local_http import LocalTwilioHttpClient
from deh_deploy.sandbox import RunningSandbox

ACCOUNT = "AC" + "0123456789abcdef" * 2
OTHER_ACCOUNT = "AC" + "fedcba9876543210" * 2

MakeSandbox = Callable[..., RunningSandbox]


def client_for(sandbox: RunningSandbox, account: str, secret: str, *, username: str | None = None) -> Client:
    """The real SDK client, talking to the sandbox; ``username`` is an API key SID when given."""
    http = LocalTwilioHttpClient(sandbox.url, timeout=10)
    if username is None:
        return Client(account, secret, http_client=http)
    return Client(username, secret, account_sid=account, http_client=http)
