"""A stateful emulator of the Twilio REST endpoints deh-deploy uses, on loopback, persisted in SQLite.

    from deh_deploy.providers.local_http import LocalTwilioHttpClient
    from deh_deploy.sandbox import Faults, start

    with start(db_path=Path(".deh/sandbox.db")) as sandbox:
        token = sandbox.ensure_account(account_sid)  # creates the account and its default world once
        client = Client(account_sid, token, http_client=LocalTwilioHttpClient(sandbox.url))
        sandbox.set_faults(Faults(rate_429=0.1, seed=1))  # optional

Modules: ``server`` (HTTP, lifecycle, faults on the wire), ``core`` (auth, routing, request log), ``admin``
(``/_sandbox/`` endpoints, accounts, seeds), ``kinds`` (the table of resources) served by ``crud``, and the
places Twilio behaves specially: ``numbers``, ``studio``, ``taskrouter``, ``serverless``, ``content``,
``channels``; ``world`` is what a new account starts with. ``errors`` lists the error codes and which are
unverified.
"""

from __future__ import annotations

from deh_deploy.sandbox.faults import Faults
from deh_deploy.sandbox.server import RunningSandbox, serve_forever, start

__all__ = ["Faults", "RunningSandbox", "serve_forever", "start"]
