"""The rendered flows are readable in the Studio canvas: widgets laid out as a tree from the trigger, no two boxes
overlapping, each widget below one that leads to it, and every example hub's flows a few screens high."""

from __future__ import annotations

import json
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.config import load_hub
from deh_deploy.render.layout import HEIGHT, WIDTH

from .conftest import rendered

COUNTRIES = Path(__file__).resolve().parents[2] / "country_configs"
MAX_HEIGHT = 4000  # pixels; one widget a row made Hungary's voice flow 18,200 pixels high
FLOWS = [(c, f) for c in ("hungary", "mongolia", "jordan") for f in ("voice", "messaging")]


def flow(country: str, name: str) -> list[dict[str, Any]]:
    states: list[dict[str, Any]] = json.loads(rendered(COUNTRIES / country).artifacts[f"flows/{name}.json"])[
        "states"
    ]
    return states


def box(state: dict[str, Any]) -> tuple[int, int]:
    offset = state["properties"]["offset"]
    assert isinstance(offset["x"], int) and isinstance(offset["y"], int)
    return offset["x"], offset["y"]


@pytest.mark.parametrize(("country", "name"), FLOWS)
def test_no_two_widgets_overlap(country: str, name: str) -> None:
    states = flow(country, name)
    for a, b in combinations(states, 2):
        (ax, ay), (bx, by) = box(a), box(b)
        apart = abs(ax - bx) >= WIDTH or abs(ay - by) >= HEIGHT
        assert apart, f"{a['name']} at {(ax, ay)} overlaps {b['name']} at {(bx, by)}"


@pytest.mark.parametrize(("country", "name"), FLOWS)
def test_every_widget_sits_below_a_widget_that_leads_to_it(country: str, name: str) -> None:
    states = flow(country, name)
    at = {s["name"]: box(s) for s in states}
    assert at["Trigger"][1] == min(y for _, y in at.values()), "the trigger is on top"
    leads = {
        s["name"]: [s2["name"] for s2 in states if any(t["next"] == s["name"] for t in s2["transitions"])]
        for s in states
    }
    for s in states:
        if s["name"] == "Trigger" or not leads[s["name"]]:
            continue  # the top, or a widget no path takes
        above = [p for p in leads[s["name"]] if at[p][1] + HEIGHT <= at[s["name"]][1]]
        assert above, f"{s['name']} is not below any of {leads[s['name']]}"


@pytest.mark.parametrize(("country", "name"), FLOWS)
def test_a_flow_is_a_few_screens_high_with_a_column_per_language(country: str, name: str) -> None:
    states = flow(country, name)
    height = max(box(s)[1] for s in states) + HEIGHT
    assert height <= MAX_HEIGHT, f"{height} px high"
    nexts = {s["name"]: [t["next"] for t in s["transitions"] if t["next"]] for s in states}
    reached, todo = {"Trigger"}, ["Trigger"]
    while todo:
        for nxt in nexts[todo.pop()]:
            if nxt not in reached:
                reached.add(nxt)
                todo.append(nxt)
    spans = []
    for lang in load_hub(COUNTRIES / country).languages:
        mine = [s for s in states if s["name"].endswith(f"_{lang}") or f"_{lang}_" in s["name"]]
        xs = [box(s)[0] for s in mine if s["name"] in reached]
        spans.append((min(xs), max(xs) + WIDTH))
    spans.sort()
    for (_, right), (left, _) in pairwise(spans):
        assert right <= left, f"each language's widgets are columns of their own: {spans}"
