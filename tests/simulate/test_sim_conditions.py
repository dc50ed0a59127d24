"""Every Split Based On condition type, true and false, run through a real split widget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import CompiledFlow, start
from deh_deploy.simulate.conditions import CONDITION_TYPES

CASES: list[tuple[str, str, str, bool]] = [
    # (type, value, subject, matches)
    ("equal_to", "YES", " yes ", True),
    ("equal_to", "yes", "yess", False),
    ("not_equal_to", "yes", "no", True),
    ("not_equal_to", "yes", "YES", False),
    ("matches_any_of", "1, one ,EGY", "egy", True),
    ("matches_any_of", "1,one", "2", False),
    ("does_not_match_any_of", "1,2,3", "4", True),
    ("does_not_match_any_of", "1,2,3", " 2", False),
    ("is_blank", "", "   ", True),
    ("is_blank", "", "x", False),
    ("is_not_blank", "", "x", True),
    ("is_not_blank", "", "", False),
    ("regex", r"^\+36\d{9}$", "+36301234567", True),
    ("regex", r"^\+36", "+44301234567", False),
    ("regex", "HELP", "please help", True),
    ("contains", "Help", "I need HELP now", True),
    ("contains", "help", "hello", False),
    ("does_not_contain", "stop", "go on", True),
    ("does_not_contain", "stop", "please STOP", False),
    ("starts_with", "hu", "Hungarian", True),
    ("starts_with", "hu", "en-HU", False),
    ("does_not_start_with", "+36", "+44 20", True),
    ("does_not_start_with", "+36", "+3630", False),
    ("less_than", "10", "9.5", True),
    ("less_than", "10", "10", False),
    ("less_than", "10", "ten", False),
    ("greater_than", "2", "10", True),
    ("greater_than", "10", "2", False),
    ("is_before_time", "17:00", "16:59", True),
    ("is_before_time", "17:00", "5:30 PM", False),
    ("is_before_time", "09:00", "2024-03-01T08:15:00Z", True),
    ("is_after_time", "08:30", "9:00 am", True),
    ("is_after_time", "08:30", "08:30:00", False),
    ("is_after_time", "08:30", "noon", False),
    ("is_before_date", "2024-12-24", "2024-12-23", True),
    ("is_before_date", "2024-12-24", "12/24/2024", False),
    ("is_after_date", "2024-01-01", "2024-06-30T10:00:00+02:00", True),
    ("is_after_date", "2024-01-01", "2023-12-31", False),
]


def test_the_cases_cover_every_condition_type_both_ways() -> None:
    assert {(kind, matches) for kind, _, _, matches in CASES} == {
        (kind, matches) for kind in CONDITION_TYPES for matches in (True, False)
    }


@pytest.fixture
def split_flow(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> Callable[[str, str], CompiledFlow]:
    def build(kind: str, value: str) -> CompiledFlow:
        split = widget("check", "split-based-on", {"input": "{{trigger.message.Body}}"}, noMatch="")
        split["transitions"].append(
            {
                "event": "match",
                "next": "",
                "conditions": [
                    {
                        "friendly_name": kind,
                        "arguments": ["{{trigger.message.Body}}"],
                        "type": kind,
                        "value": value,
                    }
                ],
            }
        )
        return tiny("check", [split], channel="incomingMessage")

    return build


@pytest.mark.parametrize(("kind", "value", "subject", "matches"), CASES)
def test_condition(
    split_flow: Callable[[str, str], CompiledFlow], kind: str, value: str, subject: str, matches: bool
) -> None:
    conv = start(
        split_flow(kind, value), trigger="incomingMessage", trigger_data={"Body": subject}, functions={}
    )
    assert conv.trace[-1].event == ("match" if matches else "noMatch")


def test_the_first_matching_transition_wins_in_order(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    split = widget("check", "split-based-on", {"input": "{{trigger.message.Body}}"}, noMatch="")
    for target, kind, value in [
        ("a", "contains", "x"),
        ("b", "starts_with", "xy"),
        ("c", "is_not_blank", ""),
    ]:
        split["transitions"].append(
            {
                "event": "match",
                "next": target,
                "conditions": [{"friendly_name": target, "type": kind, "value": value}],
            }
        )
    states = [
        split,
        *(widget(n, "set-variables", {"variables": [{"key": "went", "value": n}]}) for n in "abc"),
    ]
    flow = tiny("check", states, channel="incomingMessage")
    went = {
        body: start(flow, trigger="incomingMessage", trigger_data={"Body": body}, functions={}).variables[
            "went"
        ]
        for body in ("xyz", "yx", "q")
    }
    assert went == {"xyz": "a", "yx": "a", "q": "c"}


def test_all_conditions_of_one_match_transition_must_hold(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    split = widget("check", "split-based-on", {"input": "{{trigger.message.Body}}"}, noMatch="")
    split["transitions"].append(
        {
            "event": "match",
            "next": "",
            "conditions": [
                {"friendly_name": "number", "type": "greater_than", "value": "0"},
                {"friendly_name": "small", "type": "less_than", "value": "10"},
            ],
        }
    )
    flow = tiny("check", [split], channel="incomingMessage")
    events = [
        start(flow, trigger="incomingMessage", trigger_data={"Body": b}, functions={}).trace[-1].event
        for b in ("5", "50")
    ]
    assert events == ["match", "noMatch"]


def test_condition_values_and_arguments_are_liquid(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    split = widget("check", "split-based-on", {"input": "ignored"}, noMatch="")
    split["transitions"].append(
        {
            "event": "match",
            "next": "",
            "conditions": [
                {
                    "friendly_name": "same",
                    "arguments": ["{{trigger.message.Body | upcase}}"],
                    "type": "equal_to",
                    "value": "{{trigger.message.From | append: '!'}}",
                }
            ],
        }
    )
    flow = tiny("check", [split], channel="incomingMessage")
    conv = start(flow, trigger="incomingMessage", trigger_data={"Body": "ab!", "From": "AB"}, functions={})
    assert conv.trace[-1].event == "match"


def test_an_invalid_regex_is_a_flow_error_naming_the_widget(
    split_flow: Callable[[str, str], CompiledFlow],
) -> None:
    with pytest.raises(
        SimulationError, match=r"widget 'check': condition 'regex': invalid regex '\(unclosed'"
    ):
        start(
            split_flow("regex", "(unclosed"),
            trigger="incomingMessage",
            trigger_data={"Body": "x"},
            functions={},
        )
