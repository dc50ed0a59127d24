"""The step every webhook route shares once it has checked the sender's signature its own way: refuse what is not
signed or has no id, store the rest in the inbox, and only then answer. A database that cannot store it gets 503,
which Twilio and Viber both retry."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from deh_deploy.hub.kinds import Kind
from deh_deploy.hub.service import Service

log = logging.getLogger("deh_deploy.hub")


async def store_then_answer(
    service: Service,
    kind: Kind,
    params: dict[str, Any] | None,
    *,
    no_key: str,
    answer: int,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """``params`` is what the verified request carried, or None when its signature did not hold."""
    if params is None:
        log.warning("refused: bad or missing signature", extra={"kind": kind.name})
        return Response("forbidden", status_code=403, media_type="text/plain")
    key = kind.key(params)
    if key is None:
        log.warning("refused: no event id", extra={"kind": kind.name})
        return Response(no_key, status_code=400, media_type="text/plain")
    payload = kind.minimise(params)
    try:
        new = await service.store(kind, key, payload)
    except SQLAlchemyError as exc:
        log.error("not stored: database error", extra={"kind": kind.name, "error": type(exc).__name__})
        return Response("unavailable", status_code=503, media_type="text/plain")
    if not new:
        log.info("duplicate", extra={"kind": kind.name})
    return Response(status_code=answer, headers=dict(headers or {}))
