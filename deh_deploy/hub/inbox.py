"""The inbox: every accepted event is stored, keyed by its provider's id, before the webhook is answered; then
processed from here, once.

Storing is one ``INSERT … ON CONFLICT DO NOTHING``: a retried or duplicated delivery finds its key taken and is
answered as accepted without a second row. Processing claims a batch of pending events and applies them in the
same transaction that marks them done, so an event's effects and its ``done`` commit together or not at all: a
process killed at any moment leaves its batch pending for the next one. On PostgreSQL the claim is
``SELECT … FOR UPDATE SKIP LOCKED`` (processes take disjoint batches); on SQLite the transaction holds the write
lock from its ``BEGIN IMMEDIATE`` (processes take turns). An event whose processing fails is retried later, and
given up after ``MAX_ATTEMPTS`` (status ``failed``, with the error's type: never its data).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, or_, select, update

from deh_deploy.hub.db import insert_new, writing
from deh_deploy.hub.kinds import Kind
from deh_deploy.hub.records import Context
from deh_deploy.hub.tables import inbox

log = logging.getLogger("deh_deploy.hub")
MAX_ATTEMPTS = 5
BATCH = 200


@dataclass(frozen=True)
class Event:
    kind: Kind
    key: str
    payload: Mapping[str, Any]
    received_at: datetime


def accept(engine: Engine, event: Event) -> bool:
    """Store the event (before it is answered); False when its key was already in the inbox.

    ``engine`` commits each statement by itself (``make_engine(…, autocommit=True)``): the one ``INSERT`` is the
    whole transaction."""
    with engine.connect() as conn:
        return insert_new(conn, inbox, event_values(event), keys=("provider", "event_key"))


def event_values(event: Event) -> dict[str, Any]:
    """The inbox row of a new event."""
    return {
        "provider": event.kind.provider,
        "event_key": event.key,
        "kind": event.kind.name,
        "received_at": event.received_at,
        "payload": json.dumps(event.payload, separators=(",", ":"), ensure_ascii=False),
    }


def process_batch(
    engine: Engine, kinds: Mapping[str, Kind], context: Callable[[], Context], *, limit: int = BATCH
) -> int:
    """Claim up to ``limit`` due events and apply them; the number claimed (0: nothing to do)."""
    with writing(engine) as conn:
        ctx = context()
        claimed = conn.execute(
            select(inbox.c.id, inbox.c.kind, inbox.c.payload, inbox.c.attempts)
            .where(
                inbox.c.status == "pending", or_(inbox.c.not_before.is_(None), inbox.c.not_before <= ctx.now)
            )
            .order_by(inbox.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        for row in claimed:
            _apply(conn, kinds, ctx, row.id, row.kind, row.payload, row.attempts)
        return len(claimed)


def _apply(
    conn: Connection,
    kinds: Mapping[str, Kind],
    ctx: Context,
    id_: int,
    kind: str,
    payload: str,
    attempts: int,
) -> None:
    savepoint = conn.begin_nested()
    try:
        handler = kinds.get(kind)
        applied = handler is not None and handler.process(conn, json.loads(payload), ctx)
        savepoint.commit()
    except Exception as exc:  # any bug in one event must not stop the others
        savepoint.rollback()
        tries = attempts + 1
        failed = tries >= MAX_ATTEMPTS
        log.error(
            "event failed",
            extra={"inbox_id": id_, "kind": kind, "error": type(exc).__name__, "final": failed},
        )
        conn.execute(
            update(inbox)
            .where(inbox.c.id == id_)
            .values(
                attempts=tries,
                status="failed" if failed else "pending",
                not_before=ctx.now + timedelta(seconds=2**tries),
                error=f"{type(exc).__name__}"[:200],
            )
        )
        return
    conn.execute(
        _DONE,
        {
            "inbox_id": id_,
            "attempts": attempts + 1,
            "status": "done" if applied else "ignored",
            "processed_at": ctx.now,
            "payload": None,  # the event's data is not kept once it has done its work
            "error": None,
        },
    )


_DONE = update(inbox).where(inbox.c.id == bindparam("inbox_id"))


def backlog(conn: Connection, now: datetime | None = None) -> dict[str, Any]:
    """Pending and failed counts, and the age of the oldest pending event, for ``/healthz``."""
    now = now or datetime.now(UTC)
    pending, oldest = conn.execute(
        select(func.count(), func.min(inbox.c.received_at)).where(inbox.c.status == "pending")
    ).one()
    failed = conn.execute(select(func.count()).where(inbox.c.status == "failed")).scalar_one()
    age = None
    if oldest is not None:
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC)
        age = round((now - oldest).total_seconds(), 3)
    return {"pending": pending, "failed": failed, "oldest_pending_seconds": age}
