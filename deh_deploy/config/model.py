"""The typed, immutable hub model. Built only from a document that validated; nothing downstream reads YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from deh_deploy.config.keys import CHANNELS, MESSAGE_KEYS, VOICE_PROMPTS, ChannelName

if TYPE_CHECKING:
    from deh_deploy.hours import OpeningHours

__all__ = ["CHANNELS", "MESSAGE_KEYS", "VOICE_PROMPTS", "ChannelName", "HubConfig", "build"]

DEFAULT_CREDENTIALS = {
    "account_sid": "TWILIO_ACCOUNT_SID",
    "auth_token": "TWILIO_AUTH_TOKEN",
    "api_key": "TWILIO_API_KEY",
    "api_secret": "TWILIO_API_SECRET",
}


def _frozen(d: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(d))


@dataclass(frozen=True)
class Credentials:
    """Names of environment variables; the values are read only when connecting."""

    account_sid: str
    auth_token: str
    api_key: str
    api_secret: str


@dataclass(frozen=True)
class NumberSpec:
    id: str
    adopt: str | None
    country: str
    type: Literal["local", "mobile", "toll-free"]
    area_code: str | None = None
    contains: str | None = None
    bundle_sid: str | None = None
    address_sid: str | None = None


@dataclass(frozen=True)
class Environment:
    name: Literal["staging", "production"]
    account_sid: str
    credentials: Credentials
    numbers: Mapping[str, NumberSpec]
    whatsapp_sender: str | None = None
    messenger_page_id: str | None = None
    update_threshold: float = 0.3
    min_existing: int = 10


@dataclass(frozen=True)
class Voice:
    number: str
    gather_timeout: int = 5
    voicemail_max_length: int = 120
    transcribe: bool = False


@dataclass(frozen=True)
class Sms:
    number: str
    max_segments: int = 3


@dataclass(frozen=True)
class Viber:
    bot_name: str
    token_env: str


@dataclass(frozen=True)
class Channels:
    voice: Voice | None = None
    sms: Sms | None = None
    whatsapp: bool = False
    messenger: bool = False
    viber: Viber | None = None
    webchat_origins: tuple[str, ...] | None = None

    @property
    def enabled(self) -> tuple[ChannelName, ...]:
        on = {
            "voice": self.voice is not None,
            "sms": self.sms is not None,
            "whatsapp": self.whatsapp,
            "messenger": self.messenger,
            "viber": self.viber is not None,
            "webchat": self.webchat_origins is not None,
        }
        return tuple(c for c in CHANNELS if on[c])

    @property
    def messaging(self) -> tuple[ChannelName, ...]:
        return tuple(c for c in self.enabled if c != "voice")


@dataclass(frozen=True)
class Texts:
    """Everything a person reads or hears in one language."""

    language: str
    messages: Mapping[str, str]
    titles: Mapping[str, str]
    answers: Mapping[str, str]
    templates: Mapping[str, str]
    audio: Mapping[str, str]
    answer_audio: Mapping[str, str]


@dataclass(frozen=True)
class Topic:
    id: str
    queue: str
    feedback: str
    sensitive: bool
    self_service: bool
    agent: bool


@dataclass(frozen=True)
class Queue:
    id: str
    name: str
    languages: tuple[str, ...]
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class Activity:
    name: str
    available: bool


@dataclass(frozen=True)
class Routing:
    workspace: str
    queues: Mapping[str, Queue]
    default_queue: str
    callback_queue: str
    activities: tuple[Activity, ...] = ()


@dataclass(frozen=True)
class Template:
    id: str
    category: str
    samples: Mapping[str, str]


@dataclass(frozen=True)
class Host:
    name: str
    address: str
    ssh_user: str | None = None
    ssh_port: int = 22


@dataclass(frozen=True)
class Hosting:
    domain: str
    hosts: tuple[Host, ...]
    database_url_env: str | None = None


@dataclass(frozen=True)
class Promise:
    """When a human must have answered a contact; the exact meaning is ``deh_deploy.hub.promise``'s."""

    within_hours: int = 24
    or_next_working_day: bool = True


@dataclass(frozen=True)
class Role:
    """A reader of feedback records: the variable holding its bearer token; ``sensitive`` also shows those."""

    token_env: str
    sensitive: bool = False


@dataclass(frozen=True)
class HubService:
    """The ``hub`` section: how the hub service runs. Absent, it is the Society's stated promise and defaults."""

    public_url: Mapping[str, str] = field(default_factory=dict)
    promise: Promise = Promise()
    person_key_env: str = "DEH_HUB_PERSON_KEY"
    roles: Mapping[str, Role] = field(default_factory=dict)
    retention_days: int = 365


@dataclass(frozen=True)
class HubConfig:
    source: Path
    slug: str
    society: str
    country: str
    timezone: str
    languages: tuple[str, ...]
    texts: Mapping[str, Texts]
    environments: Mapping[str, Environment]
    channels: Channels
    hours: OpeningHours
    routing: Routing
    topics: tuple[Topic, ...]
    templates: tuple[Template, ...] = ()
    hosting: Hosting | None = None
    service: HubService = HubService()
    raw_hours: Mapping[str, Any] = field(default_factory=dict)

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def environment(self, name: str) -> Environment:
        from deh_deploy.errors import UsageError

        if name not in self.environments:
            known = ", ".join(self.environments) or "none"
            raise UsageError(f"environment {name!r} is not in {self.source} (configured: {known})")
        return self.environments[name]

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)


