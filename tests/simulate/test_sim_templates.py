"""Each template renders exactly as python-liquid renders it, whichever form it was compiled into."""

from __future__ import annotations

from typing import Any

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate.liquid_forms import ENVIRONMENT
from deh_deploy.simulate.templates import JsonDict, Template, liquid_data

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
    # values equal in Python, told apart by Liquid
    {"flow": {"variables": {"lang": 1, "count": True}}, "trigger": {"message": {"From": "whatsapp:+36301"}}},
    {"flow": {"variables": {"lang": True, "count": 1.0}}, "trigger": {"message": {"From": "viber:abc"}}},
    {"flow": {"variables": {"lang": "1", "count": None}}, "trigger": {"conversation": {"Author": "+3630"}}},
    {"flow": {"variables": {"lang": "", "count": "x"}}, "trigger": {"message": {"From": None}}},
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
    "{% if flow.variables.lang == 1 %}one{% elsif flow.variables.lang %}{{ flow.variables.lang }}{% endif %}",
    "{% case flow.variables.count %}{% when 1 %}one{% when true %}yes{% else %}[{{flow.variables.count}}]{% endcase %}",
    "{% unless flow.variables.lang %}none{% endunless %}{% capture c %}<{{flow.variables.count}}>{% endcapture %}{{c}}",
    "{{ flow.variables.lang }}{% assign flow = 'x' %}{{ flow }}",
    "{% assign a = trigger.message.From | append: trigger.conversation.Author %}{% if a contains 'whatsapp:' %}"
    "whatsapp{% elsif a contains 'viber:' %}viber{% elsif a contains '+' %}sms{% else %}webchat{% endif %}",
    "{% if widgets.hours.parsed %}{{ widgets.hours.parsed.slots | join: ', ' }}{% endif %}",
    "{% if flow.variables.lang.size > 0 %}set{% endif %}",
    "{{ flow.variables.count | plus: 1 }} {{ flow.variables.lang | default: 'en' | upcase }}",
]


def _liquid(source: str, context: dict[str, Any]) -> str | type[Exception]:
    try:
        return ENVIRONMENT.from_string(source).render(context)
    except Exception as exc:
        return type(exc)


def _ours(template: Template, context: dict[str, Any]) -> str | type[Exception]:
    """What ``template`` renders, or the type of python-liquid's error (the cause of a SimulationError)."""
    try:
        return template.render(context, "w", "p")
    except SimulationError as exc:
        assert isinstance(exc.__cause__, Exception)
        return type(exc.__cause__)
    except Exception as exc:
        return type(exc)


@pytest.mark.parametrize("source", TEMPLATES)
def test_every_form_renders_what_python_liquid_renders(source: str) -> None:
    template = Template(source, where="test")
    for context in [*CONTEXTS, *reversed(CONTEXTS)]:  # twice: a remembered render is rendered again
        assert _ours(template, context) == _liquid(source, context), context


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
        ("{{ 'now' | date: '%H:%M' }}", "liquid"),
        ("{% if a.size > 1 %}b{% endif %}", "liquid"),
        ("{% for x in a %}{{ x }}{% endfor %}", "liquid"),
        ("{{ a[b] }}", "liquid"),
        ("{{ 'text' }}", "remembered"),
        ("{{ trigger.message.Body | append: '!' }}", "remembered"),
        ("{% if a %}b{% endif %}", "remembered"),
        ("{% assign c = a | downcase %}{% case c %}{% when 'x' %}y{% endcase %}", "remembered"),
    ],
)
def test_each_template_is_compiled_into_its_cheapest_form(source: str, form: str) -> None:
    assert Template(source, where="test").form == form


def test_a_filter_that_refuses_its_value_fails_as_python_liquid_makes_it_fail() -> None:
    template = Template("{{ widgets.list | sort }}", where="test")
    assert template.form == "lookups"
    with pytest.raises(
        SimulationError,
        match=r"^widget 'w': p: cannot render '\{\{ widgets.list \| sort \}\}': can't sort sequence$",
    ):
        template.render({"widgets": {"list": [1, "a"]}}, "w", "p")


def test_a_remembered_template_goes_through_python_liquid_once_per_distinct_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rendered: list[str] = []
    through_liquid = Template._liquid

    def counted(self: Template, *args: Any) -> str:
        text = through_liquid(self, *args)
        rendered.append(text)
        return text

    monkeypatch.setattr(Template, "_liquid", counted)
    template = Template(
        "{% if trigger.message.From contains '+' %}sms{% else %}other{% endif %}", where="test"
    )
    senders = ["+3630", "viber:x", "+3630", None, "viber:x", None, "+3630"]
    texts = [template.render({"trigger": {"message": {"From": s}}}, "w", "p") for s in senders]
    assert texts == ["sms", "other", "sms", "other", "other", "other", "sms"]
    assert rendered == ["sms", "other", "other"]
