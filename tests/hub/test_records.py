"""Feedback records from Twilio's events, on SQLite and PostgreSQL: one record per contact, the first human
response per channel, the promise kept or not, whatever order the events arrive in."""

from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from deh_deploy.hours import parse_hours
from deh_deploy.hub.promise import PromiseCalendar
from deh_deploy.hub.service import Service
from deh_deploy.hub.tables import inbox, records

from .events import callback_task, message_added, recording, sid, task_event, transcription

FRIDAY_EVENING = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)  # 18:30 in Budapest
WEDNESDAY_MORNING = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # 10:00 in Budapest

pytestmark = pytest.mark.postgres_differs  # timestamps with their zone, and inserts that ignore a duplicate


def feed(service: Service, kind: str, *events: dict[str, str]) -> list[bool]:
    handler = service.kinds[kind]
    accepted = []
    for params in events:
        key = handler.key(params)
        assert key is not None
        accepted.append(service.accept(handler, key, handler.minimise(params)))
    service.process_pending()
    return accepted


def all_records(service: Service) -> list[dict[str, Any]]:
    with service.engine.connect() as conn:
        return [dict(r) for r in conn.execute(sa.select(records).order_by(records.c.id)).mappings()]


def one_record(service: Service) -> dict[str, Any]:
    rows = all_records(service)
    assert len(rows) == 1, rows
    return rows[0]


def test_a_call_answered_by_an_agent(service: Service) -> None:
    task = sid("WT")
    at = WEDNESDAY_MORNING
    feed(service, "taskrouter", task_event("task.created", task=task, at=at, channel="voice"))
    created = one_record(service)
    assert created["status"] == "open" and created["promise_met"] is None
    assert created["deadline_at"] == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # Thursday 16:00 in Budapest
    assert (created["channel"], created["language"], created["topic"]) == ("voice", "uk", "housing")
    assert (created["feedback_type"], created["ifrc_type"]) == ("request", "Request or suggestion")
    assert created["sensitivity"] == "non_sensitive" and created["reason"] == "agent"
    assert created["person_id"] is not None and "+36" not in created["person_id"]
    feed(
        service,
        "taskrouter",
        task_event("reservation.accepted", task=task, at=at + timedelta(minutes=3), age=180),
        task_event("task.completed", task=task, at=at + timedelta(minutes=12), age=720),
    )
    done = one_record(service)
    assert done["first_response_at"] == at + timedelta(minutes=3)
    assert done["resolved_at"] == at + timedelta(minutes=12)
    assert (done["status"], done["promise_met"], done["events"]) == ("closed", True, 3)
    assert done["created_at"] == at and done["deadline_at"] == created["deadline_at"]


def test_a_whatsapp_contact_counts_only_an_agents_message(service: Service) -> None:
    task, conversation = sid("WT"), sid("CH")
    at = WEDNESDAY_MORNING
    feed(
        service,
        "conversations",
        message_added(
            conversation=conversation,
            at=at - timedelta(minutes=2),
            source="WHATSAPP",
            author="whatsapp:+36301234567",
        ),
        message_added(conversation=conversation, at=at - timedelta(minutes=1), source="API", author="system"),
    )
    feed(
        service,
        "taskrouter",
        task_event("task.created", task=task, at=at, channel="whatsapp", conversation=conversation),
        task_event(
            "reservation.accepted",
            task=task,
            at=at + timedelta(minutes=1),
            age=60,
            channel="whatsapp",
            conversation=conversation,
        ),
    )
    accepted = one_record(service)
    assert accepted["first_response_at"] is None, "accepting a chat is not answering it"
    assert accepted["status"] == "open"
    feed(
        service,
        "conversations",
        message_added(conversation=conversation, at=at + timedelta(minutes=2), source="API", author="system"),
        message_added(
            conversation=conversation, at=at + timedelta(minutes=4), source="SDK", author="olena@rc.hu"
        ),
    )
    answered = one_record(service)
    assert answered["first_response_at"] == at + timedelta(minutes=4)
    assert (answered["status"], answered["promise_met"]) == ("in_progress", True)
    assert answered["window_closes_at"] == at - timedelta(minutes=2) + timedelta(hours=24)
    assert answered["reply_needs_template"] is False


