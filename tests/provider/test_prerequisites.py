"""What Twilio needs before a messaging address can exist: a registered WhatsApp sender, read by plan through the
Senders API, so that apply refuses before any write; a Messenger Page connected in the console, named by plan."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.errors import PlanError
from tests.provider.conftest import World, hub


def _sender(h: HubConfig, phone: str) -> HubConfig:
    env = h.environment("staging")
    env = dataclasses.replace(
        env, prerequisites=MappingProxyType({**env.prerequisites, "whatsapp_sender": phone})
    )
    return dataclasses.replace(h, environments=MappingProxyType({**h.environments, "staging": env}))


def _writes(world: World) -> list[str]:
    return [f"{e['method']} {e['path']}" for e in world.log() if e["method"] != "GET"]


def test_plan_says_in_one_line_that_the_whatsapp_sender_is_not_registered(world: World) -> None:
    registered = hub("hungary")
    world.login(registered)  # the account has +36705550101 registered, not the sender this config names
    h = _sender(registered, "+36705550177")
    account = h.environment("staging").account_sid
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        plan_hub(h, "staging", conn)
    assert str(exc.value) == (
        f"conversations.address/whatsapp: no WhatsApp sender whatsapp:+36705550177 is registered on account "
        f"{account}: register it first (Messaging > Senders > WhatsApp senders)"
    )


def test_apply_refuses_before_any_write_when_the_sender_is_not_online(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    account = h.environment("staging").account_sid
    world.sandbox.seed(account, senders=[{"sender_id": "whatsapp:+36705550101", "status": "OFFLINE"}])
    before = _writes(world)
    with world.connect(h) as conn, pytest.raises(PlanError) as exc:
        apply_hub(h, "staging", conn, allow_purchase=True)
    assert (
        str(exc.value)
        == "conversations.address/whatsapp: WhatsApp sender whatsapp:+36705550101 is OFFLINE, not ONLINE"
    )
    assert _writes(world) == before, "nothing was written"


def test_plan_names_the_console_step_a_messenger_page_needs(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        text = plan_hub(h, "staging", conn).render("text")
    assert (
        "+ create conversations.address messenger  [CONSOLE STEP: Messaging > Senders > Facebook Messenger: "
        "Facebook Page 104857600123456 connected to this account first (no Twilio API shows it)]"
    ) in text.splitlines()
