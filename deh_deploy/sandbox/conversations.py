"""Conversations beyond their addresses: conversations, participants, messages, scoped webhooks, the list of a
participant's conversations, media, and the post-event webhooks Twilio sends when a message is added.

What Twilio does here, as the sandbox does it:

- A conversation lives in the account's default Conversation Service (``chat_service_sid``); a ``closed``
  conversation takes no message and cannot change state again (code 20001, unverified).
- A participant's identity is unique in its conversation (409, code 50433 "Participant already exists"; the
  code is Twilio's, the HTTP status unverified); a unique name is unique in the account (50353, likewise).
- A message gets the next ``index``, the ``participant_sid`` of its author when the author is a participant, and
  the media its ``MediaSid`` names (uploaded to the Media Content Service; the sandbox's admin API adds it).
- ``onMessageAdded`` goes to the conversation's scoped webhooks of target ``webhook`` whose filters name it: a
  form POST signed with ``X-Twilio-Signature`` as Twilio signs it (HMAC-SHA1 of the URL and the sorted
  parameters, keyed with the account's auth token, base64), sent after the request's transaction commits, with
  Twilio's 5-second timeout and no retry. A REST post fires it only with ``X-Twilio-Webhook-Enabled: true``
  (``Source=API``); a message an agent writes in Flex always does (``Source=SDK``). A ``studio`` webhook
  would start its flow: the sandbox runs no flow, it notes the delivery.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from deh_deploy.sandbox.crud import add_record, template_regex
from deh_deploy.sandbox.errors import ApiError, invalid, not_found
from deh_deploy.sandbox.kinds import BY_NAME
from deh_deploy.sandbox.model import Ctx, Hooks, Reply, Route, get_path
from deh_deploy.sandbox.render import paginate
from deh_deploy.sandbox.store import Record

MCS = "https://mcs.us1.twilio.com"


def sign(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    """``X-Twilio-Signature`` for a form POST: what the SDK's ``RequestValidator`` computes and checks."""
    data = url + "".join(key + params[key] for key in sorted(params))
    return base64.b64encode(hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()).decode()


def _service_sid(ctx: Ctx) -> str:
    flex = ctx.store.get("flex.configuration", ctx.account, ctx.account)
    if flex is not None and flex.get("chat_service_instance_sid"):
        return str(flex["chat_service_instance_sid"])
    return "IS" + hashlib.sha256(f"deh-sandbox:IS:{ctx.account}".encode()).hexdigest()[:32]


def conversation_before_create(ctx: Ctx, _parents: list[Record], rec: Record) -> None:
    rec["chat_service_sid"] = _service_sid(ctx)
    rec["timers"] = {k: v for k, v in (rec.get("timers") or {}).items() if v is not None}


def conversation_before_update(ctx: Ctx, old: Record, new: Record, changes: dict[str, Any]) -> None:
    if old.get("state") == "closed" and "state" in changes and changes["state"] != "closed":
        raise ApiError(400, 20001, "A closed conversation cannot change its state")


def _conversation(ctx: Ctx, parents: list[Record]) -> Record:
    return parents[-1]


def message_before_create(ctx: Ctx, parents: list[Record], rec: Record) -> None:
    conversation = _conversation(ctx, parents)
    if conversation.get("state") == "closed":
        raise ApiError(400, 20001, f"Conversation {conversation['sid']} is closed")
    media_sid = rec.pop("_media_sid", None)
    rec.pop("_content_variables", None)
    if not rec.get("body") and not media_sid and not rec.get("content_sid"):
        raise invalid("A message needs a Body, a MediaSid or a ContentSid")
    siblings = ctx.store.select("conversations.message", ctx.account, conversation["sid"])
    rec["index"] = max((int(m["index"]) for m in siblings), default=-1) + 1
    participants = ctx.store.select("conversations.participant", ctx.account, conversation["sid"])
    rec["participant_sid"] = next(
        (p["sid"] for p in participants if p.get("identity") == rec["author"]), None
    )
    rec["media"] = None
    if media_sid:
        media = ctx.store.get("mcs.media", ctx.account, str(media_sid))
        if media is None:
            raise invalid(f"Invalid MediaSid: {media_sid} does not exist")
        rec["media"] = [
            {
                "sid": media["sid"],
                "content_type": media["content_type"],
                "filename": media["filename"],
                "size": media["size"],
                "category": "media",
            }
        ]