def test_a_friday_evening_whatsapp_reply_will_need_a_template(service: Service) -> None:
    task, conversation = sid("WT"), sid("CH")
    feed(
        service,
        "taskrouter",
        task_event(
            "task.created", task=task, at=FRIDAY_EVENING, channel="whatsapp", conversation=conversation
        ),
    )
    record = one_record(service)
    assert record["deadline_at"] == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # Monday 16:00 in Budapest
    assert record["window_closes_at"] == FRIDAY_EVENING + timedelta(hours=24)
    assert record["reply_needs_template"] is True
    # The person writes again on Sunday evening: the window reopens and a Monday reply fits in it.
    feed(
        service,
        "conversations",
        message_added(
            conversation=conversation,
            at=datetime(2026, 12, 6, 18, 0, tzinfo=UTC),
            source="WHATSAPP",
            author="whatsapp:+36301234567",
        ),
    )
    assert one_record(service)["reply_needs_template"] is False


def test_events_in_any_order_make_the_same_record(service: Service) -> None:
    at = WEDNESDAY_MORNING
    results = []
    for order in itertools.islice(itertools.permutations(range(4)), 0, 24, 5):
        task, conversation = sid("WT"), sid("CH")
        steps: list[tuple[str, dict[str, str]]] = [
            (
                "taskrouter",
                task_event("task.created", task=task, at=at, channel="sms", conversation=conversation),
            ),
            (
                "taskrouter",
                task_event(
                    "reservation.accepted",
                    task=task,
                    at=at + timedelta(minutes=1),
                    age=60,
                    channel="sms",
                    conversation=conversation,
                ),
            ),
            (
                "conversations",
                message_added(
                    conversation=conversation, at=at + timedelta(minutes=2), source="SDK", author="agent"
                ),
            ),
            (
                "taskrouter",
                task_event(
                    "task.completed",
                    task=task,
                    at=at + timedelta(minutes=9),
                    age=540,
                    channel="sms",
                    conversation=conversation,
                ),
            ),
        ]
        for i in order:
            feed(service, *steps[i])
        row = next(r for r in all_records(service) if r["task_sid"] == task)
        results.append(
            (
                row["created_at"],
                row["first_response_at"],
                row["resolved_at"],
                row["status"],
                row["promise_met"],
                row["deadline_at"],
            )
        )
    assert len(set(results)) == 1, results


def test_a_voicemail_is_one_record_from_its_recording_and_its_call_back_task(service: Service) -> None:
    rec, call, task = sid("RE"), sid("CA"), sid("WT")
    feed(service, "recording", recording(recording_sid=rec, call=call, started=FRIDAY_EVENING))
    first = one_record(service)
    assert (first["reason"], first["channel"], first["sensitivity"]) == (
        "voicemail",
        "voice",
        "to_be_clarified",
    )
    assert first["deadline_at"] == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
    feed(
        service,
        "taskrouter",
        callback_task("task.created", task=task, at=FRIDAY_EVENING + timedelta(seconds=40), recording=rec),
    )
    feed(service, "transcription", transcription(recording_sid=rec, call=call))
    merged = one_record(service)
    assert merged["task_sid"] == task and merged["language"] == "uk" and merged["has_transcript"] is True
    assert merged["created_at"] == FRIDAY_EVENING and merged["events"] == 3
    # Monday 09:30 in Budapest: an agent accepts the call-back: that is the first human response.
    monday = datetime(2026, 12, 7, 8, 30, tzinfo=UTC)
    feed(
        service,
        "taskrouter",
        callback_task("reservation.accepted", task=task, at=monday, recording=rec, age=3600),
    )
    answered = one_record(service)
    assert (answered["first_response_at"], answered["status"], answered["promise_met"]) == (
        monday,
        "in_progress",
        True,
    )


