"""Widget by widget: what each one does, which event it fires, what it exposes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import (
    CallContext,
    CompiledFlow,
    Dtmf,
    FunctionResult,
    HttpCall,
    Play,
    Press,
    Say,
    Speak,
    Transition,
    run_script,
    start,
)

W = Callable[..., dict[str, Any]]
T = Callable[..., CompiledFlow]
CALL = {"From": "+36301234567", "To": "+3612345678"}


def test_say_play_speaks_loops_plays_and_sends_digits(widget: W, tiny: T) -> None:
    states = [
        widget(
            "hi",
            "say-play",
            {
                "say": "Hello {{trigger.call.From}}",
                "language": "hu-HU",
                "voice": "Google.hu-HU-Standard-A",
                "loop": 2,
            },
            audioComplete="music",
        ),
        widget("music", "say-play", {"play": "https://example.org/hold.mp3"}, audioComplete="tones"),
        widget("tones", "say-play", {"digits": "1234#"}),
    ]
    conv = start(tiny("hi", states), trigger="incomingCall", trigger_data=CALL, functions={})
    hello = Say("Hello +36301234567", "hu-HU", "Google.hu-HU-Standard-A", "hi")
    assert conv.events == (
        hello,
        hello,
        Play("https://example.org/hold.mp3", "music"),
        Dtmf("1234#", "tones"),
    )
    assert [t.event for t in conv.trace] == [
        "incomingCall",
        "audioComplete",
        "audioComplete",
        "audioComplete",
    ]
    assert conv.ended is not None and conv.ended.reason == "completed"


@pytest.mark.parametrize(
    ("props", "pressed", "digits"),
    [
        ({"number_of_digits": 1}, "42", "4"),
        ({"finish_on_key": "#"}, "123#9", "123"),
        ({}, "0800*", "0800*"),
        ({"finish_on_key": "*"}, "55*1", "55"),
    ],
)
def test_gather_keeps_digits_up_to_the_finish_key_or_count(
    widget: W, tiny: T, props: dict[str, Any], pressed: str, digits: str
) -> None:
    states = [
        widget("ask", "gather-input-on-call", {"say": "Number?", **props}, keypress="echo"),
        widget("echo", "say-play", {"say": "You pressed {{widgets.ask.Digits}}"}),
    ]
    conv = run_script(
        tiny("ask", states), trigger="incomingCall", trigger_data=CALL, functions={}, inputs=[Press(pressed)]
    )
    assert [e.text for e in conv.events if isinstance(e, Say)][-1] == f"You pressed {digits}"


def test_only_the_finish_key_counts_as_no_input(widget: W, tiny: T) -> None:
    states = [widget("ask", "gather-input-on-call", {"say": "?"}, keypress="", timeout="")]
    conv = run_script(
        tiny("ask", states), trigger="incomingCall", trigger_data=CALL, functions={}, inputs=[Press("#")]
    )
    assert conv.trace[-1] == Transition("ask", "timeout", "")


def test_a_speech_only_gather_ignores_keys_and_a_keys_only_one_ignores_speech(widget: W, tiny: T) -> None:
    speech = tiny("ask", [widget("ask", "gather-input-on-call", {"input": "speech"}, speech="", timeout="")])
    keys = tiny("ask", [widget("ask", "gather-input-on-call", {"input": "dtmf"}, keypress="", timeout="")])
    assert start(speech, trigger="incomingCall", trigger_data=CALL, functions={}).waiting is not None
    events = {
        (name, type(inp).__name__): run_script(
            flow, trigger="incomingCall", trigger_data=CALL, functions={}, inputs=[inp]
        )
        .trace[-1]
        .event
        for name, flow in (("speech", speech), ("keys", keys))
        for inp in (Press("1"), Speak("one"))
    }
    assert events == {
        ("speech", "Press"): "timeout",
        ("speech", "Speak"): "speech",
        ("keys", "Press"): "keypress",
        ("keys", "Speak"): "timeout",
    }


def test_set_variables_renders_in_order_and_later_keys_see_earlier_ones(widget: W, tiny: T) -> None:
    states = [
        widget(
            "vars",
            "set-variables",
            {
                "variables": [
                    {"key": "n", "value": "{{trigger.call.From | slice: 1, 2}}"},
                    {"key": "cc", "value": "+{{flow.variables.n}}"},
                ]
            },
        )
    ]
    conv = start(tiny("vars", states), trigger="incomingCall", trigger_data=CALL, functions={})
    assert conv.ended is not None and conv.ended.variables == {"n": "36", "cc": "+36"}


class Api:
    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.seen: list[tuple[dict[str, Any], CallContext]] = []

    def __call__(self, params: Mapping[str, Any], ctx: CallContext) -> FunctionResult:
        self.seen.append((dict(params), ctx))
        return FunctionResult(self.status, {"id": 7})


def _http_flow(widget: W, tiny: T, **props: Any) -> CompiledFlow:
    base = {
        "method": "POST",
        "url": "https://hub.example.org/api/cases?x=1",
        "content_type": "application/json;charset=utf-8",
    }
    states = [
        widget("post", "make-http-request", {**base, **props}, success="ok", failed="bad"),
        widget("ok", "say-play", {"say": "case {{widgets.post.parsed.id}}"}),
        widget("bad", "say-play", {"say": "failed {{widgets.post.status_code}}"}),
    ]
    return tiny("post", states)


def test_make_http_request_sends_the_json_body_and_parameters(widget: W, tiny: T) -> None:
    api = Api()
    flow = _http_flow(
        widget,
        tiny,
        body='{"caller": "{{trigger.call.From}}", "tags": ["a"]}',
        parameters=[{"key": "src", "value": "ivr"}],
    )
    conv = start(flow, trigger="incomingCall", trigger_data=CALL, functions={}, http={"/api/cases": api})
    [(params, ctx)] = api.seen
    assert params == {"src": "ivr", "caller": "+36301234567", "tags": ["a"]}
    assert (ctx.method, ctx.url) == ("POST", "https://hub.example.org/api/cases?x=1")
    [call] = [e for e in conv.events if isinstance(e, HttpCall)]
    assert (call.method, call.path, call.status) == ("POST", "/api/cases", 200)
    assert [e.text for e in conv.events if isinstance(e, Say)] == ["case 7"]


def test_an_http_handler_can_be_keyed_by_the_full_url(widget: W, tiny: T) -> None:
    api = Api()
    start(
        _http_flow(widget, tiny),
        trigger="incomingCall",
        trigger_data=CALL,
        functions={},
        http={"https://hub.example.org/api/cases": api},
    )
    assert len(api.seen) == 1


@pytest.mark.parametrize(
    ("http", "body", "said", "missing"),
    [
        ({"/api/cases": Api(status=503)}, "", "failed 503", ()),
        ({}, "", "failed 404", ("https://hub.example.org/api/cases",)),
        ({"/api/cases": Api()}, "{not json", "failed 400", ()),
    ],
)
def test_make_http_request_failures_take_the_failed_branch(
    widget: W, tiny: T, http: dict[str, Api], body: str, said: str, missing: tuple[str, ...]
) -> None:
    conv = start(
        _http_flow(widget, tiny, body=body),
        trigger="incomingCall",
        trigger_data=CALL,
        functions={},
        http=http,
    )
    assert [e.text for e in conv.events if isinstance(e, Say)] == [said]
    assert conv.ended is not None and conv.ended.missing_functions == missing


def test_a_form_request_passes_its_parameters(widget: W, tiny: T) -> None:
    api = Api()
    flow = _http_flow(
        widget,
        tiny,
        content_type="application/x-www-form-urlencoded",
        parameters=[{"key": "a", "value": "1"}],
    )
    start(flow, trigger="incomingCall", trigger_data=CALL, functions={}, http={"/api/cases": api})
    assert api.seen[0][0] == {"a": "1"}


def _flex(widget: W, tiny: T, **props: Any) -> CompiledFlow:
    base = {"workflow": "WW1", "channel": "TC1", "attributes": '{"from": "{{trigger.call.From}}"}'}
    return tiny("flex", [widget("flex", "send-to-flex", {**base, **props})])


def test_send_to_flex_ends_the_run_with_a_task(widget: W, tiny: T) -> None:
    conv = start(_flex(widget, tiny), trigger="incomingCall", trigger_data=CALL, functions={})
    end = conv.ended
    assert end is not None and end.reason == "flex" and end.task is not None
    assert (end.task.workflow, end.task.channel, dict(end.task.attributes)) == (
        "WW1",
        "TC1",
        {"from": "+36301234567"},
    )
    assert (end.task.priority, end.task.timeout) == (None, None)


def test_attributes_that_are_not_json_after_rendering_name_the_widget(widget: W, tiny: T) -> None:
    flow = _flex(widget, tiny, attributes='{"name": "{{trigger.call.From}}", "note": "{{flow.variables.x}}}')
    with pytest.raises(
        SimulationError,
        match=r"widget 'flex' \(send-to-flex\): attributes are not valid JSON after rendering",
    ):
        start(flow, trigger="incomingCall", trigger_data=CALL, functions={})


def test_a_quote_in_caller_data_breaks_hand_built_attributes(widget: W, tiny: T) -> None:
    flow = _flex(widget, tiny)
    with pytest.raises(SimulationError, match="widget 'flex'"):
        start(flow, trigger="incomingCall", trigger_data={"From": 'say "hi"'}, functions={})


def test_attributes_must_be_an_object_and_priority_a_number(widget: W, tiny: T) -> None:
    with pytest.raises(SimulationError, match="attributes must be a JSON object"):
        start(
            _flex(widget, tiny, attributes="[1, 2]"), trigger="incomingCall", trigger_data=CALL, functions={}
        )
    with pytest.raises(SimulationError, match="priority 'high' is not a whole number"):
        start(_flex(widget, tiny, priority="high"), trigger="incomingCall", trigger_data=CALL, functions={})


def test_the_loop_guard_ends_an_endless_flow_and_names_the_cycle(widget: W, tiny: T) -> None:
    states = [
        widget(
            "count",
            "set-variables",
            {"variables": [{"key": "n", "value": "{{flow.variables.n | plus: 1}}"}]},
            next="check",
        ),
        widget("check", "split-based-on", {"input": "{{flow.variables.n}}"}, noMatch="count"),
    ]
    conv = start(tiny("count", states), trigger="incomingCall", trigger_data=CALL, functions={}, max_steps=50)
    end = conv.ended
    assert end is not None and end.reason == "error"
    assert end.message == "more than 50 transitions: the flow loops through count -> check -> count"
    assert len(conv.trace) == 51
    assert end.variables == {"n": "25"}


def test_the_loop_guard_also_stops_a_menu_repeating_on_wrong_keys(
    flow: Callable[[str], CompiledFlow],
) -> None:
    conv = run_script(
        flow("voice_ivr"), trigger="incomingCall", trigger_data=CALL, functions={}, inputs=[Press("5")] * 1000
    )
    assert conv.ended is not None and conv.ended.reason == "error"
    assert "gather_language -> split_language -> gather_language" in conv.ended.message


def test_an_omitted_or_empty_next_ends_the_run(widget: W, tiny: T) -> None:
    say = widget("bye", "say-play", {"say": "bye"})
    conv = start(tiny("bye", [say]), trigger="incomingCall", trigger_data=CALL, functions={})
    assert conv.trace[-1] == Transition("bye", "audioComplete", "")
    assert conv.ended is not None and (conv.ended.reason, conv.ended.widget) == ("completed", "bye")


def test_a_flow_may_start_at_a_widget_that_is_not_a_trigger(widget: W) -> None:
    from deh_deploy.simulate import compile_flow

    flow = compile_flow({"initial_state": "hi", "states": [widget("hi", "say-play", {"say": "hi"})]})
    conv = start(flow, trigger="incomingCall", trigger_data=CALL, functions={})
    assert conv.events == (Say("hi", "", "", "hi"),)


def test_a_transition_back_to_the_trigger_is_a_flow_error(widget: W, tiny: T) -> None:
    with pytest.raises(SimulationError, match="widget 'again': a transition leads back to the trigger"):
        start(
            tiny("again", [widget("again", "say-play", {"say": "x"}, audioComplete="Trigger")]),
            trigger="incomingCall",
            trigger_data=CALL,
            functions={},
        )