def message_after_create(ctx: Ctx, parents: list[Record], rec: Record) -> None:
    if ctx.webhooks_enabled:
        fire_message_added(ctx, parents[-1], rec, source="API")


def fire_message_added(ctx: Ctx, conversation: Record, message: Record, *, source: str) -> None:
    """Queue ``onMessageAdded`` for each scoped webhook that wants it (sent once the transaction commits)."""
    params = {
        "EventType": "onMessageAdded",
        "AccountSid": ctx.account,
        "ChatServiceSid": str(conversation.get("chat_service_sid") or ""),
        "ConversationSid": str(conversation["sid"]),
        "MessageSid": str(message["sid"]),
        "Index": str(message["index"]),
        "Author": str(message.get("author") or ""),
        "Body": str(message.get("body") or ""),
        "Attributes": str(message.get("attributes") or "{}"),
        "DateCreated": str(message["date_created"]),
        "Source": source,
        "RetryCount": "0",
        "WebhookType": "webhook",
    }
    if message.get("participant_sid"):
        params["ParticipantSid"] = str(message["participant_sid"])
    if message.get("media"):
        params["Media"] = json.dumps(
            [
                {
                    "Sid": m["sid"],
                    "ContentType": m["content_type"],
                    "Filename": m["filename"],
                    "Size": m["size"],
                    "Category": m["category"],
                }
                for m in message["media"]
            ]
        )
    if message.get("_client_identity"):
        params["ClientIdentity"] = str(message["_client_identity"])
    from deh_deploy.sandbox.callbacks import post_event

    post_event(ctx, "onMessageAdded", params)  # the account's webhook configuration, if it asks for it
    token = ctx.store.account_token(ctx.account) or ""
    for hook in ctx.store.select("conversations.webhook", ctx.account, str(conversation["sid"])):
        filters = get_path(hook, "configuration.filters") or []
        if "onMessageAdded" not in filters:
            continue
        if hook.get("target") == "studio":
            ctx.deliveries.append(
                {"target": "studio", "flow_sid": get_path(hook, "configuration.flow_sid"), "params": params}
            )
            continue
        url = get_path(hook, "configuration.url")
        if hook.get("target") != "webhook" or not url:
            continue
        hooked = dict(params, WebhookSid=str(hook["sid"]))
        ctx.deliveries.append(
            {
                "target": "webhook",
                "url": str(url),
                "params": hooked,
                "signature": sign(token, str(url), hooked),
            }
        )


HOOKS = {
    "conversations.conversation": Hooks(
        before_create=conversation_before_create, before_update=conversation_before_update
    ),
    "conversations.message": Hooks(before_create=message_before_create, after_create=message_after_create),
}


# -- a participant's conversations ------------------------------------------------------------------------
def participant_conversations(ctx: Ctx, _params: dict[str, str]) -> Reply:
    identity, address = ctx.q("Identity"), ctx.q("Address")
    if not identity and not address:
        raise invalid("Either Identity or Address is required")
    kind = BY_NAME["conversations.conversation"]
    items: list[tuple[int, dict[str, Any]]] = []
    for participant in ctx.store.select("conversations.participant", ctx.account):
        bound = get_path(participant, "messaging_binding.address")
        if (identity and participant.get("identity") != identity) or (address and bound != address):
            continue
        conversation = ctx.store.get(
            "conversations.conversation", ctx.account, participant["conversation_sid"]
        )
        if conversation is None:
            continue
        items.append(
            (
                int(participant["_seq"]),
                {
                    "account_sid": ctx.account,
                    "chat_service_sid": conversation.get("chat_service_sid"),
                    "participant_sid": participant["sid"],
                    "participant_user_sid": None,
                    "participant_identity": participant.get("identity"),
                    "participant_messaging_binding": participant.get("messaging_binding"),
                    "conversation_sid": conversation["sid"],
                    "conversation_unique_name": conversation.get("unique_name"),
                    "conversation_friendly_name": conversation.get("friendly_name"),
                    "conversation_attributes": conversation.get("attributes"),
                    "conversation_date_created": conversation.get("date_created"),
                    "conversation_date_updated": conversation.get("date_updated"),
                    "conversation_created_by": "system",
                    "conversation_state": conversation.get("state"),
                    "conversation_timers": conversation.get("timers") or {},
                    "links": {
                        "participant": f"{kind.host}/v1/Conversations/{conversation['sid']}/Participants/"
                        f"{participant['sid']}",
                        "conversation": f"{kind.host}/v1/Conversations/{conversation['sid']}",
                    },
                },
            )
        )
    return Reply(200, paginate(ctx, items, key="conversations", style="v1", host=kind.host))