def test_a_late_answer_misses_the_promise_and_an_unanswered_one_is_marked_by_housekeeping(
    service: Service,
) -> None:
    late, never = sid("WT"), sid("WT")
    feed(
        service,
        "taskrouter",
        task_event("task.created", task=late, at=WEDNESDAY_MORNING),
        task_event("task.created", task=never, at=WEDNESDAY_MORNING),
        task_event("reservation.accepted", task=late, at=WEDNESDAY_MORNING + timedelta(days=2), age=172800),
    )
    rows = {r["task_sid"]: r for r in all_records(service)}
    assert rows[late]["promise_met"] is False
    assert rows[never]["promise_met"] is None
    assert service.housekeeping(now=WEDNESDAY_MORNING + timedelta(days=3))["overdue"] == 1
    assert {r["task_sid"]: r["promise_met"] for r in all_records(service)} == {late: False, never: False}


def test_a_canceled_and_a_timed_out_task(service: Service) -> None:
    hung_up, waited = sid("WT"), sid("WT")
    feed(
        service,
        "taskrouter",
        task_event("task.created", task=hung_up, at=WEDNESDAY_MORNING),
        task_event("task.canceled", task=hung_up, at=WEDNESDAY_MORNING + timedelta(minutes=2), age=120)
        | {"TaskCanceledReason": "hangup"},
        task_event("task.created", task=waited, at=WEDNESDAY_MORNING),
        task_event("workflow.timeout", task=waited, at=WEDNESDAY_MORNING + timedelta(minutes=30), age=1800),
    )
    rows = {r["task_sid"]: r for r in all_records(service)}
    assert (rows[hung_up]["status"], rows[hung_up]["canceled_reason"]) == ("canceled", "hangup")
    assert rows[waited]["status"] == "open" and rows[waited]["timed_out_at"] is not None


def test_tasks_that_are_not_deh_contacts_are_kept_as_ignored(service: Service) -> None:
    outbound = task_event("task.created", task=sid("WT"), at=WEDNESDAY_MORNING, kind="outbound")
    worker = {"Sid": sid("EV"), "EventType": "worker.activity.update", "WorkerSid": sid("WK")}
    feed(service, "taskrouter", outbound, worker)
    assert all_records(service) == []
    with service.engine.connect() as conn:
        assert sorted(r.status for r in conn.execute(sa.select(inbox.c.status))) == ["ignored", "ignored"]


def test_a_duplicate_delivery_is_stored_and_processed_once(service: Service) -> None:
    params = task_event("task.created", task=sid("WT"), at=WEDNESDAY_MORNING)
    assert feed(service, "taskrouter", params, params, params) == [True, False, False]
    assert one_record(service)["events"] == 1
    with service.engine.connect() as conn:
        rows = conn.execute(sa.select(inbox.c.status, inbox.c.attempts, inbox.c.payload)).all()
    assert [(r.status, r.attempts, r.payload) for r in rows] == [("done", 1, None)]


def test_no_message_text_or_transcript_is_stored(service: Service) -> None:
    conversation, rec = sid("CH"), sid("RE")
    handler = service.kinds["conversations"]
    params = message_added(
        conversation=conversation, at=WEDNESDAY_MORNING, source="WHATSAPP", author="whatsapp:+36301234567"
    )
    service.accept(handler, str(handler.key(params)), handler.minimise(params))
    tr = service.kinds["transcription"]
    tparams = transcription(recording_sid=rec, call=sid("CA"))
    service.accept(tr, str(tr.key(tparams)), tr.minimise(tparams))
    cb = service.kinds["taskrouter"]
    cparams = callback_task("task.created", task=sid("WT"), at=WEDNESDAY_MORNING, recording=rec)
    service.accept(cb, str(cb.key(cparams)), cb.minimise(cparams))
    with service.engine.connect() as conn:
        stored = " ".join(str(r.payload) for r in conn.execute(sa.select(inbox.c.payload)))
    assert "Fő utca" not in stored and "housing" not in stored and "Flex Task Assignment" not in stored
    assert json.loads(stored.split(" ")[0])["Author"] == "whatsapp:+36301234567"  # kept only until processed
    service.process_pending()
    with service.engine.connect() as conn:
        assert [r.payload for r in conn.execute(sa.select(inbox.c.payload))] == [None, None, None]


