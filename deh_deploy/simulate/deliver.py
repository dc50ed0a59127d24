"""The trainer's loop: a simulated contact's Twilio events, delivered to a running hub service, signed.

What Twilio would post to the hub service when the contact happens for real: the TaskRouter events of its task
(``task.created``; ``reservation.accepted`` when an agent answers), the voicemail's recording and transcription
callbacks, and the Conversations ``onMessageAdded`` of each message (the person's, the flow's, and the agent's
answer). Each is signed as Twilio signs it (``X-Twilio-Signature`` with the account's auth token, for the hub's
public URL) and posted in the order Twilio would send it, with the simulated times, so a simulated contact
becomes a feedback record exactly as a real one does. SIDs are fresh for every run: two runs are two contacts.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from deh_deploy.config.model import HubConfig
from deh_deploy.errors import SimulationError, UsageError
from deh_deploy.simulate.engine import Conversation
from deh_deploy.simulate.hub import Outcome
from deh_deploy.simulate.model import Message, Received, Recording, Send

TIMEOUT = 10.0  # seconds: TaskRouter waits 15 s for an answer, Conversations 5 s
_SYSTEM = "system"  # the author Conversations gives the flow's own replies


@dataclass(frozen=True)
class Delivery:
    """One webhook: where it goes on the hub service and its form parameters."""

    path: str
    params: Mapping[str, str]

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def contact_events(
    conv: Conversation, outcome: Outcome, *, at: datetime, answered_at: datetime | None = None
) -> list[Delivery]:
    """The webhooks Twilio would post for this simulated contact, oldest first; none for a self-service end."""
    if answered_at is not None and answered_at < at:
        raise UsageError("--answered-at is before the contact (--at)")
    task = dict(outcome.task or {})
    channel = str(task.get("channel") or "voice")
    if outcome.end not in ("agent", "voicemail", "after_hours") or not task:
        return []
    out: list[Delivery] = []
    call, conversation = _sid("CA"), _sid("CH")
    if channel != "voice":
        out += _messages(conv, conversation=conversation, address=str(task.get("from") or ""), at=at)
        task.setdefault("conversationSid", conversation)  # Flex adds the task's conversation
    if outcome.end == "voicemail":
        recording = _sid("RE")
        out += _voicemail(conv, call=call, recording=recording, at=at)
        task.update(call_sid=call, recording_url=_recording_url(task, recording))
    if task.get("type") == "callback":
        task["received_at"] = _iso(at)
    task_sid = _sid("WT")
    out.append(_task_event("task.created", task=task_sid, attributes=task, created=at, at=at))
    if answered_at is not None:
        out.append(
            _task_event("reservation.accepted", task=task_sid, attributes=task, created=at, at=answered_at)
        )
        if channel != "voice" and outcome.end == "agent":  # on a message channel, the agent's first message
            out.append(
                _message(conversation, author="agent", source="SDK", at=answered_at + timedelta(minutes=1))
            )
    return out


def _recording_url(task: Mapping[str, Any], recording: str) -> str:
    url = str(task.get("recording_url") or "")
    base = url.rsplit("/", 1)[0] if "/Recordings/" in url else "https://api.twilio.com/2010-04-01/Recordings"
    return f"{base}/{recording}"


def _messages(conv: Conversation, *, conversation: str, address: str, at: datetime) -> list[Delivery]:
    """The person's messages and the flow's replies, a second apart from the contact on."""
    authors = [address] if conv.opening is not None else []
    for item in conv.transcript:
        if isinstance(item, Received) and isinstance(item.input, Send):
            authors.append(address)
        elif isinstance(item, Message):
            authors.append(_SYSTEM)
    return [
        _message(
            conversation,
            author=author,
            source="WHATSAPP" if author.startswith("whatsapp:") else "API",
            at=at + timedelta(seconds=n),
        )
        for n, author in enumerate(authors)
    ]


def _message(conversation: str, *, author: str, source: str, at: datetime) -> Delivery:
    return Delivery(
        "/twilio/conversations",
        {
            "EventType": "onMessageAdded",
            "ConversationSid": conversation,
            "MessageSid": _sid("IM"),
            "Author": author,
            "Source": source,
            "DateCreated": _iso(at),
            "ParticipantSid": _sid("MB"),
            "RetryCount": "0",
        },
    )


def _voicemail(conv: Conversation, *, call: str, recording: str, at: datetime) -> list[Delivery]:
    recorded = next((e for e in conv.events if isinstance(e, Recording)), None)
    seconds = recorded.seconds if recorded is not None else 0
    started = at.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    common = {"CallSid": call, "RecordingSid": recording}
    return [
        Delivery(
            "/twilio/recording",
            {
                **common,
                "RecordingStatus": "completed",
                "RecordingDuration": str(seconds),
                "RecordingChannels": "1",
                "RecordingSource": "RecordVerb",
                "RecordingStartTime": started,
            },
        ),
        Delivery(
            "/twilio/transcription",
            {
                **common,
                "TranscriptionSid": _sid("TR"),
                "TranscriptionStatus": "completed",
                "TranscriptionText": recorded.transcript if recorded is not None else "",
            },
        ),
    ]


def _task_event(
    event: str, *, task: str, attributes: Mapping[str, Any], created: datetime, at: datetime
) -> Delivery:
    ms = int(at.timestamp() * 1000)
    return Delivery(
        "/twilio/taskrouter",
        {
            "Sid": _sid("EV"),
            "EventType": event,
            "ResourceType": "Task",
            "ResourceSid": task,
            "TaskSid": task,
            "TaskAge": str(max(0, int((at - created).total_seconds()))),
            "TaskAttributes": json.dumps(dict(attributes), sort_keys=True),
            "TaskAssignmentStatus": "assigned" if event == "reservation.accepted" else "pending",
            "Timestamp": str(ms // 1000),
            "TimestampMs": str(ms),
        },
    )


def deliver(
    deliveries: Sequence[Delivery], *, url: str, public_url: str, auth_token: str, account_sid: str
) -> list[str]:
    """Post each webhook, signed for ``public_url``, to the hub service at ``url``; the names delivered.

    Anything but 204 is a one-line ``SimulationError``: the hub stores an event before it answers, so a
    refusal means nothing was stored."""
    from deh_deploy.hub.signatures import sign

    done = []
    for delivery in deliveries:
        params = {"AccountSid": account_sid, **delivery.params}
        signature = sign(auth_token, public_url.rstrip("/") + delivery.path, params)
        request = urllib.request.Request(
            url.rstrip("/") + delivery.path,
            data=urllib.parse.urlencode(params).encode(),
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature},
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise SimulationError(f"the hub service at {url} did not answer: {reason}") from None
        if status == 403:
            raise SimulationError(
                f"the hub service at {url} refused the signature of the {delivery.name} event (403): it checks "
                f"signatures for its public URL; this run signed for {public_url} (--hub-public-url)"
            )
        if status != 204:
            raise SimulationError(
                f"the hub service at {url} answered the {delivery.name} event with {status}"
            )
        done.append(delivery.name)
    return done


def deliver_contact(
    hub: HubConfig,
    env: str,
    conv: Conversation,
    outcome: Outcome,
    *,
    at: datetime,
    answered_at: datetime | None,
    url: str,
    public_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """``deh simulate --hub``: the contact's events, signed with the environment's auth token (the variable the
    config names) for the hub's public URL, posted to the hub service at ``url``; the names delivered."""
    from deh_deploy.secrets import register

    environ = os.environ if environ is None else environ
    environment = hub.environment(env)
    token_env = environment.credentials.auth_token
    token = environ.get(token_env)
    register(token)
    if not token:
        raise UsageError(f"missing variable {token_env} (the Twilio auth token that signs webhooks)")
    signed_for = public_url or hub.service.public_url.get(env)
    if not signed_for:
        raise UsageError(
            f"no public URL for {env}: set hub.public_url.{env} in {hub.source} or pass --hub-public-url"
        )
    deliveries = contact_events(conv, outcome, at=at, answered_at=answered_at)
    return deliver(
        deliveries, url=url, public_url=signed_for, auth_token=token, account_sid=environment.account_sid
    )
