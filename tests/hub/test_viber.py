"""The Viber bridge end to end over real HTTP, on SQLite and PostgreSQL: a signed Viber callback reaches the hub
service (a subprocess), becomes a message in the person's one conversation in the sandbox (through the twilio
SDK), an agent's reply comes back from the sandbox as a signed webhook and goes out to a fake Viber API on
loopback; the person's own messages are never echoed; forged, unsigned, tampered and replayed callbacks are
refused or stored once; all of it within Twilio's contract."""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from twilio.rest import Client

from deh_deploy.hub.viber import NOT_CARRIED
from deh_deploy.providers.local_http import LocalTwilioHttpClient
from deh_deploy.sandbox import RunningSandbox
from deh_deploy.sandbox import start as start_sandbox
from tests.contract import assert_log_matches_contract

from .conftest import HUNGARY, SECRETS
from .fake_viber import FakeViber, callback, fake_viber, sign
from .server import Server, start

ACCOUNT = "AC5f1e0c3a9b7d2e4f6a8c0b1d3e5f7a90"  # Hungary's staging account
BOT_TOKEN = "4453b6ac12345678-e02d1b1f3c5a9e7b-0123456789abcdef"
WITH_BOT = {**SECRETS, "DEH_HU_VIBER_TOKEN": BOT_TOKEN}
FLOW = "DEH hungary staging messaging"
TRIGGER_ONLY = {
    "description": "the messaging flow (a stand-in: the sandbox runs no flow)",
    "states": [
        {
            "name": "Trigger",
            "type": "trigger",
            "properties": {"offset": {"x": 0, "y": 0}},
            "transitions": [{"event": "incomingConversationMessage"}],
        }
    ],
    "initial_state": "Trigger",
    "flags": {"allow_concurrent_calls": True},
}
IDENTITY = re.compile(r"^viber:[0-9a-f]{24}$")


@dataclass
class Bridged:
    hub: Server
    sandbox: RunningSandbox
    twilio: Client
    viber: FakeViber
    flow_sid: str
    public: str

    def deliver(
        self, payload: dict[str, Any], *, signature: str | None = "sign", body: bytes | None = None
    ) -> int:
        """POST a Viber callback to the hub service, signed with the bot's token unless told otherwise."""
        raw = body if body is not None else json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if signature == "sign":
            signature = sign(BOT_TOKEN, raw)
        if signature is not None:
            headers["X-Viber-Content-Signature"] = signature
        return self.hub.request("POST", "/viber", raw, headers)[0]

    def conversations_of(self, viber_id: str) -> list[Any]:
        """The person's conversations, found as Twilio finds them: by the participant's identity."""
        self.hub.wait_processed()
        found = [
            c
            for c in self.twilio.conversations.v1.conversations.list()
            if json.loads(c.attributes or "{}").get("channel") == "viber"
        ]
        mine = []
        for conversation in found:
            participants = self.twilio.conversations.v1.conversations(conversation.sid).participants.list()
            if any(p.identity == self.identity(viber_id) for p in participants):
                mine.append(conversation)
        return mine

    def identity(self, viber_id: str) -> str:
        from deh_deploy.hub.bridge import Bridge
        from deh_deploy.hub.viber_settings import BridgeSettings

        settings = BridgeSettings(
            token="-", bot_name="-", account_sid=ACCOUNT, flow_name=FLOW, languages=("uk",)
        )
        key = SECRETS["DEH_HU_PERSON_KEY"].encode()
        return Bridge(settings, auth_token="-", person_key=key, public_url=self.public).identity(viber_id)

    def messages(self, conversation_sid: str) -> list[Any]:
        return list(self.twilio.conversations.v1.conversations(conversation_sid).messages.list())


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def bridged_config(folder: Path) -> Path:
    """Hungary's hub with the bridge turned on (it is off unless the config says so)."""
    import shutil

    copy = folder / "hungary"
    shutil.copytree(HUNGARY, copy)
    hub_yaml = copy / "hub.yaml"
    hub_yaml.write_text(hub_yaml.read_text("utf-8") + "  viber_bridge: true\n", "utf-8")
    return copy


