"""The trainer's loop: ``deh simulate … --hub URL`` delivers the simulated contact's Twilio events, signed as Twilio
signs them, to a running hub service, and the contact becomes one feedback record with the promise's deadline."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deh_deploy.config.model import HubConfig

from .conftest import HUNGARY, SECRETS
from .server import Server, environment, start

BUDAPEST = ZoneInfo("Europe/Budapest")


@pytest.fixture(scope="module")
def live(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start(module_db_url, SECRETS, cwd=tmp_path_factory.mktemp("run"))
    yield server
    server.stop()


def simulate(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "deh_deploy.cli", "simulate", str(HUNGARY), *args],
        cwd=cwd,
        env=env or environment(SECRETS),
        capture_output=True,
        text=True,
        timeout=120,
    )


def record_at(server: Server, created: str) -> dict[str, Any]:
    """The one record of the contact at ``created`` (UTC, as the records show it)."""
    server.wait_processed()
    status, body = server.get_json("/records", SECRETS["DEH_HU_PROTECTION_TOKEN"])
    assert status == 200
    found = [r for r in body["records"] if r["created_at"] == created]
    assert len(found) == 1, body["records"]
    return dict(found[0])


@pytest.mark.slow
def test_a_friday_evening_voicemail_called_back_on_monday_keeps_the_promise(
    live: Server, tmp_path: Path
) -> None:
    done = simulate(
        "--at", "2026-12-04T18:30", "--press", "1", "--hub", live.base, "--answered-at", "2026-12-07T15:30",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == (
        f"delivered 4 events to the hub service at {live.base}: recording, transcription, taskrouter, taskrouter\n"
    )
    record = record_at(live, "2026-12-04T17:30:00Z")
    assert {k: record[k] for k in ("reason", "channel", "language", "status", "has_recording", "events")} == {
        "reason": "voicemail",
        "channel": "voice",
        "language": "uk",
        "status": "in_progress",
        "has_recording": True,
        "events": 4,
    }
    assert record["deadline_at"] == "2026-12-07T15:00:00Z"  # Monday 16:00 in Budapest: the next working day
    assert record["first_response_at"] == "2026-12-07T14:30:00Z"
    assert record["promise_met"] is True


@pytest.mark.slow
def test_a_call_back_on_tuesday_misses_the_promise(live: Server, tmp_path: Path) -> None:
    done = simulate(
        "--at", "2026-12-11T19:00", "--press", "2", "--hub", live.base, "--answered-at", "2026-12-15T09:00",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    record = record_at(live, "2026-12-11T18:00:00Z")
    assert (record["language"], record["deadline_at"], record["promise_met"]) == (
        "ru",
        "2026-12-14T15:00:00Z",
        False,
    )


@pytest.mark.slow
def test_a_whatsapp_message_is_answered_by_the_agents_first_message(live: Server, tmp_path: Path) -> None:
    done = simulate(
        "--channel", "whatsapp", "--at", "2027-01-12T10:00", "--send", "Szia", "--send", "1", "--send", "3",
        "--hub", live.base, "--answered-at", "2027-01-12T10:20",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    record = record_at(live, "2027-01-12T09:00:00Z")
    assert (record["reason"], record["channel"], record["topic"], record["feedback_type"]) == (
        "agent",
        "whatsapp",
        "housing",
        "request",
    )
    # accepting the task at 10:20 is not answering; the agent's message a minute later is
    assert record["first_response_at"] == "2027-01-12T09:21:00Z"
    assert record["promise_met"] is True and record["reply_needs_template"] is False


@pytest.mark.slow
def test_signing_for_another_url_is_refused_in_one_line(live: Server, tmp_path: Path) -> None:
    done = simulate(
        "--at", "2026-12-04T18:30", "--press", "1", "--hub", live.base, "--hub-public-url", "https://elsewhere.example",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"deh: the hub service at {live.base} refused the signature of the recording event (403): it checks "
        "signatures for its public URL; this run signed for https://elsewhere.example (--hub-public-url)"
    )


def test_answered_at_needs_a_hub(tmp_path: Path) -> None:
    done = simulate(
        "--at", "2026-12-04T18:30", "--press", "1", "--answered-at", "2026-12-07T15:30", cwd=tmp_path
    )
    assert done.returncode == 2
    assert done.stderr.endswith("--answered-at needs --hub: it is an event delivered to the hub service\n")


def test_the_events_of_a_voicemail_are_those_twilio_posts(hungary: HubConfig) -> None:
    from deh_deploy.simulate.deliver import contact_events
    from deh_deploy.simulate.hub import HubSimulator, Script

    sim = HubSimulator(hungary, env="staging")
    at = datetime(2026, 12, 4, 18, 30, tzinfo=BUDAPEST)
    conv, outcome = sim.run(channel="voice", at=at, script=Script(presses=["1"]))
    events = contact_events(conv, outcome, at=at, answered_at=datetime(2026, 12, 7, 15, 30, tzinfo=BUDAPEST))
    assert [(e.name, e.params.get("EventType")) for e in events] == [
        ("recording", None),
        ("transcription", None),
        ("taskrouter", "task.created"),
        ("taskrouter", "reservation.accepted"),
    ]
    recording = events[0].params["RecordingSid"]
    assert events[1].params["RecordingSid"] == recording and recording in events[2].params["TaskAttributes"]
    assert events[3].params["TaskAge"] == str((3 * 24 * 60 - 180) * 60)  # Friday 18:30 to Monday 15:30
    again, _ = sim.run(channel="voice", at=at, script=Script(presses=["1"]))
    assert contact_events(again, outcome, at=at)[0].params["RecordingSid"] != recording  # another contact


def test_a_self_service_answer_delivers_nothing(hungary: HubConfig) -> None:
    from deh_deploy.simulate.deliver import contact_events
    from deh_deploy.simulate.hub import HubSimulator, Outcome, Script

    at = datetime(2026, 12, 4, 18, 30, tzinfo=BUDAPEST)
    conv, _ = HubSimulator(hungary, env="staging").run(channel="voice", at=at, script=Script(presses=["1"]))
    assert contact_events(conv, Outcome("self_service", "uk", None), at=at) == []
