"""``deh hub reconcile``: what TaskRouter logged while the hub service was down becomes records; what its
webhooks delivered is not processed twice; a second reconcile changes nothing. SQLite and PostgreSQL."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.sandbox import RunningSandbox, start
from tests.contract import assert_log_matches_contract, oai_dir

from .conftest import HUNGARY, SECRETS
from .events import sid, task_event
from .server import environment
from .server import start as start_hub

ACCOUNT = "AC5f1e0c3a9b7d2e4f6a8c0b1d3e5f7a90"  # Hungary's staging account
_TOP = {"Sid", "EventType", "AccountSid", "WorkspaceSid", "WorkspaceName", "EventDescription"}
_TOP |= {"ResourceType", "ResourceSid", "Timestamp", "TimestampMs"}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def logged(params: dict[str, str], workspace: str) -> dict[str, Any]:
    """The Events log's record of the event a webhook carries (the sandbox's seed form)."""
    return {
        "sid": params["Sid"],
        "workspace_sid": workspace,
        "event_type": params["EventType"],
        "event_date": datetime.fromtimestamp(int(params["TimestampMs"]) / 1000, UTC).isoformat(),
        "resource_sid": params["ResourceSid"],
        "event_data": {snake(k): v for k, v in params.items() if k not in _TOP},
    }


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    """The Society's account, whose token is the one the hub checks signatures with; its traffic is checked
    against Twilio's OpenAPI files at the end."""
    running = start(db_path=tmp_path / "sandbox.db")
    running.ensure_account(ACCOUNT, SECRETS["TWILIO_AUTH_TOKEN"])
    yield running
    log = running.requests()
    running.stop()
    if (oai_dir() / "twilio_taskrouter_v1.json").is_file():
        assert_log_matches_contract(log)


def _ago(minutes: int) -> str:
    return (datetime.now(UTC) - timedelta(minutes=minutes)).isoformat()


def workspace_of(sandbox: RunningSandbox) -> str:
    from tests.sandbox.helpers import client_for

    client = client_for(sandbox, ACCOUNT, SECRETS["TWILIO_AUTH_TOKEN"])
    (ws,) = client.taskrouter.v1.workspaces.list(friendly_name="Flex Task Assignment")
    return str(ws.sid)


