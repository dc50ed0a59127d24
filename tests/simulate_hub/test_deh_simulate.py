"""``deh simulate``: call or message an example hub offline and read what the person hears, reads and does,
then how the conversation ended and the task it left; ``--format json`` for machines."""

from __future__ import annotations

import json

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.textchecks import fill

from .conftest import COUNTRIES, Deh

HUNGARY = COUNTRIES / "hungary"
MONGOLIA = COUNTRIES / "mongolia"
TUESDAY_OPEN = "2027-01-12T10:00"
TUESDAY_NIGHT = "2027-01-12T21:00"
CALLER = "+36301234567"


def _after_hours(hub: HubConfig, lang: str) -> str:
    m = hub.texts[lang].messages
    return fill(m["after_hours"], promise=m["promise"])


def test_a_call_reads_like_a_transcript(deh: Deh, hubs: dict[str, HubConfig]) -> None:
    hub = hubs["hungary"]
    uk, ru = hub.texts["uk"], hub.texts["ru"]
    payment = hub.topic("cva_payment")

    run = deh("simulate", HUNGARY, "--at", TUESDAY_OPEN, "--from", CALLER, "--press", "2", "--press", "2")

    assert run.code == 0
    assert run.out[:3] == [
        f"hub says [uk-UA]: {fill(uk.messages['language_choice'], digit='1')}",
        "person: presses 2",
        f"hub says [ru-RU]: {ru.messages['welcome']}",
    ]
    assert f"hub says [ru-RU]: {ru.messages['topic_menu']}" in run.out
    assert f"2 — {ru.titles['cva_payment']}" in run.out
    assert run.out[-5:] == [
        "person: presses 2",
        f"hub says [ru-RU]: {ru.answers['cva_payment']}",
        f"hub says [ru-RU]: {ru.messages['queue_wait']}",
        "end: agent",
        f"task: channel=voice, feedback_type={payment.feedback}, from={CALLER}, language=ru, name={CALLER}, "
        f"queue={payment.queue}, sensitive=false, topic=cva_payment, type=inbound",
    ]


@pytest.mark.parametrize(
    ("args", "end", "task"),
    [
        pytest.param(
            ["--at", TUESDAY_OPEN, "--press", "3", "--press", "6"],
            "agent",
            {"topic": "complaint", "queue": "protection", "sensitive": "true"},
            id="agent",
        ),
        pytest.param(
            ["--at", TUESDAY_OPEN, "--press", "3", "--press", "4"], "self_service", None, id="self_service"
        ),
        pytest.param(
            ["--at", TUESDAY_NIGHT, "--press", "3"],
            "voicemail",
            {"type": "callback", "reason": "voicemail", "language": "hu", "channel": "voice"},
            id="voicemail",
        ),
        pytest.param(
            ["--at", TUESDAY_NIGHT, "-c", "sms", "--send", "Szia", "--send", "3"],
            "after_hours",
            {"type": "callback", "reason": "after_hours", "language": "hu", "channel": "sms"},
            id="after_hours",
        ),
    ],
)
def test_each_of_the_four_ends(deh: Deh, args: list[str], end: str, task: dict[str, str] | None) -> None:
    run = deh("simulate", HUNGARY, *args)

    assert run.code == 0
    if task is None:
        assert run.out[-1] == f"end: {end}"
    else:
        assert run.out[-2] == f"end: {end}"
        shown = dict(pair.split("=", 1) for pair in run.out[-1].removeprefix("task: ").split(", "))
        assert task.items() <= shown.items()


def test_json_format_has_the_transcript_and_the_outcome(deh: Deh, hubs: dict[str, HubConfig]) -> None:
    hub = hubs["hungary"]
    uk = hub.texts["uk"]

    run = deh(
        "simulate",
        HUNGARY,
        "-c",
        "whatsapp",
        "--at",
        TUESDAY_OPEN,
        "--from",
        CALLER,
        "--send",
        "Привіт",
        "--send",
        "1",
        "--send",
        "5",
        "--format",
        "json",
    )

    assert run.code == 0
    data = json.loads("\n".join(run.out))
    assert data["outcome"] == {
        "end": "agent",
        "language": "uk",
        "detail": "",
        "task": {
            "type": "inbound",
            "name": f"whatsapp:{CALLER}",
            "from": f"whatsapp:{CALLER}",
            "channel": "whatsapp",
            "language": "uk",
            "topic": "health",
            "queue": "general",
            "feedback_type": "question",
            "sensitive": "false",
        },
    }
    written = [item["body"] for item in data["transcript"]["transcript"] if item["type"] == "Message"]
    assert written[1].startswith(uk.messages["welcome"] + "\n" + uk.messages["topic_menu"])
    assert written[2:] == [uk.answers["health"], uk.messages["handoff"]]
    replies = [
        item["input"]["text"] for item in data["transcript"]["transcript"] if item["type"] == "Received"
    ]
    assert replies == ["1", "5"]
    assert data["transcript"]["ended"] is not None