@pytest.fixture(scope="module")
def bridged(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bridged]:
    run = tmp_path_factory.mktemp("viber")
    with start_sandbox(db_path=run / "sandbox.db") as sandbox, fake_viber() as viber:
        sandbox.ensure_account(ACCOUNT, SECRETS["TWILIO_AUTH_TOKEN"])
        twilio = Client(ACCOUNT, SECRETS["TWILIO_AUTH_TOKEN"], http_client=LocalTwilioHttpClient(sandbox.url))
        flow = twilio.studio.v2.flows.create(friendly_name=FLOW, status="published", definition=TRIGGER_ONLY)
        port = _free_port()
        public = f"http://127.0.0.1:{port}"
        options = ("--public-url", public, "--sandbox-url", sandbox.url, "--viber-api-url", viber.url)
        hub = start(module_db_url, WITH_BOT, cwd=run, port=port, config=bridged_config(run), options=options)
        try:
            yield Bridged(hub, sandbox, twilio, viber, str(flow.sid), public)
        finally:
            hub.stop()
        assert_log_matches_contract(sandbox.requests())


def test_a_signed_viber_message_becomes_a_message_in_the_persons_conversation(bridged: Bridged) -> None:
    assert (
        bridged.deliver(callback(token=1001, sender="pE3x+Olena==", text="Доброго дня, потрібна допомога"))
        == 200
    )
    [conversation] = bridged.conversations_of("pE3x+Olena==")
    [message] = bridged.messages(conversation.sid)
    assert (message.author, message.body) == (
        bridged.identity("pE3x+Olena=="),
        "Доброго дня, потрібна допомога",
    )
    assert IDENTITY.match(message.author) and "pE3x" not in message.author and "Olena" not in message.author
    assert json.loads(message.attributes) == {"channel": "viber", "viber": {"type": "text"}}
    assert conversation.state == "active"


def test_the_conversation_starts_the_messaging_flow_and_reports_to_the_service(bridged: Bridged) -> None:
    bridged.deliver(callback(token=1101, sender="flow-person", text="hi"))
    [conversation] = bridged.conversations_of("flow-person")
    hooks = bridged.twilio.conversations.v1.conversations(conversation.sid).webhooks.list()
    studio = [
        (h.configuration["flow_sid"], h.configuration["filters"]) for h in hooks if h.target == "studio"
    ]
    urls = sorted(h.configuration["url"] for h in hooks if h.target == "webhook")
    assert studio == [(bridged.flow_sid, ["onMessageAdded"])]
    assert urls == [bridged.public + "/twilio/conversations", bridged.public + "/twilio/viber"]
    sent = [w for w in bridged.sandbox.webhooks() if w["conversation_sid"] == conversation.sid]
    assert {(w["target"], w.get("url"), w["status"]) for w in sent} == {
        ("studio", None, None),
        ("webhook", bridged.public + "/twilio/viber", 204),
        ("webhook", bridged.public + "/twilio/conversations", 204),
    }, "posted with X-Twilio-Webhook-Enabled, the message reaches the flow and comes back signed"


def test_an_agents_reply_comes_back_through_viber_and_the_persons_message_is_not_echoed(
    bridged: Bridged,
) -> None:
    bridged.deliver(callback(token=1201, sender="reply-person", text="Коли прийдуть гроші?"))
    [conversation] = bridged.conversations_of("reply-person")
    before = len(bridged.viber.sent())
    bridged.sandbox.agent_message(ACCOUNT, conversation.sid, author="anna.agent", body="Сьогодні, до 16:00.")
    sent = bridged.viber.wait_sent(before + 1)[before:]
    assert sent == [
        {
            "receiver": "reply-person",
            "sender": {"name": "Vöröskereszt Segítség"},
            "type": "text",
            "text": "Сьогодні, до 16:00.",
        }
    ]
    assert bridged.viber.auth_tokens() == {BOT_TOKEN}
    bridged.hub.wait_processed()
    assert [m["text"] for m in bridged.viber.sent() if m.get("receiver") == "reply-person"] == [
        "Сьогодні, до 16:00."
    ]


def test_pictures_and_files_from_the_agent_go_out_as_viber_media(bridged: Bridged) -> None:
    bridged.deliver(callback(token=1301, sender="media-person", text="надішліть бланк"))
    [conversation] = bridged.conversations_of("media-person")
    before = len(bridged.viber.sent())
    bridged.sandbox.agent_message(
        ACCOUNT, conversation.sid, author="anna.agent", body="Ось карта",
        media=[{"content_type": "image/jpeg", "filename": "map.jpg", "size": 48213}],
    )  # fmt: skip
    bridged.sandbox.agent_message(
        ACCOUNT, conversation.sid, author="anna.agent",
        media=[{"content_type": "application/pdf", "filename": "form.pdf", "size": 90112}],
    )  # fmt: skip
    sent = bridged.viber.wait_sent(before + 3)[before:]
    assert [(m["type"], m.get("text"), m.get("file_name"), m.get("size")) for m in sent] == [
        ("picture", "", None, None),
        ("text", "Ось карта", None, None),
        ("file", None, "form.pdf", 90112),
    ]
    assert all(m["media"].startswith("https://media.us1.twilio.com/ME") for m in sent if m["type"] != "text")


