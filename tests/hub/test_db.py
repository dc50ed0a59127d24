"""The schema: migrated once under a lock, the same on SQLite and PostgreSQL, matching the tables' definitions."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from deh_deploy.errors import HubError
from deh_deploy.hub.db import make_engine, migrate, ping, writing
from deh_deploy.hub.tables import metadata

pytestmark = pytest.mark.postgres_differs  # migrations under a lock, transactions: each backend its own way


def test_migrate_applies_the_revisions_once(db_url: str) -> None:
    engine = make_engine(db_url)
    assert migrate(engine) == ["0002_viber"]
    assert migrate(engine) == []
    assert set(sa.inspect(engine).get_table_names()) >= {
        "inbox",
        "records",
        "messages",
        "viber_people",
        "hub_alembic_version",
    }
    engine.dispose()


def test_the_migrations_build_exactly_the_tables_the_code_defines(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(db_url)
    migrate(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert [d for d in diff if not _version_table(d)] == []
    engine.dispose()


def _version_table(diff: object) -> bool:
    return isinstance(diff, tuple) and diff[0] == "remove_table" and diff[1].name == "hub_alembic_version"


def test_processes_starting_together_migrate_once(db_url: str) -> None:
    applied: list[list[str]] = []
    engines = [make_engine(db_url) for _ in range(4)]
    threads = [threading.Thread(target=lambda e=e: applied.append(migrate(e))) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(applied) == [[], [], [], ["0002_viber"]]
    for e in engines:
        e.dispose()


def test_a_write_transaction_commits_or_leaves_nothing(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with pytest.raises(RuntimeError), writing(engine) as conn:
        conn.execute(sa.text("INSERT INTO messages VALUES ('IM1', 'CH1', 'agent', '2026-01-01 00:00:00')"))
        raise RuntimeError("crash")
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM messages")).scalar() == 0
    engine.dispose()


def test_an_unreachable_postgresql_is_one_line() -> None:
    engine = make_engine("postgresql://nobody:secret@127.0.0.1:1/none")
    with pytest.raises(HubError) as caught:
        ping(engine)
    message = str(caught.value)
    assert message.startswith("the database is unreachable: ")
    assert "\n" not in message and "secret" not in message


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "unsupported database 'mysql': use sqlite:/// or postgresql://"),
        ("sqlite://", "the SQLite database must be a file (sqlite:///path/hub.db)"),
        ("not a url", "the database URL is not a URL (sqlite:///path or postgresql://…)"),
    ],
)
def test_a_bad_database_url_is_one_line(url: str, message: str) -> None:
    with pytest.raises(HubError, match=None) as caught:
        make_engine(url)
    assert str(caught.value) == message


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'hub.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()
