"""Buying numbers outside the US and Canada: Contains instead of AreaCode, and a plan that says when none is sold."""

from __future__ import annotations

import dataclasses
import re
from types import MappingProxyType

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.errors import PlanError
from deh_deploy.providers.market import search_criteria
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
    spec = dataclasses.replace(env.numbers["main"], type="toll-free", area_code=None, contains=None)
    env = dataclasses.replace(env, numbers=MappingProxyType({**env.numbers, "main": spec}))
    h = dataclasses.replace(h, environments=MappingProxyType({**h.environments, "staging": env}))
    world.login(h)
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        plan_hub(h, "staging", conn)
    assert str(exc.value) == "numbers.main: no toll-free numbers in HU on this account (with sms, voice)"


def _number(h: HubConfig, **changes: object) -> HubConfig:
    env = h.environment("staging")
    spec = dataclasses.replace(env.numbers["main"], **changes)  # type: ignore[arg-type]
    env = dataclasses.replace(env, numbers=MappingProxyType({**env.numbers, "main": spec}))
    return dataclasses.replace(h, environments=MappingProxyType({**h.environments, "staging": env}))


def test_plan_says_a_regulated_number_needs_a_bundle_before_apply_would_fail(world: World) -> None:
    h = _number(hub("hungary"), bundle_sid=None)
    world.login(h)
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        plan_hub(h, "staging", conn)
    assert re.fullmatch(
        r"numbers\.main: a local number in HU needs an approved regulatory bundle \(regulation RN[0-9a-f]{32}\): "
        r"set bundle_sid",
        str(exc.value),
    )


def test_plan_says_when_the_named_bundle_is_not_approved(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    sid = str(h.environment("staging").numbers["main"].bundle_sid)
    world.sandbox.seed(
        h.environment("staging").account_sid,
        bundles=[{"sid": sid, "iso_country": "HU", "number_type": "local", "status": "in-review"}],
    )
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        plan_hub(h, "staging", conn)
    assert (
        str(exc.value)
        == f"numbers.main: a local number in HU: bundle {sid} is in-review, not twilio-approved"
    )


def test_plan_says_when_every_number_on_sale_needs_an_address(world: World) -> None:
    h = _number(hub("hungary"), type="mobile", contains="+3620", bundle_sid=None)
    world.login(h)
    account = h.environment("staging").account_sid
    world.sandbox.seed(
        account, regulations=[{"iso_country": "HU", "number_type": "mobile", "required": False}]
    )
    world.sandbox.seed(
        account,
        available_numbers=[
            {
                "phone_number": "+36209990001",
                "iso_country": "HU",
                "number_type": "mobile",
                "address_requirements": "local",
            }
        ],
    )
    # The sandbox's own HU mobile block takes no address: only numbers that need one are left for this search.
    h = _number(h, contains="+3620999")
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        plan_hub(h, "staging", conn)
    assert str(exc.value) == (
        "numbers.main: a mobile number in HU needs an address on this account: set address_sid (an AD… SID)"
    )


def test_with_an_address_the_purchase_passes_its_sid_and_takes_an_address_number(world: World) -> None:
    address = "AD" + "a1" * 16
    h = _number(hub("hungary"), type="mobile", contains="+3620999", bundle_sid=None, address_sid=address)
    world.login(h)
    account = h.environment("staging").account_sid
    world.sandbox.seed(
        account, regulations=[{"iso_country": "HU", "number_type": "mobile", "required": False}]
    )
    world.sandbox.seed(
        account,
        available_numbers=[
            {
                "phone_number": "+36209990001",
                "iso_country": "HU",
                "number_type": "mobile",
                "address_requirements": "local",
            }
        ],
    )
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn, allow_purchase=True)
        (bought,) = conn.client.api.v2010.account.incoming_phone_numbers.list()
    assert (bought.phone_number, bought.address_sid, bought.address_requirements) == (
        "+36209990001",
        address,
        "local",
    )


def test_a_bundle_named_by_its_environment_variable_is_read_at_plan_and_sent_with_the_purchase(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = hub("hungary")
    sid = str(written.environment("staging").numbers["main"].bundle_sid)
    world.login(written)  # the account holds the approved bundle
    h = _number(written, bundle_sid=None, bundle_sid_env="DEH_HU_BUNDLE_SID")
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        plan_hub(h, "staging", conn)
    assert str(exc.value) == "numbers.main: bundle_sid_env names DEH_HU_BUNDLE_SID, which is not set"
    monkeypatch.setenv("DEH_HU_BUNDLE_SID", sid)
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn, allow_purchase=True)
        (bought,) = conn.client.api.v2010.account.incoming_phone_numbers.list()
    assert bought.bundle_sid == sid
