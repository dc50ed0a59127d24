"""The rendered Studio flows: valid envelopes, each language announced in itself, configured text literal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from liquid import Environment

from deh_deploy.i18n import tts_voice
from deh_deploy.render import Desired
from deh_deploy.render.desired import canonical_json

from .conftest import HUNGARY, MakeHub, rendered

# Transition events of each widget type, per Twilio's Studio widget library.
EVENTS = {
    "trigger": {
        "incomingMessage",
        "incomingCall",
        "incomingConversationMessage",
        "incomingRequest",
        "incomingParent",
    },
    "say-play": {"audioComplete"},
    "gather-input-on-call": {"keypress", "speech", "timeout"},
    "split-based-on": {"noMatch", "match"},
    "set-variables": {"next"},
    "send-message": {"sent", "failed"},
    "send-and-wait-for-reply": {"incomingMessage", "timeout", "deliveryFailure"},
    "run-function": {"success", "fail"},
    "record-voicemail": {"recordingComplete", "noAudio", "hangup"},
    "send-to-flex": {"callComplete", "failedToEnqueue", "callFailure"},
}
LIQUID_TEXT = "Üdvözöljük! {{ 7*7 }} és {% if %} marad."


def flow(desired: Desired, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(desired.artifacts[f"flows/{name}.json"])
    return data


def states(definition: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in definition["states"]}


def translations(folder: Path, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (folder / "translations" / f"{lang}.yaml").read_text(encoding="utf-8")
    )
    return data


@pytest.fixture(scope="module")
def hungary() -> Desired:
    return rendered(HUNGARY)


@pytest.mark.parametrize("name", ["voice", "messaging"])
@pytest.mark.parametrize("env", ["staging", "production"])
def test_each_flow_is_a_valid_studio_envelope(name: str, env: str) -> None:
    definition = flow(rendered(HUNGARY, env), name)
    assert set(definition) >= {"description", "flags", "initial_state", "states"}
    assert isinstance(definition["flags"]["allow_concurrent_calls"], bool)
    assert 1 <= len(definition["states"]) <= 1000
    names = [s["name"] for s in definition["states"]]
    assert len(names) == len(set(names)), "widget names must be unique"
    assert definition["initial_state"] in names
    assert states(definition)[definition["initial_state"]]["type"] == "trigger"
    for state in definition["states"]:
        assert set(state) == {"name", "type", "properties", "transitions"}
        assert state["type"] in EVENTS, state["type"]
        for t in state["transitions"]:
            assert t["event"] in EVENTS[state["type"]], (state["name"], t["event"])
            assert t["next"] == "" or t["next"] in names, (state["name"], t["next"])
        assert len({t["event"] for t in state["transitions"] if t["event"] != "match"}) == len(
            [t for t in state["transitions"] if t["event"] != "match"]
        ), state["name"]


@pytest.mark.parametrize("name", ["voice", "messaging"])
def test_every_widget_is_reachable_from_the_trigger(hungary: Desired, name: str) -> None:
    definition = flow(hungary, name)
    by_name = states(definition)
    seen, todo = {definition["initial_state"]}, [definition["initial_state"]]
    while todo:
        for t in by_name[todo.pop()]["transitions"]:
            if t["next"] and t["next"] not in seen:
                seen.add(t["next"])
                todo.append(t["next"])
    assert set(by_name) - seen == set()


def test_the_flow_artifact_is_the_definition_the_flow_resource_carries(hungary: Desired) -> None:
    for name in ("voice", "messaging"):
        resource = hungary.by_id()[f"studio.flow/{name}"]
        assert hungary.artifacts[f"flows/{name}.json"] == canonical_json(resource.attrs["definition"])


def test_the_voice_menu_announces_each_language_in_that_language(hungary: Desired) -> None:
    by_name = states(flow(hungary, "voice"))
    languages = yaml.safe_load((HUNGARY / "hub.yaml").read_text(encoding="utf-8"))["languages"]
    assert len(languages) > 1
    for n, lang in enumerate(languages, start=1):
        widget = by_name[f"lang_{n}"]
        choice = translations(HUNGARY, lang)["messages"]["language_choice"]
        voice = tts_voice(lang)
        assert voice is not None
        assert voice.language.split("-")[0] == lang
        assert widget["properties"]["say"] == choice.replace("{digit}", str(n))
        assert widget["properties"]["language"] == voice.language
        assert widget["properties"]["voice"] == voice.voice
        # the key pressed after language n's prompt picks that digit's language
        split = by_name[widget["transitions"][0]["next"]]
        matches = {
            t["conditions"][0]["value"]: t["next"] for t in split["transitions"] if t["event"] == "match"
        }
        assert matches[str(n)] == f"set_lang_{lang}"


def test_a_language_twilio_cannot_speak_is_played_from_its_recording(make_hub: MakeHub) -> None:
    audio = {
        k: f"https://example.org/mn/{k}.mp3"
        for k in (
            "language_choice",
            "welcome",
            "topic_menu",
            "invalid_choice",
            "after_hours",
            "voicemail_prompt",
            "voicemail_thanks",
            "queue_wait",
            "thanks",
        )
    }
    answers = {t: f"https://example.org/mn/answers/{t}.mp3" for t in ("cva_payment", "legal", "health")}
    block = (
        "audio:\n"
        + "".join(f"  {k}: {v}\n" for k, v in audio.items())
        + "  answers:\n"
        + "".join(f"    {k}: {v}\n" for k, v in answers.items())
    )
    folder = make_hub(
        edits={
            "hub.yaml": {
                "[uk, ru, hu]": "[uk, ru, mn]",
                "hu: translations/hu.yaml": "mn: translations/hu.yaml",
            }
        }
    )
    with (folder / "translations" / "hu.yaml").open("a", encoding="utf-8") as fh:
        fh.write(block)
    by_name = states(flow(rendered(folder), "voice"))
    assert by_name["lang_3"]["properties"]["play"] == audio["language_choice"]
    assert "say" not in by_name["lang_3"]["properties"]
    assert by_name["welcome_mn"]["properties"]["play"] == audio["welcome"]
    assert by_name["answer_mn_legal"]["properties"]["play"] == answers["legal"]
    assert by_name["lang_1"]["properties"]["language"] == "uk-UA"


def _liquid(text: str) -> str:
    return str(Environment().from_string(text).render())


@pytest.fixture(scope="module")
def liquid_hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Desired]:
    import shutil

    folder = tmp_path_factory.mktemp("liquid") / "hungary"
    shutil.copytree(HUNGARY, folder)
    hu = folder / "translations" / "hu.yaml"
    text = hu.read_text(encoding="utf-8")
    welcome = '  welcome: "Üdvözöljük! Ez a Magyar Vöröskereszt ügyfélszolgálata."\n'
    assert welcome in text
    hu.write_text(
        text.replace(welcome, f"  welcome: {json.dumps(LIQUID_TEXT, ensure_ascii=False)}\n"), encoding="utf-8"
    )
    return folder, rendered(folder)


def test_liquid_looking_text_comes_out_literally_in_the_summary(liquid_hub: tuple[Path, Desired]) -> None:
    summary = liquid_hub[1].artifacts["summary.md"]
    assert f"- Welcome: {LIQUID_TEXT}\n" in summary


def test_studio_prints_liquid_looking_text_literally(liquid_hub: tuple[Path, Desired]) -> None:
    desired = liquid_hub[1]
    voice = states(flow(desired, "voice"))
    assert voice["welcome_hu"]["properties"]["say"] != LIQUID_TEXT  # wrapped, so Studio does not evaluate it
    assert _liquid(voice["welcome_hu"]["properties"]["say"]) == LIQUID_TEXT
    messaging = states(flow(desired, "messaging"))
    body = _liquid(messaging["topics_hu"]["properties"]["body"])
    assert body.startswith(LIQUID_TEXT + "\n")


@pytest.mark.parametrize(
    "text",
    [
        "{{ 7*7 }}",
        "{% raw %}{{ x }}",
        "a {% endraw %} {{ 'b' | upcase }}",
        pytest.param(
            "a {%endraw%}{{ 'b' | upcase }}{%raw%}",
        ),
        pytest.param(
            "{%- endraw -%} {{ flow.sid }}",
        ),
    ],
)
def test_any_configured_text_survives_studio_liquid_unchanged(text: str, make_hub: MakeHub) -> None:
    folder = make_hub(
        edits={
            "translations/hu.yaml": {
                '"Köszönjük, hogy a Vöröskereszthez fordult."': json.dumps(text, ensure_ascii=False)
            }
        }
    )
    thanks = states(flow(rendered(folder), "voice"))["thanks_hu"]["properties"]["say"]
    assert _liquid(thanks) == text
