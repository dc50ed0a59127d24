"""The simulator enters messaging the way Twilio will: through the conversation trigger, for every channel."""

from __future__ import annotations

from datetime import datetime

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.simulate.hub import HubSimulator, Script

from .test_deh_simulate import CALLER, TUESDAY_OPEN


@pytest.mark.parametrize("channel", ["sms", "whatsapp", "messenger", "webchat"])
def test_a_messaging_channel_starts_from_the_conversation_trigger(
    hubs: dict[str, HubConfig], channel: str
) -> None:
    sim = HubSimulator(hubs["hungary"], env="staging")
    from_ = CALLER if channel in ("sms", "whatsapp") else None
    conv, outcome = sim.run(
        channel=channel,
        at=datetime.fromisoformat(TUESDAY_OPEN),
        script=Script(sends=["Szia", "1", "5"]),
        from_=from_,
    )
    assert conv.trigger == "incomingConversationMessage"
    assert conv.variables["channel"] == channel
    if from_ is not None:
        assert str(conv.variables["from"]).endswith(CALLER)
    assert outcome.end
