"""The typed, immutable hub model. Built only from a document that validated; nothing downstream reads YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from deh_deploy import channels as registry
from deh_deploy.channels.definition import Carrier, Channel, ChannelName, NumberSettings
from deh_deploy.channels.voice import Voice
from deh_deploy.config.keys import MESSAGE_KEYS, VOICE_PROMPTS

if TYPE_CHECKING:
    from deh_deploy.diagnostics import Diagnostic
    from deh_deploy.hours import OpeningHours

__all__ = ["MESSAGE_KEYS", "VOICE_PROMPTS", "ChannelName", "Channels", "HubConfig", "Voice", "build"]

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
    # Or the names of the environment variables that hold them, read by plan and apply.
    bundle_sid_env: str | None = None
    address_sid_env: str | None = None


@dataclass(frozen=True)
class Environment:
    name: Literal["staging", "production"]
    account_sid: str
    credentials: Credentials
    numbers: Mapping[str, NumberSpec]
    # What the channels need from this environment, by key: the WhatsApp sender, the Messenger page id.
    prerequisites: Mapping[str, str] = field(default_factory=dict)
    update_threshold: float = 0.3
    min_existing: int = 10
    # Values still to fill in that this environment uses (its own and those every environment shares), each as
    # the line that refuses it: plan, apply and destroy stop on the first before any request (see connect).
    placeholders: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Channels:
    """The enabled channels in the table's order, each with its definition and its settings."""

    definitions: tuple[Channel, ...] = ()
    settings: Mapping[ChannelName, object] = field(default_factory=dict)

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Channels:
        """The validated ``channels`` mapping → each enabled channel's settings, read by its definition."""
        on = tuple(c for c in registry.table() if c.name in data)
        return cls(on, _frozen({c.name: _settings(c, data[c.name]) for c in on}))

    @property
    def enabled(self) -> tuple[ChannelName, ...]:
        return tuple(c.name for c in self.definitions)

    @property
    def messaging(self) -> tuple[ChannelName, ...]:
        return tuple(c.name for c in self.definitions if c.flow == "messaging")

    def carried_by(self, carrier: Carrier) -> tuple[Channel, ...]:
        return tuple(c for c in self.definitions if c.carrier == carrier)

    def numbers(self) -> tuple[tuple[Channel, NumberSettings], ...]:
        """The channels a phone number carries, with their settings (which number)."""
        return tuple(
            (c, s)
            for c in self.carried_by("number")
            if isinstance(s := self.settings[c.name], NumberSettings)
        )

    @property
    def voice(self) -> Voice | None:
        """The phone line's settings, which its IVR flow reads."""
        s = self.settings.get("voice")
        return s if isinstance(s, Voice) else None


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
    # The Society's names for convention skills it names otherwise (``language*uk-ua`` → ``language*uk``).
    skill_names: Mapping[str, str] = field(default_factory=dict)


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
    base_dir: str | None = None  # default /opt/deh-<slug>-<env>
    service_user: str | None = None  # default deh-<slug>-<env>
    app_port: int = 8780
    https_port: int = 443
    http_port: int = 80  # the ACME challenge when certbot obtains the certificate


LETS_ENCRYPT = "https://acme-v02.api.letsencrypt.org/directory"
DATABASE_URL_VARIABLE = "DEH_HUB_DATABASE_URL"  # what the service reads when deh host installs its PostgreSQL


@dataclass(frozen=True)
class Certbot:
    """How certbot obtains the domain's certificate: the ACME directory and an optional contact address."""

    directory: str = LETS_ENCRYPT
    email: str | None = None


@dataclass(frozen=True)
class Database:
    """A PostgreSQL that deh host installs: on the app host named ``host``, or on ``server`` (a host of its own)."""

    host: str
    password_env: str
    server: Host | None = None  # None: ``host`` names one of the hosting's hosts
    name: str | None = None  # default deh_<slug>_<env>
    port: int = 5432
    address: str | None = None  # where the app hosts reach it; default the server's address


