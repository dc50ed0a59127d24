"""Routing skills in the DEH convention: language-region, channel and project, renamed where the config says."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from deh_deploy.config import load_hub
from deh_deploy.i18n import language_region
from deh_deploy.render import routing, skills
from tests.render.conftest import HUNGARY


@pytest.mark.parametrize(
    ("tag", "country", "skill"),
    [
        ("uk", "HU", "uk-ua"),
        ("hu", "HU", "hu-hu"),
        ("ru", "HU", "ru-ru"),
        ("ar", "JO", "ar-jo"),
        ("en", "JO", "en-us"),
        ("mn", "MN", "mn-mn"),
        ("pt-BR", "HU", "pt-br"),
    ],
)
def test_a_language_takes_the_country_where_official_else_its_likely_region(
    tag: str, country: str, skill: str
) -> None:
    assert language_region(tag, country=country) == skill


def test_queues_ask_for_the_language_region_skill_and_project_everyone() -> None:
    hub = load_hub(HUNGARY)
    queue = hub.routing.queues["general"]
    assert routing.queue_expression(hub, queue) == (
        '(routing.skills HAS "language*uk-ua" OR routing.skills HAS "language*ru-ru"'
        ' OR routing.skills HAS "language*hu-hu") AND routing.skills HAS "project*everyone"'
    )


def test_the_workflow_prefers_a_worker_of_the_tasks_channel() -> None:
    hub = load_hub(HUNGARY)
    filters = routing.workflow_configuration(hub)["task_routing"]["filters"]
    voice = next(f for f in filters if f["filter_friendly_name"] == "cva uk voice")
    assert voice["expression"] == 'queue == "cva" AND language == "uk" AND channel == "voice"'
    assert [t.get("expression") for t in voice["targets"]] == [
        'routing.skills HAS "language*uk-ua" AND routing.skills HAS "comm*voice"',
        'routing.skills HAS "language*uk-ua"',
        None,
    ]
    assert any(f["filter_friendly_name"] == "cva uk" for f in filters), "a task of another channel"


def test_the_config_renames_convention_skills_everywhere() -> None:
    hub = load_hub(HUNGARY)
    renamed = MappingProxyType({"language*uk-ua": "language*uk", "project*everyone": "project*all"})
    hub = dataclasses.replace(hub, routing=dataclasses.replace(hub.routing, skill_names=renamed))
    listed = skills.listed(hub)
    assert "language*uk" in listed and "project*all" in listed
    assert "language*uk-ua" not in listed and "project*everyone" not in listed
    assert "comm*voice" in listed
    expression = routing.queue_expression(hub, hub.routing.queues["general"])
    assert '"language*uk"' in expression and '"project*all"' in expression
