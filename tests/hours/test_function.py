"""The Twilio Function hours.js on its own: its inputs, its switch, and failing so the flow fails closed."""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from typing import Any

import pytest

from deh_deploy.hours import compile_schedule, is_open, parse_hours

from .conftest import FUNCTION, RunFunction

OPEN_INSTANT = "2026-04-13T08:30:00Z"  # Monday 10:30 in Budapest


@pytest.fixture
def schedule(budapest_hours: dict[str, Any]) -> dict[str, Any]:
    return compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[2026, 2027]
    )


def test_it_answers_open_reason_and_local_time(run_function: RunFunction, schedule: dict[str, Any]) -> None:
    [result] = run_function(schedule, [OPEN_INSTANT])
    assert result == {"ok": {"open": True, "reason": "open", "local_time": "2026-04-13T10:30:00+02:00"}}


def test_an_offset_instant_is_read_as_the_same_moment(
    run_function: RunFunction, schedule: dict[str, Any]
) -> None:
    results = run_function(schedule, ["2026-04-13T17:30:00+09:00", "2026-04-13T08:30:00.000Z"])
    assert results[0] == results[1]


def test_closed_now_in_the_environment_closes_it(run_function: RunFunction, schedule: dict[str, Any]) -> None:
    [switched] = run_function(schedule, [OPEN_INSTANT], context={"CLOSED_NOW": "true"})
    assert switched == {
        "ok": {"open": False, "reason": "closed_now", "local_time": "2026-04-13T10:30:00+02:00"}
    }
    [normal] = run_function(schedule, [OPEN_INSTANT], context={"CLOSED_NOW": "false"})
    assert normal["ok"]["open"] is True


def test_without_at_it_answers_for_now(run_function: RunFunction, budapest_hours: dict[str, Any]) -> None:
    year = datetime.now(UTC).year
    schedule = compile_schedule(
        parse_hours(budapest_hours, country="HU"), timezone="Europe/Budapest", years=[year]
    )
    before = datetime.now(UTC)
    [result] = run_function(schedule, [None])
    after = datetime.now(UTC)
    local = datetime.fromisoformat(result["ok"]["local_time"])
    assert before.replace(microsecond=0) <= local <= after
    assert result["ok"]["open"] == is_open(schedule, local).open


@pytest.mark.parametrize(
    ("asset", "message"),
    [
        (None, "hours: the private asset /schedule.json is missing"),
        ('{"version": 2}', "hours: schedule.json is not a version 1 schedule"),
        ('{"version": 1, "timezone": "Europe/Budapest"}', "hours: schedule.json lacks timezone or weekly"),
        ('{"version": 1, "timezone": "UTC", "weekly": {}}', "hours: schedule.json lacks closed or years"),
        (
            '{"version": 1, "timezone": "UTC", "weekly": {"0": [[600, 300]]}, "closed": {}, "years": [2026]}',
            "hours: schedule.json has a bad shift on weekday 0",
        ),
    ],
)
def test_a_missing_or_malformed_schedule_is_an_error(
    run_function: RunFunction, asset: str | None, message: str
) -> None:
    assert run_function(asset, [OPEN_INSTANT]) == [{"error": message}]


def test_a_corrupt_schedule_and_an_unknown_timezone_are_errors(
    run_function: RunFunction, schedule: dict[str, Any]
) -> None:
    [corrupt] = run_function(json.dumps(schedule)[:-20], [OPEN_INSTANT])
    assert "JSON" in corrupt["error"]
    [zone] = run_function(schedule | {"timezone": "Mars/Olympus"}, [OPEN_INSTANT])
    assert "Mars/Olympus" in zone["error"]


@pytest.mark.parametrize(
    "at",
    [
        "2026-04-13T10:30",
        "2026-04-13T10:30:00+0200",
        pytest.param("2026-04-13", marks=pytest.mark.slow),
        pytest.param("yesterday", marks=pytest.mark.slow),
    ],
)
def test_an_instant_without_an_offset_is_an_error(
    run_function: RunFunction, schedule: dict[str, Any], at: str
) -> None:
    [result] = run_function(schedule, [at])
    assert result == {"error": f'hours: "at" must be an ISO 8601 instant with Z or an offset, got "{at}"'}


def test_the_function_is_copied_verbatim_so_it_holds_no_template_syntax() -> None:
    source = FUNCTION.read_text(encoding="utf-8")
    for marker in ("{{", "{%", "{#", "${"):
        assert marker not in source
    assert "exports.handler = function (context, event, callback)" in source
    assert "require(" in source and "require('fs')" in source.replace('"', "'")
    required = {line.split("require(")[1].split(")")[0] for line in source.splitlines() if "require(" in line}
    assert required == {"'fs'"}  # no npm dependencies


def test_the_function_is_plain_es2019(node: str) -> None:
    script = (
        "const acorn = require('internal/deps/acorn/acorn/dist/acorn');"
        "acorn.parse(require('fs').readFileSync(process.argv[1], 'utf8'),"
        " {ecmaVersion: 2019, sourceType: 'script'});"
    )
    probe = subprocess.run(
        [node, "--expose-internals", "-e", "require('internal/deps/acorn/acorn/dist/acorn')"],
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("this Node build does not expose its bundled acorn parser")
    done = subprocess.run(
        [node, "--expose-internals", "-e", script, str(FUNCTION)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