def two_calls(now: datetime) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A call answered and finished, and a second call answered: the first call's ``task.created`` is what
    the webhook delivered before the outage; the other four events were lost."""
    first, second = sid("WT"), sid("WT")
    start_1, start_2 = now - timedelta(hours=3), now - timedelta(hours=2)
    delivered = [task_event("task.created", task=first, at=start_1)]
    lost = [
        task_event("reservation.accepted", task=first, at=start_1 + timedelta(minutes=2), age=120),
        task_event("task.completed", task=first, at=start_1 + timedelta(minutes=9), age=540),
        task_event("task.created", task=second, at=start_2, language="ru", topic="health"),
        task_event("reservation.accepted", task=second, at=start_2 + timedelta(minutes=1), age=60),
    ]
    return delivered, lost


def records_of(hungary: HubConfig, db_url: str, tmp_path: Path) -> list[dict[str, Any]]:
    from deh_deploy.hub.service import Service
    from deh_deploy.hub.settings import resolve

    service = Service(resolve(hungary, "staging", database_url=db_url, state_dir=tmp_path, environ=SECRETS))
    try:
        return service.records_for(sensitive=True)
    finally:
        service.close()


def inbox_count(db_url: str) -> int:
    import sqlalchemy as sa

    from deh_deploy.hub.db import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM inbox")).scalar_one())
    finally:
        engine.dispose()


def test_reconcile_makes_the_lost_events_records_once(
    sandbox: RunningSandbox,
    hungary: HubConfig,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from deh_deploy.deploy import reconcile_hub
    from deh_deploy.hub.service import Service
    from deh_deploy.hub.settings import resolve
    from deh_deploy.providers.connect import connect

    for name, value in {**SECRETS, "TWILIO_ACCOUNT_SID": ACCOUNT}.items():
        monkeypatch.setenv(name, value)
    settings = resolve(hungary, "staging", database_url=db_url, state_dir=tmp_path, environ=SECRETS)
    delivered, lost = two_calls(datetime.now(UTC))
    service = Service(settings)
    service.start()
    kind = service.kinds["taskrouter"]
    for params in delivered:  # what the webhook stored before the outage
        assert service.accept(kind, str(kind.key(params)), kind.minimise(params))
    service.process_pending()
    service.close()
    workspace = workspace_of(sandbox)
    sandbox.seed(ACCOUNT, taskrouter_events=[logged(p, workspace) for p in (*delivered, *lost)])
    worker = {"worker_sid": sid("WK"), "worker_activity_name": "Available", "worker_name": "Anna"}
    sandbox.seed(
        ACCOUNT,
        taskrouter_events=[
            {
                "workspace_sid": workspace,
                "event_type": "worker.activity.update",
                "event_date": _ago(50),
                "event_data": worker,
            }
        ],
    )

    with connect(hungary.environment("staging"), sandbox_url=sandbox.url) as conn:
        first = reconcile_hub(settings, conn, days=30)
        again = reconcile_hub(settings, conn, days=30)

    assert (first.read, first.new, first.known, first.not_tasks, first.processed) == (6, 4, 1, 1, 4)
    assert (again.read, again.new, again.known, again.processed) == (6, 0, 5, 0)
    assert again.sentence() == "6 events read: 0 new, 5 already in the inbox, 1 not about a task; 0 processed"
    records = sorted(records_of(hungary, db_url, tmp_path), key=lambda r: r["created_at"])
    assert [(r["language"], r["status"], r["events"]) for r in records] == [
        ("uk", "closed", 3),
        ("ru", "in_progress", 2),
    ]
    assert all(r["first_response_at"] is not None and r["promise_met"] for r in records)
    assert inbox_count(db_url) == 5


def test_reconcile_refuses_credentials_of_another_account(
    sandbox: RunningSandbox, hungary: HubConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deh_deploy.deploy import reconcile_hub
    from deh_deploy.errors import CredentialsError
    from deh_deploy.hub.settings import resolve
    from deh_deploy.providers.connect import connect

    other = "AC" + "7" * 32
    token = sandbox.ensure_account(other)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", other)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", token)
    settings = resolve(hungary, "staging", database_url=f"sqlite:///{tmp_path / 'hub.db'}", environ=SECRETS)
    with (
        connect(hungary.environment("staging"), sandbox_url=sandbox.url) as conn,
        pytest.raises(CredentialsError, match=f"cannot use account {ACCOUNT}"),
    ):
        reconcile_hub(settings, conn, days=1)
    assert not (tmp_path / "hub.db").exists()


@pytest.mark.slow
def test_events_lost_while_the_service_was_down_become_records(
    sandbox: RunningSandbox, hungary: HubConfig, db_url: str, tmp_path: Path
) -> None:
    """End to end: the service receives a webhook, stops; TaskRouter logs four more events; ``deh hub
    reconcile`` makes their records; run again, it finds all of them known."""
    delivered, lost = two_calls(datetime.now(UTC))
    hub = start_hub(db_url, SECRETS, cwd=tmp_path)
    try:
        assert [hub.post("/twilio/taskrouter", p) for p in delivered] == [204]
        hub.wait_processed()
    finally:
        hub.stop()  # the outage: nothing after this reaches the service
    workspace = workspace_of(sandbox)
    sandbox.seed(ACCOUNT, taskrouter_events=[logged(p, workspace) for p in (*delivered, *lost)])
    env = environment(SECRETS, TWILIO_ACCOUNT_SID=ACCOUNT)
    command = [sys.executable, "-m", "deh_deploy.hub", "reconcile", str(HUNGARY), "--env", "staging"]
    command += ["--database-url", db_url, "--sandbox-url", sandbox.url, "--since", "2"]

    def reconcile() -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    first, again = reconcile(), reconcile()
    assert (first.returncode, first.stderr) == (
        0,
        "5 events read: 4 new, 1 already in the inbox; 4 processed\n",
    )
    assert (again.returncode, again.stderr) == (
        0,
        "5 events read: 0 new, 5 already in the inbox; 0 processed\n",
    )
    records = records_of(hungary, db_url, tmp_path)
    assert sorted((r["language"], r["status"], r["events"]) for r in records) == [
        ("ru", "in_progress", 2),
        ("uk", "closed", 3),
    ]
    assert inbox_count(db_url) == 5
