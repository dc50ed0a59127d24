"""Engines for SQLite and PostgreSQL, and the migrations, run once under a lock.

SQLite is used in WAL mode with ``synchronous=NORMAL``: a commit is in the write-ahead log before the webhook is
answered, so killing the process loses nothing; a power failure may lose the last commits (the README says so, and
PostgreSQL is the choice where that matters). Every transaction that writes starts with ``BEGIN IMMEDIATE`` so
that it holds the write lock from its first statement: several processes sharing one file take turns, and a
transaction that read the inbox cannot be refused its write later (the transaction-level claim).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from deh_deploy.errors import HubError

BUSY_TIMEOUT_MS = 30_000
MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "hub_alembic_version"
_PG_LOCK = 0x0DE4_0B0B  # pg_advisory_lock key of the migrations
_WRITE = "deh_hub_write"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 (the driver this package depends on)."""
    for scheme in ("postgresql://", "postgres://"):
        if url.startswith(scheme):
            return "postgresql+psycopg://" + url[len(scheme) :]
    return url


def make_engine(url: str, *, autocommit: bool = False) -> Engine:
    """An engine for ``sqlite:///<file>`` or ``postgresql://…``; ``HubError`` for anything else.

    ``autocommit`` is the webhooks' engine: each event is one ``INSERT`` that commits by itself, one round trip
    to PostgreSQL instead of four (begin, insert, commit, and the pool's liveness check)."""
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError:
        raise HubError("the database URL is not a URL (sqlite:///path or postgresql://…)") from None
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise HubError("the SQLite database must be a file (sqlite:///path/hub.db)")
        options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
        engine = create_engine(
            parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False}, **options
        )
        event.listen(engine, "connect", _sqlite_intake if autocommit else _sqlite_connect)
        if not autocommit:
            event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if autocommit:
            return create_engine(parsed, isolation_level="AUTOCOMMIT", pool_size=10, max_overflow=10)
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)
    raise HubError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql://")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # BEGIN is ours (below), so SAVEPOINT and IMMEDIATE work
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", f"busy_timeout={BUSY_TIMEOUT_MS}"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_intake(dbapi_connection: Any, record: Any) -> None:
    """The webhooks' connections never checkpoint the WAL (a checkpoint flushes the file to disk inside the
    commit that triggers it); the worker's connections do, off the request path."""
    _sqlite_connect(dbapi_connection, record)
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def _sqlite_begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: on SQLite it holds the write lock from its start."""
    with engine.connect() as conn:
        conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


def insert_new(conn: Connection, table: Table, values: Mapping[str, Any], *, keys: Sequence[str]) -> bool:
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` on either database; True when the row is new.

    The statement is built once and the values passed as parameters: building it per row costs more than the
    database's work (SQLAlchemy coerces and keys every literal)."""
    statement = _insert_ignoring(conn.dialect.name, table, tuple(keys), tuple(sorted(values)))
    return conn.execute(statement, dict(values)).first() is not None


@cache
def _insert_ignoring(dialect: str, table: Table, keys: tuple[str, ...], columns: tuple[str, ...]) -> Any:
    statement: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        statement = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(table)
    values = {name: bindparam(name, type_=table.c[name].type) for name in columns}
    return (
        statement.values(values).on_conflict_do_nothing(index_elements=list(keys)).returning(table.c[keys[0]])
    )


def ping(engine: Engine) -> None:
    """Reach the database or raise ``HubError`` with one line (no URL: it may hold a password)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise HubError(f"the database is unreachable: {reason(exc)}") from None


def reason(exc: SQLAlchemyError) -> str:
    """The first line of what the database said, without the URL (it may hold a password)."""
    original = getattr(exc, "orig", None) or exc
    return str(original).strip().splitlines()[0] if str(original).strip() else type(original).__name__


def migrate(engine: Engine) -> list[str]:
    """Bring the schema to the newest revision, once, whoever else is starting: returns the revisions applied."""
    from alembic import command
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with _migration_lock(engine) as conn:
            before = MigrationContext.configure(
                conn, opts={"version_table": VERSION_TABLE}
            ).get_current_heads()
            _known(ScriptDirectory.from_config(config), before)
            config.attributes["connection"] = conn
            command.upgrade(config, "head")
            conn.commit()
            after = MigrationContext.configure(
                conn, opts={"version_table": VERSION_TABLE}
            ).get_current_heads()
    except SQLAlchemyError as exc:
        raise HubError(f"the database could not be migrated: {reason(exc)}") from None
    except CommandError as exc:
        raise HubError(f"the database could not be migrated: {exc}") from None
    return [rev for rev in after if rev not in before]


def _known(scripts: Any, revisions: Sequence[str]) -> None:
    """Refuse, in one line, a database a newer version of deh-deploy migrated (a rollback to an older one)."""
    known = {script.revision for script in scripts.walk_revisions()}
    unknown = sorted(rev for rev in revisions if rev not in known)
    if unknown:
        raise HubError(
            f"the database is at schema {', '.join(unknown)}, which this version of deh-deploy does not know "
            f"(it knows up to {scripts.get_current_head()}): a newer version migrated it; run that version, "
            "or point --database-url at another database"
        )


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[Connection]:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _PG_LOCK})
            conn.commit()
            try:
                yield conn
            finally:
                conn.rollback()
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_LOCK})
                conn.commit()
        return
    database = engine.url.database
    assert database is not None
    lock_path = Path(database).with_name(Path(database).name + ".migrate-lock")
    with open(lock_path, "a+b") as lock, engine.connect() as conn:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield conn
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
