"""Messaging enters through Conversations only; a voicemail's transcript comes by its callback."""

from __future__ import annotations

from typing import Any

from deh_deploy.render import Desired
from deh_deploy.render.desired import ref
from tests.render.conftest import HUNGARY, MakeHub, rendered
from tests.render.test_flows import flow, states


def _resources(desired: Desired) -> dict[str, Any]:
    return {r.id: r for r in desired.resources}


def test_sms_has_an_address_on_its_number_and_no_webhook_or_messaging_service() -> None:
    by_id = _resources(rendered(HUNGARY))
    sms = by_id["conversations.address/sms"]
    assert sms.attrs["type"] == "sms"
    assert sms.attrs["address"] == ref("phone.number", "main", "phone_number")
    assert sms.attrs["auto_creation"]["studio_flow_sid"] == ref("studio.flow", "messaging", "sid")
    route = by_id["phone.route/main"]
    assert route.attrs["sms_url"] is None and route.attrs["voice_url"]
    assert "conversations.address/sms" in route.depends_on, "the webhook is cleared once the address is live"
    # No Messaging Service and no legacy FlexFlow; the Flex skill list (flex.skills) is routing's, not messaging's.
    assert not [rid for rid in by_id if rid.startswith(("messaging.", "flex.flow"))]


def test_web_chat_is_a_chat_address_whose_console_step_keeps_the_allowed_origins() -> None:
    chat = _resources(rendered(HUNGARY))["conversations.address/webchat"]
    assert chat.attrs["type"] == "chat"
    assert chat.attrs["address"] == "DEH hungary staging webchat"
    assert chat.attrs["console"] == {"deployment_key": True, "allowed_origins": ["https://voroskereszt.hu"]}


def test_the_messaging_flow_starts_from_the_conversation_trigger_only() -> None:
    trigger = states(flow(rendered(HUNGARY), "messaging"))["Trigger"]
    nexts = {t["event"]: t.get("next", "") for t in trigger["transitions"]}
    assert nexts["incomingConversationMessage"] == "contact"
    assert nexts["incomingMessage"] == ""


def test_a_transcribed_voicemail_names_its_callback_and_reads_no_transcript(make_hub: MakeHub) -> None:
    folder = make_hub(edits={"hub.yaml": {"transcribe: false": "transcribe: true"}})
    by_name = states(flow(rendered(folder), "voice"))
    record = by_name["record_hu"]["properties"]
    assert record["transcribe"] is True
    assert record["transcription_callback_url"] == {
        "$join": [
            "https://",
            {"$ref": "serverless.environment/staging.domain_name"},
            "/callback?type=transcript",
        ]
    }
    params = {p["key"]: p["value"] for p in by_name["callback_hu"]["properties"]["parameters"]}
    assert params["transcript"] == "" and params["call_sid"] == "{{trigger.call.CallSid}}"
    assert "TranscriptionText" not in str(flow(rendered(folder), "voice"))
    untranscribed = states(flow(rendered(HUNGARY), "voice"))["record_hu"]["properties"]
    assert "transcription_callback_url" not in untranscribed
