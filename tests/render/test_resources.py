"""resources.json: each resource with its kind, key and dependencies; every reference (``{"$ref": …}``) points to
one."""

from __future__ import annotations

import json
import re
from graphlib import CycleError, TopologicalSorter
from typing import Any

import pytest

from deh_deploy.render import Desired

from .conftest import HUNGARY, rendered

REF_FORM = re.compile(r"(?P<kind>[a-z_.]+)/(?P<key>[^.]+(?:\.[^.]+)*)\.(?P<attr>[a-z_]+)")


def refs(value: Any) -> list[str]:
    """The ``kind/key`` of every reference in a value as its file shows it: an object ``{"$ref": "kind/key.attr"}``."""
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            match = REF_FORM.fullmatch(value["$ref"])
            assert match, f"malformed reference {value}"
            return [f"{match['kind']}/{match['key']}"]
        return [r for v in value.values() for r in refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in refs(v)]
    assert not (isinstance(value, str) and "$ref" in value), f"a reference inside a string: {value}"
    return []


@pytest.fixture(scope="module", params=["staging", "production"])
def desired(request: pytest.FixtureRequest) -> Desired:
    return rendered(HUNGARY, request.param)


@pytest.fixture(scope="module")
def resources(desired: Desired) -> list[dict[str, Any]]:
    data = json.loads(desired.artifacts["resources.json"])
    assert data["slug"] == "hungary"
    assert data["env"] == desired.env
    listed: list[dict[str, Any]] = data["resources"]
    return listed


def _ids(resources: list[dict[str, Any]]) -> list[str]:
    return [f"{r['kind']}/{r['key']}" for r in resources]


def test_each_resource_has_a_kind_key_attributes_and_dependencies(resources: list[dict[str, Any]]) -> None:
    for r in resources:
        assert set(r) == {"kind", "key", "attrs", "depends_on"}
        assert re.fullmatch(r"[a-z]+(\.[a-z_]+)+", r["kind"]), r["kind"]
        assert r["key"] and isinstance(r["attrs"], dict) and isinstance(r["depends_on"], list)
    ids = _ids(resources)
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)


def test_the_hub_declares_what_each_channel_needs(resources: list[dict[str, Any]]) -> None:
    kinds = {r["kind"] for r in resources}
    assert kinds >= {
        "serverless.service",
        "serverless.environment",
        "serverless.function",
        "serverless.deployment",
        "taskrouter.workspace",
        "taskrouter.queue",
        "taskrouter.workflow",
        "studio.flow",
        "phone.number",
        "conversations.address",
        "content.template",
    }
    # Messaging enters Flex through Conversations: no Messaging Service beside the addresses, no legacy FlexFlow.
    assert not kinds & {"messaging.service", "flex.flow"}
    addresses = {r["attrs"]["type"] for r in resources if r["kind"] == "conversations.address"}
    assert {"sms", "whatsapp", "messenger", "chat"} <= addresses
    queues = {r["key"] for r in resources if r["kind"] == "taskrouter.queue"}
    assert queues == {"cva", "general", "protection"}


def test_every_reference_points_to_a_declared_resource(
    desired: Desired, resources: list[dict[str, Any]]
) -> None:
    declared = set(_ids(resources))
    for r in resources:
        assert set(refs(r["attrs"])) <= declared, r["key"]
    for name, text in desired.artifacts.items():
        if name.endswith(".json"):
            assert set(refs(json.loads(text))) <= declared, name


def test_a_resource_depends_on_everything_it_references(resources: list[dict[str, Any]]) -> None:
    declared = set(_ids(resources))
    for r in resources:
        own = f"{r['kind']}/{r['key']}"
        assert set(refs(r["attrs"])) - {own} <= set(r["depends_on"]), own
        assert set(r["depends_on"]) <= declared, own
        assert own not in r["depends_on"]


def test_dependencies_have_an_order_with_serverless_first(resources: list[dict[str, Any]]) -> None:
    """Flows take the Serverless domain and function SIDs; the ways in (number routes, sender addresses, web chat)
    open only once the functions the flows call are deployed."""
    graph = {f"{r['kind']}/{r['key']}": set(r["depends_on"]) for r in resources}
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:  # pragma: no cover - the assertion below reports it
        pytest.fail(f"dependency cycle: {exc.args[1]}")
    position = {rid: i for i, rid in enumerate(order)}
    deployment = next(rid for rid in order if rid.startswith("serverless.deployment/"))
    environment = next(rid for rid in order if rid.startswith("serverless.environment/"))
    for flow in (rid for rid in order if rid.startswith("studio.flow/")):
        assert environment in graph[flow]
        assert position[environment] < position[flow]
    entries = [
        rid for rid in order if rid.split("/")[0] in ("phone.route", "conversations.address", "flex.flow")
    ]
    assert entries
    for entry in entries:
        assert deployment in graph[entry]
        assert position[deployment] < position[entry]
