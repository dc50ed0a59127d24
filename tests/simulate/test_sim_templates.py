"""Each template renders exactly as python-liquid renders it, whichever form it was compiled into."""

from __future__ import annotations

from typing import Any

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate.templates import ENVIRONMENT, JsonDict, Template, liquid_data

CONTEXTS: list[dict[str, Any]] = [
    {},
    {
        "flow": {
            "variables": {"lang": "hu", "count": 3, "ratio": 0.5, "yes": True, "no": False, "none": None}
        },
        "widgets": liquid_data(
            {
                "hours": {"parsed": {"open": True, "reason": "weekday", "slots": ["9:00", "17:00"]}},
                "reply": {"inbound": {"Body": "  2 \n"}},
                "text": "plain",
                "list": [1, "two", None, {"k": "v"}],
            }
        ),
        "trigger": {"message": {"From": "+36301234567", "Body": "Szia"}},
    },
    {"flow": "not a mapping", "widgets": {"hours": None, "reply": ["a", "b"], "text": 7}},
    {"widgets": JsonDict({"hours": JsonDict({"parsed": "[]"}), "reply": {"inbound": {"Body": 12}}})},
]

TEMPLATES = [
    "{{flow.variables.lang}}",
    "[{{flow.variables.never}}][{{widgets.nothing.parsed.x}}][{{trigger.call.From}}]",
    "{{ flow.variables.count }} {{flow.variables.ratio}} {{flow.variables.yes}} {{flow.variables.no}}",
    "<{{flow.variables.none}}>",
    "{{widgets.hours.parsed.open}}",
    "{{widgets.hours.parsed}}",
    "{{widgets.hours.parsed.slots}}",
    "{{widgets.hours}}",
    "{{widgets.text.length}}",
    "{{widgets.list}}",
    '{{widgets["reply"]["inbound"].Body}}',
    '{"language": "{{flow.variables.lang}}", "from": "{{trigger.message.From}}"}',
    "a {{- flow.variables.lang -}} b",
    "{{widgets.reply.inbound.Body | strip}}",
    "{{ trigger.message.Body | upcase | downcase }}",
    "{{ widgets.hours.parsed | json }}",
    "{{ widgets.list | to_json }}",
    "{{ widgets.list | first }}",
    "{{ widgets.hours.parsed.slots | size }}",
    "{{ widgets.hours.parsed.slots | join }}",
    "{{ widgets.reply | sort }}",
    "{{ widgets.list | sort }}",
    "{{ widgets.text | sum }}",
    "{{ widgets.text | base64_decode }}",
    "{{ widgets.text | no_such_filter }}",
    "{{ widgets.text | abs }}",
    "{{ widgets.reply.inbound.Body | url_encode }}",
    "{{ widgets.hours.parsed.slots.size }} {{widgets.list.first}} {{widgets.list.last}}",
    "{{ widgets.list[1] }}",
    "{{ now | date: '%Y' }}",
    "{{ trigger.message.Body | append: '!' }}",
    "{% if widgets.hours.parsed.open %}open{% else %}closed{% endif %}",
]


def _liquid(source: str, context: dict[str, Any]) -> str | type[Exception]:
    try:
        return ENVIRONMENT.from_string(source).render(context)
    except Exception as exc:
        return type(exc)


def _ours(source: str, context: dict[str, Any]) -> str | type[Exception]:
    """What ``Template`` renders, or the type of python-liquid's error (the cause of a SimulationError)."""
    try:
        return Template(source, where="test").render(context, "w", "p")
    except SimulationError as exc:
        assert isinstance(exc.__cause__, Exception)
        return type(exc.__cause__)
    except Exception as exc:
        return type(exc)


@pytest.mark.parametrize("source", TEMPLATES)
def test_every_form_renders_what_python_liquid_renders(source: str) -> None:
    for context in CONTEXTS:
        assert _ours(source, context) == _liquid(source, context), context


@pytest.mark.parametrize(
    ("source", "form"),
    [
        ("no markup at all", "text"),
        ("{{flow.variables.lang}}", "lookups"),
        ('{"from": "{{trigger.message.From}}", "to": "{{ flow.channel.address }}"}', "lookups"),
        ("{{widgets.reply.inbound.Body | strip | upcase}}", "lookups"),
        ("{{widgets.list.size}}", "liquid"),
        ("{{widgets.list[0]}}", "liquid"),
        ("{{now}}", "liquid"),
        ("{{ 'text' }}", "liquid"),
        ("{{ trigger.message.Body | append: '!' }}", "liquid"),
        ("{% if a %}b{% endif %}", "liquid"),
    ],
)
def test_plain_variables_are_looked_up_without_python_liquid(source: str, form: str) -> None:
    assert Template(source, where="test").form == form


def test_a_filter_that_refuses_its_value_fails_as_python_liquid_makes_it_fail() -> None:
    template = Template("{{ widgets.list | sort }}", where="test")
    assert template.form == "lookups"
    with pytest.raises(
        SimulationError,
        match=r"^widget 'w': p: cannot render '\{\{ widgets.list \| sort \}\}': can't sort sequence$",
    ):
        template.render({"widgets": {"list": [1, "a"]}}, "w", "p")
