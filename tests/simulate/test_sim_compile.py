"""compile_flow checks a flow's structure and compiles every template once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deh_deploy.errors import DehError, SimulationError
from deh_deploy.simulate import CompiledFlow, compile_flow

Build = Callable[..., dict[str, Any]]


def test_the_hand_written_flows_compile_with_every_widget_indexed(
    flow: Callable[[str], CompiledFlow],
) -> None:
    ivr = flow("voice_ivr")
    assert len(ivr.states) == 15
    assert ivr.initial_state == "Trigger"
    assert ivr.states["check_hours"].transitions == {"success": "split_open", "fail": "say_error"}
    assert ivr.states["say_closed"].transitions == {"audioComplete": ""}
    assert flow("messaging").states["menu"].type == "send-and-wait-for-reply"
    assert flow("voicemail").states["record"].type == "record-voicemail"


def test_each_distinct_template_string_is_compiled_once(widget: Build, definition: Build) -> None:
    same = "{{flow.variables.x}}"
    states = [
        widget("a", "set-variables", {"variables": [{"key": "y", "value": same}]}, next="b"),
        widget("b", "set-variables", {"variables": [{"key": "z", "value": same}]}, next="c"),
        widget("c", "say-play", {"say": same, "language": "en-US"}),
    ]
    compiled = compile_flow(definition("a", states))
    # same (3x), "en-US", "" (voice default) -> three distinct strings
    assert compiled.template_count == 3


def test_unknown_widget_type_is_named_with_the_widget(widget: Build, definition: Build) -> None:
    states = [widget("dial_out", "connect-call-to", {"to": "+3611111111"})]
    with pytest.raises(SimulationError) as err:
        compile_flow(definition("dial_out", states))
    assert "widget 'dial_out' has unsupported type 'connect-call-to'" in str(err.value)
    assert isinstance(err.value, DehError)


def test_a_transition_to_a_missing_widget_is_a_dead_end_caught_at_compile_time(
    widget: Build, definition: Build
) -> None:
    states = [widget("hello", "say-play", {"say": "hi"}, audioComplete="nowhere")]
    with pytest.raises(
        SimulationError, match="widget 'hello': transition 'audioComplete' leads to missing widget"
    ):
        compile_flow(definition("hello", states))


def test_missing_initial_state_and_duplicate_names_are_reported_together(widget: Build) -> None:
    flow_def = {
        "initial_state": "start",
        "states": [widget("a", "say-play", {"say": "x"}), widget("a", "say-play", {"say": "y"})],
    }
    with pytest.raises(SimulationError) as err:
        compile_flow(flow_def)
    message = str(err.value)
    assert "widget 'a' is defined more than once" in message
    assert "initial_state 'start' is not a widget of this flow" in message


def test_every_problem_is_listed_not_just_the_first(widget: Build, definition: Build) -> None:
    states = [
        widget("g", "gather-input-on-call", {"say": "x", "timeout": "soon"}, keyPress="s"),
        widget("s", "split-based-on", {"input": "{{ x | }}"}),
        widget("f", "send-to-flex", {"attributes": "{}"}),
        widget("r", "run-function", {}),
    ]
    with pytest.raises(SimulationError) as err:
        compile_flow(definition("g", states))
    lines = str(err.value).splitlines()
    assert lines[0] == "flow cannot be simulated:"
    assert any("widget 'g' (gather-input-on-call): unknown event 'keyPress'" in line for line in lines)
    assert any("widget 'g': timeout must be a whole number, not 'soon'" in line for line in lines)
    assert any("widget 's': input: invalid Liquid template" in line for line in lines)
    assert any("widget 'f': send-to-flex needs 'workflow'" in line for line in lines)
    assert any("widget 'r': run-function needs a url" in line for line in lines)


def test_split_conditions_must_have_a_known_type(widget: Build, definition: Build) -> None:
    split = widget("s", "split-based-on", {"input": "{{trigger.message.Body}}"})
    split["transitions"] = [
        {"event": "match", "next": "", "conditions": [{"type": "sounds_like", "value": "x", "arguments": []}]}
    ]
    with pytest.raises(SimulationError, match=r"condition 0\.0 has unknown type 'sounds_like'"):
        compile_flow(definition("s", [split]))


def test_a_match_transition_without_conditions_is_rejected(widget: Build, definition: Build) -> None:
    split = widget("s", "split-based-on", {"input": "x"})
    split["transitions"] = [{"event": "match", "next": ""}]
    with pytest.raises(SimulationError, match="widget 's': match transition 0 has no conditions"):
        compile_flow(definition("s", [split]))


def test_two_transitions_for_the_same_event_are_rejected(widget: Build, definition: Build) -> None:
    say = widget("a", "say-play", {"say": "x"})
    say["transitions"] = [{"event": "audioComplete", "next": ""}, {"event": "audioComplete", "next": "a"}]
    with pytest.raises(SimulationError, match="event 'audioComplete' has more than one transition"):
        compile_flow(definition("a", [say]))


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ([], "'states' must be a non-empty list"),
        ("no", "a flow definition must be a JSON object"),
    ],
)
def test_malformed_envelopes_are_rejected(bad: Any, message: str) -> None:
    definition: Any = bad if isinstance(bad, str) else {"initial_state": "x", "states": bad}
    with pytest.raises(SimulationError, match=message):
        compile_flow(definition)


def test_compiled_flow_has_a_json_form(flow: Callable[[str], CompiledFlow]) -> None:
    data = flow("voicemail").to_json()
    assert data["type"] == "CompiledFlow"
    assert data["states"]["record"] == {
        "type": "record-voicemail",
        "transitions": {"recordingComplete": "callback", "noAudio": "say_nothing", "hangup": "callback"},
    }


def test_values_studio_refuses_are_refused_here_too_from_the_same_widget_table(
    widget: Build, definition: Build
) -> None:
    states = [
        widget("ask", "gather-input-on-call", {"say": "Press 1", "timeout": "5"}, keypress="flex"),
        widget(
            "flex",
            "send-to-flex",
            {"workflow": "{{flow.variables.workflow}}", "channel": "taskrouter.task_channel:voice"},
        ),
    ]
    with pytest.raises(SimulationError) as exc:
        compile_flow(definition("ask", states))
    assert str(exc.value).splitlines()[1:] == [
        "  - widget 'ask': timeout: string found, integer expected (Studio refuses it)",
        "  - widget 'flex': workflow: Liquid is not allowed here: the value is read when the flow is saved "
        "(Studio refuses it)",
    ]
