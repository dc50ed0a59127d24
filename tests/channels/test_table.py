"""The channel table is the one list of channels: the published schemas and the CLI's choices agree with it,
and a definition that the layers could not serve is refused when it is registered."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from deh_deploy import channels
from deh_deploy.channels.definition import Channel
from deh_deploy.channels.schema import hub_schema_text, scenario_schema_text
from deh_deploy.config import validate
from tests.config.hubcase import Case, build_hub

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"


@pytest.mark.parametrize(
    ("file", "generate"),
    [("hub.schema.json", hub_schema_text), ("scenario.schema.json", scenario_schema_text)],
)
def test_the_published_schemas_say_what_the_table_says(file: str, generate: object) -> None:
    """When this fails, run ``python -m deh_deploy.channels --write-schema`` and commit the schemas."""
    text = (SCHEMAS / file).read_text(encoding="utf-8")
    assert callable(generate)
    assert generate(text) == text


def test_the_schema_script_finds_the_schemas_current(capsys: pytest.CaptureFixture[str]) -> None:
    from deh_deploy.channels.__main__ import main

    assert main(["--check"]) == 0
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["identical", "identical"]


def test_the_cli_offers_the_channels_of_the_table() -> None:
    from deh_deploy.cli.options import Channel

    assert [c.value for c in Channel] == list(channels.names())


def test_the_built_in_channels_in_the_order_the_config_lists_them() -> None:
    assert channels.names() == ("voice", "sms", "whatsapp", "messenger", "viber", "webchat")
    assert [c.name for c in channels.messaging()] == ["sms", "whatsapp", "messenger", "viber", "webchat"]


def _like(built_in: str, **changes: Any) -> Channel:
    """A built-in channel's definition under another name, with some fields changed."""
    return dataclasses.replace(channels.get(built_in), **{"name": "telegram", **changes})


@pytest.mark.parametrize(
    ("definition", "problem"),
    [
        pytest.param(_like("viber", name="sms"), "already registered", id="taken-name"),
        pytest.param(_like("viber", name="Telegram"), "a name is lowercase letters", id="bad-name"),
        pytest.param(
            _like("viber", prefix=""), "the messaging flow already has a fallback", id="second-fallback"
        ),
        pytest.param(
            _like("viber", prefix="", recognised_by="@"), "say the prefix", id="bridge-without-prefix"
        ),
        pytest.param(_like("whatsapp", needs=()), "the prerequisite holding the address", id="no-address"),
        pytest.param(_like("whatsapp", address_type="fax"), "no Conversations address type 'fax'", id="type"),
        pytest.param(_like("whatsapp"), "whatsapp_sender belongs to another channel", id="shared-need"),
        pytest.param(_like("viber", task_channel="sms"), "on the chat task channel", id="task-channel"),
        pytest.param(_like("viber", task_channel="fax"), "no task channel 'fax'", id="unknown-task-channel"),
        pytest.param(_like("voice", settings=None), "settings with the number", id="numberless"),
        pytest.param(_like("webchat", settings=None, prefix="web:"), "web chat settings", id="chat"),
    ],
)
def test_a_definition_the_layers_cannot_serve_is_refused(definition: Channel, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        channels.register(definition)
    assert channels.names() == ("voice", "sms", "whatsapp", "messenger", "viber", "webchat")


def test_a_text_longer_than_a_channel_takes_is_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table's character limits, where a channel does not count SMS segments: Hungary without SMS, with
    a welcome that fits alone but not with the topic menu it is sent with."""
    welcome = ("Üdvözöljük! " * 132).strip()
    case = Case(
        "long", "", "sms_length", {"translations.hu.messages.welcome": welcome}, ("channels.sms",), (), ()
    )
    build_hub(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    _, diagnostics = validate(Path("long"))
    assert [d.format() for d in diagnostics if "characters;" in d.message] == [
        "long/translations/hu.yaml:5:15: $.translations.hu.messages.topic_menu: warning: the welcome and topic "
        "menu has 1790 characters; whatsapp takes at most 1600"
    ]
