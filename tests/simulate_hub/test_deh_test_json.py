"""``deh test --format json``: the same results as the PASS/FAIL lines, in one document for machines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from .conftest import Deh
from .minihub import small_hub
from .test_deh_test import WRONG


def test_json_has_each_scenario_with_its_failures_and_outcome(
    deh: Deh, country: Callable[[str], Path]
) -> None:
    folder = country("hungary")
    (folder / "scenarios" / "wrong.yaml").write_text(WRONG, encoding="utf-8")

    run = deh("test", "--format", "json", folder)

    assert run.code == 1
    [hub] = json.loads("\n".join(run.out))["hubs"]
    assert (hub["slug"], hub["passed"], hub["failed"]) == ("hungary", 1, 1)
    passed, failed = hub["scenarios"]
    assert {k: passed[k] for k in ("file", "line", "passed", "failures")} == {
        "file": "hungary/scenarios/wrong.yaml",
        "line": 2,
        "passed": True,
        "failures": [],
    }
    assert passed["outcome"]["end"] == "agent" and passed["outcome"]["task"]["topic"] == "housing"
    assert failed["name"] == "Saturday caller reaches a colleague (wrong: the hub is closed)"
    assert failed["failures"] == [
        "expected to end with agent, ended with voicemail",
        "expected task topic='housing', got None",
        "expected 'Kapcsoljuk kollégánkat' in the transcript",
    ]
    assert failed["outcome"]["end"] == "voicemail"
    assert "transcript" not in failed
    assert run.err == []


def test_verbose_json_adds_the_transcript_of_a_failed_scenario(
    deh: Deh, country: Callable[[str], Path]
) -> None:
    folder = country("hungary")
    (folder / "scenarios" / "wrong.yaml").write_text(WRONG, encoding="utf-8")

    [hub] = json.loads("\n".join(deh("test", "-v", "-f", "json", folder).out))["hubs"]

    passed, failed = hub["scenarios"]
    assert "transcript" not in passed
    assert failed["transcript"][1] == "person: presses 3"


def test_a_country_without_scenarios_is_a_failure_named_in_the_document(
    deh: Deh, country: Callable[[str], Path]
) -> None:
    folder = country("hungary")

    run = deh("test", "-f", "json", folder)

    assert run.code == 1
    assert json.loads("\n".join(run.out)) == {
        "hubs": [
            {
                "slug": "hungary",
                "passed": 0,
                "failed": 0,
                "scenarios": [],
                "problem": f"no scenarios in {folder / 'scenarios'} (*.yaml)",
            }
        ]
    }


def test_the_sweep_is_in_the_document_with_its_figures(deh: Deh, tmp_path: Path) -> None:
    folder = small_hub(tmp_path / "small")

    run = deh("test", "--sweep", "--format", "json", folder)

    assert run.code == 0, run.out
    [hub] = json.loads("\n".join(run.out))["hubs"]
    sweep = hub["sweep"]
    assert sweep["violation_count"] == 0 and sweep["violations"] == []
    assert sweep["conversations"] == sum(sweep["ends"].values()) > 0
    assert set(sweep["ends"]) <= {"agent", "voicemail", "self_service", "after_hours"}
