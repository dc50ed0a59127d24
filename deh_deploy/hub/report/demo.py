"""A demo hub: about four months of a helpdesk's contacts, generated from its config and a seed.

The contacts are turned into the webhooks Twilio would send (TaskRouter task events, Conversations messages,
recording callbacks) and fed to the inbox, then processed by the same code as real events: the records, their
deadlines and whether the promise was kept are the hub's own, never written here. The story: three agents on
the configured shifts; contacts in the hub's languages, channels and agent topics, more on weekdays and in the
mornings; calls out of hours leave a voicemail and messages out of hours get the after-hours callback, answered
when the next shift opens; before a closure (a public holiday or the configured closures) the backlog grows and
some promises break. The same seed and end date give the same events.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from deh_deploy.hub.report.clock import WorkingClock

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig
    from deh_deploy.hub.service import Service

WEEKS = 17  # about four months
PER_WEEKDAY = 24.5  # contacts a weekday (weekend days: a third); 17 weeks give about 2,300
AGENTS = ("WK" + "a1" * 16, "WK" + "b2" * 16, "WK" + "c3" * 16)
CHANNEL_SHARE = {
    "voice": 0.45,
    "whatsapp": 0.25,
    "messenger": 0.1,
    "viber": 0.1,
    "sms": 0.05,
    "webchat": 0.05,
}
LANGUAGE_SHARE = (0.6, 0.28, 0.12)  # the hub's languages, in order
ACCOUNT = "AC" + "0" * 32


@dataclass(frozen=True)
class Demo:
    first: date
    last: date
    contacts: int
    events: int


def _sid(rng: random.Random, prefix: str) -> str:
    return f"{prefix}{rng.getrandbits(128):032x}"


def _ms(at: datetime) -> str:
    return str(int(at.timestamp() * 1000))


def _task_event(
    rng: random.Random, event: str, *, task: str, at: datetime, created: datetime, attributes: dict[str, Any]
) -> dict[str, str]:
    params = {
        "Sid": _sid(rng, "EV"),
        "EventType": event,
        "AccountSid": ACCOUNT,
        "WorkspaceSid": "WS" + "0" * 32,
        "ResourceType": "Task",
        "ResourceSid": task,
        "TimestampMs": _ms(at),
        "Timestamp": str(int(at.timestamp())),
        "TaskSid": task,
        "TaskAge": str(max(0, int((at - created).total_seconds()))),
        "TaskAttributes": json.dumps(attributes),
        "TaskAssignmentStatus": "pending",
    }
    if event.startswith("reservation."):
        params["WorkerSid"] = rng.choice(AGENTS)
        params["ReservationSid"] = _sid(rng, "WR")
    return params


def _message(
    rng: random.Random, *, conversation: str, at: datetime, author: str, agent: bool
) -> dict[str, str]:
    return {
        "EventType": "onMessageAdded",
        "AccountSid": ACCOUNT,
        "ConversationSid": conversation,
        "MessageSid": _sid(rng, "IM"),
        "Author": author,
        "Source": "SDK" if agent else "API",
        "DateCreated": at.isoformat().replace("+00:00", "Z"),
        "ParticipantSid": _sid(rng, "MB"),
        "RetryCount": "0",
    }


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def events(
    hub: HubConfig, *, seed: int, last: date, weeks: int = WEEKS
) -> Iterator[tuple[datetime, str, dict[str, str]]]:
    """(instant, kind, webhook parameters) of the demo's contacts, oldest first, ending on ``last``."""
    rng = random.Random(seed)
    zone = ZoneInfo(hub.timezone)
    first = last - timedelta(days=7 * weeks - 1)
    clock = WorkingClock(hub, first=first, last=last + timedelta(days=40))
    from deh_deploy.hours.compile import closed_dates

    closed = closed_dates(hub.hours, years=list(range(first.year, last.year + 2)))
    topics = [t for t in hub.topics if t.agent]
    weights = [3.0 if t.feedback == "request" else 1.0 if t.sensitive else 2.0 for t in topics]
    channels = {c: s for c, s in CHANNEL_SHARE.items() if c in _configured(hub)} or {"voice": 1.0}
    out: list[tuple[datetime, str, dict[str, str]]] = []
    day = first
    while day <= last:
        busy = PER_WEEKDAY if day.weekday() < 5 and day not in closed else PER_WEEKDAY / 3
        before_closure = any(day + timedelta(days=n) in closed for n in (1, 2))
        for _ in range(_poisson(rng, busy)):
            hour = min(23.99, max(0.0, rng.gauss(12.5, 4.0)))
            local = datetime.combine(day, time()) + timedelta(hours=hour)
            created = local.replace(tzinfo=zone).astimezone(UTC).replace(microsecond=0)
            out.extend(_contact(rng, hub, clock, created, topics, weights, channels, late=before_closure))
        day += timedelta(days=1)
    out.sort(key=lambda item: item[0])
    yield from out


