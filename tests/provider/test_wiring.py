"""The wiring: apply points Twilio at the hub service (the workspace's event callback, the account's
Conversations post-event webhook) when the config gives the service's public URL, once, only while the service
answers /healthz; what Twilio then sends reaches the service and becomes a record; destroy clears it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from twilio.base.exceptions import TwilioRestException

from deh_deploy.changes import Create
from deh_deploy.channels.viber import Viber
from deh_deploy.config import load_hub
from deh_deploy.config.model import HubConfig
from deh_deploy.deploy import apply_hub, destroy_hub, plan_hub
from deh_deploy.hub.kinds import load as hub_kinds
from deh_deploy.hub.viber_settings import INBOUND_PATH
from deh_deploy.render import render_hub
from deh_deploy.render import wiring as rendered
from tests.hub.conftest import SECRETS
from tests.hub.events import sid
from tests.hub.fake_viber import FakeViber, fake_viber
from tests.hub.server import PUBLIC
from tests.hub.test_viber import bridged_config
from tests.provider.conftest import World, hub

HU = hub("hungary")
HUB = "deh-hungary-staging"
TASK_URL = f"{PUBLIC}/twilio/taskrouter?deh={HUB}"
CONVERSATIONS_URL = f"{PUBLIC}/twilio/conversations?deh={HUB}"
WIRING = {"taskrouter.workspace_events/hub", "conversations.post_webhook/hub"}
CLOSED = "http://127.0.0.1:9"  # nothing listens on the discard port


def _settings(world: World, h: HubConfig) -> tuple[str | None, str | None, list[str]]:
    with world.connect(h) as conn:
        workspace = next(
            w for w in conn.client.taskrouter.v1.workspaces.list() if w.friendly_name == h.routing.workspace
        )
        hooks = conn.client.conversations.v1.configuration.webhooks().fetch()
    return workspace.event_callback_url or None, hooks.post_webhook_url or None, list(hooks.filters or [])


def test_the_routes_rendered_are_the_hub_services() -> None:
    paths = {kind.path for kind in hub_kinds().values() if kind.provider == "twilio"}
    assert {rendered.TASKROUTER_PATH, rendered.CONVERSATIONS_PATH, rendered.RECORDING_PATH} <= paths
    assert rendered.VIBER_PATH == INBOUND_PATH


def test_a_config_without_a_public_url_renders_no_wiring() -> None:
    mongolia = hub("mongolia")
    assert not mongolia.service.public_url
    kinds = {r.kind for r in render_hub(mongolia, env="staging").resources}
    assert not kinds & {"taskrouter.workspace_events", "conversations.post_webhook"}


def test_plan_shows_the_wiring_and_what_it_points_at(world: World) -> None:
    world.login(HU)
    with world.connect(HU) as conn:
        plan = plan_hub(HU, "staging", conn)
    wiring = {c.id: c for c in plan.changes if c.id in WIRING and isinstance(c, Create)}
    assert set(wiring) == WIRING
    assert wiring["taskrouter.workspace_events/hub"].new.attrs["event_callback_url"] == TASK_URL
    assert wiring["conversations.post_webhook/hub"].new.attrs["post_webhook_url"] == CONVERSATIONS_URL
    assert (
        wiring["taskrouter.workspace_events/hub"].note
        == "points the workspace's event callback at the hub service"
    )


def test_apply_writes_the_wiring_once(world: World) -> None:
    world.login(HU)
    with world.connect(HU) as conn:
        first = apply_hub(HU, "staging", conn, allow_purchase=True)
    assert first.held is None
    assert {c.id for c in first.plan.changes} >= WIRING
    assert _settings(world, HU) == (
        TASK_URL,
        CONVERSATIONS_URL,
        ["onMessageAdded", "onConversationStateUpdated"],
    )
    with world.connect(HU) as conn:
        second = apply_hub(HU, "staging", conn, allow_purchase=True)
    assert second.writes == 0 and second.held is None


def test_a_sandbox_without_a_hub_address_writes_the_wiring_unasked(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rehearsal of the bundled examples: a sandbox never sends a webhook off this machine, so the public URL
    (unreachable from here) is not asked, and the wiring is written as apply will write it on Twilio."""
    monkeypatch.delenv("DEH_HUB_URL", raising=False)
    world.login(HU)
    with world.connect(HU) as conn:
        result = apply_hub(HU, "staging", conn, allow_purchase=True)
    assert result.held is None
    assert _settings(world, HU)[:2] == (TASK_URL, CONVERSATIONS_URL)


