"""Fixtures for the opening-hours tests: example sections and the Node harness around hours.js."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FUNCTION = PROJECT_ROOT / "templates" / "functions" / "hours.js"
HARNESS = Path(__file__).with_name("harness.js")

RunFunction = Callable[..., list[dict[str, Any]]]
PARITY_COUNTS: list[tuple[str, int]] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if PARITY_COUNTS:
        terminalreporter.write_sep("-", "opening hours: Python/Node parity")
        for name, count in PARITY_COUNTS:
            terminalreporter.write_line(f"{name}: {count} instants, identical open/reason/local_time")


@pytest.fixture
def node() -> str:
    path = shutil.which("node")
    if path is None:
        pytest.skip("node is not on PATH: install Node.js (18 or later) to test the hours Function")
    return path


@pytest.fixture
def run_function(node: str, tmp_path: Path) -> RunFunction:
    """Run the real hours.js for each instant; returns one {"ok": ...} or {"error": ...} per instant."""

    def run(
        schedule: dict[str, Any] | str | None,
        instants: Sequence[str | None],
        *,
        context: dict[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        schedule_path: str | None = None
        if schedule is not None:
            asset = tmp_path / "schedule.json"
            asset.write_text(
                schedule if isinstance(schedule, str) else json.dumps(schedule), encoding="utf-8"
            )
            schedule_path = str(asset)
        request = {
            "function": str(FUNCTION),
            "schedule_path": schedule_path,
            "context": context or {},
            "instants": list(instants),
        }
        done = subprocess.run(
            [node, str(HARNESS)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        results: list[dict[str, Any]] = json.loads(done.stdout)
        assert len(results) == len(instants)
        return results

    return run


@pytest.fixture
def budapest_hours() -> dict[str, Any]:
    """Split shifts, overnight shifts, shift edges inside the DST changes, closures and an open_on."""
    return {
        "weekly": {
            "mon": ["08:00-12:00", "13:00-17:00"],
            "tue": ["08:00-17:00"],
            "wed": ["08:00-12:00", "13:00-17:00"],
            "thu": ["08:00-17:00"],
            "fri": ["08:00-17:00", "20:00-02:00"],
            "sat": ["10:00-14:00", "22:00-02:15"],
            "sun": ["02:30-03:30", "12:00-24:00"],
        },
        "public_holidays": {"country": "HU", "subdivision": None, "observed": True},
        "closures": [
            {"date": "2026-12-24", "reason": "Christmas Eve"},
            {"from": "2026-12-27", "to": "2026-12-31", "reason": "Year-end closure"},
            {"from": "2027-07-01", "to": "2027-07-02", "reason": 'Staff "training" – évzáró'},
        ],
        "open_on": ["2026-12-26"],
        "closed_now": False,
    }