# -- the Media Content Service (no OpenAPI file: its shape is the one Twilio's docs give) ---------------------
def add_media(ctx: Ctx, *, content_type: str, filename: str, size: int) -> Record:
    """Media as if uploaded to the account's Conversation Service (by a Flex agent's client)."""
    service = _service_sid(ctx)
    return add_record(
        ctx,
        "mcs.media",
        [],
        {"service_sid": service, "content_type": content_type, "filename": filename, "size": size},
    )


def media_view(rec: Record) -> dict[str, Any]:
    base = f"{MCS}/v1/Services/{rec['service_sid']}/Media/{rec['sid']}"
    return {
        "sid": rec["sid"],
        "account_sid": rec["account_sid"],
        "service_sid": rec["service_sid"],
        "date_created": rec["date_created"],
        "date_upload_updated": rec["date_created"],
        "date_updated": rec["date_created"],
        "channel_sid": None,
        "content_type": rec["content_type"],
        "filename": rec["filename"],
        "size": rec["size"],
        "category": "media",
        "is_multipart_upstream": False,
        "author": "system",
        "url": base,
        "links": {
            "content": f"{base}/Content",
            # a presigned link in Twilio (valid for 300 s); here one the sandbox will never be asked for
            "content_direct_temporary": f"https://media.us1.twilio.com/{rec['sid']}/{rec['filename']}"
            f"?{urlencode({'Expires': '300', 'Signature': 'sandbox'})}",
        },
    }


def media_fetch(ctx: Ctx, params: dict[str, str]) -> Reply:
    rec = ctx.store.get("mcs.media", ctx.account, params["p1"])
    if rec is None or rec["service_sid"] != params["p0"]:
        raise not_found(ctx.path)
    return Reply(200, media_view(rec))


ROUTES = [
    Route("GET", "conversations", template_regex("/v1/ParticipantConversations"), participant_conversations),
    Route("GET", "mcs", template_regex("/v1/Services/{ServiceSid}/Media/{MediaSid}"), media_fetch),
]


# -- an agent writes in Flex (the sandbox's admin API) ----------------------------------------------------------
def agent_message(ctx: Ctx, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A message an agent's Flex client adds (``Source=SDK``; its webhooks always fire), with optional media
    ``[{content_type, filename, size}]``."""
    conversation = ctx.store.get("conversations.conversation", ctx.account, str(spec["conversation_sid"]))
    if conversation is None:
        raise invalid(f"no conversation {spec['conversation_sid']}")
    author = str(spec["author"])
    media = [add_media(ctx, **m) for m in spec.get("media", ())]
    rec: Record = {"author": author, "body": spec.get("body"), "attributes": "{}", "content_sid": None}
    if media:
        rec["_media_sid"] = media[0]["sid"]
    message_before_create(ctx, [conversation], rec)
    saved = add_record(ctx, "conversations.message", [conversation], rec)
    saved["_client_identity"] = author
    fire_message_added(ctx, conversation, saved, source="SDK")
    return {"sid": saved["sid"], "index": saved["index"], "media": [m["sid"] for m in media]}
