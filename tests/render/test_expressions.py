"""``deh validate`` parses the rendered TaskRouter expressions with Twilio's grammar, one line per failure."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from types import MappingProxyType

import pytest

from deh_deploy.config import read_document
from deh_deploy.config.model import HubConfig, build
from deh_deploy.render.expressions import expression_problems
from deh_deploy.validation import validate_hub

ROOT = Path(__file__).resolve().parents[2]


def _hub(country: str) -> tuple[HubConfig, object]:
    doc = read_document(ROOT / "country_configs" / country)
    assert doc.data is not None
    return build(doc.data, source=doc.path), doc


@pytest.mark.parametrize("country", ["hungary", "mongolia", "jordan"])
def test_every_expression_the_examples_render_parses(country: str) -> None:
    doc, diagnostics = validate_hub(ROOT / "country_configs" / country)
    assert [d for d in diagnostics if d.severity == "error"] == []
    hub, _ = _hub(country)
    assert expression_problems(doc, hub) == []


def test_a_skill_that_breaks_the_queue_expression_is_one_line_at_the_queue() -> None:
    doc = read_document(ROOT / "country_configs" / "hungary")
    assert doc.data is not None
    hub = build(doc.data, source=doc.path)
    queues = dict(hub.routing.queues)
    queues["cva"] = dataclasses.replace(queues["cva"], skills=('team*"cash"',))
    broken = dataclasses.replace(
        hub, routing=dataclasses.replace(hub.routing, queues=MappingProxyType(queues))
    )
    (line,) = [d.format() for d in expression_problems(doc, broken)]
    where, rest = line.split(" expression '", 1)
    expression, why = rest.split("' would", 1)
    assert where == "country_configs/hungary/hub.yaml:68:7: $.routing.queues.cva: the queue's target workers"
    assert expression.endswith(' AND routing.skills HAS "team*"cash""')
    found_at = expression.index("cash") + 1
    assert (
        why == f" not parse on TaskRouter: expected AND, OR or the end, found 'cash' at character {found_at}"
    )