def build(data: Mapping[str, Any], *, source: Path) -> HubConfig:
    """Plain validated data → HubConfig."""
    from deh_deploy.hours import parse_hours

    country = data["society"]["country"]
    ch = data["channels"]
    voice = ch.get("voice")
    vm = (voice or {}).get("voicemail", {})
    channels = Channels(
        voice=Voice(
            voice["number"],
            voice.get("gather_timeout", 5),
            vm.get("max_length", 120),
            vm.get("transcribe", False),
        )
        if voice is not None
        else None,
        sms=Sms(ch["sms"]["number"], ch["sms"].get("max_segments", 3)) if "sms" in ch else None,
        whatsapp="whatsapp" in ch,
        messenger="messenger" in ch,
        viber=Viber(ch["viber"]["bot_name"], ch["viber"]["token_env"]) if "viber" in ch else None,
        webchat_origins=tuple(ch["webchat"].get("allowed_origins", ())) if "webchat" in ch else None,
    )
    routing = data["routing"]
    return HubConfig(
        source=source,
        slug=data["slug"],
        society=data["society"]["name"],
        country=country,
        timezone=data["timezone"],
        languages=tuple(data["languages"]),
        texts=_frozen({lang: _texts(lang, data["translations"][lang]) for lang in data["languages"]}),
        environments=_frozen({n: _environment(n, e, country) for n, e in data["environments"].items()}),
        channels=channels,
        hours=parse_hours(data["hours"], country=country),
        raw_hours=_frozen(data["hours"]),
        routing=Routing(
            workspace=routing.get("workspace", "Flex Task Assignment"),
            queues=_frozen(
                {
                    q: Queue(q, v["name"], tuple(v["languages"]), tuple(v.get("skills", ())))
                    for q, v in routing["queues"].items()
                }
            ),
            default_queue=routing["default_queue"],
            callback_queue=routing.get("callback_queue", routing["default_queue"]),
            activities=tuple(Activity(a["name"], a["available"]) for a in routing.get("activities", ())),
        ),
        topics=tuple(
            Topic(
                t,
                v.get("queue", routing["default_queue"]),
                v["feedback"],
                v.get("sensitive", False),
                v.get("self_service", False),
                v.get("agent", True),
            )
            for t, v in data["topics"].items()
        ),
        templates=tuple(
            Template(t, v["category"], _frozen(v.get("samples", {})))
            for t, v in data.get("templates", {}).items()
        ),
        hosting=_hosting(data["hosting"]) if "hosting" in data else None,
        service=_service(data.get("hub", {})),
    )


def _texts(lang: str, t: Mapping[str, Any]) -> Texts:
    topics = t.get("topics", {})
    audio = dict(t.get("audio", {}))
    answer_audio = audio.pop("answers", {})
    return Texts(
        language=lang,
        messages=_frozen(t.get("messages", {})),
        titles=_frozen({k: v["title"] for k, v in topics.items() if "title" in v}),
        answers=_frozen({k: v["answer"] for k, v in topics.items() if "answer" in v}),
        templates=_frozen(t.get("templates", {})),
        audio=_frozen(audio),
        answer_audio=_frozen(answer_audio),
    )


def _environment(name: Any, e: Mapping[str, Any], country: str) -> Environment:
    creds = {**DEFAULT_CREDENTIALS, **e.get("credentials", {})}
    safety = e.get("safety", {})
    return Environment(
        name=name,
        account_sid=e["account_sid"],
        credentials=Credentials(**creds),
        numbers=_frozen({k: _number(k, v, country) for k, v in e.get("numbers", {}).items()}),
        whatsapp_sender=e.get("whatsapp_sender"),
        messenger_page_id=e.get("messenger_page_id"),
        update_threshold=safety.get("update_threshold", 0.3),
        min_existing=safety.get("min_existing", 10),
    )


def _number(key: str, v: Mapping[str, Any], country: str) -> NumberSpec:
    buy = v.get("buy", {})
    return NumberSpec(
        id=key,
        adopt=v.get("adopt"),
        country=buy.get("country", country),
        type=buy.get("type", "local"),
        area_code=buy.get("area_code"),
        contains=buy.get("contains"),
        bundle_sid=v.get("bundle_sid"),
        address_sid=v.get("address_sid"),
    )


def _hosting(h: Mapping[str, Any]) -> Hosting:
    return Hosting(
        h["domain"],
        tuple(Host(x["name"], x["address"], x.get("ssh_user"), x.get("ssh_port", 22)) for x in h["hosts"]),
        h.get("database_url_env"),
    )


def _service(h: Mapping[str, Any]) -> HubService:
    promise = h.get("promise", {})
    return HubService(
        public_url=_frozen({env: url.rstrip("/") for env, url in h.get("public_url", {}).items()}),
        promise=Promise(promise.get("within_hours", 24), promise.get("or_next_working_day", True)),
        person_key_env=h.get("person_key_env", "DEH_HUB_PERSON_KEY"),
        roles=_frozen(
            {r: Role(v["token_env"], v.get("sensitive", False)) for r, v in h.get("roles", {}).items()}
        ),
        retention_days=h.get("retention_days", 365),
    )
