"""``deh simulate`` is honest about what it assumed: without ``--at`` it says the instant it used and what the
hours say then; an input the conversation never used is an error; at a terminal, a gather takes only what a keypad
sends (and words where it listens for speech), and ``restart`` starts again without quitting."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.simulate.hub import HubSimulator, Script, transcript_lines
from deh_deploy.simulate.model import Press, Silence, Speak
from deh_deploy.simulate.terminal import RESTARTED, Terminal, converse

from .conftest import COUNTRIES, Deh
from .test_deh_simulate import CALLER, TUESDAY_OPEN
from .test_terminal import PROMPT, Answers, Tty

HUNGARY = COUNTRIES / "hungary"
BUDAPEST = ZoneInfo("Europe/Budapest")


@pytest.mark.parametrize(
    ("now", "line"),
    [
        (
            "2027-03-15T10:00",
            "now (no --at): Monday 2027-03-15 10:00 in Europe/Budapest; the hub is closed: holiday: National Day",
        ),
        (
            "2026-12-24T10:00",
            "now (no --at): Thursday 2026-12-24 10:00 in Europe/Budapest; the hub is closed: closure: Christmas Eve",
        ),
        (
            "2027-01-12T21:00",
            "now (no --at): Tuesday 2027-01-12 21:00 in Europe/Budapest; the hub is closed: outside hours",
        ),
        ("2027-01-12T10:00", "now (no --at): Tuesday 2027-01-12 10:00 in Europe/Budapest; the hub is open"),
    ],
)
def test_without_at_the_text_output_starts_with_the_instant_and_whether_the_hub_is_open(
    now: str, line: str, deh: Deh, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The machine's clock, in another zone than the hub's: the line is in the hub's own time.
    clock = datetime.fromisoformat(now).replace(tzinfo=BUDAPEST).astimezone(ZoneInfo("America/New_York"))
    monkeypatch.setattr("deh_deploy.cli.simulate._now", lambda: clock)
    run = deh("simulate", HUNGARY, "--from", CALLER, "--press", "1")
    assert run.out[0] == line
    assert run.code == 0


def test_with_at_the_instant_is_the_one_given_and_not_repeated(deh: Deh) -> None:
    run = deh("simulate", HUNGARY, "--at", TUESDAY_OPEN, "--from", CALLER, "--press", "2", "--press", "2")
    assert run.out[0].startswith("hub says [uk-UA]: ")


def test_a_press_the_conversation_never_asked_for_is_an_error_after_the_transcript(deh: Deh) -> None:
    run = deh(
        "simulate",
        HUNGARY,
        "--at",
        TUESDAY_OPEN,
        "--press",
        "2",
        "--press",
        "2",
        "--press",
        "7",
        "--press",
        "8",
    )
    assert run.out[-2] == "end: agent"
    assert run.err == [
        "deh: --press '7' was not used (and 1 more): the conversation ended before a prompt asked for it"
    ]
    assert run.code == 2


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["--channel", "sms", "--send", "Szia", "--press", "1"],
            "deh: --press '1' was not used: sms takes --send",
        ),
        (["--send", "hello"], "deh: --send 'hello' was not used: voice takes --press and --say"),
    ],
)
def test_an_input_of_the_wrong_kind_for_the_channel_says_what_it_takes(
    args: list[str], line: str, deh: Deh
) -> None:
    run = deh("simulate", HUNGARY, "--at", TUESDAY_OPEN, *args)
    assert (run.code, run.err) == (2, [line])


def test_at_a_gather_a_word_is_refused_and_asked_again_unless_it_listens_for_speech() -> None:
    told: list[str] = []
    keys_only = Terminal(ask=Answers("yes", "1#"), tell=told.append)
    assert keys_only.next_for(("keys", "keys")) == Press("1#")
    assert told == ["'yes' is not a key press: press 0-9, * or # (this prompt does not listen for words)"]
    listening = Terminal(ask=Answers("yes please"), tell=told.append)
    assert listening.next_for(("keys", "keys", "speech")) == Speak("yes please")
    assert Terminal(ask=Answers("")).next_for(("keys", "keys")) == Silence()


def test_restart_at_a_prompt_starts_a_new_conversation_at_the_same_instant(
    hubs: dict[str, HubConfig],
) -> None:
    sim = HubSimulator(hubs["hungary"], env="staging")
    at = datetime.fromisoformat(TUESDAY_OPEN)
    person = Answers("1", "restart", "2", "2")
    shown: list[str] = []

    outcome = converse(
        sim, channel="voice", at=at, from_=CALLER, hours_fail=False, ask=person, show=shown.append
    )

    conv, scripted = sim.run(channel="voice", at=at, script=Script(presses=["2", "2"]), from_=CALLER)
    restarted = shown.index(RESTARTED)
    assert shown[restarted + 1 :] == transcript_lines(conv)
    assert "person: presses 1" in shown[:restarted]
    assert outcome == scripted


def test_restart_as_the_first_message_starts_again_too(hubs: dict[str, HubConfig]) -> None:
    sim = HubSimulator(hubs["hungary"], env="staging")
    at = datetime.fromisoformat(TUESDAY_OPEN)
    person = Answers("restart", "Szia", "1", "5")
    shown: list[str] = []

    outcome = converse(
        sim, channel="sms", at=at, from_=CALLER, hours_fail=False, ask=person, show=shown.append
    )

    _, scripted = sim.run(channel="sms", at=at, script=Script(sends=["Szia", "1", "5"]), from_=CALLER)
    assert shown[0] == RESTARTED
    assert outcome == scripted


def test_a_terminal_session_says_how_to_restart_and_restarts_on_the_word(
    deh: Deh, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", Tty("1\nrestart\n2\n2\n"))
    run = deh("simulate", HUNGARY, "--at", TUESDAY_OPEN, "--from", CALLER)
    scripted = deh(
        "simulate", HUNGARY, "--at", TUESDAY_OPEN, "--from", CALLER, "--press", "2", "--press", "2"
    )
    assert run.err == ["type restart at any prompt to start again; Ctrl-C to quit"]
    shown = [PROMPT.sub("", line) for line in run.out]
    assert shown[shown.index(RESTARTED) + 1 :] == scripted.out
    assert run.code == 0
