"""``POST /viber``: Viber's callbacks, signed with the bot's token, stored in the inbox before they are answered.

A callback whose ``X-Viber-Content-Signature`` does not hold gets 403 and stores nothing. A stored one (or one
whose ``message_token`` is already in the inbox: Viber's retry) is answered 200, which is what Viber waits for;
a database that cannot store it gets 503, and Viber tries again (for up to an hour).
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deh_deploy.hub import viber
from deh_deploy.hub.intake import store_then_answer
from deh_deploy.hub.service import Service
from deh_deploy.hub.viber_settings import INBOUND_PATH

log = logging.getLogger("deh_deploy.hub")


def route(service: Service) -> Route:
    assert service.bridge is not None
    token = service.bridge.settings.token
    kind = service.kinds["viber"]

    async def receive(request: Request) -> Response:
        body = await request.body()
        params = viber.verified(token, body, request.headers.get(viber.SIGNATURE_HEADER))
        return await store_then_answer(
            service, kind, params, query=request.url.query, no_key="no message_token", answer=200
        )

    return Route(INBOUND_PATH, receive, methods=["POST"])