def test_an_unhealthy_hub_service_holds_the_wiring_back_and_nothing_else(world: World) -> None:
    world.login(HU)
    with world.connect(HU) as conn:
        result = apply_hub(HU, "staging", conn, allow_purchase=True, hub_url=CLOSED)
    assert result.held is not None
    assert result.held.startswith(f"the hub service at {CLOSED} does not answer /healthz (")
    assert result.held.endswith(
        "): Twilio is not pointed at it; deploy it with deh host, then run deh apply again"
    )
    assert not {c.id for c in result.plan.changes} & WIRING
    assert result.writes > 0  # the rest of the hub is applied
    assert _settings(world, HU)[:2] == (None, None)
    with world.connect(HU) as conn:
        again = apply_hub(HU, "staging", conn, allow_purchase=True, hub_url=CLOSED)
    assert again.writes == 0 and again.held == result.held
    with world.connect(HU) as conn:  # the service is up: the next apply writes the wiring
        healed = apply_hub(HU, "staging", conn, allow_purchase=True)
    assert {c.id for c in healed.plan.changes} == WIRING and healed.held is None


@pytest.mark.slow  # two hubs applied
def test_the_wiring_replaces_anothers_setting_and_says_so(world: World) -> None:
    world.login(HU)
    with world.connect(HU) as conn:
        apply_hub(HU, "staging", conn, allow_purchase=True, hub_url=CLOSED)
        conn.client.conversations.v1.configuration.webhooks().update(
            post_webhook_url="https://crm.example.org/twilio", filters=["onMessageAdded"]
        )
        plan = plan_hub(HU, "staging", conn)
    notes = {c.id: c.note for c in plan.changes}
    assert notes["conversations.post_webhook/hub"] == (
        "points the Conversations post-event webhook at the hub service; replaces https://crm.example.org/twilio"
    )


def test_a_task_event_twilio_sends_reaches_the_hub_service_and_becomes_a_record(world: World) -> None:
    account = HU.environment("staging").account_sid
    world.sandbox.ensure_account(account, SECRETS["TWILIO_AUTH_TOKEN"])  # the token the service checks with
    world.login(HU)
    world.sandbox.map_hosts({PUBLIC: world.hub.base})  # the public name reaches the service, as DNS would
    with world.connect(HU) as conn:
        apply_hub(HU, "staging", conn, allow_purchase=True)
        workspace = next(w.sid for w in conn.client.taskrouter.v1.workspaces.list())
    task = sid("WT")
    attributes = {"type": "inbound", "channel": "voice", "language": "hu", "from": "+36301234567"}
    world.sandbox.seed(
        account,
        taskrouter_events=[
            {
                "workspace_sid": workspace,
                "event_type": "task.created",
                "event_date": datetime.now(UTC).isoformat(),
                "event_data": {"task_sid": task, "task_attributes": json.dumps(attributes), "task_age": 0},
            }
        ],
    )
    sent = [w for w in world.sandbox.webhooks() if w.get("task_sid") == task]
    assert [(w["url"], w["status"]) for w in sent] == [(TASK_URL, 204)]
    world.hub.wait_processed()
    status, body = world.hub.get_json("/records", SECRETS["DEH_HU_SUPERVISOR_TOKEN"])
    assert status == 200
    assert [r["channel"] for r in body["records"] if r.get("task_sid") == task] == ["voice"]


def test_a_message_added_reaches_the_hub_service_through_the_post_event_webhook(world: World) -> None:
    account = HU.environment("staging").account_sid
    world.sandbox.ensure_account(account, SECRETS["TWILIO_AUTH_TOKEN"])
    world.login(HU)
    world.sandbox.map_hosts({PUBLIC: world.hub.base})
    with world.connect(HU) as conn:
        apply_hub(HU, "staging", conn, allow_purchase=True)
        conversation = conn.client.conversations.v1.conversations.create(friendly_name="a contact").sid
    message = world.sandbox.agent_message(account, conversation, author="agent@example.org", body="Hello")
    sent = [w for w in world.sandbox.webhooks() if w.get("message_sid") == message["sid"]]
    assert [(w["url"], w["status"]) for w in sent] == [(CONVERSATIONS_URL, 204)]


