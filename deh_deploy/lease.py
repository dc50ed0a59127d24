"""A deployment lease held on the Twilio account itself, so every machine that deploys (CI, a trainer's laptop)
sees it: a Serverless service whose unique name is the lock (unique per account, so creation is atomic) and whose
friendly name records the holder and the expiry."""

from __future__ import annotations

import getpass
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta

from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from deh_deploy.errors import LeaseError

TTL = timedelta(minutes=30)


def lease_name(slug: str, env: str) -> str:
    return f"deh-lease-{slug}-{env}"


def holder() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()} pid {os.getpid()}"


def _parse(friendly: str) -> tuple[str, datetime | None]:
    who, _, until = friendly.removeprefix("DEH lease ").rpartition(" until ")
    try:
        return who, datetime.fromisoformat(until)
    except ValueError:
        return friendly, None


@contextmanager
def lease(client: Client, *, slug: str, env: str, now: datetime | None = None) -> Iterator[str]:
    """Hold the lease for ``slug``/``env`` on this account for the duration of the block."""
    name = lease_name(slug, env)
    services = client.serverless.v1.services
    start = now or datetime.now(UTC)
    friendly = f"DEH lease {holder()} until {(start + TTL).isoformat(timespec='seconds')}"
    for _attempt in range(2):
        try:
            created = services.create(unique_name=name, friendly_name=friendly[:255])
            break
        except TwilioException:
            existing = next((s for s in services.list() if s.unique_name == name), None)
            if existing is None:
                continue  # released in the meantime
            who, until = _parse(existing.friendly_name or "")
            if until is not None and until < start:
                services(existing.sid).delete()  # expired: its holder died mid-apply
                continue
            raise LeaseError(
                f"another apply holds the lease for {slug}/{env}: {who}, until "
                f"{until.isoformat() if until else 'unknown'}; wait for it, or delete the Serverless "
                f"service {name} if that apply is gone"
            ) from None
    else:
        raise LeaseError(f"could not take the lease for {slug}/{env}")
    try:
        yield created.sid
    finally:
        with suppress(TwilioException):  # if this fails, the lease expires by itself
            services(created.sid).delete()
