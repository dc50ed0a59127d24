"""The sandbox on loopback answers only itself: its admin API needs its own token, and no web page (a foreign
Origin, a rebound Host, a cross-site text/plain POST) reaches it. Its database and token file are private.

Each file in ``hostile/`` is one request and the status it must get; a refused request changes nothing.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.errors import UsageError
from deh_deploy.sandbox import RunningSandbox, start
from deh_deploy.sandbox.guard import token_file
from tests.sandbox.helpers import ACCOUNT

CASES = sorted((Path(__file__).parent / "hostile").glob("*.json"))


def _state(sandbox: RunningSandbox) -> tuple[Any, ...]:
    with sqlite3.connect(f"file:{sandbox.core.store.path}?mode=ro", uri=True) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        rows = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}
    return rows, sandbox.faults, len(sandbox.requests())


def _send(sandbox: RunningSandbox, case: dict[str, Any], token: str) -> int:
    fill = {
        "{admin_token}": sandbox.core.admin_token,
        "{account_basic}": base64.b64encode(f"{ACCOUNT}:{token}".encode()).decode(),
        "{port}": str(sandbox.port),
    }

    def filled(text: str) -> str:
        for key, value in fill.items():
            text = text.replace(key, value)
        return text

    headers = {k: filled(v) for k, v in case["headers"].items()}
    conn = http.client.HTTPConnection("127.0.0.1", sandbox.port, timeout=5)
    try:
        conn.putrequest(case["method"], case["path"], skip_host="Host" in headers)
        body = case.get("body", "").encode()
        for key, value in headers.items():
            conn.putheader(key, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        answer = conn.getresponse()
        answer.read()
        return answer.status
    finally:
        conn.close()


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_a_hostile_request_is_refused_and_changes_nothing(
    sandbox: RunningSandbox, token: str, path: Path
) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    before = _state(sandbox)
    assert _send(sandbox, case, token) == case["status"], case["why"]
    if case["status"] >= 400:
        assert _state(sandbox) == before, case["why"]


def test_with_its_token_the_admin_api_answers(sandbox: RunningSandbox) -> None:
    case = {
        "method": "POST",
        "path": "/_sandbox/accounts",
        "headers": {"Authorization": "Bearer {admin_token}", "Content-Type": "application/json"},
        "body": json.dumps({"sid": "AC" + "5" * 32}),
    }
    assert _send(sandbox, case, "") == 201


def test_the_database_and_the_token_file_are_private(tmp_path: Path) -> None:
    db = tmp_path / "state" / "sandbox.db"
    with start(db_path=db) as sb:
        sb.ensure_account(ACCOUNT)
        token = sb.core.admin_token
    for path in (db, token_file(db)):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert token_file(db).read_text(encoding="utf-8").strip() == token
    with start(db_path=db) as again:  # the token is the database's: a restart keeps it
        assert again.core.admin_token == token


def test_a_link_planted_at_the_token_file_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    db = tmp_path / "sandbox.db"
    os.symlink(victim, token_file(db))
    start(db_path=db).stop()
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not token_file(db).is_symlink()


def test_a_link_planted_at_the_database_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.db"
    victim.write_text("precious\n", encoding="utf-8")
    db = tmp_path / "sandbox.db"
    os.symlink(victim, db)
    with pytest.raises(UsageError, match="cannot open the sandbox database"):
        start(db_path=db)
    assert victim.read_text(encoding="utf-8") == "precious\n"
