"""Fixtures for the sandbox tests: a sandbox per test, an account in it, and the real ``twilio`` client.

Every exchange a test makes is checked against Twilio's OpenAPI contract when the test ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from twilio.rest import Client

from deh_deploy.sandbox import Faults, RunningSandbox, start
from tests.contract import assert_log_matches_contract, oai_dir
from tests.sandbox.helpers import ACCOUNT, MakeSandbox, client_for


@pytest.fixture
def make_sandbox(tmp_path: Path) -> Iterator[MakeSandbox]:
    """Start sandboxes (default database: one per test); all are stopped and contract-checked at the end."""
    started: list[RunningSandbox] = []

    def make(db_path: Path | None = None, faults: Faults | None = None) -> RunningSandbox:
        sb = start(db_path=db_path or tmp_path / "sandbox.db", faults=faults)
        started.append(sb)
        return sb

    yield make
    log = []
    for sb in started:
        log += sb.requests()
        sb.stop()
    if (oai_dir() / "twilio_api_v2010.json").is_file():  # without the specs, test_sb_contract.py skips
        assert_log_matches_contract(log)


@pytest.fixture
def sandbox(make_sandbox: MakeSandbox) -> RunningSandbox:
    return make_sandbox()


@pytest.fixture
def token(sandbox: RunningSandbox) -> str:
    return sandbox.ensure_account(ACCOUNT)


@pytest.fixture
def client(sandbox: RunningSandbox, token: str) -> Client:
    return client_for(sandbox, ACCOUNT, token)