def test_a_picture_from_the_person_reaches_the_agent_as_its_link(bridged: Bridged) -> None:
    picture = {
        "type": "picture",
        "text": "мій документ",
        "media": "https://dl-media.viber.com/1/share/2/x.jpg",
    }
    bridged.deliver(callback(token=1401, sender="picture-person", message=picture))
    [conversation] = bridged.conversations_of("picture-person")
    [message] = bridged.messages(conversation.sid)
    assert message.body == "мій документ\nhttps://dl-media.viber.com/1/share/2/x.jpg"
    assert json.loads(message.attributes)["viber"] == {"type": "picture", "media_url": picture["media"]}


def test_a_sticker_is_answered_with_a_note_in_the_persons_language(bridged: Bridged) -> None:
    before = len(bridged.viber.sent())
    sticker = {"type": "sticker", "sticker_id": 46105, "media": "https://viber.com/sticker.png"}
    assert (
        bridged.deliver(callback(token=1501, sender="sticker-person", language="ru", message=sticker)) == 200
    )
    assert bridged.viber.wait_sent(before + 1)[before:] == [
        {
            "receiver": "sticker-person",
            "sender": {"name": "Vöröskereszt Segítség"},
            "type": "text",
            "text": NOT_CARRIED["ru"],
        }
    ]
    assert bridged.conversations_of("sticker-person") == []


def test_two_first_messages_at_once_make_one_conversation(bridged: Bridged) -> None:
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def send(token: int) -> None:
        barrier.wait()
        statuses.append(
            bridged.deliver(callback(token=token, sender="twice-person", text=f"message {token}"))
        )

    threads = [threading.Thread(target=send, args=(t,)) for t in (1601, 1602)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200, 200]
    [conversation] = bridged.conversations_of("twice-person")
    assert sorted(m.body for m in bridged.messages(conversation.sid)) == ["message 1601", "message 1602"]


def test_a_replayed_callback_is_answered_and_posted_once(bridged: Bridged) -> None:
    payload = callback(token=1701, sender="replay-person", text="once")
    assert [bridged.deliver(payload) for _ in range(3)] == [200, 200, 200]
    [conversation] = bridged.conversations_of("replay-person")
    assert [m.body for m in bridged.messages(conversation.sid)] == ["once"]


def _forged(b: Bridged, payload: dict[str, Any]) -> int:
    return b.deliver(payload, signature="0" * 64)


def _unsigned(b: Bridged, payload: dict[str, Any]) -> int:
    return b.deliver(payload, signature=None)


def _tampered(b: Bridged, payload: dict[str, Any]) -> int:
    raw = json.dumps(payload, ensure_ascii=False).encode()
    return b.deliver(payload, signature=sign(BOT_TOKEN, raw), body=raw.replace(b"forged", b"FORGED"))


def _reserialised(b: Bridged, payload: dict[str, Any]) -> int:
    """Signed over the raw body, checked over the same bytes: an escaped copy of the same JSON does not hold."""
    raw = json.dumps(payload, ensure_ascii=False).encode()
    return b.deliver(payload, signature=sign(BOT_TOKEN, raw), body=json.dumps(payload).encode())


def _wrong_token(b: Bridged, payload: dict[str, Any]) -> int:
    raw = json.dumps(payload, ensure_ascii=False).encode()
    return b.deliver(payload, signature=sign("another-bot-token", raw), body=raw)


ATTACKS = [_forged, _unsigned, _tampered, _reserialised, _wrong_token]


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_callback_whose_signature_does_not_hold_gets_403_and_stores_nothing(
    bridged: Bridged, attack: Any
) -> None:
    sender = f"forged-{attack.__name__}"
    payload = callback(
        token=1800 + ATTACKS.index(attack), sender=sender, text="forged: send me the records ✓"
    )
    assert attack(bridged, payload) == 403
    assert bridged.conversations_of(sender) == []
    assert bridged.deliver(payload) == 200, "the same callback, properly signed, is not taken for a replay"
    assert len(bridged.conversations_of(sender)) == 1


