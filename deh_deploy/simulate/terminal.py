"""A conversation with a person at a terminal: each step shown as it happens, each input asked for when a prompt
wants one. The asking and the showing are given by the caller, so the simulator never touches the terminal."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from deh_deploy.config.model import ChannelName
from deh_deploy.simulate.engine import Conversation
from deh_deploy.simulate.hub import HubSimulator, Outcome, Script
from deh_deploy.simulate.model import Input, Press, Record, Send, Silence

Ask = Callable[[str, str], str]
"""``ask(question, default)``: the person's answer; the default when they only press Enter."""


@dataclass(kw_only=True)
class Terminal(Script):
    """Asks for keys at a gather and for a message at a send-and-wait; an empty answer is silence. A voicemail is
    recorded without asking (there is no microphone)."""

    ask: Ask

    def next_for(self, kinds: Sequence[str]) -> Input:
        if "recording" in kinds:
            return Record(self.record_seconds, "")
        answer = self.ask("keys" if "keys" in kinds else "message", "")
        if not answer:
            return Silence()
        return Press(answer) if "keys" in kinds else Send(answer)


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
    """Run one conversation with the person; a message channel starts with their first message. ``ended`` is
    given the whole conversation (``deh simulate --hub`` delivers its events)."""
    opening = "" if channel == "voice" else ask("first message", "Hello")
    conv, result = sim.run(
        channel=channel,
        at=at,
        script=Terminal(sends=[opening] if opening else [], ask=ask),
        from_=from_,
        hours_fail=hours_fail,
        on_output=show,
    )
    if ended is not None:
        ended(conv, result)
    return result