def _configured(hub: HubConfig) -> set[str]:
    settings = getattr(hub.channels, "settings", {}) or {}
    return set(settings) | {"voice"}


def _poisson(rng: random.Random, mean: float) -> int:
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


def _contact(
    rng: random.Random,
    hub: HubConfig,
    clock: WorkingClock,
    created: datetime,
    topics: list[Any],
    weights: list[float],
    channels: dict[str, float],
    *,
    late: bool,
) -> list[tuple[datetime, str, dict[str, str]]]:
    topic = rng.choices(topics, weights=weights)[0]
    channel = _pick(rng, channels)
    language = rng.choices(hub.languages, weights=LANGUAGE_SHARE[: len(hub.languages)])[0]
    person = f"+3630{rng.randrange(10**7):07d}"
    address = person if channel in ("voice", "sms") else f"{channel}:{person}"
    attributes: dict[str, Any] = {
        "type": "inbound",
        "channel": channel,
        "language": language,
        "from": address,
        "topic": topic.id,
        "feedback_type": topic.feedback,
        "sensitive": "true" if topic.sensitive else "false",
    }
    task = _sid(rng, "WT")
    opened = clock.next_open(created)
    if opened is None:
        return []
    wait = timedelta(minutes=rng.expovariate(1 / 25))
    if late and rng.random() < 0.5:  # the queue before a closure: answered two working days on
        wait += timedelta(hours=rng.uniform(14, 30))
    out: list[tuple[datetime, str, dict[str, str]]] = []
    conversation = None if channel == "voice" else _sid(rng, "CH")
    if conversation is not None:
        attributes["conversationSid"] = conversation
        out.append(
            (
                created,
                "conversations",
                _message(rng, conversation=conversation, at=created, author=address, agent=False),
            )
        )
    if opened != created:  # out of hours: a voicemail, or the after-hours message, and the callback task
        recording = _sid(rng, "RE")
        call = _sid(rng, "CA")
        callback = {
            **attributes,
            "type": "callback",
            "reason": "voicemail" if channel == "voice" else "after_hours",
            "received_at": created.isoformat().replace("+00:00", "Z"),
            "recording_url": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{recording}"
            if channel == "voice"
            else "",
            "call_sid": call if channel == "voice" else "",
        }
        if channel == "voice":
            out.append((created + timedelta(seconds=40), "recording", _recording(recording, call, created)))
        attributes = callback
    answered = clock.after_working(opened, wait.total_seconds())
    if answered is None:
        return out
    start = created + timedelta(seconds=1)
    out.append(
        (
            start,
            "taskrouter",
            _task_event(rng, "task.created", task=task, at=start, created=created, attributes=attributes),
        )
    )
    out.append(
        (
            answered,
            "taskrouter",
            _task_event(
                rng, "reservation.accepted", task=task, at=answered, created=created, attributes=attributes
            ),
        )
    )
    if conversation is not None and attributes["type"] == "inbound":
        out.append(
            (
                answered,
                "conversations",
                _message(rng, conversation=conversation, at=answered, author="agent", agent=True),
            )
        )
    done = answered + timedelta(minutes=rng.uniform(3, 25))
    out.append(
        (
            done,
            "taskrouter",
            _task_event(rng, "task.completed", task=task, at=done, created=created, attributes=attributes),
        )
    )
    return out


def _recording(recording: str, call: str, started: datetime) -> dict[str, str]:
    return {
        "AccountSid": ACCOUNT,
        "CallSid": call,
        "RecordingSid": recording,
        "RecordingUrl": f"https://api.twilio.com/2010-04-01/Accounts/{ACCOUNT}/Recordings/{recording}",
        "RecordingStatus": "completed",
        "RecordingDuration": "31",
        "RecordingChannels": "1",
        "RecordingSource": "RecordVerb",
        "RecordingStartTime": started.strftime("%a, %d %b %Y %H:%M:%S +0000"),
    }


def fill(service: Service, *, seed: int, last: date, weeks: int = WEEKS, now: datetime | None = None) -> Demo:
    """Feed the demo's events to the service's inbox and process them; what was generated.

    Events after ``now`` have not happened yet: a demo that ends today leaves its latest contacts open, waiting
    for the next shift, as the records at risk."""
    now = now or datetime.now(UTC)
    count = 0
    contacts = set()
    for at, kind, params in events(service.settings.hub, seed=seed, last=last, weeks=weeks):
        if at > now:
            continue
        handler = service.kinds[kind]
        key = handler.key(params)
        assert key is not None
        service.accept(handler, key, handler.minimise(params))
        count += 1
        if "TaskSid" in params:
            contacts.add(params["TaskSid"])
        if count % 500 == 0:
            service.process_pending(limit=500)
    service.process_pending(limit=500)
    service.housekeeping()
    return Demo(last - timedelta(days=7 * weeks - 1), last, len(contacts), count)
