"""``deh simulate`` in a terminal: each step shown as it happens, the person asked for keys or a message when a
prompt wants one. The conversation is the one the same answers given as options would have."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.simulate.hub import HubSimulator, Script, transcript_lines
from deh_deploy.simulate.terminal import converse

from .conftest import COUNTRIES, Deh
from .test_deh_simulate import CALLER, TUESDAY_OPEN

HUNGARY = COUNTRIES / "hungary"
PROMPT = re.compile(r"^(?:keys|message|first message \[Hello\]): ")


class Answers:
    """The person: answers in order, and the questions they were asked."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str]] = []

    def __call__(self, question: str, default: str) -> str:
        self.asked.append((question, default))
        return self.answers.pop(0) if self.answers else default


def test_a_call_asks_for_keys_and_shows_what_the_scripted_call_shows(hubs: dict[str, HubConfig]) -> None:
    sim = HubSimulator(hubs["hungary"], env="staging")
    at = datetime.fromisoformat(TUESDAY_OPEN)
    person = Answers("2", "2")
    shown: list[str] = []

    outcome = converse(
        sim, channel="voice", at=at, from_=CALLER, hours_fail=False, ask=person, show=shown.append
    )

    conv, scripted = sim.run(channel="voice", at=at, script=Script(presses=["2", "2"]), from_=CALLER)
    assert shown == transcript_lines(conv)
    assert outcome == scripted
    assert person.asked[:2] == [("keys", ""), ("keys", "")]


def test_a_message_channel_asks_for_the_first_message_then_for_replies(hubs: dict[str, HubConfig]) -> None:
    sim = HubSimulator(hubs["hungary"], env="staging")
    at = datetime.fromisoformat(TUESDAY_OPEN)
    person = Answers("Szia", "1", "5")
    shown: list[str] = []

    outcome = converse(
        sim, channel="sms", at=at, from_=CALLER, hours_fail=False, ask=person, show=shown.append
    )

    conv, scripted = sim.run(channel="sms", at=at, script=Script(sends=["Szia", "1", "5"]), from_=CALLER)
    assert shown == transcript_lines(conv)
    assert shown[0] == "person: writes 'Szia'"
    assert outcome == scripted
    assert person.asked[:3] == [("first message", "Hello"), ("message", ""), ("message", "")]


class Tty(io.StringIO):
    """Standard input that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_the_command_in_a_terminal_prints_what_the_scripted_command_prints(
    deh: Deh, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripted = deh(
        "simulate", HUNGARY, "--at", TUESDAY_OPEN, "--from", CALLER, "--press", "2", "--press", "2"
    )
    monkeypatch.setattr("sys.stdin", Tty("2\n2\n"))

    asked = deh("simulate", HUNGARY, "--at", TUESDAY_OPEN, "--from", CALLER)

    assert asked.code == scripted.code == 0
    assert [PROMPT.sub("", line) for line in asked.out] == scripted.out
    assert sum(bool(PROMPT.match(line)) for line in asked.out) == 2
