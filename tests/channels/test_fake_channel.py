"""A channel is one definition: a fake Telegram, bridged by the hub service like Viber, is registered here and
nowhere else, and ``deh validate`` checks it, render's messaging flow tells it apart and the simulator reaches
the menu through it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from deh_deploy import channels
from deh_deploy.channels.definition import Channel, Limits
from deh_deploy.cli import main
from deh_deploy.config import load_hub
from deh_deploy.render import render_hub
from deh_deploy.simulate.hub import HubSimulator, Script
from deh_deploy.simulate.scenarios import load_scenarios
from tests.config.hubcase import Case, build_hub

TELEGRAM = Channel(
    name="telegram",
    schema={
        "description": "A Telegram bot, bridged by the hub service.",
        "type": "object",
        "properties": {
            "bot_username": {
                "description": "The bot's username, ending in bot.",
                "type": "string",
                "pattern": "^[A-Za-z][A-Za-z0-9_]{3,28}[Bb][Oo][Tt]$",
                "examples": ["VoroskeresztBot"],
            },
            "token_env": {
                "description": "Environment variable holding the bot's token.",
                "type": "string",
                "pattern": "^[A-Z][A-Z0-9_]{0,127}$",
                "examples": ["DEH_HU_TELEGRAM_TOKEN"],
            },
        },
        "additionalProperties": False,
        "required": ["bot_username", "token_env"],
        "examples": [{"bot_username": "VoroskeresztBot", "token_env": "DEH_HU_TELEGRAM_TOKEN"}],
    },
    carrier="hub-bridge",
    prefix="telegram:",
    limits=Limits(max_chars=4096),
    sender="100200300",
)
TUESDAY_OPEN = datetime(2027, 1, 12, 10, 0)


@pytest.fixture
def telegram() -> Iterator[Channel]:
    with channels.registered(TELEGRAM) as channel:
        yield channel


def _hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, token_env: str = "DEH_HU_TELEGRAM_TOKEN") -> Path:
    """Hungary with Telegram turned on: ``telegram:`` is the last line of its ``channels``."""
    spec = {"bot_username": "VoroskeresztBot", "token_env": token_env}
    folder = build_hub(Case("hub", "", "", {"channels.telegram": spec}, (), (), ()), tmp_path)
    monkeypatch.chdir(tmp_path)
    return folder


def _validate(capsys: pytest.CaptureFixture[str], folder: Path) -> tuple[object, list[str]]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--strict", str(folder.name)])
    return exc.value.code, capsys.readouterr().out.splitlines()


def test_without_its_definition_telegram_is_an_unknown_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _validate(capsys, _hub(tmp_path, monkeypatch))
    assert (code, out) == (
        1,
        [
            "hub/hub.yaml:50:3: $.channels.telegram: unknown key 'telegram'; "
            "expected one of: voice, sms, whatsapp, messenger, viber, webchat"
        ],
    )


def test_deh_validate_accepts_the_registered_channel(
    telegram: Channel,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _validate(capsys, _hub(tmp_path, monkeypatch)) == (0, [])


def test_deh_validate_points_at_a_wrong_value_in_it(
    telegram: Channel,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = _validate(capsys, _hub(tmp_path, monkeypatch, token_env="telegram token"))
    assert (code, out) == (
        1,
        [
            "hub/hub.yaml:50:62: $.channels.telegram.token_env: 'telegram token' is not an environment "
            "variable name such as TWILIO_AUTH_TOKEN"
        ],
    )


def test_the_messaging_flow_tells_it_apart_and_nothing_else_is_rendered_for_it(
    telegram: Channel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = load_hub(_hub(tmp_path, monkeypatch))
    assert hub.channels.enabled[-1] == "telegram"
    desired = render_hub(hub, env="staging")
    flow = json.loads(desired.artifacts["flows/messaging.json"])
    (contact,) = [s for s in flow["states"] if s["name"] == "contact"]
    assert "{% elsif a contains 'telegram:' %}telegram" in contact["properties"]["variables"][0]["value"]
    # Bridged: the hub service carries it, so Twilio gets no resource of its own.
    assert not [r for r in desired.resources if "telegram" in r.id]


def test_the_simulator_reaches_the_menu_through_it(
    telegram: Channel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = load_hub(_hub(tmp_path, monkeypatch))
    uk = hub.texts["uk"]
    conv, outcome = HubSimulator(hub, env="staging").run(
        channel="telegram", at=TUESDAY_OPEN, script=Script(sends=["Привіт", "1", "1"])
    )
    written = [getattr(item, "body", None) for item in conv.transcript]
    assert any(body and uk.messages["welcome"] in body for body in written)
    assert outcome.end == "agent"
    assert outcome.task is not None
    assert (outcome.task["channel"], outcome.task["from"]) == ("telegram", "telegram:100200300")


def test_a_scenario_may_use_it(telegram: Channel, tmp_path: Path) -> None:
    scenario = tmp_path / "telegram.yaml"
    scenario.write_text(
        'scenarios:\n  - {name: Telegram, channel: telegram, at: "2027-01-12T10:00", expect: {end: agent}}\n',
        encoding="utf-8",
    )
    assert load_scenarios(scenario)[1] == []