@dataclass(frozen=True)
class Hosting:
    domain: str
    hosts: tuple[Host, ...]
    database_url_env: str | None = None
    ssh_key_env: str | None = None
    known_hosts_env: str | None = None
    certificate: tuple[str, str] | None = None  # (certificate, key): paths on the host
    test_host: bool = False
    certbot: Certbot = Certbot()
    database: Database | None = None

    @property
    def tls(self) -> Literal["given", "self-signed", "certbot"]:
        """Where nginx's certificate comes from: the config's paths, a self-signed one for a test host, or
        certbot for a public domain."""
        if self.certificate is not None:
            return "given"
        return "self-signed" if self.test_host else "certbot"

    @property
    def database_url_variable(self) -> str | None:
        """The variable the hub service reads its database URL from, or None for SQLite."""
        if self.database is not None:
            return DATABASE_URL_VARIABLE
        return self.database_url_env


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
    viber_bridge: bool = False  # the hub service bridges channels.viber into Conversations


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
    channels = Channels.read(data["channels"])
    routing = data["routing"]
    return HubConfig(
        source=source,
        slug=data["slug"],
        society=data["society"]["name"],
        country=country,
        timezone=data["timezone"],
        languages=tuple(_tag(lang) for lang in data["languages"]),
        texts=_frozen({_tag(lang): _texts(_tag(lang), t) for lang, t in _translations(data).items()}),
        environments=_frozen({n: _environment(n, e, country) for n, e in data["environments"].items()}),
        channels=channels,
        hours=parse_hours(data["hours"], country=country),
        raw_hours=_frozen(data["hours"]),
        routing=Routing(
            workspace=routing.get("workspace", "Flex Task Assignment"),
            queues=_frozen(
                {
                    q: Queue(q, v["name"], tuple(map(_tag, v["languages"])), tuple(v.get("skills", ())))
                    for q, v in routing["queues"].items()
                }
            ),
            default_queue=routing["default_queue"],
            callback_queue=routing.get("callback_queue", routing["default_queue"]),
            activities=tuple(Activity(a["name"], a["available"]) for a in routing.get("activities", ())),
            skill_names=_frozen(dict(routing.get("skill_names", {}))),
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


def _settings(channel: Channel, data: Mapping[str, Any]) -> object:
    return channel.settings.read(data) if channel.settings else _frozen(data)


def _tag(lang: str) -> str:
    """Language tags in their canonical casing (``pt-br`` → ``pt-BR``), so every part of the hub names a language
    the same way, however the config cased it."""
    from deh_deploy.i18n import canonical

    return canonical(lang)


def _translations(data: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Each language's texts, found under its tag however ``translations`` cases it. Texts under a tag that is
    no language (validation warns about texts for a tag not among the languages) are never looked at."""
    from deh_deploy.i18n import canonical

    by_tag: dict[str, Mapping[str, Any]] = {}
    for key, texts in data["translations"].items():
        try:
            by_tag.setdefault(canonical(key), texts)
        except ValueError:
            continue
    return {lang: by_tag[_tag(lang)] for lang in data["languages"]}


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
        prerequisites=_frozen({p.key: e[p.key] for c in registry.table() for p in c.needs if p.key in e}),
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
        bundle_sid_env=v.get("bundle_sid_env"),
        address_sid_env=v.get("address_sid_env"),
    )


def _host(x: Mapping[str, Any]) -> Host:
    return Host(
        x["name"],
        x["address"],
        x.get("ssh_user"),
        x.get("ssh_port", 22),
        x.get("base_dir"),
        x.get("service_user"),
        x.get("app_port", 8780),
        x.get("https_port", 443),
        x.get("http_port", 80),
    )


def _database(d: Mapping[str, Any]) -> Database:
    server = _host(d["host"]) if isinstance(d["host"], Mapping) else None
    return Database(
        server.name if server else d["host"],
        d["password_env"],
        server,
        d.get("name"),
        d.get("port", 5432),
        d.get("address"),
    )


def _hosting(h: Mapping[str, Any]) -> Hosting:
    certbot = h.get("certbot", {})
    return Hosting(
        h["domain"],
        tuple(_host(x) for x in h["hosts"]),
        h.get("database_url_env"),
        h.get("ssh_key_env"),
        h.get("known_hosts_env"),
        (h["certificate"]["certificate"], h["certificate"]["key"]) if "certificate" in h else None,
        h.get("test_host", False),
        Certbot(certbot.get("directory", LETS_ENCRYPT), certbot.get("email")),
        _database(h["database"]) if "database" in h else None,
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
        viber_bridge=h.get("viber_bridge", False),
    )
