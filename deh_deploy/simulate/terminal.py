"""A conversation with a person at a terminal: each step shown as it happens, each input asked for when a prompt
wants one. The asking and the showing are given by the caller, so the simulator never touches the terminal.

Typing ``restart`` at any prompt drops the conversation and starts a new one at the same instant, so a trainer can
try another path without quitting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from deh_deploy.config.model import ChannelName
from deh_deploy.simulate.engine import Conversation
from deh_deploy.simulate.hub import HubSimulator, Outcome, Script
from deh_deploy.simulate.model import Input, Press, Record, Send, Silence, Speak

Ask = Callable[[str, str], str]
"""``ask(question, default)``: the person's answer; the default when they only press Enter."""

RESTART = "restart"
RESTARTED = "-- restart: a new conversation --"
_KEYS = re.compile(r"[0-9*#]+")  # what a phone's keypad can send


class Restart(Exception):
    """The person typed ``restart``: the conversation is dropped and a new one starts."""


def _ignore(_line: str) -> None:
    return None


@dataclass(kw_only=True)
class Terminal(Script):
    """Asks for keys at a gather and for a message at a send-and-wait; an empty answer is silence. A voicemail is
    recorded without asking (there is no microphone). At a gather, only what a keypad can send is a key press;
    words are speech where the gather listens for it, else the person is told and asked again."""

    ask: Ask
    tell: Callable[[str], None] = field(default=_ignore)

    def next_for(self, kinds: Sequence[str]) -> Input:
        if "recording" in kinds:
            return Record(self.record_seconds, "")
        keys = "keys" in kinds
        while True:
            answer = self.ask("keys" if keys else "message", "")
            if answer.strip().lower() == RESTART:
                raise Restart
            if not answer:
                return Silence()
            if not keys:
                return Send(answer)
            if _KEYS.fullmatch(answer.strip()):
                return Press(answer.strip())
            if "speech" in kinds:
                return Speak(answer)
            self.tell(
                f"{answer!r} is not a key press: press 0-9, * or # (this prompt does not listen for words)"
            )


def converse(
    sim: HubSimulator,
    *,
    channel: ChannelName,
    at: datetime,
    from_: str | None,
    hours_fail: bool,
    ask: Ask,
    show: Callable[[str], None],
    ended: Callable[[Conversation, Outcome], None] | None = None,
) -> Outcome:
    """Run one conversation with the person (a new one each time they type ``restart``); a message channel
    starts with their first message. ``ended`` is given the whole conversation that ran to its end (``deh
    simulate --hub`` delivers its events)."""
    while True:
        try:
            conv, result = _once(
                sim, channel=channel, at=at, from_=from_, hours_fail=hours_fail, ask=ask, show=show
            )
        except Restart:
            show(RESTARTED)
            continue
        if ended is not None:
            ended(conv, result)
        return result


def _once(
    sim: HubSimulator,
    *,
    channel: ChannelName,
    at: datetime,
    from_: str | None,
    hours_fail: bool,
    ask: Ask,
    show: Callable[[str], None],
) -> tuple[Conversation, Outcome]:
    opening = "" if channel == "voice" else ask("first message", "Hello")
    if opening.strip().lower() == RESTART:
        raise Restart
    return sim.run(
        channel=channel,
        at=at,
        script=Terminal(sends=[opening] if opening else [], ask=ask, tell=show),
        from_=from_,
        hours_fail=hours_fail,
        on_output=show,
    )
