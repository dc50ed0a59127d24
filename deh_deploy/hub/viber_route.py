"""``POST /viber``: Viber's callbacks, signed with the bot's token, stored in the inbox before they are answered.

A callback whose ``X-Viber-Content-Signature`` does not hold gets 403 and stores nothing. A stored one (or one
whose ``message_token`` is already in the inbox: Viber's retry) is answered 200, which is what Viber waits for;
a database that cannot store it gets 503, and Viber tries again (for up to an hour).
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deh_deploy.hub import viber
from deh_deploy.hub.service import Service
from deh_deploy.hub.viber_settings import INBOUND_PATH

log = logging.getLogger("deh_deploy.hub")


def route(service: Service) -> Route:
    assert service.bridge is not None
    token = service.bridge.settings.token
    kind = service.kinds["viber"]
    threaded = service.intake.dialect.name == "postgresql"

    async def receive(request: Request) -> Response:
        body = await request.body()
        params = viber.verified(token, body, request.headers.get(viber.SIGNATURE_HEADER))
        if params is None:
            log.warning("refused: bad or missing signature", extra={"kind": kind.name})
            return Response("forbidden", status_code=403, media_type="text/plain")
        key = kind.key(params)
        if key is None:
            log.warning("refused: no event id", extra={"kind": kind.name})
            return Response("no message_token", status_code=400, media_type="text/plain")
        payload = kind.minimise(params)
        try:
            if threaded:
                new = await run_in_threadpool(service.accept, kind, key, payload)
            else:
                new = service.accept(kind, key, payload)
        except SQLAlchemyError as exc:
            log.error("not stored: database error", extra={"kind": kind.name, "error": type(exc).__name__})
            return Response("unavailable", status_code=503, media_type="text/plain")
        if not new:
            log.info("duplicate", extra={"kind": kind.name})
        return Response(status_code=200)

    return Route(INBOUND_PATH, receive, methods=["POST"])
