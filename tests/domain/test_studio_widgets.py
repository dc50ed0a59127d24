"""Twilio's Studio widget facts: one declaration per widget type, light enough for the sandbox to import."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.config import load_hub
from deh_deploy.render import render_hub
from deh_deploy.render.refs import Ref, fill
from deh_deploy.sandbox.studio import validate_definition
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


# What apply puts where render leaves a reference: a SID of the referenced kind, or the service's domain.
PREFIX = {
    "taskrouter.workflow": "WW",
    "taskrouter.task_channel": "TC",
    "serverless.service": "ZS",
    "serverless.environment": "ZE",
    "serverless.function": "ZH",
    "content.template": "HX",
}


def resolved(document: Any) -> Any:
    """The flow as apply sends it: every reference replaced by a value of the shape Twilio holds."""

    def one(r: Ref) -> str:
        if r.attr == "sid":
            return PREFIX[r.kind] + "0123456789abcdef" * 2
        return "deh-hungary-1234-staging.twil.io"

    return fill(document, one)


@pytest.mark.parametrize("country", ["hungary", "mongolia", "jordan"])
def test_what_render_produces_passes_the_sandboxs_check_on_verified_facts(country: str) -> None:
    desired = render_hub(load_hub(ROOT / "country_configs" / country), env="staging", today=date(2026, 3, 2))
    for name in ("flows/voice.json", "flows/messaging.json"):
        definition = resolved(desired.documents[name])  # as apply sends it
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


def test_every_stricter_fact_says_where_it_comes_from() -> None:
    strict = [p for w in WIDGETS for p in w.props if p.sid or p.values or p.constant]
    assert {p.name for p in strict} >= {
        "workflow",
        "channel",
        "service_sid",
        "function_sid",
        "play_beep",
        "method",
    }
    for prop in strict:
        assert prop.evidence, prop.name
        assert prop.type == "string", prop.name
        assert prop.no_liquid, prop.name
    assert {p.name: p.sid for p in BY_TYPE["send-to-flex"].props if p.sid} == {
        "workflow": "WW",
        "channel": "TC",
    }
