"""Buying numbers outside the US and Canada: Contains instead of AreaCode, and a plan that says when none is sold."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.errors import PlanError
from deh_deploy.providers.kinds.numbers import search_criteria
from tests.provider.conftest import World, hub


def test_an_area_code_becomes_an_anchored_contains_outside_the_us_and_canada() -> None:
    assert search_criteria({"country": "HU", "buy": {"area_code": "1"}}) == {
        "contains": "+361",
        "exclude_all_address_required": True,
    }
    assert search_criteria(
        {"country": "US", "buy": {"area_code": "415"}, "address_sid": "AD" + "1" * 32}
    ) == {"area_code": "415"}
    assert search_criteria({"country": "MN", "buy": {"area_code": "11", "contains": "+9761131"}})[
        "contains"
    ] == ("+9761131")


def test_hungarys_purchase_searches_with_contains_and_no_area_code(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn, allow_purchase=True)
    searches = [e for e in world.log() if "/AvailablePhoneNumbers/HU/Local.json" in str(e["path"])]
    assert searches
    for entry in searches:
        assert "Contains=%2B361" in str(entry["query"]) and "AreaCode" not in str(entry["query"])


def test_plan_says_in_one_line_when_the_account_is_sold_no_such_number(world: World) -> None:
    h = hub("hungary")
    env = h.environment("staging")
    spec = dataclasses.replace(env.numbers["main"], type="toll-free", area_code=None)
    env = dataclasses.replace(env, numbers=MappingProxyType({**env.numbers, "main": spec}))
    h = dataclasses.replace(h, environments=MappingProxyType({**h.environments, "staging": env}))
    world.login(h)
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        plan_hub(h, "staging", conn)
    assert str(exc.value) == "numbers.main: no toll-free numbers in HU on this account (with sms, voice)"
