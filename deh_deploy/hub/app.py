"""The web app: one route per event kind, ``/healthz``, ``/records`` and ``/report``; and the worker thread beside it.

A webhook is answered only after its event is in the inbox (204; a duplicate is answered the same way, so
Twilio stops retrying). Processing happens in the worker, woken by each new event, so answers stay far within
Conversations' 5 s and TaskRouter's 15 s. A request whose signature does not hold gets 403 and stores nothing.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import threading
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deh_deploy.hub.intake import store_then_answer
from deh_deploy.hub.report.build import routes as report_routes
from deh_deploy.hub.service import Service
from deh_deploy.hub.signatures import Verifier

log = logging.getLogger("deh_deploy.hub")
HOUSEKEEPING_EVERY = 3600.0  # seconds
YIELD = 2.0
IDLE_WAIT = 0.2  # the worker process is not woken by the web process: it looks this often


class Worker(threading.Thread):
    """Processes the inbox while there is work, and housekeeps every hour; survives database outages.

    Webhooks come first: while new events keep arriving, the worker rests ``YIELD`` times as long as each batch
    took, so under a burst it uses at most a third of a processor and of SQLite's write lock; once they stop, it
    drains the backlog at full speed (``/healthz`` shows the backlog). Batches are small on SQLite (they hold its
    write lock) and larger on PostgreSQL (whose locks are per row).
    """

    def __init__(self, service: Service) -> None:
        super().__init__(name="deh-hub-worker", daemon=True)
        self.service = service
        self.stopping = threading.Event()

    def run(self) -> None:
        next_housekeeping = 0.0
        batch = 10 if self.service.engine.dialect.name == "sqlite" else 100
        newest: int | None = None
        while not self.stopping.is_set():
            try:
                if time.monotonic() >= next_housekeeping:
                    self.service.housekeeping()
                    next_housekeeping = time.monotonic() + HOUSEKEEPING_EVERY
                started = time.monotonic()
                processed = self.service.process_batch(limit=batch)
                if processed:
                    log.debug("processed", extra={"events": processed})
                    arrived = self.service.newest_event()
                    if arrived != newest:  # webhooks are coming in: let them have the processor
                        self.stopping.wait((time.monotonic() - started) * YIELD)
                    newest = arrived
                    continue
            except Exception as exc:  # a database outage or a bug: log it, keep the worker alive
                log.error("worker: processing failed", extra={"error": type(exc).__name__})
            self.service.wake.wait(IDLE_WAIT)
            self.service.wake.clear()

    def stop(self) -> None:
        self.stopping.set()
        self.service.wake.set()
        self.join(timeout=10)


def create_app(service: Service, *, worker: bool = True) -> Starlette:
    settings = service.settings
    verifier = Verifier(settings.auth_token, settings.public_url)
    by_path = {kind.path: kind for kind in service.kinds.values() if kind.provider == "twilio"}

    async def webhook(request: Request) -> Response:
        kind = by_path[request.url.path]
        body = await request.body()
        params = verifier.verify(
            path=request.url.path,
            query=request.url.query,
            body=body,
            content_type=request.headers.get("content-type", ""),
            signature=request.headers.get("x-twilio-signature"),
        )
        return await store_then_answer(
            service,
            kind,
            params,
            query=request.url.query,
            no_key="no event id",
            answer=204,
            headers={"content-type": "application/json"},
        )

    async def healthz(request: Request) -> Response:
        try:
            report = service.health()
        except SQLAlchemyError as exc:
            return JSONResponse(
                {"status": "error", "database": "unreachable", "error": type(exc).__name__}, status_code=503
            )
        return JSONResponse({"status": "ok", **report})

    async def list_records(request: Request) -> Response:
        supplied = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        reader = next(
            (r for r in settings.readers if supplied and hmac.compare_digest(r.token, supplied)),
            None,
        )
        if reader is None:
            return JSONResponse({"error": "a reader's bearer token is required"}, status_code=401)
        since = _since(request.query_params.get("since"))
        rows = service.records_for(sensitive=reader.sensitive, since=since)
        log.info("records read", extra={"role": reader.role, "records": len(rows)})
        return JSONResponse({"role": reader.role, "records": rows})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        thread = Worker(service) if worker else None
        if thread is not None:
            thread.start()
        try:
            yield
        finally:
            if thread is not None:
                thread.stop()

    routes = [Route(path, webhook, methods=["POST"]) for path in by_path]
    routes += [Route("/healthz", healthz, methods=["GET"]), Route("/records", list_records, methods=["GET"])]
    if service.bridge is not None:  # Viber signs its callbacks its own way
        from deh_deploy.hub import viber_route

        routes.append(viber_route.route(service))
    routes += report_routes(service)
    return Starlette(routes=routes, lifespan=lifespan)


def _since(value: str | None) -> Any:
    if not value:
        return None
    with contextlib.suppress(ValueError):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is not None:
            return parsed
    return None