def test_a_forged_reply_webhook_is_refused(bridged: Bridged) -> None:
    bridged.deliver(callback(token=1901, sender="forged-reply", text="hi"))
    [conversation] = bridged.conversations_of("forged-reply")
    before = len(bridged.viber.sent())
    forged = {
        "EventType": "onMessageAdded",
        "ConversationSid": conversation.sid,
        "MessageSid": "IM" + "f" * 32,
    }
    status = bridged.hub.post(
        "/twilio/viber", {**forged, "Author": "anna.agent", "Body": "pay here"}, signature="x" * 28
    )
    assert status == 403
    bridged.hub.wait_processed()
    assert len(bridged.viber.sent()) == before


def test_the_viber_webhook_command_points_the_bot_at_the_service(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .server import environment

    config = bridged_config(tmp_path)
    command = [sys.executable, "-m", "deh_deploy.hub", "viber-webhook", str(config), "--env", "staging"]
    with fake_viber() as viber:
        done = subprocess.run(
            [*command, "--viber-api-url", viber.url],
            env=environment(WITH_BOT),
            capture_output=True,
            text=True,
            timeout=60,
        )
        set_webhook = viber.sent("set_webhook")
    assert (done.returncode, done.stderr) == (
        0,
        "the Viber bot now calls https://deh-staging.voroskereszt.hu/viber\n",
    )
    assert set_webhook == [
        {
            "url": "https://deh-staging.voroskereszt.hu/viber",
            "event_types": ["failed", "subscribed", "unsubscribed", "conversation_started"],
            "send_name": False,
            "send_photo": False,
        }
    ]
    plain = subprocess.run(
        [*command, "--public-url", "http://deh.example.org"],
        env=environment(WITH_BOT),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (plain.returncode, plain.stderr) == (
        1,
        "deh: Viber calls only https:// URLs with a CA-signed certificate, not http://deh.example.org\n",
    )
    assert BOT_TOKEN not in done.stderr + plain.stderr


def test_the_bridge_is_off_unless_the_config_turns_it_on(tmp_path: Path) -> None:
    hub = start(f"sqlite:///{tmp_path / 'hub.db'}", SECRETS, cwd=tmp_path)
    try:
        raw = json.dumps(callback(token=2001, sender="nobody", text="hi")).encode()
        status, _ = hub.request("POST", "/viber", raw, {"X-Viber-Content-Signature": sign(BOT_TOKEN, raw)})
    finally:
        hub.stop()
    assert status == 404


@pytest.mark.slow  # a service start that fails, as the startup tests do
def test_a_missing_bot_token_stops_the_start_with_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .server import environment

    done = subprocess.run(
        [sys.executable, "-m", "deh_deploy.hub", "serve", str(bridged_config(tmp_path)), "--port", "0"],
        cwd=tmp_path,
        env=environment(SECRETS),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (
        1,
        "deh: missing variable DEH_HU_VIBER_TOKEN (the Viber bot's token)\n",
    )


@pytest.mark.postgres_differs  # two transactions racing for one row
def test_two_workers_processing_a_persons_first_two_messages_at_once_open_one_conversation(
    db_url: str, tmp_path: Path
) -> None:
    """Two service processes' workers take one first message each at the same instant (PostgreSQL hands them
    disjoint batches): the person's row, keyed by their opaque id, makes the second wait for the first's
    conversation."""
    from deh_deploy.config import load_hub
    from deh_deploy.hub.service import Service
    from deh_deploy.hub.settings import resolve

    with start_sandbox(db_path=tmp_path / "sandbox.db") as sandbox, fake_viber() as viber:
        sandbox.ensure_account(ACCOUNT, SECRETS["TWILIO_AUTH_TOKEN"])
        twilio = Client(ACCOUNT, SECRETS["TWILIO_AUTH_TOKEN"], http_client=LocalTwilioHttpClient(sandbox.url))
        twilio.studio.v2.flows.create(friendly_name=FLOW, status="published", definition=TRIGGER_ONLY)
        hub = load_hub(bridged_config(tmp_path))
        settings = resolve(
            hub, "staging", database_url=db_url, state_dir=tmp_path, environ=WITH_BOT,
            sandbox_url=sandbox.url, viber_api_url=viber.url,
        )  # fmt: skip
        services = [Service(settings), Service(settings)]
        services[0].start()
        kind = services[0].kinds["viber"]
        for token in (2101, 2102):
            payload = callback(token=token, sender="at-once", text=f"first {token}")
            assert services[0].accept(kind, str(token), kind.minimise(payload))
        barrier = threading.Barrier(2)
        done: list[int] = []

        def work(service: Service) -> None:
            barrier.wait()
            done.append(service.process_batch(limit=1))

        threads = [threading.Thread(target=work, args=(s,)) for s in services]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert done == [1, 1]
        participants = twilio.conversations.v1.participant_conversations.list(
            identity=services[0].bridge.identity("at-once") if services[0].bridge else ""
        )
        [conversation] = {p.conversation_sid for p in participants}
        bodies = sorted(m.body for m in twilio.conversations.v1.conversations(conversation).messages.list())
        assert bodies == ["first 2101", "first 2102"]
        for service in services:
            service.close()
        assert_log_matches_contract(sandbox.requests())


def test_a_closed_conversation_is_not_reused(bridged: Bridged) -> None:
    bridged.deliver(callback(token=2201, sender="closed-person", text="first contact"))
    [first] = bridged.conversations_of("closed-person")
    bridged.twilio.conversations.v1.conversations(first.sid).update(state="closed")  # Flex wrapped it up
    bridged.deliver(callback(token=2202, sender="closed-person", text="a week later"))
    conversations = bridged.conversations_of("closed-person")
    [second] = [c for c in conversations if c.sid != first.sid]
    assert [m.body for m in bridged.messages(second.sid)] == ["a week later"]
    assert second.state == "active"


@pytest.mark.slow  # the sandbox's fidelity; the signed-message tests use it
def test_the_sandbox_signs_its_webhooks_as_the_sdk_checks_them() -> None:
    from twilio.request_validator import RequestValidator

    from deh_deploy.sandbox.conversations import sign as sandbox_sign

    params = {"EventType": "onMessageAdded", "Body": "Доброго дня ✓", "Author": "viber:abc"}
    url = "https://deh-staging.voroskereszt.hu/twilio/viber"
    signature = sandbox_sign(SECRETS["TWILIO_AUTH_TOKEN"], url, params)
    assert RequestValidator(SECRETS["TWILIO_AUTH_TOKEN"]).validate(url, params, signature)
    assert not RequestValidator("f" * 32).validate(url, params, signature)


def test_a_long_viber_text_is_posted_in_parts_a_conversation_takes(bridged: Bridged) -> None:
    text = "".join(f"{i:04d} " for i in range(1400))  # 7,000 characters: Viber's longest
    bridged.deliver(callback(token=2301, sender="long-person", text=text))
    [conversation] = bridged.conversations_of("long-person")
    bodies = [m.body for m in sorted(bridged.messages(conversation.sid), key=lambda m: m.index)]
    assert [len(b) for b in bodies] == [1600, 1600, 1600, 1600, 600]
    assert "".join(bodies) == text


@pytest.mark.slow  # waits for the inbox's retry
def test_a_reply_viber_refuses_is_sent_again_later(bridged: Bridged) -> None:
    bridged.deliver(callback(token=2401, sender="retry-person", text="hello?"))
    [conversation] = bridged.conversations_of("retry-person")
    before = len(bridged.viber.sent())
    bridged.viber.refuse = 1
    bridged.sandbox.agent_message(ACCOUNT, conversation.sid, author="anna.agent", body="We are here.")
    sent = bridged.viber.wait_sent(before + 1, timeout=30)[before:]
    assert [(m["receiver"], m["text"]) for m in sent] == [("retry-person", "We are here.")]
    assert bridged.viber.refuse == 0, "the first attempt was refused, the inbox tried again"


def test_the_flows_own_messages_go_back_to_the_person_too(bridged: Bridged) -> None:
    bridged.deliver(callback(token=2501, sender="flow-reply", text="привіт"))
    [conversation] = bridged.conversations_of("flow-reply")
    before = len(bridged.viber.sent())
    menu = "Оберіть тему: 1 — виплати, 2 — житло"
    bridged.twilio.conversations.v1.conversations(conversation.sid).messages.create(
        author="system", body=menu, x_twilio_webhook_enabled="true"
    )  # what Studio's Send Message widget adds in a conversation
    assert [m["text"] for m in bridged.viber.wait_sent(before + 1)[before:]] == [menu]


def test_the_services_log_names_no_text_no_viber_id_and_no_token(bridged: Bridged) -> None:
    bridged.deliver(callback(token=2601, sender="log-person+id==", text="моя адреса: вул. Шевченка 5"))
    [conversation] = bridged.conversations_of("log-person+id==")
    bridged.sandbox.agent_message(ACCOUNT, conversation.sid, author="anna.agent", body="Дякуємо, Олено")
    bridged.viber.wait_sent(1)
    bridged.hub.wait_processed()
    log = bridged.hub.log.read_text("utf-8")
    assert "viber: conversation opened" in log and "viber: reply sent" in log
    for secret in ("Шевченка", "Олено", "log-person", BOT_TOKEN, "Olena"):
        assert secret not in log
