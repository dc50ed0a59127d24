"""Conversations as the Viber bridge uses them: participants unique by identity (50433), unique names (50353), a
closed conversation takes no message, a participant's conversations by identity, and ``onMessageAdded`` sent
to scoped webhooks only when a REST post asks for it (``X-Twilio-Webhook-Enabled: true``), signed."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from deh_deploy.sandbox import RunningSandbox
from tests.sandbox.helpers import ACCOUNT


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], dict[str, str]]]]]:
    """A webhook receiver on loopback: its URL and what it received (headers, form)."""
    got: list[tuple[dict[str, str], dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
            got.append((dict(self.headers.items()), form))
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    server.shutdown()
    server.server_close()


def test_a_participant_is_unique_by_identity_in_its_conversation(client: Client) -> None:
    conversation = client.conversations.v1.conversations.create(friendly_name="Viber 1a2b")
    assert conversation.sid.startswith("CH") and conversation.state == "active"
    participants = client.conversations.v1.conversations(conversation.sid).participants
    assert participants.create(identity="viber:1a2b").sid.startswith("MB")
    with pytest.raises(TwilioRestException) as exc:
        participants.create(identity="viber:1a2b")
    assert (exc.value.status, exc.value.code) == (409, 50433)


def test_a_unique_name_is_unique_in_the_account(client: Client) -> None:
    client.conversations.v1.conversations.create(unique_name="viber-1a2b")
    with pytest.raises(TwilioRestException) as exc:
        client.conversations.v1.conversations.create(unique_name="viber-1a2b")
    assert (exc.value.status, exc.value.code) == (409, 50353)


def test_a_closed_conversation_takes_no_message_and_stays_closed(client: Client) -> None:
    sid = client.conversations.v1.conversations.create().sid
    this = client.conversations.v1.conversations(sid)
    assert this.messages.create(author="viber:x", body="one").index == 0
    assert this.messages.create(author="viber:x", body="two").index == 1
    this.update(state="closed")
    with pytest.raises(TwilioRestException) as exc:
        this.messages.create(author="viber:x", body="three")
    assert exc.value.status == 400
    with pytest.raises(TwilioRestException):
        this.update(state="active")


def test_a_participants_conversations_are_found_by_identity(client: Client) -> None:
    mine = [client.conversations.v1.conversations.create().sid for _ in range(2)]
    other = client.conversations.v1.conversations.create().sid
    for sid in mine:
        client.conversations.v1.conversations(sid).participants.create(identity="viber:me")
    client.conversations.v1.conversations(other).participants.create(identity="viber:someone-else")
    found = client.conversations.v1.participant_conversations.list(identity="viber:me", page_size=1)
    assert sorted(p.conversation_sid for p in found) == sorted(mine)
    assert {p.conversation_state for p in found} == {"active"}


def test_on_message_added_is_sent_signed_only_when_the_post_asks(
    sandbox: RunningSandbox, token: str, client: Client, receiver: tuple[str, list[Any]]
) -> None:
    url, got = receiver
    sid = client.conversations.v1.conversations.create().sid
    this = client.conversations.v1.conversations(sid)
    this.participants.create(identity="viber:me")
    this.webhooks.create(
        target="webhook",
        configuration_url=url,
        configuration_method="post",
        configuration_filters=["onMessageAdded"],
    )
    this.webhooks.create(
        target="webhook", configuration_url=url + "/other", configuration_filters=["onMessageRemoved"]
    )
    this.messages.create(author="viber:me", body="quiet")  # no header: no webhook (what stops loops)
    loud = this.messages.create(author="viber:me", body="Доброго дня", x_twilio_webhook_enabled="true")
    agent = sandbox.agent_message(ACCOUNT, sid, author="anna.agent", body="Вітаю")
    sent = sandbox.webhooks()
    assert [(w["url"], w["status"]) for w in sent] == [(url, 204), (url, 204)]
    [(headers, form), (_, form_sdk)] = got
    assert RequestValidator(token).validate(url, form, headers["X-Twilio-Signature"])
    assert (form["EventType"], form["MessageSid"], form["Body"], form["Source"]) == (
        "onMessageAdded", loud.sid, "Доброго дня", "API",
    )  # fmt: skip
    assert form["ParticipantSid"] == this.participants.list()[0].sid
    assert (form_sdk["MessageSid"], form_sdk["Source"], form_sdk["Author"]) == (
        agent["sid"],
        "SDK",
        "anna.agent",
    )


def test_an_agents_media_is_read_from_the_media_content_service(
    sandbox: RunningSandbox, client: Client
) -> None:
    conversation = client.conversations.v1.conversations.create()
    sent = sandbox.agent_message(
        ACCOUNT,
        conversation.sid,
        author="anna.agent",
        media=[{"content_type": "image/png", "filename": "a.png", "size": 7}],
    )
    [message] = client.conversations.v1.conversations(conversation.sid).messages.list()
    assert message.media == [
        {
            "sid": sent["media"][0],
            "content_type": "image/png",
            "filename": "a.png",
            "size": 7,
            "category": "media",
        }
    ]
    url = f"https://mcs.us1.twilio.com/v1/Services/{conversation.chat_service_sid}/Media/{sent['media'][0]}"
    response = client.request("GET", url)
    assert response.status_code == 200
    assert '"content_direct_temporary": "https://' in response.text
