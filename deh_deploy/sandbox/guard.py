"""Who may talk to a sandbox on loopback: the checks every request passes before it is served.

The sandbox hands out account tokens and API-key secrets through its admin API (``/_sandbox/…``), so a web page
open in the same machine's browser must not reach it: a cross-site ``text/plain`` POST, or a DNS name rebound to
127.0.0.1, would otherwise be enough. Every request must name the sandbox itself as its ``Host`` (loopback, its own
port) and carry no foreign ``Origin``; admin requests also need the sandbox's own admin token
(``Authorization: Bearer …``) and a JSON body. The token is made when the database is first created, kept in it,
and written beside it in a file only its owner can read (``<db>.admin-token``, mode 0600), for the sandbox's user
and tests; the Python administration of an embedded sandbox needs none.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from deh_deploy.errors import UsageError

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
OPEN_PATHS = frozenset({"/_sandbox/health"})  # says only that it runs


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_file(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".admin-token")


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable by its owner only, never through a link planted at that path: the file
    is made anew beside it (exclusive create, no following) and moved into place."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        try:
            os.write(fd, text.encode("utf-8"))
        finally:
            os.close(fd)
        os.replace(tmp, path)  # replaces a link at ``path`` itself, never what it points to
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def refusal(
    *, port: int, path: str, method: str, headers: Mapping[str, str], admin_token: str
) -> tuple[int, str] | None:
    """``(status, reason)`` when the request must be refused, else None. ``headers`` are title-cased."""
    own = {f"{host}:{port}" for host in LOOPBACK_HOSTS}
    if headers.get("Host", "").lower() not in own:
        return 403, "the Host header does not name this sandbox (127.0.0.1, localhost or [::1], its port)"
    origin = headers.get("Origin")
    if origin is not None and origin.lower() not in {f"http://{o}" for o in own}:
        return 403, "requests from web pages of other origins are refused"
    if not path.startswith("/_sandbox/") or path.split("?")[0] in OPEN_PATHS:
        return None
    scheme, _, given = headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), admin_token.encode()):
        return 401, "the admin API needs the sandbox's admin token: Authorization: Bearer <token>"
    if (
        method in ("POST", "PUT")
        and headers.get("Content-Type", "").split(";")[0].strip() != "application/json"
    ):
        return 415, "the admin API takes JSON bodies only (Content-Type: application/json)"
    return None
