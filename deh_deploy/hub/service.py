"""The hub service's core, without HTTP: accept an event, process the inbox, purge, report health.

The web app (``app.py``) and the background worker call only this; so do the tests that need no server.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select

from deh_deploy.hub.db import make_engine, migrate, ping, writing
from deh_deploy.hub.inbox import Event, accept, backlog, event_values, process_batch
from deh_deploy.hub.kinds import Kind, load
from deh_deploy.hub.promise import PromiseCalendar
from deh_deploy.hub.records import Context, mark_overdue
from deh_deploy.hub.settings import Settings
from deh_deploy.hub.tables import inbox, messages, records, viber_people
from deh_deploy.hub.writer import Writer
from deh_deploy.names import unique

if TYPE_CHECKING:
    from deh_deploy.hub.bridge import Bridge

log = logging.getLogger("deh_deploy.hub")


class Service:
    """One process's view of the hub service: its engine, its kinds, its promise calendar."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.hub_name = unique(settings.hub.slug, settings.env)  # what the wiring's URLs carry in ?deh=
        self.engine = make_engine(settings.database_url)
        self.intake = make_engine(settings.database_url, autocommit=True)
        self.writer = Writer(self.intake) if self.intake.dialect.name == "sqlite" else None
        self.bridge = _bridge(settings)
        self.kinds: Mapping[str, Kind] = {**load(), **(self.bridge.kinds() if self.bridge else {})}
        self.calendar = PromiseCalendar(settings.hub)
        self.wake = threading.Event()

    def start(self) -> list[str]:
        """Reach the database and migrate it (once, under a lock); the revisions applied."""
        ping(self.engine)
        return migrate(self.engine)

    def context(self) -> Context:
        return Context(calendar=self.calendar, person_key=self.settings.person_key, now=datetime.now(UTC))

    def accept(self, kind: Kind, key: str, payload: Mapping[str, Any]) -> bool:
        """Store a verified event; False for a duplicate. The worker is woken either way."""
        new = accept(self.intake, Event(kind, key, payload, datetime.now(UTC)))
        self.wake.set()
        return new

    async def store(self, kind: Kind, key: str, payload: Mapping[str, Any]) -> bool:
        """``accept`` for the web app's event loop: on SQLite through the intake thread (``writer.py``); on
        PostgreSQL in a thread of the pool, where inserts in flight together share one flush of the log."""
        if self.writer is None:
            from starlette.concurrency import run_in_threadpool

            return await run_in_threadpool(self.accept, kind, key, payload)
        new = await self.writer.store(event_values(Event(kind, key, payload, datetime.now(UTC))))
        self.wake.set()
        return new

    def process_batch(self, *, limit: int = 10) -> int:
        """One batch of due events; the number processed."""
        return process_batch(self.engine, self.kinds, self.context, limit=limit)

    def newest_event(self) -> int | None:
        """The inbox's newest id: the worker compares it between batches to tell whether webhooks are arriving."""
        with self.engine.connect() as conn:
            newest: int | None = conn.execute(select(func.max(inbox.c.id))).scalar()
        return newest

    def process_pending(self, *, limit: int = 25) -> int:
        """Process batches until none is due; the number of events processed. Small batches: on SQLite a
        batch holds the write lock, and webhooks wait for it."""
        total = 0
        while True:
            done = process_batch(self.engine, self.kinds, self.context, limit=limit)
            total += done
            if done < limit:
                return total

    def housekeeping(self, now: datetime | None = None) -> dict[str, int]:
        """Mark missed promises and purge what is older than the retention: records, messages, inbox events."""
        now = now or datetime.now(UTC)
        cutoff = now - timedelta(days=self.settings.retention_days)
        with writing(self.engine) as conn:
            overdue = mark_overdue(conn, now)
            purged_records = conn.execute(delete(records).where(records.c.created_at < cutoff)).rowcount
            purged_messages = conn.execute(delete(messages).where(messages.c.at < cutoff)).rowcount
            purged_events = conn.execute(delete(inbox).where(inbox.c.received_at < cutoff)).rowcount
            purged_people = conn.execute(
                delete(viber_people).where(viber_people.c.updated_at < cutoff)
            ).rowcount
        counts = {
            "overdue": overdue,
            "records": purged_records,
            "messages": purged_messages,
            "events": purged_events,
            "viber_people": purged_people,
        }
        log.info("housekeeping", extra=counts)
        return counts

    def health(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            counts = backlog(conn)
        return {"database": "ok", "inbox": counts}

    def records_for(
        self, *, sensitive: bool, since: datetime | None = None, limit: int = 1000
    ) -> list[dict[str, Any]]:
        """Feedback records a reader may see: records of sensitive feedback only when ``sensitive``."""
        query = select(records).order_by(records.c.id).limit(limit)
        if not sensitive:
            query = query.where(records.c.sensitivity != "sensitive")
        if since is not None:
            query = query.where(records.c.updated_at >= since)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [{k: _json(v) for k, v in row.items()} for row in rows]

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.engine.dispose()
        self.intake.dispose()
        if self.bridge is not None:
            self.bridge.close()


def _bridge(settings: Settings) -> Bridge | None:
    """The Viber bridge when the config turns it on (its modules are imported only then)."""
    if settings.viber is None:
        return None
    from deh_deploy.hub.bridge import Bridge

    return Bridge(
        settings.viber,
        auth_token=settings.auth_token,
        person_key=settings.person_key,
        public_url=settings.public_url,
    )


def _json(value: Any) -> Any:
    return value.isoformat().replace("+00:00", "Z") if isinstance(value, datetime) else value
