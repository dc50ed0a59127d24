"""Twilio's Studio widget facts: one declaration per widget type, light enough for the sandbox to import."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from deh_deploy.config import load_hub
from deh_deploy.render import render_hub
from deh_deploy.sandbox.studio import validate_definition
from deh_deploy.simulate.hub import offline
from deh_deploy.studio_widgets import BY_TYPE, DOCS, WIDGETS, json_type

ROOT = Path(__file__).resolve().parents[2]


def test_every_widget_type_studio_knows_is_declared_once_with_its_source() -> None:
    assert len(WIDGETS) == len(BY_TYPE) == 23
    for widget in WIDGETS:
        assert widget.source.startswith(DOCS), widget.type
        assert widget.evidence, widget.type
        assert len({p.name for p in widget.props}) == len(widget.props), widget.type


def test_send_to_flex_wants_strings_and_gather_integers() -> None:
    flex, gather = BY_TYPE["send-to-flex"], BY_TYPE["gather-input-on-call"]
    assert flex.required == ("workflow", "channel")
    assert {p.name: p.type for p in flex.props}["priority"] == "string"
    assert {p.name: p.type for p in flex.props}["timeout"] == "string"
    assert {p.name: p.type for p in gather.props}["timeout"] == "integer"
    assert {p.name: p.type for p in gather.props}["number_of_digits"] == "integer"
    assert gather.required == ()


@pytest.mark.parametrize(
    ("value", "name"),
    [
        (None, "null"),
        (True, "boolean"),
        (3, "integer"),
        (1.5, "number"),
        ("3", "string"),
        ([], "array"),
        ({}, "object"),
    ],
)
def test_json_types_are_named_as_studio_names_them(value: object, name: str) -> None:
    assert json_type(value) == name


@pytest.mark.parametrize("country", ["hungary", "mongolia", "jordan"])
def test_what_render_produces_passes_the_sandboxs_check_on_verified_facts(country: str) -> None:
    desired = render_hub(load_hub(ROOT / "country_configs" / country), env="staging", today=date(2026, 3, 2))
    for name in ("flows/voice.json", "flows/messaging.json"):
        definition = offline(desired.documents[name], "x", "staging")  # as apply sends it, with stand-in SIDs
        assert validate_definition(definition) == [], name
        for state in definition["states"]:
            assert BY_TYPE[state["type"]].verified, (name, state["type"])


def test_the_sandboxs_flow_check_imports_neither_liquid_nor_the_simulator() -> None:
    code = (
        "import sys, deh_deploy.sandbox.studio; "
        "print(sorted(m for m in sys.modules if m == 'liquid' or m.startswith('deh_deploy.simulate')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
