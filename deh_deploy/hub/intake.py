"""The step every webhook route shares once it has checked the sender's signature its own way: refuse what is not
signed, what names another hub in its ``?deh=`` query (a neighbour's setting pointed here: Twilio signs whatever
URL it was given), and what has no id that can be a key; store the rest in the inbox, and only then answer. A
database that cannot store it gets 503, which Twilio and Viber both retry."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from sqlalchemy import String
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from deh_deploy.hub.kinds import Kind
from deh_deploy.hub.service import Service
from deh_deploy.hub.tables import inbox

log = logging.getLogger("deh_deploy.hub")
_KEY = inbox.c.event_key.type
assert isinstance(_KEY, String) and _KEY.length is not None
KEY_LENGTH: int = _KEY.length  # PostgreSQL refuses a longer key; SQLite would store it


async def store_then_answer(
    service: Service,
    kind: Kind,
    params: dict[str, Any] | None,
    *,
    query: str,
    no_key: str,
    answer: int,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """``params`` is what the verified request carried, or None when its signature did not hold."""
    if params is None:
        log.warning("refused: bad or missing signature", extra={"kind": kind.name})
        return Response("forbidden", status_code=403, media_type="text/plain")
    if query and any(hub != service.hub_name for hub in parse_qs(query).get("deh", [])):
        log.warning("refused: another hub's event", extra={"kind": kind.name})
        return Response("another hub", status_code=403, media_type="text/plain")
    key = kind.key(params)
    if key is None:
        log.warning("refused: no event id", extra={"kind": kind.name})
        return Response(no_key, status_code=400, media_type="text/plain")
    if len(key) > KEY_LENGTH or "\x00" in key:
        log.warning("refused: malformed event id", extra={"kind": kind.name})
        return Response("malformed event id", status_code=400, media_type="text/plain")
    payload = kind.minimise(params)
    try:
        new = await service.store(kind, key, payload)
    except SQLAlchemyError as exc:
        log.error("not stored: database error", extra={"kind": kind.name, "error": type(exc).__name__})
        return Response("unavailable", status_code=503, media_type="text/plain")
    if not new:
        log.info("duplicate", extra={"kind": kind.name})
    return Response(status_code=answer, headers=dict(headers or {}))
