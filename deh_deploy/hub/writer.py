"""SQLite's intake in the web process: one thread stores the webhooks' events, all that are waiting in one
transaction, and only then lets their requests be answered.

SQLite has one writer at a time. An ``INSERT`` made on the event loop itself stops the loop whenever the worker
holds the write lock (SQLite's busy handler sleeps 1, 2, 5, 10 … ms between tries), and with it every request in
flight: those stalls were the service's p99. Here the loop hands each event to this thread and awaits it; while the
thread waits for the lock, the loop goes on reading and verifying requests, and the events that arrive meanwhile
share the next transaction (one commit, and one write of the log, for many). A webhook is still answered only after
the ``COMMIT`` that stored its event has returned: nothing acknowledged is lost when the process is killed.

The thread uses the driver's cursor with one prepared ``INSERT … ON CONFLICT DO NOTHING``: SQLAlchemy's statement
machinery cost more than SQLite's work for a row. Values are converted by the table's own column types, so a row
stored here reads back exactly as one stored through SQLAlchemy.
"""

from __future__ import annotations

import asyncio
import queue
import sqlite3
import threading
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from deh_deploy.hub.tables import inbox

MAX_BATCH = 256  # events in one transaction: bounds how long the write lock is held (about 10 µs an event)
_COLUMNS = ("provider", "event_key", "kind", "received_at", "payload")
_INSERT = (
    f"INSERT INTO {inbox.name} ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' for _ in _COLUMNS)}) "
    "ON CONFLICT (provider, event_key) DO NOTHING"
)
_Item = tuple[tuple[Any, ...], asyncio.Future[bool], asyncio.AbstractEventLoop]


class Writer:
    """Stores events for the event loop; ``await store(values)`` is True for a new event, False for a duplicate.

    The thread starts with the first event (after the service has forked its worker: a thread does not survive a
    fork) and ends with ``close``."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        dialect = engine.dialect
        self._convert = [inbox.c[name].type.bind_processor(dialect) for name in _COLUMNS]

    async def store(self, values: Mapping[str, Any]) -> bool:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        row = tuple(
            value if convert is None else convert(value)
            for value, convert in zip((values[name] for name in _COLUMNS), self._convert, strict=True)
        )
        self._start()
        self._queue.put((row, future, loop))
        return await future

    def close(self) -> None:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._queue.put(None)
            thread.join(timeout=10)

    def _start(self) -> None:
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="deh-hub-intake", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        connection: Any = None
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                batch = [item]
                while len(batch) < MAX_BATCH:
                    try:
                        more = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        self._queue.put(None)  # finish this batch, then stop
                        break
                    batch.append(more)
                if connection is None:
                    try:
                        connection = self._engine.raw_connection()
                    except Exception as exc:  # the file cannot be opened: 503 now, the next batch tries again
                        _settle_all(batch, OperationalError(_INSERT, None, exc))
                        continue
                self._write(connection, batch)
        finally:
            if connection is not None:
                connection.close()

    def _write(self, connection: Any, batch: list[_Item]) -> None:
        cursor = connection.cursor()
        outcome: list[bool | BaseException] | BaseException
        try:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                outcome = [_insert(cursor, row) for row, _f, _l in batch]
                cursor.execute("COMMIT")
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
        except Exception as exc:  # the database refused: every request of the batch gets 503, none is lost
            outcome = OperationalError(_INSERT, None, exc)
        finally:
            cursor.close()
        if isinstance(outcome, BaseException):
            _settle_all(batch, outcome)
            return
        for (_row, future, loop), result in zip(batch, outcome, strict=True):
            loop.call_soon_threadsafe(_settle, future, result)


def _insert(cursor: Any, row: tuple[Any, ...]) -> bool | BaseException:
    """One row: True when new. An error of the row's own (a value the driver cannot bind) fails that row alone;
    the database's (full, locked, I/O: ``sqlite3.OperationalError``) fails the whole batch, none of it stored."""
    try:
        return bool(cursor.execute(_INSERT, row).rowcount == 1)
    except sqlite3.OperationalError:
        raise
    except Exception as exc:
        return OperationalError(_INSERT, None, exc)


def _settle_all(batch: list[_Item], error: BaseException) -> None:
    for _row, future, loop in batch:
        loop.call_soon_threadsafe(_settle, future, error)


def _settle(future: asyncio.Future[bool], result: bool | BaseException) -> None:
    if future.done():  # the request was cancelled (its client went away): its event is stored all the same
        return
    if isinstance(result, BaseException):
        future.set_exception(result)
    else:
        future.set_result(result)
