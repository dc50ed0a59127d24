"""SQLite persistence for the sandbox: accounts, API keys, resources, phone numbers and uploaded content.

One connection shared by the server's threads behind a re-entrant lock; every API request runs in one
transaction, so a request either happened completely or not at all, and state survives a restart.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from deh_deploy.errors import UsageError
from deh_deploy.sandbox.guard import new_token

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters(prefix TEXT PRIMARY KEY, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accounts(sid TEXT PRIMARY KEY, auth_token TEXT NOT NULL, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS api_keys(sid TEXT PRIMARY KEY, account_sid TEXT NOT NULL, secret TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources(
    kind TEXT NOT NULL, sid TEXT NOT NULL, account_sid TEXT NOT NULL, parent_sid TEXT NOT NULL,
    seq INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY(kind, sid));
CREATE INDEX IF NOT EXISTS resources_by_kind ON resources(account_sid, kind, parent_sid, seq);
CREATE INDEX IF NOT EXISTS resources_by_parent ON resources(parent_sid);
CREATE TABLE IF NOT EXISTS numbers(
    account_sid TEXT NOT NULL, phone_number TEXT NOT NULL, iso_country TEXT NOT NULL,
    number_type TEXT NOT NULL, state TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY(account_sid, phone_number));
CREATE TABLE IF NOT EXISTS blobs(sid TEXT PRIMARY KEY, content_type TEXT NOT NULL, content BLOB NOT NULL);
"""

Record = dict[str, Any]


def sid_for(prefix: str, n: int) -> str:
    """The n-th SID with this prefix: deterministic, so a fresh database always hands out the same SIDs."""
    return prefix + hashlib.sha256(f"deh-sandbox:{prefix}:{n}".encode()).hexdigest()[:32]


