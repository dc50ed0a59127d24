"""The callback Function (callback.js under Node) stamps its task's ``answer_by`` with the promise's deadline: the
same instant the hub service's ``PromiseCalendar`` fixes on the record, from the same compiled schedule the hours
Function reads."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deh_deploy.config import load_hub
from deh_deploy.config.model import HubConfig, Promise
from deh_deploy.hours import dump_schedule
from deh_deploy.hub.promise import PromiseCalendar
from deh_deploy.render.serverless import compile_with_promise

ROOT = Path(__file__).resolve().parents[2]
FUNCTION = ROOT / "templates" / "functions" / "callback.js"
HARNESS = Path(__file__).with_name("callback_harness.js")
YEARS = [2026, 2027]
CONTEXT = {"WORKSPACE_SID": "WS" + "1" * 32, "WORKFLOW_SID": "WW" + "1" * 32, "CALLBACK_QUEUE": "general"}

RunCallback = Callable[..., list[dict[str, Any]]]


@pytest.fixture(scope="module")
def hubs() -> dict[str, HubConfig]:
    return {name: load_hub(ROOT / "country_configs" / name) for name in ("hungary", "jordan", "mongolia")}


@pytest.fixture
def run_callback(tmp_path: Path) -> RunCallback:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH: install Node.js (18 or later) to test the callback Function")

    def run(
        hub: HubConfig | None, instants: Sequence[str], *, context: dict[str, str] | None = None
    ) -> list[Any]:
        schedule_path = None
        if hub is not None:
            schedule_path = tmp_path / "schedule.json"
            schedule_path.write_text(dump_schedule(compile_with_promise(hub, years=YEARS)), encoding="utf-8")
        request = {
            "function": str(FUNCTION),
            "schedule_path": str(schedule_path) if schedule_path else None,
            "context": {**CONTEXT, **(context or {})},
            "events": [{"type": "voicemail", "channel": "voice", "at": at} for at in instants],
        }
        done = subprocess.run(
            [node, str(HARNESS)], input=json.dumps(request), capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        results: list[Any] = json.loads(done.stdout)
        assert len(results) == len(instants)
        return results

    return run


def _utc(local: str, zone: str) -> datetime:
    return datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def _iso(at: datetime) -> str:
    return at.isoformat(timespec="milliseconds").replace("+00:00", "Z")


CASES = [
    ("hungary", "2026-12-04T18:30", "Mon 2026-12-07 16:00", "a Friday-evening voicemail in Budapest"),
    ("hungary", "2026-12-23T17:00", "Mon 2027-01-04 16:00", "Christmas Eve, Christmas, the year-end closure"),
    ("hungary", "2026-08-20T10:00", "Mon 2026-08-24 16:00", "State Foundation Day, then the bridge day"),
    ("hungary", "2026-08-07T15:00", "Mon 2026-08-10 16:00", "a working Saturday the hub does not open on"),
    ("jordan", "2026-11-05T16:00", "Sun 2026-11-08 22:00", "Thursday: Friday and Saturday are the weekend"),
    ("jordan", "2026-11-07T12:00", "Sun 2026-11-08 22:00", "Saturday: Sunday is the next working day"),
    ("jordan", "2026-12-24T10:00", "Sun 2026-12-27 22:00", "Christmas Day falls in Jordan's weekend"),
]


@pytest.mark.parametrize(("country", "contact", "expected", "why"), CASES, ids=[c[3] for c in CASES])
def test_answer_by_is_the_promises_deadline(
    run_callback: RunCallback, hubs: dict[str, HubConfig], country: str, contact: str, expected: str, why: str
) -> None:
    hub = hubs[country]
    at = _utc(contact, hub.timezone)
    [result] = run_callback(hub, [_iso(at)])
    answer_by = datetime.fromisoformat(result["ok"]["answer_by"].replace("Z", "+00:00"))
    assert answer_by.astimezone(ZoneInfo(hub.timezone)).strftime("%a %Y-%m-%d %H:%M") == expected, why
    assert answer_by == PromiseCalendar(hub).deadline(at)
    assert result["attributes"]["answer_by"] == result["ok"]["answer_by"]
    assert result["attributes"]["received_at"] == _iso(at)


@pytest.mark.slow
@pytest.mark.parametrize("country", ["hungary", "jordan", "mongolia"])
def test_the_function_and_the_hub_service_agree_on_every_contact_tried(
    run_callback: RunCallback, hubs: dict[str, HubConfig], country: str
) -> None:
    """Every 97 minutes of 2026 and most of 2027 (a next working day inside the compiled years), through the
    clock changes, holidays and closures."""
    hub = hubs[country]
    calendar = PromiseCalendar(hub)
    start, stop = datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 12, 1, tzinfo=UTC)
    instants = [start + timedelta(minutes=97 * n) for n in range(int((stop - start).total_seconds() // 5820))]
    results = run_callback(hub, [_iso(at) for at in instants])
    differ = [
        (_iso(at), result["ok"]["answer_by"], _iso(calendar.deadline(at)))
        for at, result in zip(instants, results, strict=True)
        if result["ok"]["answer_by"] != _iso(calendar.deadline(at))
    ]
    assert not differ, f"{len(differ)} of {len(instants)} differ, first: {differ[:3]}"


def test_without_the_schedule_answer_by_is_the_hours_alone(run_callback: RunCallback) -> None:
    at = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
    [result] = run_callback(None, [_iso(at)], context={"PROMISE_HOURS": "24"})
    assert result["ok"]["answer_by"] == _iso(at + timedelta(hours=24))  # the task is still created


def test_a_promise_of_hours_alone_is_kept_by_the_function(
    run_callback: RunCallback, hubs: dict[str, HubConfig]
) -> None:
    hungary = hubs["hungary"]
    hub = dataclasses.replace(
        hungary, service=dataclasses.replace(hungary.service, promise=Promise(48, or_next_working_day=False))
    )
    at = _utc("2026-12-04T18:30", hub.timezone)
    [result] = run_callback(hub, [_iso(at)])
    assert (
        result["ok"]["answer_by"] == _iso(at + timedelta(hours=48)) == _iso(PromiseCalendar(hub).deadline(at))
    )


def test_a_bad_instant_fails_the_function(run_callback: RunCallback, hubs: dict[str, HubConfig]) -> None:
    [result] = run_callback(hubs["hungary"], ["next Friday"])
    assert result == {"error": '"at" must be an ISO 8601 instant with Z or an offset'}


def test_the_render_carries_the_promise_in_the_schedule_and_its_hours_in_the_variable(
    hubs: dict[str, HubConfig],
) -> None:
    from datetime import date

    from deh_deploy.render import render_hub

    desired = render_hub(hubs["hungary"], env="staging", today=date(2026, 12, 1))
    schedule = json.loads(desired.artifacts["functions/schedule.json"])
    assert schedule["promise"] == {
        "within_hours": 24,
        "or_next_working_day": True,
        "weekend": {"2026": [5, 6], "2027": [5, 6]},
        "working_weekend_days": ["2026-01-10", "2026-08-08"],
    }
    [variable] = [
        r for r in desired.resources if r.kind == "serverless.variable" and r.key == "PROMISE_HOURS"
    ]
    assert variable.attrs["value"] == "24"
