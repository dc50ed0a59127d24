"""Serverless Variables hold 450 bytes at most: the deployment record fits for any hub, and a value that would not
fit stops the plan in one line, before Twilio refuses it."""

from __future__ import annotations

import dataclasses
import json
from types import MappingProxyType

import pytest

from deh_deploy.config.model import HubConfig, NumberSpec
from deh_deploy.deploy import plan_hub
from deh_deploy.errors import PlanError
from deh_deploy.names import VARIABLE_BYTES
from deh_deploy.providers.kinds.serverless import DEPLOYMENT_VARIABLE, deployment_record
from deh_deploy.render import render_hub
from tests.provider.conftest import COUNTRIES, World, hub


def _deployment(h: HubConfig) -> dict[str, object]:
    found = [r for r in render_hub(h, env="staging").resources if r.kind == "serverless.deployment"]
    return dict(found[0].attrs)


@pytest.mark.parametrize("country", COUNTRIES)
def test_the_deployment_record_of_every_example_hub_fits_with_room_to_spare(country: str) -> None:
    record = deployment_record(_deployment(hub(country)))
    assert len(record.encode()) <= VARIABLE_BYTES - 150, "room for two more functions"
    assert sorted(json.loads(record)) == ["assets", "dependencies", "functions", "runtime"]


def test_the_record_does_not_grow_with_the_hub() -> None:
    # It holds digests of the functions and assets the code ships, never anything from the config.
    sizes = {len(deployment_record(_deployment(hub(c)))) for c in COUNTRIES}
    assert len(sizes) == 1


def test_a_record_an_earlier_version_wrote_with_the_sids_is_not_redeployed(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        env = conn.client.serverless.v1.services.list()[0].environments.list()[0]
        (variable,) = [v for v in env.variables.list() if v.key == DEPLOYMENT_VARIABLE]
        old = {**json.loads(variable.value), "service_sid": env.service_sid, "environment_sid": env.sid}
        assert len(json.dumps(old, sort_keys=True)) > len(variable.value)
        env.variables(variable.sid).update(value=json.dumps(old, sort_keys=True))
        assert plan_hub(h, "staging", conn).writes == ()


def _with_numbers(h: HubConfig, count: int) -> HubConfig:
    env = h.environment("staging")
    spec = env.numbers["main"]
    extra = {
        f"spare_number_with_a_long_descriptive_id{i}": dataclasses.replace(spec, id=f"spare{i}")
        for i in range(count)
    }
    numbers: dict[str, NumberSpec] = {**env.numbers, **extra}
    env = dataclasses.replace(env, numbers=MappingProxyType(numbers))
    return dataclasses.replace(h, environments=MappingProxyType({**h.environments, "staging": env}))


def test_plan_says_in_one_line_when_the_numbers_record_would_not_fit(world: World) -> None:
    h = _with_numbers(hub("hungary"), 6)
    world.login(h)
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        plan_hub(h, "staging", conn)
    # main=PN… (39 bytes) and six ids of 40 characters (75 bytes each), with the spaces between: 495 bytes.
    assert str(exc.value) == (
        "serverless.variable/DEH_NUMBERS: the value would be 495 bytes; a Twilio Serverless Variable takes at "
        "most 450"
    )
    assert "\n" not in str(exc.value)