def test_an_event_that_fails_is_retried_then_given_up_and_the_others_go_on(service: Service) -> None:
    handler = service.kinds["taskrouter"]
    good = task_event("task.created", task=sid("WT"), at=WEDNESDAY_MORNING)
    with service.engine.begin() as conn:  # a row no handler can read
        conn.execute(
            sa.insert(inbox).values(
                provider="twilio",
                event_key="EVbroken",
                kind="taskrouter",
                received_at=WEDNESDAY_MORNING,
                payload="{",
            )
        )
    service.accept(handler, str(handler.key(good)), good)
    later = datetime.now(UTC)
    for attempt in range(5):
        service.process_pending()
        with service.engine.begin() as conn:  # skip the back-off
            conn.execute(sa.update(inbox).values(not_before=later - timedelta(seconds=1)))
        del attempt
    with service.engine.connect() as conn:
        states = sorted((r.status, r.attempts, r.error) for r in conn.execute(sa.select(inbox)))
    assert len(all_records(service)) == 1
    assert states[0] == ("done", 1, None)
    assert states[1][0] == "failed" and states[1][1] == 5 and states[1][2] is not None


def test_a_later_change_of_hours_never_rewrites_a_deadline(service: Service) -> None:
    task = sid("WT")
    feed(service, "taskrouter", task_event("task.created", task=task, at=FRIDAY_EVENING))
    before = one_record(service)["deadline_at"]
    weekly = {day: ["08:00-20:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat")}
    reopened = dataclasses.replace(service.settings.hub, hours=parse_hours({"weekly": weekly}, country="HU"))
    service.calendar = PromiseCalendar(reopened)
    feed(
        service,
        "taskrouter",
        task_event("reservation.accepted", task=task, at=FRIDAY_EVENING + timedelta(hours=1), age=3600),
    )
    assert one_record(service)["deadline_at"] == before
    other = sid("WT")
    feed(service, "taskrouter", task_event("task.created", task=other, at=FRIDAY_EVENING))
    new = next(r for r in all_records(service) if r["task_sid"] == other)
    assert new["deadline_at"] == datetime(2026, 12, 7, 19, 0, tzinfo=UTC)  # Monday 20:00 under the new hours


def test_retention_purges_old_records_messages_and_events(service: Service) -> None:
    feed(service, "taskrouter", task_event("task.created", task=sid("WT"), at=WEDNESDAY_MORNING))
    feed(
        service,
        "conversations",
        message_added(conversation=sid("CH"), at=WEDNESDAY_MORNING, source="SDK", author="a"),
    )
    kept = service.housekeeping(now=WEDNESDAY_MORNING + timedelta(days=364))
    assert (kept["records"], kept["messages"]) == (0, 0)
    assert len(all_records(service)) == 1
    purged = service.housekeeping(now=datetime.now(UTC) + timedelta(days=366))
    assert (purged["records"], purged["messages"], purged["events"]) == (1, 1, 2)
    assert all_records(service) == []


def test_sensitive_records_are_visible_only_to_sensitive_roles(service: Service) -> None:
    feed(
        service,
        "taskrouter",
        task_event(
            "task.created",
            task=sid("WT"),
            at=WEDNESDAY_MORNING,
            topic="complaint",
            feedback="complaint",
            sensitive="true",
        ),
        task_event("task.created", task=sid("WT"), at=WEDNESDAY_MORNING),
    )
    assert [r["topic"] for r in service.records_for(sensitive=False)] == ["housing"]
    assert sorted(r["topic"] for r in service.records_for(sensitive=True)) == ["complaint", "housing"]
