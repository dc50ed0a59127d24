"""Liquid in widget properties: Studio's context, filters, undefined variables render empty."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import CallContext, CompiledFlow, FunctionResult, Message, start

SMS = {"From": "+36301234567", "To": "+3612345678", "Body": "szia"}


@pytest.fixture
def say(widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]) -> Callable[..., str]:
    """say(body, trigger_data=..., functions=..., flow_data=...) -> the body of one send-message, rendered."""

    def render(body: str, *, trigger_data: Mapping[str, Any] = SMS, **kw: Any) -> str:
        states = [widget("out", "send-message", {"body": body})]
        flow = tiny("out", states, channel="incomingMessage")
        conv = start(
            flow,
            trigger="incomingMessage",
            trigger_data=trigger_data,
            functions=kw.pop("functions", {}),
            **kw,
        )
        [message] = [e for e in conv.events if isinstance(e, Message)]
        return message.body

    return render


def test_trigger_fields_and_the_channel_addresses_are_in_the_context(say: Callable[..., str]) -> None:
    rendered = say(
        "{{trigger.message.Body}} {{trigger.message.From}} "
        "{{flow.channel.address}} {{contact.channel.address}}"
    )
    assert rendered == "szia +36301234567 +3612345678 +36301234567"


def test_undefined_variables_render_empty(say: Callable[..., str]) -> None:
    assert (
        say("[{{flow.variables.never_set}}][{{widgets.nothing.parsed.x}}][{{trigger.call.From}}]") == "[][][]"
    )


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ trigger.message.Body | upcase }}", "SZIA"),
        ("{{ trigger.message.Body | capitalize | append: '!' }}", "Szia!"),
        ("{{ flow.variables.missing | default: 'en' }}", "en"),
        ("{{ 'a,b,c' | split: ',' | join: ' / ' }}", "a / b / c"),
        ("{{ trigger.message.From | slice: 0, 3 }}", "+36"),
        ("{{ trigger.message.From | remove: '+' | size }}", "11"),
        ("{{ '  x  ' | strip }}|", "x|"),
        ("{{ 3 | plus: 4 | times: 2 }}", "14"),
        ("{{ 'Ünnep' | downcase }}", "ünnep"),
        ("{{ '2024-12-24T10:00:00' | date: '%d.%m.%Y' }}", "24.12.2024"),
        ("{% if trigger.message.Body contains 'sz' %}yes{% else %}no{% endif %}", "yes"),
        ("{{ trigger.message.Body | json }}", '"szia"'),
        ("{{ trigger.message.Body | url_encode }}", "szia"),
    ],
)
def test_studio_filters_and_tags(say: Callable[..., str], template: str, expected: str) -> None:
    assert say(template) == expected


def test_flow_data_is_available(say: Callable[..., str]) -> None:
    assert say("{{flow.data.campaign}}", flow_data={"campaign": "flood-2024"}) == "flood-2024"


def test_function_results_are_reachable_and_objects_render_as_json(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    def info(params: Mapping[str, str], ctx: CallContext) -> FunctionResult:
        return FunctionResult(
            200, {"open": False, "next": {"day": "Monday", "hour": 9}, "queues": ["a", "b"]}
        )

    states = [
        widget("info", "run-function", {"url": "https://example.twil.io/info"}, success="out"),
        widget(
            "out",
            "send-message",
            {
                "body": "{{widgets.info.parsed.open}}|{{widgets.info.parsed.next.day}}|"
                "{{widgets.info.parsed.next}}|{{widgets.info.parsed.queues | join: ','}}|"
                "{{widgets.info.status_code}}|{{widgets.info.body}}"
            },
        ),
    ]
    conv = start(
        tiny("info", states, channel="incomingMessage"),
        trigger="incomingMessage",
        trigger_data=SMS,
        functions={"/info": info},
    )
    [message] = [e for e in conv.events if isinstance(e, Message)]
    assert message.body == (
        'false|Monday|{"day":"Monday","hour":9}|a,b|200|{"open":false,"next":{"day":"Monday","hour":9},"queues":["a","b"]}'
    )


def test_an_unknown_filter_fails_naming_the_widget_and_property(say: Callable[..., str]) -> None:
    with pytest.raises(SimulationError, match=r"widget 'out': body: cannot render .*unknown filter 'shout'"):
        say("{{ trigger.message.Body | shout }}")