def _private(path: Path) -> None:
    """The database holds account tokens: it is its owner's alone (0600; SQLite gives its -wal and -shm files the
    same mode), and a link planted where it should be is refused rather than followed."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.RLock()
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            _private(path)
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except (OSError, sqlite3.Error) as exc:
            raise UsageError(f"cannot open the sandbox database {path}: {exc}") from exc
        if row is None:
            self._db.execute("INSERT INTO meta(key, value) VALUES('schema', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise UsageError(
                f"the sandbox database {path} has schema {row[0]}, this version needs {SCHEMA_VERSION}; "
                "delete the file to start afresh"
            )
        self._depth = 0
        self.closed = False

    @property
    def admin_token(self) -> str:
        """The admin API's credential, made with the database and kept in it."""
        with self.lock:
            self._db.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES('admin_token', ?)", (new_token(),)
            )
            row = self._db.execute("SELECT value FROM meta WHERE key='admin_token'").fetchone()
        return str(row[0])

    def close(self) -> None:
        with self.lock:
            if not self.closed:
                self.closed = True
                self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self.lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    # -- identifiers -------------------------------------------------------------------------------
    def next_n(self, prefix: str) -> int:
        with self.lock:
            row = self._db.execute(
                "INSERT INTO counters(prefix, n) VALUES(?, 1) "
                "ON CONFLICT(prefix) DO UPDATE SET n = n + 1 RETURNING n",
                (prefix,),
            ).fetchone()
            return int(row[0])

    def next_sid(self, prefix: str) -> str:
        return sid_for(prefix, self.next_n(prefix))

    # -- accounts and keys -------------------------------------------------------------------------
    def account_token(self, sid: str) -> str | None:
        with self.lock:
            row = self._db.execute("SELECT auth_token FROM accounts WHERE sid=?", (sid,)).fetchone()
            return None if row is None else str(row[0])

    def account_created(self, sid: str) -> str | None:
        with self.lock:
            row = self._db.execute("SELECT created FROM accounts WHERE sid=?", (sid,)).fetchone()
            return None if row is None else str(row[0])

    def put_account(self, sid: str, auth_token: str, created: str) -> None:
        with self.lock:
            self._db.execute(
                "INSERT INTO accounts(sid, auth_token, created) VALUES(?, ?, ?) "
                "ON CONFLICT(sid) DO UPDATE SET auth_token=excluded.auth_token",
                (sid, auth_token, created),
            )

    def api_key(self, sid: str) -> tuple[str, str] | None:
        """``(account_sid, secret)`` of an API key."""
        with self.lock:
            row = self._db.execute("SELECT account_sid, secret FROM api_keys WHERE sid=?", (sid,)).fetchone()
            return None if row is None else (str(row[0]), str(row[1]))

    def first_api_key(self, account_sid: str) -> tuple[str, str] | None:
        with self.lock:
            row = self._db.execute(
                "SELECT sid, secret FROM api_keys WHERE account_sid=? ORDER BY rowid LIMIT 1", (account_sid,)
            ).fetchone()
            return None if row is None else (str(row[0]), str(row[1]))

    def put_api_key(self, sid: str, account_sid: str, secret: str) -> None:
        with self.lock:
            self._db.execute(
                "INSERT INTO api_keys(sid, account_sid, secret) VALUES(?, ?, ?)", (sid, account_sid, secret)
            )

    # -- resources ---------------------------------------------------------------------------------
    def insert(self, kind: str, account_sid: str, parent_sid: str, data: Record) -> None:
        with self.lock:
            seq = self.next_n("#seq")
            data["_seq"] = seq
            self._db.execute(
                "INSERT INTO resources(sid, kind, account_sid, parent_sid, seq, data) "
                "VALUES(?, ?, ?, ?, ?, ?)",
                (key_of(data), kind, account_sid, parent_sid, seq, json.dumps(data)),
            )

    def get(self, kind: str, account_sid: str, sid: str) -> Record | None:
        with self.lock:
            row = self._db.execute(
                "SELECT data FROM resources WHERE sid=? AND kind=? AND account_sid=?",
                (sid, kind, account_sid),
            ).fetchone()
            return None if row is None else _load(row[0])

    def parent_of(self, kind: str, sid: str) -> str | None:
        with self.lock:
            row = self._db.execute(
                "SELECT parent_sid FROM resources WHERE kind=? AND sid=?", (kind, sid)
            ).fetchone()
            return None if row is None else str(row[0])

    def save(self, kind: str, data: Record) -> None:
        with self.lock:
            self._db.execute(
                "UPDATE resources SET data=? WHERE kind=? AND sid=?", (json.dumps(data), kind, key_of(data))
            )

    def delete(self, kind: str, sid: str) -> None:
        """Delete a resource and, recursively, everything whose parent it is."""
        with self.lock:
            self._db.execute("DELETE FROM resources WHERE kind=? AND sid=?", (kind, sid))
            self._db.execute(
                "WITH RECURSIVE sub(sid) AS (SELECT ? UNION SELECT r.sid FROM resources r JOIN sub "
                "ON r.parent_sid = sub.sid) DELETE FROM resources WHERE parent_sid IN (SELECT sid FROM sub)",
                (sid,),
            )

    def select(self, kind: str, account_sid: str, parent_sid: str | None = None) -> list[Record]:
        with self.lock:
            if parent_sid is None:
                rows = self._db.execute(
                    "SELECT data FROM resources WHERE account_sid=? AND kind=? ORDER BY seq",
                    (account_sid, kind),
                ).fetchall()
            else:
                rows = self._db.execute(
                    "SELECT data FROM resources WHERE account_sid=? AND kind=? AND parent_sid=? ORDER BY seq",
                    (account_sid, kind, parent_sid),
                ).fetchall()
            return [_load(r[0]) for r in rows]

    def match(
        self, kind: str, account_sid: str, parent_sid: str | None, where: dict[str, Any], *, exclude: str = ""
    ) -> Record | None:
        """The first record whose fields (dotted names) all equal the given values (None matches null)."""
        sql = "SELECT data FROM resources WHERE account_sid=? AND kind=? AND sid != ?"
        args: list[Any] = [account_sid, kind, exclude]
        if parent_sid is not None:
            sql += " AND parent_sid=?"
            args.append(parent_sid)
        for name, value in where.items():
            sql += " AND json_extract(data, ?) IS ?"
            args += ["$." + name, int(value) if isinstance(value, bool) else value]
        with self.lock:
            row = self._db.execute(sql + " ORDER BY seq LIMIT 1", args).fetchone()
            return None if row is None else _load(row[0])

    # -- phone numbers (the market: available, owned, released) ------------------------------------
    def put_number(self, account_sid: str, data: Record, *, state: str) -> None:
        with self.lock:
            seq = self.next_n("#seq")
            self._db.execute(
                "INSERT INTO numbers(account_sid, phone_number, iso_country, number_type, state, seq, data) "
                "VALUES(?, ?, ?, ?, ?, ?, ?) ON CONFLICT(account_sid, phone_number) DO UPDATE SET "
                "state=excluded.state, data=excluded.data",
                (
                    account_sid,
                    data["phone_number"],
                    data["iso_country"],
                    data["number_type"],
                    state,
                    seq,
                    json.dumps(data),
                ),
            )

    def number(self, account_sid: str, phone_number: str) -> tuple[str, Record] | None:
        with self.lock:
            row = self._db.execute(
                "SELECT state, data FROM numbers WHERE account_sid=? AND phone_number=?",
                (account_sid, phone_number),
            ).fetchone()
            return None if row is None else (str(row[0]), _load(row[1]))

    def set_number_state(self, account_sid: str, phone_number: str, state: str) -> None:
        with self.lock:
            self._db.execute(
                "UPDATE numbers SET state=? WHERE account_sid=? AND phone_number=?",
                (state, account_sid, phone_number),
            )

    def available_numbers(self, account_sid: str, iso_country: str, number_type: str | None) -> list[Record]:
        with self.lock:
            sql = "SELECT data FROM numbers WHERE account_sid=? AND iso_country=? AND state='available'"
            args: tuple[str, ...] = (account_sid, iso_country)
            if number_type is not None:
                sql += " AND number_type=?"
                args += (number_type,)
            rows = self._db.execute(sql + " ORDER BY seq", args).fetchall()
            return [_load(r[0]) for r in rows]

    def available_countries(self, account_sid: str) -> list[tuple[str, str]]:
        """``(iso_country, number_type)`` pairs that have at least one available number."""
        with self.lock:
            rows = self._db.execute(
                "SELECT iso_country, number_type, MIN(seq) FROM numbers "
                "WHERE account_sid=? AND state='available' "
                "GROUP BY iso_country, number_type ORDER BY iso_country, MIN(seq)",
                (account_sid,),
            ).fetchall()
            return [(str(r[0]), str(r[1])) for r in rows]

    # -- uploaded content --------------------------------------------------------------------------
    def put_blob(self, sid: str, content_type: str, content: bytes) -> None:
        with self.lock:
            self._db.execute(
                "INSERT OR REPLACE INTO blobs(sid, content_type, content) VALUES(?, ?, ?)",
                (sid, content_type, content),
            )

    def blob(self, sid: str) -> tuple[str, bytes] | None:
        with self.lock:
            row = self._db.execute("SELECT content_type, content FROM blobs WHERE sid=?", (sid,)).fetchone()
            return None if row is None else (str(row[0]), bytes(row[1]))


def key_of(data: Record) -> str:
    """The storage key of a record: its SID, unless it carries a private ``_key`` (Studio revisions)."""
    return str(data.get("_key", data["sid"]))


def _load(text: str) -> Record:
    value = json.loads(text)
    assert isinstance(value, dict)
    return value