def test_destroy_clears_the_wiring(world: World) -> None:
    world.login(HU)
    with world.connect(HU) as conn:
        apply_hub(HU, "staging", conn, allow_purchase=True)
    assert _settings(world, HU)[:2] == (TASK_URL, CONVERSATIONS_URL)
    with world.connect(HU) as conn:
        entries = destroy_hub(HU, "staging", conn)
    assert {e.id for e in entries if e.action == "delete"} >= WIRING
    assert _settings(world, HU)[:2] == (None, None)


@pytest.mark.parametrize(
    ("form", "line"),
    [
        (
            {"EventsFilter": "task.created,task.exploded"},
            "Invalid EventsFilter: unknown event type(s) task.exploded",
        ),
        (
            {"EventCallbackUrl": "hub.example.org/events"},
            "Invalid EventCallbackUrl: 'hub.example.org/events' is not",
        ),
    ],
)
def test_the_sandbox_refuses_a_workspace_callback_twilio_would_refuse(
    world: World, form: dict[str, str], line: str
) -> None:
    world.login(HU)
    with world.connect(HU) as conn:
        apply_hub(HU, "staging", conn, allow_purchase=True, hub_url=CLOSED)
        workspace = next(w for w in conn.client.taskrouter.v1.workspaces.list())
        with pytest.raises(TwilioRestException) as refused:
            conn.client.taskrouter.v1.workspaces(workspace.sid).update(
                event_callback_url=form.get("EventCallbackUrl", TASK_URL),
                events_filter=form.get("EventsFilter"),
            )
    assert refused.value.status == 400 and line in refused.value.msg


def test_the_sandbox_refuses_an_unknown_conversations_filter(world: World) -> None:
    world.login(HU)
    with world.connect(HU) as conn, pytest.raises(TwilioRestException) as refused:
        conn.client.conversations.v1.configuration.webhooks().update(filters=["onEverything"])
    assert (
        refused.value.status == 400 and "Invalid Filters: unknown event(s) onEverything" in refused.value.msg
    )


def test_the_voice_flow_posts_its_recordings_to_the_hub_service_only_with_a_public_url() -> None:
    def callbacks(h: HubConfig) -> set[object]:
        flow = json.loads(render_hub(h, env="staging").artifacts["flows/voice.json"])
        records = [s for s in flow["states"] if s["type"] == "record-voicemail"]
        assert records
        return {s["properties"].get("recording_status_callback_url") for s in records}

    assert callbacks(HU) == {f"{PUBLIC}/twilio/recording?deh={HUB}"}
    assert callbacks(hub("mongolia")) == {None}


@pytest.fixture
def bridged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[HubConfig, FakeViber]]:
    """Hungary with the Viber bridge on, its bot's token set, and Viber's API a fake on loopback."""
    h = load_hub(bridged_config(tmp_path))
    bot = h.channels.settings["viber"]
    assert isinstance(bot, Viber)
    monkeypatch.setenv(bot.token_env, "viber-bot-token")
    with fake_viber() as viber:
        monkeypatch.setenv("DEH_VIBER_API_URL", viber.url)
        yield h, viber


@pytest.mark.slow  # a second hub config applied; test_viber covers the bridge
def test_with_the_bridge_on_apply_points_the_viber_bot_at_the_service_once(
    world: World, bridged: tuple[HubConfig, FakeViber]
) -> None:
    h, viber = bridged
    world.login(h)
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
        assert [c.note for c in plan.changes if c.id == "viber.webhook/bot"] == [
            "points the Viber bot's webhook at the hub service"
        ]
        apply_hub(h, "staging", conn, allow_purchase=True)
    with world.connect(h) as conn:
        again = apply_hub(h, "staging", conn)
    assert [b["url"] for b in viber.sent("set_webhook")] == [f"{PUBLIC}/viber?deh={HUB}"]
    assert again.writes == 0 and again.held is None
    with world.connect(h) as conn:
        destroy_hub(h, "staging", conn)
    assert [b["url"] for b in viber.sent("set_webhook")] == [f"{PUBLIC}/viber?deh={HUB}", ""]
    assert viber.auth_tokens() == {"viber-bot-token"}


def test_an_unhealthy_hub_service_leaves_the_viber_bot_alone(
    world: World, bridged: tuple[HubConfig, FakeViber]
) -> None:
    h, viber = bridged
    world.login(h)
    with world.connect(h) as conn:
        result = apply_hub(h, "staging", conn, allow_purchase=True, hub_url=CLOSED)
    assert result.held is not None
    assert viber.sent("set_webhook") == []
