"""Every bad start-up is one clean line and exit status 1; ``migrate`` says what it did."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import HUNGARY, SECRETS
from .server import environment


def hub(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deh_deploy.hub", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_variable(tmp_path: Path) -> None:
    secrets = {k: v for k, v in SECRETS.items() if k != "DEH_HU_PERSON_KEY"}
    done = hub("serve", str(HUNGARY), "--port", "0", cwd=tmp_path, env=environment(secrets))
    assert (done.returncode, done.stderr) == (
        1,
        "deh: missing variable DEH_HU_PERSON_KEY (the key of the opaque person ids)\n",
    )


def test_a_missing_auth_token(tmp_path: Path) -> None:
    secrets = {k: v for k, v in SECRETS.items() if k != "TWILIO_AUTH_TOKEN"}
    done = hub("serve", str(HUNGARY), cwd=tmp_path, env=environment(secrets))
    assert (done.returncode, done.stderr) == (
        1,
        "deh: missing variable TWILIO_AUTH_TOKEN (the Twilio auth token that signs webhooks)\n",
    )


@pytest.mark.slow
def test_an_unreachable_database(tmp_path: Path) -> None:
    url = "postgresql://deh:hunter2@127.0.0.1:1/hub"
    done = hub(
        "serve", str(HUNGARY), "--port", "0", "--database-url", url, cwd=tmp_path, env=environment(SECRETS)
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("deh: the database is unreachable: ")
    assert "hunter2" not in done.stderr


def test_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = hub("serve", str(HUNGARY), "--port", str(port), cwd=tmp_path, env=environment(SECRETS))
    assert (done.returncode, done.stderr) == (1, f"deh: port {port} on 127.0.0.1 is in use\n")


@pytest.mark.slow
def test_migrate_creates_then_finds_the_schema_up_to_date(tmp_path: Path) -> None:
    env = environment(SECRETS)
    first = hub("migrate", str(HUNGARY), cwd=tmp_path, env=env)
    again = hub("migrate", str(HUNGARY), cwd=tmp_path, env=env)
    assert (first.returncode, first.stderr) == (0, "migrated to 0002_viber\n")
    assert (again.returncode, again.stderr) == (0, "the database is up to date\n")
    assert (tmp_path / ".deh" / "hub-hungary-staging.db").exists()


@pytest.mark.slow
def test_the_configs_database_variable_chooses_postgresql(tmp_path: Path) -> None:
    env = environment(SECRETS, DEH_HU_DATABASE_URL="postgresql://deh:pw@127.0.0.1:1/hub")
    done = hub("migrate", str(HUNGARY), cwd=tmp_path, env=env)
    assert done.returncode == 1 and done.stderr.startswith("deh: the database is unreachable: ")
    assert not (tmp_path / ".deh").exists()


def test_a_state_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / ".deh").write_text("", encoding="utf-8")
    done = hub("serve", str(HUNGARY), "--port", "0", cwd=tmp_path, env=environment(SECRETS))
    assert (done.returncode, done.stderr) == (
        1,
        "deh: .deh: not a folder (the hub service keeps its SQLite database there)\n",
    )


@pytest.mark.parametrize(
    ("url", "line"),
    [  # each start is a process of its own: the quick loop starts one, the full suite all four
        pytest.param(
            "sqlite:///missing/folder/hub.db",
            "the database is unreachable: unable to open database file",
            marks=pytest.mark.slow,
        ),
        ("sqlite:///not-a-database.db", "the database is unreachable: file is not a database"),
        pytest.param(
            "mysql://deh@127.0.0.1/hub",
            "unsupported database 'mysql': use sqlite:/// or postgresql://",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            "sqlite:///", "the SQLite database must be a file (sqlite:///path/hub.db)", marks=pytest.mark.slow
        ),
    ],
    ids=["sqlite-folder-missing", "sqlite-not-a-database", "unsupported", "sqlite-no-file"],
)
def test_a_database_that_cannot_be_used(tmp_path: Path, url: str, line: str) -> None:
    (tmp_path / "not-a-database.db").write_text("these are not the pages of a database\n", encoding="utf-8")
    done = hub(
        "serve", str(HUNGARY), "--port", "0", "--database-url", url, cwd=tmp_path, env=environment(SECRETS)
    )
    assert (done.returncode, done.stderr) == (1, f"deh: {line}\n")


@pytest.mark.slow  # a second service start on a migrated copy
def test_a_database_a_newer_version_migrated(tmp_path: Path) -> None:
    import sqlite3

    env = environment(SECRETS)
    assert hub("migrate", str(HUNGARY), cwd=tmp_path, env=env).returncode == 0
    with sqlite3.connect(tmp_path / ".deh" / "hub-hungary-staging.db") as db:
        db.execute("UPDATE hub_alembic_version SET version_num = '0099'")
    done = hub("serve", str(HUNGARY), "--port", "0", cwd=tmp_path, env=env)
    assert (done.returncode, done.stderr) == (
        1,
        "deh: the database is at schema 0099, which this version of deh-deploy does not know (it knows up to "
        "0002_viber): a newer version migrated it; run that version, or point --database-url at another database\n",
    )
