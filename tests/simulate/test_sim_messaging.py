"""A person texting the hub: a menu by send-and-wait-for-reply, a split on the reply, Flex."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from deh_deploy.errors import SimulationError
from deh_deploy.simulate import (
    CompiledFlow,
    Hangup,
    Message,
    Press,
    Prompt,
    Received,
    Send,
    Transition,
    run_script,
    start,
)

SMS = {"From": "+36301234567", "To": "+3612345678", "Body": "  Hello, I need help with my family  "}


@pytest.fixture
def messaging(flow: Callable[[str], CompiledFlow]) -> CompiledFlow:
    return flow("messaging")


def bodies(conv_events: tuple[Any, ...]) -> list[str]:
    return [e.body for e in conv_events if isinstance(e, Message)]


def test_the_menu_is_sent_from_the_hotline_to_the_person_and_waits_for_a_reply(
    messaging: CompiledFlow,
) -> None:
    conv = start(messaging, trigger="incomingMessage", trigger_data=SMS, functions={})
    assert conv.events == (
        Message(
            body="Red Cross helpdesk. Reply 1 for health, 2 for family links, or HELP.",
            widget="menu",
            to="+36301234567",
            from_="+3612345678",
        ),
    )
    assert conv.waiting == Prompt(kind="text", widget="menu", timeout=1800, accepts=("text",))


@pytest.mark.parametrize(
    ("reply", "topic"),
    [
        ("1", "health"),
        ("  Health ", "health"),
        ("EGÉSZSÉG", "health"),
        ("2", "family-links"),
        ("help me", "health"),
    ],
)
def test_the_reply_is_matched_ignoring_case_and_surrounding_spaces(
    messaging: CompiledFlow, reply: str, topic: str
) -> None:
    conv = run_script(
        messaging, trigger="incomingMessage", trigger_data=SMS, functions={}, inputs=[Send(reply)]
    )
    assert conv.ended is not None and conv.ended.task is not None
    assert conv.ended.task.attributes["topic"] == topic


def test_flex_attributes_embed_flow_variables_as_json(messaging: CompiledFlow) -> None:
    conv = run_script(
        messaging, trigger="incomingMessage", trigger_data=SMS, functions={}, inputs=[Send("2")]
    )
    assert conv.ended is not None and conv.ended.task is not None
    assert conv.ended.task.attributes == {
        "name": "+36301234567",
        "channel_type": "sms",
        "topic": "family-links",
        "first_message": "Hello, I need hel...",
    }


def test_an_unknown_reply_quotes_it_back_and_asks_again(messaging: CompiledFlow) -> None:
    conv = run_script(
        messaging,
        trigger="incomingMessage",
        trigger_data=SMS,
        functions={},
        inputs=[Send("what?"), Send("2")],
    )
    assert bodies(conv.events)[1] == 'Sorry, "what?" is not an option.'
    assert [t.widget for t in conv.trace].count("menu") == 2
    assert conv.transcript[1] == Received("menu", Send("what?"))


def test_no_reply_times_out_to_a_goodbye(messaging: CompiledFlow) -> None:
    conv = run_script(messaging, trigger="incomingMessage", trigger_data=SMS, functions={}, inputs=[])
    assert Transition("menu", "timeout", "send_bye") in conv.trace
    assert bodies(conv.events)[-1] == "No reply received. Write to us any time."
    assert conv.ended is not None and (conv.ended.reason, conv.ended.event) == ("completed", "sent")


def test_conversations_trigger_reads_the_conversation_fields(messaging: CompiledFlow) -> None:
    data = {
        "Author": "whatsapp:+36301234567",
        "To": "whatsapp:+3612345678",
        "Body": "hi",
        "ConversationSid": "CH1",
    }
    conv = run_script(
        messaging, trigger="incomingConversationMessage", trigger_data=data, functions={}, inputs=[Send("1")]
    )
    assert conv.events[0] == Message(
        body=bodies(conv.events)[0], widget="menu", to="whatsapp:+36301234567", from_="whatsapp:+3612345678"
    )
    assert conv.ended is not None and conv.ended.task is not None
    assert conv.ended.task.attributes["channel_type"] == "conversation"
    assert conv.ended.task.attributes["first_message"] == "hi"


def test_an_unreachable_person_gives_delivery_failure(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    states = [widget("ask", "send-and-wait-for-reply", {"body": "?", "to": "{{flow.variables.nobody}}"})]
    conv = start(
        tiny("ask", states, channel="incomingMessage"),
        trigger="incomingMessage",
        trigger_data=SMS,
        functions={},
    )
    assert conv.trace[-1] == Transition("ask", "deliveryFailure", "")
    assert conv.events == ()


def test_send_message_without_a_recipient_fails(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    states = [
        widget("note", "send-message", {"body": "x", "to": ""}, failed="sorry"),
        widget("sorry", "set-variables"),
    ]
    conv = start(
        tiny("note", states, channel="incomingMessage"),
        trigger="incomingMessage",
        trigger_data={},
        functions={},
    )
    assert conv.trace[1] == Transition("note", "failed", "sorry")


def test_the_reply_widget_exposes_inbound_and_outbound(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    states = [
        widget("ask", "send-and-wait-for-reply", {"body": "Name?"}, incomingMessage="echo"),
        widget(
            "echo",
            "send-message",
            {
                "body": "{{widgets.ask.inbound.Body}} from {{widgets.ask.inbound.From}} "
                "after {{widgets.ask.outbound.Body}}"
            },
        ),
    ]
    conv = run_script(
        tiny("ask", states, channel="incomingMessage"),
        trigger="incomingMessage",
        trigger_data=SMS,
        functions={},
        inputs=[Send("Anna")],
    )
    assert bodies(conv.events)[-1] == "Anna from +36301234567 after Name?"


def test_a_voice_widget_in_a_message_conversation_is_a_flow_error(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    states = [widget("speak", "say-play", {"say": "hello"})]
    with pytest.raises(
        SimulationError, match=r"widget 'speak' \(say-play\) needs a voice call; .* incomingMessage"
    ):
        start(
            tiny("speak", states, channel="incomingMessage"),
            trigger="incomingMessage",
            trigger_data=SMS,
            functions={},
        )


def test_send_and_wait_is_not_for_calls(
    widget: Callable[..., dict[str, Any]], tiny: Callable[..., CompiledFlow]
) -> None:
    states = [widget("ask", "send-and-wait-for-reply", {"body": "?"})]
    with pytest.raises(
        SimulationError, match=r"widget 'ask' \(send-and-wait-for-reply\) needs a message channel"
    ):
        start(tiny("ask", states), trigger="incomingCall", trigger_data=SMS, functions={})


def test_key_presses_cannot_answer_a_text_prompt_and_walking_away_ends_it(messaging: CompiledFlow) -> None:
    conv = start(messaging, trigger="incomingMessage", trigger_data=SMS, functions={})
    with pytest.raises(
        SimulationError, match="widget 'menu' waits for a text message; Press cannot answer it"
    ):
        conv.send(Press("1"))
    conv = start(messaging, trigger="incomingMessage", trigger_data=SMS, functions={})
    conv.send(Hangup())
    assert conv.ended is not None and (conv.ended.reason, conv.ended.widget) == ("hangup", "menu")
