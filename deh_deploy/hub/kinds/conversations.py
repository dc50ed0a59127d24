"""Conversations post-event webhooks: ``onMessageAdded`` (who wrote, when) and ``onConversationStateUpdated``.

A message's text is never stored. Its author decides what it counts as: ``Source=SDK`` is a human agent in Flex
(the first such message after a record's contact is its first human response); an author that is an address
(``whatsapp:+…``, ``messenger:…``, ``viber:…``, ``+…``) is the person, whose last message opens the channel's
24-hour window again; anything else (Studio's replies, the API) is automatic and counts for nothing. A message is
unique by its ``MessageSid``; a state change by conversation, new state and time.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from deh_deploy.hub.db import insert_new
from deh_deploy.hub.kinds import Kind, Params, register, without
from deh_deploy.hub.records import Context, save
from deh_deploy.hub.tables import messages, records

_ADDRESS_PREFIXES = ("whatsapp:", "messenger:", "viber:", "+", "sms:", "rcs:")
_TEXT = ("Body", "Media", "MessageBody", "Attributes")


def _minimise(params: Params) -> dict[str, Any]:
    return without(params, *_TEXT)


def _key(params: Params) -> str | None:
    event = params.get("EventType")
    if event == "onMessageAdded" and params.get("MessageSid"):
        return f"{params['MessageSid']}:added"
    if event == "onConversationStateUpdated" and params.get("ConversationSid"):
        stamp = params.get("StateUpdated") or params.get("DateUpdated") or ""
        return f"{params['ConversationSid']}:{params.get('StateTo', '')}:{stamp}"[:120]
    return None


def author_role(params: Params) -> str:
    if params.get("Source") == "SDK":
        return "agent"
    author = str(params.get("Author") or "")
    return "person" if author.startswith(_ADDRESS_PREFIXES) else "automated"


def _process(conn: Connection, params: Params, ctx: Context) -> bool:
    from deh_deploy.hub.kinds.taskrouter import _iso

    conversation = str(params.get("ConversationSid") or "")
    if params.get("EventType") != "onMessageAdded" or not conversation:
        return False  # a state change: kept in the inbox; records follow their tasks
    at = _iso(params.get("DateCreated")) or ctx.now
    fact: dict[str, Any] = {
        "message_sid": str(params["MessageSid"]),
        "conversation_sid": conversation,
        "author_role": author_role(params),
        "at": at,
    }
    insert_new(conn, messages, fact, keys=("message_sid",))
    rows = conn.execute(select(records).where(records.c.conversation_sid == conversation).with_for_update())
    for row in rows.mappings().all():
        save(conn, dict(row), ctx)
    return True


KIND = register(
    Kind(
        name="conversations",
        provider="twilio",
        path="/twilio/conversations",
        key=_key,
        minimise=_minimise,
        process=_process,
    )
)
