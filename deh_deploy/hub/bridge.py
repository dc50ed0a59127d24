"""The Viber bridge: a person's Viber messages into one Flex conversation each, and the replies back.

Twilio has no Viber channel, so the bridge does what Twilio documents for a custom channel, through the official
twilio SDK (Conversations API): the person is a participant whose identity is ``viber:<opaque id>`` (an HMAC of
their Viber user id keyed with the hub's person key: never a phone number, and not reversible by guessing);
their conversation gets a scoped webhook of type ``studio`` that starts the messaging flow (which hands the
person to Flex) and scoped post-event webhooks to this service. Each message is posted with
``X-Twilio-Webhook-Enabled: true``: without it Twilio fires no webhook for a REST post, and neither the flow nor
Flex would see it.

Both directions go through the inbox. A Viber callback is stored under its ``message_token`` before Viber gets
its 200 (Viber retries for an hour until it does: a retry finds its key taken); the worker then posts it. A
message added to a bridged conversation arrives as a signed Conversations webhook at ``/twilio/viber``, is
stored under its ``MessageSid``, and the worker sends it through Viber's ``send_message`` unless its author is
the person (the bridge's own post coming back: echoing it would loop). A failed call to either side raises, and
the inbox tries the event again later: a message is delivered at least once (a crash between the send and the
commit sends it twice).

One person has at most one open conversation, even when their first two messages are processed at the same
moment by two workers: ``viber_people`` is keyed by the person id, the first transaction's row holds the second
back (PostgreSQL waits on the key; SQLite's writers take turns) and the second finds the conversation made.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from twilio.rest import Client

from deh_deploy.errors import HubError
from deh_deploy.hub import viber
from deh_deploy.hub.db import insert_new
from deh_deploy.hub.kinds import Kind, Params
from deh_deploy.hub.records import Context
from deh_deploy.hub.tables import viber_people
from deh_deploy.hub.viber_settings import INBOUND_PATH, BridgeSettings

log = logging.getLogger("deh_deploy.hub")
PREFIX = "viber:"
REPLIES_PATH = "/twilio/viber"
RECORDS_PATH = (
    "/twilio/conversations"  # the feedback records' own Conversations webhook (kinds/conversations)
)
TWILIO_TIMEOUT = 10.0
MAX_BODY = 1600  # characters in one Conversations message (twilio_conversations_v1.json, Body)


class Bridge:
    """One process's bridge: its Twilio client, its Viber API session, the messaging flow's SID once found."""

    def __init__(
        self, settings: BridgeSettings, *, auth_token: str, person_key: bytes, public_url: str
    ) -> None:
        self.settings = settings
        self.public_url = public_url.rstrip("/")
        self._person_key = person_key
        http = None
        if settings.sandbox_url:
            from deh_deploy.providers.local_http import LocalTwilioHttpClient

            http = LocalTwilioHttpClient(settings.sandbox_url, timeout=TWILIO_TIMEOUT)
        else:
            from twilio.http.http_client import TwilioHttpClient

            http = TwilioHttpClient(timeout=TWILIO_TIMEOUT)
        self.client = Client(settings.account_sid, auth_token, http_client=http)
        self.viber = viber.ViberApi(settings.token, settings.bot_name, base_url=settings.viber_api_url)
        self._flow_sid: str | None = None

    # -- who ----------------------------------------------------------------------------------------------
    def person_id(self, viber_id: str) -> str:
        """The opaque id of a Viber user (case kept: Viber's ids are case-sensitive)."""
        return hmac.new(self._person_key, (PREFIX + viber_id).encode(), hashlib.sha256).hexdigest()[:24]

    def identity(self, viber_id: str) -> str:
        return PREFIX + self.person_id(viber_id)

    # -- Twilio ---------------------------------------------------------------------------------------------
    def flow_sid(self) -> str:
        """The messaging flow deh apply created (found by its name once, then remembered)."""
        if self._flow_sid is None:
            found = [
                f.sid
                for f in self.client.studio.v2.flows.list()
                if f.friendly_name == self.settings.flow_name
            ]
            if not found:
                raise HubError(f"no Studio flow named {self.settings.flow_name!r}: run deh apply first")
            self._flow_sid = str(found[0])
        return self._flow_sid

    def open_conversation(self, identity: str) -> str:
        """A new conversation for the person, set up so that the messaging flow starts on their first message
        and every message added comes back to this service."""
        conversations = self.client.conversations.v1.conversations
        conversation = conversations.create(
            friendly_name=f"Viber {identity.removeprefix(PREFIX)[:8]}",
            attributes=json.dumps({"channel": "viber", "identity": identity}),
            x_twilio_webhook_enabled="true",
        )
        sid = str(conversation.sid)
        this = conversations(sid)
        this.participants.create(identity=identity, x_twilio_webhook_enabled="true")
        this.webhooks.create(
            target="studio", configuration_flow_sid=self.flow_sid(), configuration_filters=["onMessageAdded"]
        )
        for path in (REPLIES_PATH, RECORDS_PATH):
            this.webhooks.create(
                target="webhook",
                configuration_url=self.public_url + path,
                configuration_method="post",  # the enum of Twilio's OpenAPI file
                configuration_filters=["onMessageAdded"],
            )
        log.info("viber: conversation opened", extra={"conversation": sid})
        return sid

    def is_open(self, sid: str) -> bool:
        from twilio.base.exceptions import TwilioRestException

        try:
            state = self.client.conversations.v1.conversations(sid).fetch().state
        except TwilioRestException as exc:
            if exc.status == 404:
                return False
            raise
        return str(state) != "closed"

    def post(self, sid: str, identity: str, message: viber.Inbound) -> list[str]:
        """Post the person's message; a text longer than a Conversations message (1,600 characters) goes in
        parts, in order."""
        body = message.body
        parts = [body[i : i + MAX_BODY] for i in range(0, len(body), MAX_BODY)]
        posted = []
        for part in parts:
            created = self.client.conversations.v1.conversations(sid).messages.create(
                author=identity,
                body=part,
                attributes=message.attributes(),
                x_twilio_webhook_enabled="true",
            )
            posted.append(str(created.sid))
        return posted

    def media_links(self, params: Params) -> list[dict[str, Any]]:
        """The media of a Conversations message with a link Viber can fetch (Twilio's Media Content Service
        gives a temporary one; the SDK has no call for it, so its generic request is used)."""
        try:
            items = json.loads(str(params.get("Media") or "[]"))
        except ValueError:
            return []
        service = str(params.get("ChatServiceSid") or "")
        out: list[dict[str, Any]] = []
        for item in items if isinstance(items, list) else []:
            sid = str(item.get("Sid") or item.get("sid") or "")
            if not sid or not service:
                continue
            response = self.client.request(
                "GET", f"https://mcs.us1.twilio.com/v1/Services/{service}/Media/{sid}"
            )
            if response.status_code != 200:
                raise HubError(f"media {sid} could not be read: HTTP {response.status_code}")
            media = json.loads(response.text)
            out.append(
                {
                    "url": (media.get("links") or {}).get("content_direct_temporary"),
                    "content_type": media.get("content_type") or item.get("ContentType"),
                    "filename": media.get("filename") or item.get("Filename"),
                    "size": media.get("size") or item.get("Size"),
                }
            )
        return out

    # -- the two directions -----------------------------------------------------------------------------------
    def conversation_for(self, conn: Connection, viber_id: str, language: str, now: datetime) -> str:
        """The person's open conversation, opened if they have none (under their row's lock)."""
        person = self.person_id(viber_id)
        values = {"person_id": person, "viber_id": viber_id, "language": language, "updated_at": now}
        insert_new(conn, viber_people, values, keys=("person_id",))
        row = conn.execute(
            select(viber_people).where(viber_people.c.person_id == person).with_for_update()
        ).one()
        sid = row.conversation_sid
        if sid is None or not self.is_open(sid):
            sid = self.open_conversation(PREFIX + person)
        conn.execute(
            update(viber_people)
            .where(viber_people.c.person_id == person)
            .values(conversation_sid=sid, language=language, viber_id=viber_id, updated_at=now)
        )
        return str(sid)

    def receive(self, conn: Connection, params: Params, ctx: Context) -> bool:
        """A stored Viber callback: a person's message into their conversation (False: not a message)."""
        sender = params.get("sender")
        message = params.get("message")
        if (
            params.get("event") != "message"
            or not isinstance(sender, Mapping)
            or not isinstance(message, Mapping)
        ):
            return False  # webhook check, conversation_started, subscribed, unsubscribed, failed: kept as ignored
        viber_id = str(sender.get("id") or "")
        if not viber_id:
            return False
        language = viber.language_for(str(sender.get("language") or ""), self.settings.languages)
        content = viber.inbound(message)
        if not content.carried or not content.body:
            self.viber.send(viber_id, {"type": "text", "text": viber.not_carried_note(language)})
            log.info("viber: not carried, person told", extra={"type": content.type[:20]})
            return True
        sid = self.conversation_for(conn, viber_id, language, ctx.now)
        self.post(sid, PREFIX + self.person_id(viber_id), content)
        return True

    def reply(self, conn: Connection, params: Params, ctx: Context) -> bool:
        """A stored ``onMessageAdded`` of a bridged conversation: sent to the person unless they wrote it."""
        if params.get("EventType") != "onMessageAdded":
            return False
        row = conn.execute(
            select(viber_people.c.person_id, viber_people.c.viber_id).where(
                viber_people.c.conversation_sid == str(params.get("ConversationSid") or "")
            )
        ).first()
        if row is None:
            return False  # not a Viber conversation
        if str(params.get("Author") or "") == PREFIX + row.person_id:
            return False  # the person's own message, posted by the bridge: never echoed
        messages = viber.outbound(str(params.get("Body") or ""), self.media_links(params))
        for message in messages:
            self.viber.send(row.viber_id, message)
        log.info("viber: reply sent", extra={"parts": len(messages)})
        return bool(messages)

    def kinds(self) -> dict[str, Kind]:
        """The bridge's two kinds of event, for this service only (they exist only when the bridge is on)."""
        inbound = Kind(
            name="viber",
            provider="viber",
            path=INBOUND_PATH,
            key=_token,
            minimise=_without_profile,
            process=self.receive,
        )
        replies = Kind(
            name="viber-reply",
            provider="twilio",
            path=REPLIES_PATH,
            key=_reply_key,
            minimise=_reply_fields,
            process=self.reply,
        )
        return {inbound.name: inbound, replies.name: replies}

    def close(self) -> None:
        self.viber.session.close()


def _token(params: Params) -> str | None:
    token = params.get("message_token")
    return str(token)[:120] if token not in (None, "") else None


def _without_profile(params: Params) -> dict[str, Any]:
    """A callback as stored until it is posted: the person's name and avatar are never kept."""
    out = dict(params)
    for name in ("sender", "user"):
        if isinstance(out.get(name), Mapping):
            out[name] = {k: v for k, v in out[name].items() if k in ("id", "language", "api_version")}
    return out


def _reply_key(params: Params) -> str | None:
    sid = params.get("MessageSid")
    return f"{sid}:viber" if sid else None


_REPLY_FIELDS = (
    "EventType",
    "MessageSid",
    "ConversationSid",
    "ChatServiceSid",
    "Author",
    "Source",
    "Body",
    "Media",
)


def _reply_fields(params: Params) -> dict[str, Any]:
    """What a reply needs until it is sent (its text and media included: cleared once processed)."""
    return {k: params[k] for k in _REPLY_FIELDS if k in params}
