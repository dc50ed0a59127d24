"""Replies to the messaging menus: any case, native digits, everyday language names, topic titles."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from deh_deploy.simulate import FunctionResult, Send, compile_flow, run_script
from deh_deploy.simulate.hub import offline

from .conftest import rendered

ROOT = Path(__file__).resolve().parents[2] / "country_configs"
# An SMS as its Conversations address hands it to the messaging flow (the flow's only messaging trigger).
SMS = {"Author": "+36301234567", "To": "+3612345678", "Body": "hello", "ConversationSid": "CH" + "ab" * 16}


def _open(params: object, ctx: object) -> FunctionResult:
    return FunctionResult(200, {"open": True, "message": ""})


def _messaging(country: str) -> Any:
    desired = rendered(ROOT / country)
    data: dict[str, Any] = offline(desired.documents["flows/messaging.json"], desired.slug, desired.env)
    return compile_flow(data)


def _went(country: str, *replies: str) -> list[str]:
    conv = run_script(
        _messaging(country),
        trigger="incomingConversationMessage",
        trigger_data=SMS,
        functions={"/hours": _open},
        inputs=[Send(r) for r in replies],
    )
    return [f"{t.widget}->{t.next}" for t in conv.trace if t.widget.startswith("pick_")]


@pytest.mark.parametrize(
    ("country", "reply", "lang"),
    [
        ("hungary", "УКР", "uk"),
        ("hungary", "Українська", "uk"),
        ("hungary", "  MAGYAR ", "hu"),
        ("hungary", "३", "hu"),
        ("jordan", "عربي", "ar"),
        ("jordan", "العربية", "ar"),
        ("jordan", "١", "ar"),
        ("jordan", "٢", "en"),
        ("jordan", "English", "en"),
        ("mongolia", "Монгол", "mn"),
    ],
)
def test_a_language_reply_matches_in_any_case_script_and_everyday_name(
    country: str, reply: str, lang: str
) -> None:
    assert _went(country, reply)[0] == f"pick_lang->set_lang_{lang}"


def test_a_topic_reply_matches_its_native_digit_or_its_title() -> None:
    assert _went("jordan", "1", "٢")[1].startswith("pick_topic_ar->topic_ar_")
    by_digit = _went("jordan", "1", "٢")[1]
    assert by_digit == _went("jordan", "1", "2")[1]
