"""Killing the service at any moment loses no accepted event, and a restart resumes; several processes on one
database process every event exactly once (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from deh_deploy.hub.db import make_engine
from deh_deploy.hub.tables import inbox, records

from .conftest import SECRETS
from .events import sid, task_event
from .server import Server, start

pytestmark = pytest.mark.slow


class Load:
    """Threads that send distinct task events until told to stop, remembering which were acknowledged."""

    def __init__(self, targets: Callable[[int], Server], *, threads: int = 8) -> None:
        self.targets = targets
        self.acknowledged: set[str] = set()
        self.sent = 0
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, args=(i,)) for i in range(threads)]

    def _run(self, index: int) -> None:
        n = 0
        while not self.stop.is_set() and n < 5000:
            n += 1
            params = task_event("task.created", task=sid("WT"), at=datetime.now(UTC))
            try:
                status = self.targets(index + n).post("/twilio/taskrouter", params)
            except OSError:
                status = 0  # refused or reset: the server is down, nothing was acknowledged
            with self._lock:
                self.sent += 1
                if status == 204:
                    self.acknowledged.add(params["Sid"])
            if status != 204:
                time.sleep(0.01)

    def __enter__(self) -> Load:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self._threads:
            t.join(timeout=30)


def counts(db_url: str) -> tuple[dict[str, tuple[str, int]], int, int]:
    """Each stored event's status and attempts, the records, and the events applied to them."""
    engine = make_engine(db_url)
    with engine.connect() as conn:
        stored = {r.event_key: (r.status, r.attempts) for r in conn.execute(sa.select(inbox))}
        n_records, applied = conn.execute(sa.select(sa.func.count(), sa.func.sum(records.c.events))).one()
    engine.dispose()
    return stored, n_records, int(applied or 0)


def test_kill_9_under_load_loses_no_accepted_event_and_processes_none_twice(
    db_url: str, tmp_path: Path
) -> None:
    server = start(db_url, SECRETS, cwd=tmp_path)
    port = server.port
    holder = [server]
    with Load(lambda _: holder[0]) as load:
        time.sleep(1.5)
        server.kill()
        acknowledged_before_kill = len(load.acknowledged)
        time.sleep(0.3)
        holder[0] = start(db_url, SECRETS, cwd=tmp_path, port=port)
        time.sleep(1.0)
    holder[0].wait_processed(timeout=60)
    holder[0].stop()
    stored, n_records, applied = counts(db_url)
    assert acknowledged_before_kill > 50, "the load ran before the kill"
    assert load.acknowledged <= set(stored), "an acknowledged event was lost"
    assert all(state == ("done", 1) for state in stored.values()), "an event was not processed exactly once"
    assert n_records == len(stored) == applied


def test_two_processes_on_one_database_process_every_event_once(db_url: str, tmp_path: Path) -> None:
    first = start(db_url, SECRETS, cwd=tmp_path)
    second = start(db_url, SECRETS, cwd=tmp_path)
    servers = (first, second)
    task = sid("WT")
    shared = [task_event("task.created", task=task, at=datetime.now(UTC))] + [
        task_event("task.updated", task=task, at=datetime.now(UTC), age=i) for i in range(1, 40)
    ]
    with Load(lambda i: servers[i % 2], threads=6) as load:
        for i, params in enumerate(shared):  # events of one task, spread over both processes
            assert servers[i % 2].post("/twilio/taskrouter", params) == 204
        time.sleep(1.5)
    for server in servers:
        server.wait_processed(timeout=60)
        server.stop()
    stored, n_records, applied = counts(db_url)
    assert load.acknowledged <= set(stored)
    assert all(state == ("done", 1) for state in stored.values())
    assert applied == len(stored) and n_records == len(load.acknowledged) + 1
