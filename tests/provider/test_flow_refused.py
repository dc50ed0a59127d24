"""A flow Studio refuses stops the write with one line naming the widget properties, from FlowValidate's list."""

from __future__ import annotations

from typing import Any

import pytest

from deh_deploy.errors import ProviderError
from deh_deploy.providers.kinds.base import Ctx
from deh_deploy.providers.kinds.studio import Flow
from tests.provider.conftest import World, hub


def _flex(workflow: str) -> dict[str, Any]:
    return {
        "description": "DEH test",
        "flags": {"allow_concurrent_calls": True},
        "initial_state": "Trigger",
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "properties": {},
                "transitions": [{"event": "incomingCall", "next": "Agent"}],
            },
            {
                "name": "Agent",
                "type": "send-to-flex",
                "properties": {"workflow": workflow, "channel": "voice", "priority": 0},
                "transitions": [{"event": "callComplete"}],
            },
        ],
    }


def test_a_flow_studio_refuses_is_never_written_and_the_error_names_each_property(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        ctx = Ctx(conn.client, h.environment("staging").account_sid, h.slug, "staging")
        attrs = {"friendly_name": "DEH hungary staging voice", "status": "published"}
        with pytest.raises(ProviderError) as exc:
            Flow().create(ctx, {**attrs, "definition": _flex("{{flow.variables.workflow}}")})
        assert str(exc.value) == (
            "Studio refused flow 'DEH hungary staging voice' (Twilio error 81022): "
            "#/states/1/properties/workflow: Liquid is not allowed here: the value is read when the flow is saved; "
            "#/states/1/properties/channel: does not match the regex pattern ^TC[0-9a-f]{32}$; "
            "#/states/1/properties/priority: integer found, string expected"
        )
        assert conn.client.studio.v2.flows.list() == []
