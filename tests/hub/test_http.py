"""The web app over real HTTP, as a subprocess on loopback, on SQLite and PostgreSQL: signed webhooks are
stored once and answered at once; forged, unsigned or tampered ones get 403 and change nothing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from .conftest import SECRETS
from .events import message_added, sid, task_event
from .server import PUBLIC, Server, start


@pytest.fixture(scope="module")
def live(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start(module_db_url, SECRETS, cwd=tmp_path_factory.mktemp("run"))
    yield server
    server.stop()


def inbox_size(server: Server) -> int:
    server.wait_processed()
    status, records = server.get_json("/records", SECRETS["DEH_HU_PROTECTION_TOKEN"])
    assert status == 200
    return len(records["records"])


@pytest.mark.postgres_differs  # the intake stores: on PostgreSQL inserts in flight share one flush
def test_a_signed_event_is_stored_and_answered_204_at_once(live: Server) -> None:
    before = inbox_size(live)
    started = time.perf_counter()
    status = live.post("/twilio/taskrouter", task_event("task.created", task=sid("WT"), at=datetime.now(UTC)))
    elapsed = time.perf_counter() - started
    assert status == 204
    assert elapsed < 5.0, (
        "Conversations waits 5 s for an answer (TaskRouter 15 s): the event must be stored by then"
    )
    assert inbox_size(live) == before + 1


@pytest.mark.postgres_differs  # the intake stores: on PostgreSQL inserts in flight share one flush
def test_a_duplicate_delivery_is_answered_and_kept_once(live: Server) -> None:
    before = inbox_size(live)
    params = task_event("task.created", task=sid("WT"), at=datetime.now(UTC))
    assert [live.post("/twilio/taskrouter", params) for _ in range(3)] == [204, 204, 204]
    assert inbox_size(live) == before + 1


def _forged(server: Server, params: dict[str, str]) -> int:
    return server.post("/twilio/taskrouter", params, signature="x" * 28)


def _unsigned(server: Server, params: dict[str, str]) -> int:
    return server.post("/twilio/taskrouter", params, signature=None)


def _tampered(server: Server, params: dict[str, str]) -> int:
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(server.token).compute_signature(PUBLIC + "/twilio/taskrouter", params)
    changed = dict(
        params, TaskAttributes=params["TaskAttributes"].replace('"sensitive": "false"', '"sensitive": "true"')
    )
    return server.post("/twilio/taskrouter", changed, signature=signature)


def _signed_for_the_inner_url(server: Server, params: dict[str, str]) -> int:
    return server.post("/twilio/taskrouter", params, signed_url=server.base + "/twilio/taskrouter")


def _wrong_token(server: Server, params: dict[str, str]) -> int:
    from twilio.request_validator import RequestValidator

    signature = RequestValidator("f" * 32).compute_signature(PUBLIC + "/twilio/taskrouter", params)
    return server.post("/twilio/taskrouter", params, signature=signature)


def _signed_for_another_path(server: Server, params: dict[str, str]) -> int:
    return server.post("/twilio/taskrouter", params, signed_url=PUBLIC + "/twilio/recording")


@pytest.mark.parametrize(
    "refused",
    [_forged, _unsigned, _tampered, _signed_for_the_inner_url, _wrong_token, _signed_for_another_path],
)
def test_a_request_whose_signature_does_not_hold_gets_403_and_changes_nothing(
    live: Server, refused: object
) -> None:
    assert callable(refused)
    before = inbox_size(live)
    assert refused(live, task_event("task.created", task=sid("WT"), at=datetime.now(UTC))) == 403
    assert inbox_size(live) == before


def test_json_bodies_are_verified_through_body_sha256(live: Server) -> None:
    conversation, task = sid("CH"), sid("WT")
    assert (
        live.post(
            "/twilio/taskrouter",
            task_event(
                "task.created", task=task, at=datetime.now(UTC), channel="sms", conversation=conversation
            ),
        )
        == 204
    )
    message = message_added(conversation=conversation, at=datetime.now(UTC), source="SDK", author="agent")
    assert live.post_json("/twilio/conversations", message, tamper=True) == 403
    assert live.post_json("/twilio/conversations", message, hashed=False) == 403
    assert live.post_json("/twilio/conversations", message) == 204
    live.wait_processed()
    _, body = live.get_json("/records", SECRETS["DEH_HU_SUPERVISOR_TOKEN"])
    record = next(r for r in body["records"] if r["task_sid"] == task)
    assert record["first_response_at"] is not None and record["status"] == "in_progress"


def test_a_signed_request_without_an_event_id_is_refused(live: Server) -> None:
    params = task_event("task.created", task=sid("WT"), at=datetime.now(UTC))
    del params["Sid"]
    assert live.post("/twilio/taskrouter", params) == 400


def test_healthz_reports_the_database_and_the_backlog(live: Server) -> None:
    status, health = live.get_json("/healthz")
    assert status == 200
    assert health["status"] == "ok" and health["database"] == "ok"
    assert set(health["inbox"]) == {"pending", "failed", "oldest_pending_seconds"}


def test_records_need_a_readers_token_and_sensitive_ones_a_sensitive_role(live: Server) -> None:
    task = sid("WT")
    params = task_event(
        "task.created",
        task=task,
        at=datetime.now(UTC),
        topic="complaint",
        feedback="complaint",
        sensitive="true",
    )
    assert live.post("/twilio/taskrouter", params) == 204
    live.wait_processed()
    assert live.get_json("/records")[0] == 401
    assert live.get_json("/records", "not-a-token")[0] == 401
    _, supervisor = live.get_json("/records", SECRETS["DEH_HU_SUPERVISOR_TOKEN"])
    _, protection = live.get_json("/records", SECRETS["DEH_HU_PROTECTION_TOKEN"])
    assert task not in {r["task_sid"] for r in supervisor["records"]}
    assert task in {r["task_sid"] for r in protection["records"]}
    assert (
        next(r for r in protection["records"] if r["task_sid"] == task)["ifrc_type"]
        == "Report of a concern or incident"
    )


def test_logs_hold_no_message_text_and_no_phone_number(live: Server) -> None:
    conversation = sid("CH")
    message = message_added(
        conversation=conversation, at=datetime.now(UTC), source="WHATSAPP", author="whatsapp:+36301234567"
    )
    assert live.post("/twilio/conversations", message) == 204
    assert live.post("/twilio/conversations", message) == 204  # a duplicate is logged too
    assert live.post("/twilio/conversations", message, signature="bad") == 403
    live.wait_processed()
    log = Path(live.log).read_text(encoding="utf-8")
    assert "refused: bad or missing signature" in log and "duplicate" in log
    for secret in ("+36301234567", "Fő utca", "housing", *SECRETS.values()):
        assert secret not in log
