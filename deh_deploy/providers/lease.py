"""A deployment lease held on the Twilio account itself, so every machine that deploys (CI, a trainer's laptop)
sees it: a Serverless service whose unique name is the lock (unique per account, so creation is atomic) and whose
friendly name records the holder and the expiry."""

from __future__ import annotations

import getpass
import hashlib
import logging
import os
import secrets
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import requests
from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from deh_deploy.errors import LeaseError
from deh_deploy.providers.errors import first_line

log = logging.getLogger(__name__)
TTL = timedelta(minutes=30)
_HELD: set[str] = set()  # leases this process holds right now


def lease_name(slug: str, env: str) -> str:
    """``deh--lease-<slug>-<env>``: the double dash keeps it apart from every hub's own names (``deh-<slug>-…``,
    a slug starting with a letter), so hub ``lease-x``'s service is never taken for hub ``x``'s lease."""
    return f"deh--lease-{slug}-{env}"


def holder() -> str:
    """``user@host pid N on M``: M tells this machine and process namespace apart from others of the same name
    (containers share host names and pids), and is ``?`` where it cannot be known."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user}@{socket.gethostname()} pid {os.getpid()} on {machine() or '?'}"


@lru_cache(maxsize=1)
def machine() -> str | None:
    """This machine's id and this process's pid namespace, hashed; None when neither can be read."""
    parts = []
    with suppress(OSError):
        parts.append(Path("/etc/machine-id").read_text(encoding="ascii").strip())
    with suppress(OSError):
        parts.append(str(os.stat("/proc/self/ns/pid").st_ino))
    if not parts:
        return None
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:12]


def _parse(friendly: str) -> tuple[str, datetime | None]:
    who, _, until = friendly.removeprefix("DEH lease ").rpartition(" until ")
    who = who.rsplit(" ", 1)[0] if who.count(" ") >= 3 else who  # without the nonce
    try:
        expiry = datetime.fromisoformat(until)
    except ValueError:
        return friendly, None
    return who, expiry if expiry.tzinfo else expiry.replace(tzinfo=UTC)  # a hand-made lease: read as UTC


@contextmanager
def lease(client: Client, *, slug: str, env: str, now: datetime | None = None) -> Iterator[str]:
    """Hold the lease for ``slug``/``env`` on this account for the duration of the block."""
    name = lease_name(slug, env)
    start = now or datetime.now(UTC)
    # A nonce makes the lease recognisably ours when the answer to its creation was lost on the way back.
    friendly = (
        f"DEH lease {holder()} {secrets.token_hex(4)} until {(start + TTL).isoformat(timespec='seconds')}"
    )
    sid = _acquire(client, name, friendly[:255], start, slug=slug, env=env)
    _HELD.add(name)
    log.debug("lease %s taken (%s)", name, sid)
    try:
        yield sid
    finally:
        _HELD.discard(name)
        _release(client, sid)


def _acquire(client: Client, name: str, friendly: str, start: datetime, *, slug: str, env: str) -> str:
    services = client.serverless.v1.services
    for _attempt in range(3):
        try:
            return str(services.create(unique_name=name, friendly_name=friendly).sid)
        except (TwilioException, requests.RequestException) as exc:
            log.debug("lease %s not created (%s): looking for its holder", name, type(exc).__name__)
            existing = next((s for s in services.list() if s.unique_name == name), None)
        if existing is None:
            continue  # released in the meantime, or never created
        if existing.friendly_name == friendly:
            log.debug("lease %s was created but the answer was lost: it is ours", name)
            return str(existing.sid)  # ours: created, but the answer was lost
        who, until = _parse(existing.friendly_name or "")
        if (until is not None and until < start) or _abandoned(who, name):
            log.debug(
                "lease %s of %s taken over: %s",
                name,
                who,
                "expired" if until and until < start else "its holder is gone",
            )
            _release(client, existing.sid)  # expired, or its holder on this machine is gone
            continue
        log.debug("lease %s held by %s until %s", name, who, until)
        raise LeaseError(
            f"another apply holds the lease for {slug}/{env}: {who}, until "
            f"{until.isoformat() if until else 'unknown'}; wait for it, or delete the Serverless "
            f"service {name} if that apply is gone"
        )
    raise LeaseError(f"could not take the lease for {slug}/{env}; try again")


def clear_stale(
    client: Client, services: Iterable[Any], *, slug: str, env: str, now: datetime | None = None
) -> bool:
    """Release this hub's lease when it is provably stale: expired, or held on this very machine and pid
    namespace by a process that is gone (a crash after the last write, ``kill -9``). A lease held anywhere
    else is left to expire: another machine's pid says nothing here. ``services``: the listing the read
    already made, so an apply with nothing to do asks for nothing more. Whether a lease was released."""
    name = lease_name(slug, env)
    when = now or datetime.now(UTC)
    for service in services:
        if service.unique_name != name:
            continue
        who, until = _parse(service.friendly_name or "")
        if (until is not None and until < when) or _abandoned(who, name):
            log.debug("lease %s of %s is stale: released", name, who)
            _release(client, service.sid)
            return True
        log.debug("lease %s held by %s until %s: left", name, who, until)
    return False


def _abandoned(who: str, name: str) -> bool:
    """A lease taken in this very machine and pid namespace by a process that is gone, or by this process in an
    apply that has ended. Anything else (another machine, a container, an unknown machine) waits for the TTL."""
    head, _, where = who.rpartition(" on ")
    pid = head.rpartition(" pid ")[2]
    ours = machine()
    if not pid.isdigit() or ours is None or where != ours:
        return False
    if int(pid) == os.getpid():
        return name not in _HELD
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def _release(client: Client, sid: str, *, attempts: int = 5) -> None:
    """Deleting is idempotent (404 means done), so it is retried; if it still fails the lease expires by itself."""
    for _ in range(attempts):
        try:
            client.serverless.v1.services(sid).delete()
            log.debug("lease %s released", sid)
            return
        except TwilioException as exc:
            if getattr(exc, "status", None) == 404:
                log.debug("lease %s already gone", sid)
                return
            log.debug("lease %s not released yet (%s): trying again", sid, first_line(exc))
        except requests.RequestException as exc:
            log.debug("lease %s not released yet (%s): trying again", sid, type(exc).__name__)
    log.debug("lease %s could not be released: it expires by itself", sid)
