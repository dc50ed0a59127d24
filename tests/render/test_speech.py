"""Speech input in the voice menus: off unless the config turns it on; Twilio's recognition codes when on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deh_deploy.i18n import speech_language
from deh_deploy.render.replies import choices, language_names
from deh_deploy.simulate import FunctionResult, Speak, compile_flow, run_script
from deh_deploy.simulate.hub import offline

from .conftest import MakeHub, rendered

ROOT = Path(__file__).resolve().parents[2] / "country_configs"
CALL = {"From": "+36301234567", "To": "+3612345678", "CallSid": "CA" + "ab" * 16}
SPEECH_ON = {"hub.yaml": {"gather_timeout: 5\n": "gather_timeout: 5\n    speech: true\n"}}


def _gathers(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in definition["states"] if s["type"] == "gather-input-on-call"]


def _voice(folder: Path) -> dict[str, Any]:
    desired = rendered(folder)  # as apply sends it, references filled with stand-ins
    data: dict[str, Any] = offline(desired.documents["flows/voice.json"], desired.slug, desired.env)
    return data


@pytest.mark.parametrize(
    ("tag", "country", "code"),
    [
        ("ar", "JO", "ar-JO"),
        ("mn", "MN", "mn-MN"),
        ("uk", "HU", "uk-UA"),
        ("en", "JO", "en-US"),
        ("xh", "ZA", None),
    ],
)
def test_recognition_codes_come_from_twilios_list_not_the_voices(
    tag: str, country: str, code: str | None
) -> None:
    assert speech_language(tag, country=country) == code


@pytest.mark.parametrize("country", ["hungary", "mongolia", "jordan"])
def test_speech_is_off_by_default_no_speech_transition_is_wired(country: str) -> None:
    for gather in _gathers(_voice(ROOT / country)):
        assert "gather_language" not in gather["properties"]
        speech = next(t for t in gather["transitions"] if t["event"] == "speech")
        assert speech["next"] == ""


def test_speech_on_uses_the_recognition_language_and_reads_what_was_said(make_hub: MakeHub) -> None:
    definition = _voice(make_hub(edits=SPEECH_ON))
    by_name = {s["name"]: s for s in definition["states"]}
    assert by_name["topics_uk"]["properties"]["gather_language"] == "uk-UA"
    assert by_name["topics_hu"]["properties"]["gather_language"] == "hu-HU"
    assert "1" in by_name["topics_uk"]["properties"]["hints"]
    heard = next(t for t in by_name["lang_1"]["transitions"] if t["event"] == "speech")
    assert heard["next"] == "heard_lang_1"
    assert "SpeechResult | strip | downcase" in by_name["heard_lang_1"]["properties"]["input"]


def _open(params: object, ctx: object) -> FunctionResult:
    return FunctionResult(200, {"open": True, "message": ""})


@pytest.mark.parametrize("said", ["Magyar.", "three", "3", "Hungarian"])
def test_a_caller_who_says_the_language_or_its_digit_gets_it(make_hub: MakeHub, said: str) -> None:
    flow = compile_flow(_voice(make_hub(edits=SPEECH_ON)))
    conv = run_script(
        flow,
        trigger="incomingCall",
        trigger_data=CALL,
        functions={"/hours": _open},
        inputs=[Speak(said)],
    )
    assert conv.ended is not None
    assert [t.next for t in conv.trace if t.widget == "heard_lang_1"] == ["set_lang_hu"]


def test_a_reply_matches_native_digits_and_everyday_names() -> None:
    arabic = choices(1, language_names("ar"), languages=["ar", "en"], country="JO", spoken=False).split(",")
    assert {"1", "١", "۱", "عربي", "العربية", "arabic"} <= set(arabic)
    ukrainian = choices(2, language_names("uk"), languages=["uk"], country="HU", spoken=False).split(",")
    assert {"2", "укр", "українська"} <= set(ukrainian)
    assert all(item == item.lower() for item in arabic + ukrainian)
