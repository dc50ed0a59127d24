"""SQLite's intake thread: the events waiting together share one transaction, each request learns whether its
event was new, a row reads back as SQLAlchemy stores it, the event loop runs on while another process holds the
write lock, and a database that refuses gets an error to every waiting request, never a silent loss."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from deh_deploy.hub.db import make_engine, migrate
from deh_deploy.hub.inbox import Event, accept, event_values
from deh_deploy.hub.kinds import load
from deh_deploy.hub.tables import inbox
from deh_deploy.hub.writer import Writer

AT = datetime(2026, 12, 2, 4, 5, 6, 789012, tzinfo=UTC)


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    return url


def values(key: str) -> dict[str, object]:
    kind = load()["taskrouter"]
    return event_values(Event(kind, key, {"Sid": key, "EventType": "task.created"}, AT))


def rows(url: str) -> list[Any]:
    engine = make_engine(url)
    with engine.connect() as conn:
        found = list(conn.execute(sa.select(inbox.c.event_key, inbox.c.received_at, inbox.c.status)))
    engine.dispose()
    return found


def test_events_stored_together_are_each_new_once_and_duplicates_are_not(database: str) -> None:
    intake = make_engine(database, autocommit=True)
    writer = Writer(intake)

    async def burst() -> list[bool]:
        keys = [f"EV{i % 30:032d}" for i in range(60)]  # every key twice
        return await asyncio.gather(*(writer.store(values(k)) for k in keys))

    try:
        answers = asyncio.run(burst())
    finally:
        writer.close()
        intake.dispose()
    assert answers[:30] == [True] * 30 and answers[30:] == [False] * 30
    assert sorted(r.event_key for r in rows(database)) == sorted(f"EV{i:032d}" for i in range(30))


def test_a_row_reads_back_as_one_stored_through_sqlalchemy(database: str) -> None:
    intake = make_engine(database, autocommit=True)
    writer = Writer(intake)
    try:
        assert asyncio.run(writer.store(values("EV-writer"))) is True
        assert accept(intake, Event(load()["taskrouter"], "EV-core", {"Sid": "EV-core"}, AT)) is True
    finally:
        writer.close()
        intake.dispose()
    raw = sqlite3.connect(database.removeprefix("sqlite:///"))
    stored = dict(raw.execute("SELECT event_key, received_at FROM inbox").fetchall())
    raw.close()
    assert stored["EV-writer"] == stored["EV-core"]  # the same text in the file
    assert {(r.event_key, r.received_at, r.status) for r in rows(database)} == {
        ("EV-writer", AT, "pending"),
        ("EV-core", AT, "pending"),
    }


def test_the_event_loop_runs_on_while_another_process_holds_the_write_lock(database: str) -> None:
    holder = sqlite3.connect(
        database.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False
    )
    holder.execute("BEGIN IMMEDIATE")
    released = threading.Timer(0.4, holder.execute, args=("COMMIT",))
    intake = make_engine(database, autocommit=True)
    writer = Writer(intake)

    async def store_while_locked() -> tuple[int, bool, float]:
        ticks = 0
        stored = asyncio.ensure_future(writer.store(values("EV-locked")))
        started = time.monotonic()
        released.start()
        while not stored.done():
            ticks += 1
            await asyncio.sleep(0.01)
        return ticks, await stored, time.monotonic() - started

    try:
        ticks, new, waited = asyncio.run(store_while_locked())
    finally:
        released.join()
        holder.close()
        writer.close()
        intake.dispose()
    assert new is True and waited >= 0.35  # answered only once its own COMMIT could be made
    assert (
        ticks >= 10
    )  # the loop was not stopped in the meantime (an insert on the loop would have stopped it)
    assert [r.event_key for r in rows(database)] == ["EV-locked"]


def test_a_database_that_refuses_fails_every_waiting_request(database: str) -> None:
    intake = make_engine(database, autocommit=True)
    with intake.begin() as conn:
        conn.exec_driver_sql("DROP TABLE inbox")
    writer = Writer(intake)

    async def burst() -> list[BaseException | bool]:
        return await asyncio.gather(
            *(writer.store(values(f"EV{i}")) for i in range(5)), return_exceptions=True
        )

    try:
        answers = asyncio.run(burst())
    finally:
        writer.close()
        intake.dispose()
    assert len(answers) == 5 and all(isinstance(a, OperationalError) for a in answers)