def test_hours_function_failing_takes_the_closed_path_with_the_promise(
    deh: Deh, hubs: dict[str, HubConfig]
) -> None:
    hub = hubs["hungary"]
    ru = hub.texts["ru"].messages

    run = deh("simulate", HUNGARY, "--at", TUESDAY_OPEN, "--press", "2", "--hours-fail")

    assert run.code == 0
    assert f"hub says [ru-RU]: {_after_hours(hub, 'ru')}" in run.out
    assert f"hub says [ru-RU]: {ru['welcome']}" not in run.out
    assert run.out[-2] == "end: voicemail"
    # the same instant with the Function answering is open
    assert (
        deh("simulate", HUNGARY, "--at", TUESDAY_OPEN, "--press", "2", "--press", "3").out[-2] == "end: agent"
    )


def test_an_instant_with_an_offset_is_read_on_the_society_s_clock(deh: Deh) -> None:
    # 15:30 UTC is 16:30 in Budapest in January: closed, though 15:30 on the local clock is open
    assert (
        deh("simulate", HUNGARY, "--at", "2027-01-11T15:30", "--press", "1", "--press", "3").out[-2]
        == "end: agent"
    )
    utc = deh("simulate", HUNGARY, "--at", "2027-01-11T15:30+00:00", "--press", "1")
    assert utc.out[-2] == "end: voicemail"


def test_mongolian_prompts_are_the_recordings(deh: Deh, hubs: dict[str, HubConfig]) -> None:
    mn = hubs["mongolia"].texts["mn"]

    run = deh("simulate", MONGOLIA, "--at", TUESDAY_OPEN, "--press", "1", "--press", "4")

    assert run.code == 0
    assert run.out == [
        f"hub plays: {mn.audio['language_choice']}",
        "person: presses 1",
        f"hub plays: {mn.audio['welcome']}",
        f"hub plays: {mn.audio['topic_menu']}",
        "person: presses 4",
        f"hub plays: {mn.answer_audio['blood_donation']}",
        f"hub plays: {mn.audio['thanks']}",
        "end: self_service",
    ]


def test_a_channel_the_hub_does_not_have_is_a_usage_error(deh: Deh, hubs: dict[str, HubConfig]) -> None:
    enabled = ", ".join(hubs["mongolia"].channels.enabled)

    run = deh("simulate", MONGOLIA, "-c", "whatsapp", "--at", TUESDAY_OPEN, "--send", "Hello")

    assert run.code == 2
    assert run.out == []
    assert run.err == [f"deh: mongolia has no whatsapp channel (enabled: {enabled})"]


def test_a_channel_deh_does_not_know_is_a_usage_error(deh: Deh) -> None:
    run = deh("simulate", HUNGARY, "-c", "telegram", "--at", TUESDAY_OPEN)

    assert run.code == 2
    assert any("'telegram' is not one of" in line for line in run.err), run.err
    assert not run.logged


@pytest.mark.parametrize("at", ["2027-13-01T10:00", "tomorrow", "2027-02-30T10:00"])
def test_a_bad_instant_is_a_usage_error(deh: Deh, at: str) -> None:
    run = deh("simulate", HUNGARY, "--at", at, "--press", "1")

    assert run.code == 2
    assert run.err == [f"deh: --at {at!r} is not a date and time like 2026-12-24T10:00"]


def test_the_transcript_shows_the_message_that_started_the_conversation(deh: Deh) -> None:
    run = deh(
        "simulate",
        HUNGARY,
        "-c",
        "sms",
        "--at",
        TUESDAY_OPEN,
        "--send",
        "Jó napot",
        "--send",
        "3",
        "--send",
        "3",
    )

    assert run.out[0] == "person: writes 'Jó napot'"
