"""What Twilio's Studio knows about each widget type: its transition events and the properties it checks.

One declaration per widget type, kept as plain data so that both the sandbox's flow check and the simulator's
widget registry read the same facts (this module imports nothing but the standard library: no python-liquid,
no simulator). Twilio's official widget schemas are not available offline, so every entry names its ``source``
(the widget's page in Twilio's Studio widget library) and says in ``evidence`` what its facts were checked
against:

- ``docs``: the source page's "Required configuration" section;
- ``export``: flow JSON exported from the Studio console, as published in
  ``twilio-professional-services/flex-project-template`` (``infra-as-code/terraform/modules/*/flows/*.json``) and
  other public repositories;
- ``sdk-go``: the widget models in ``RJPearson94/twilio-sdk-go`` ``studio/widgets`` (generated, 2022);
- ``notes``: ``twilio-notes.md`` §3 (widget table) and §9 (audit of rendered flows).

An entry with ``verified=False`` is UNVERIFIED: its events or properties rest on a single secondary source
(mostly ``sdk-go``); they are declared so that the sandbox checks them, not because Twilio was seen to state them.
An entry whose ``events`` is None has no known event list: every event is accepted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

JsonType = Literal["string", "integer", "boolean", "array", "object"]

DOCS = "https://www.twilio.com/docs/studio/widget-library/"


@dataclass(frozen=True, slots=True)
class Prop:
    """A widget property Twilio checks: whether it must be present, its JSON type (None: not known), and, when
    Twilio is stricter than the type:

    - ``sid``: the value is a SID of this prefix (``WW`` a TaskRouter workflow, ``TC`` a task channel, ``ZS``/
      ``ZE``/``ZH`` a Serverless service, environment and function, ``FW`` a Studio flow); FlowValidate refuses
      anything else, Liquid included, because Studio resolves the SID when the flow is saved, not when it runs;
    - ``constant``: Liquid (``{{…}}``, ``{%…%}``) is refused: the value is read when the flow is saved;
    - ``values``: the only strings Studio accepts (the console's drop-downs; booleans written as ``"true"``).

    ``evidence`` says where those stricter facts come from, when not from the widget's own evidence.
    """

    name: str
    type: JsonType | None = None
    required: bool = False
    sid: str | None = None
    constant: bool = False
    values: tuple[str, ...] | None = None
    evidence: str = ""

    @property
    def no_liquid(self) -> bool:
        return self.constant or self.sid is not None


@dataclass(frozen=True, slots=True)
class StudioWidget:
    """One widget type of Twilio's Studio, with where its facts come from."""

    type: str
    events: frozenset[str] | None  # None: no event list is known, so every event is accepted
    props: tuple[Prop, ...]
    source: str  # the widget's page in Twilio's Studio widget library
    evidence: str  # what the facts were checked against (see the module docstring)
    verified: bool = field(kw_only=True)  # False: the facts rest on a single secondary source

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.props if p.required)


def _need(name: str, type_: JsonType = "string") -> Prop:
    return Prop(name, type_, required=True)


def _typed(name: str, type_: JsonType) -> Prop:
    return Prop(name, type_)


def _sid(name: str, prefix: str, *, required: bool = False, evidence: str = "") -> Prop:
    return Prop(name, "string", required=required, sid=prefix, evidence=evidence)


def _choice(name: str, *values: str, required: bool = False, evidence: str = "") -> Prop:
    return Prop(name, "string", required=required, constant=True, values=values, evidence=evidence)


def _events(names: str) -> frozenset[str]:
    return frozenset(names.split())


WIDGETS: tuple[StudioWidget, ...] = (
    StudioWidget(
        "trigger",
        _events("incomingMessage incomingCall incomingConversationMessage incomingRequest incomingParent"),
        (),
        DOCS + "trigger-start",
        "export (all five events); notes §3; sdk-go (all but incomingConversationMessage, which is newer)",
        verified=True,
    ),
    StudioWidget(
        "split-based-on",
        _events("match noMatch"),
        (_need("input"),),
        DOCS + "split-based-on",
        "export; sdk-go (input required); notes §3 (input is its only property)",
        verified=True,
    ),
    StudioWidget(
        "set-variables",
        _events("next"),
        (_typed("variables", "array"),),
        DOCS + "set-variables",
        "export; sdk-go; notes §3",
        verified=True,
    ),
    StudioWidget(
        "say-play",
        _events("audioComplete"),
        (
            _typed("say", "string"),
            _typed("play", "string"),
            _typed("digits", "string"),
            _typed("loop", "integer"),
        ),
        DOCS + "sayplay",
        "docs (say, play or digits; loop 1-99); export (loop 1); sdk-go; notes §3",
        verified=True,
    ),
    StudioWidget(
        "gather-input-on-call",
        _events("keypress speech timeout"),
        (
            _typed("timeout", "integer"),
            _typed("number_of_digits", "integer"),
            _typed("loop", "integer"),
            _typed("stop_gather", "boolean"),
            _typed("finish_on_key", "string"),
            _typed("speech_timeout", "string"),
            _choice("profanity_filter", "true", "false", evidence='export ("true"); notes §3: a string'),
        ),
        DOCS + "gather-input-call",
        "docs (nothing required); export (timeout 5 and 10, number_of_digits 1, stop_gather true/false, "
        'profanity_filter "true", speech_timeout "auto"); sdk-go; notes §3, §9',
        verified=True,
    ),
    StudioWidget(
        "record-voicemail",
        _events("recordingComplete noAudio hangup"),
        (
            _typed("timeout", "integer"),
            _typed("max_length", "integer"),
            _typed("transcribe", "boolean"),
            _typed("transcription_callback_url", "string"),
            _typed("recording_status_callback_url", "string"),
            _choice(
                "play_beep", "true", "false", evidence='export ("true"); notes §3: a string, not a boolean'
            ),
            _choice("trim", "trim-silence", "do-not-trim", evidence="export; TwiML <Record> trim values"),
            _typed("finish_on_key", "string"),
        ),
        DOCS + "record-voicemail",
        "docs (nothing required; whole seconds for timeout and max length; the three transitions); "
        'export (transcribe true, play_beep "true", trim "trim-silence"); sdk-go; notes §3, §9; '
        "recording_status_callback_url: exported flows and a Terraform provider's record-voicemail schema",
        verified=True,
    ),
    StudioWidget(
        "send-to-flex",
        _events("callComplete failedToEnqueue callFailure"),
        (
            _sid("workflow", "WW", required=True, evidence="docs (a TaskRouter workflow); export (WW… SIDs)"),
            _sid(
                "channel", "TC", required=True, evidence="docs (a TaskRouter task channel); export (TC… SIDs)"
            ),
            _typed("attributes", "string"),
            _typed("priority", "string"),
            _typed("timeout", "string"),
            _typed("waitUrl", "string"),
            _choice("waitUrlMethod", "GET", "POST", evidence="export (POST); TwiML <Enqueue> waitUrlMethod"),
        ),
        DOCS + "send-flex",
        'docs (a workflow and a task channel are required); export (priority "0", timeout "3600"); sdk-go; '
        "notes §3, §9",
        verified=True,
    ),
    StudioWidget(
        "enqueue-call",
        _events("callComplete failedToEnqueue callFailure"),
        (),
        DOCS + "enqueue-call",
        "export (events); sdk-go. No property is declared: their types have one source (sdk-go: integer "
        "priority and timeout)",
        verified=True,
    ),
    StudioWidget(
        "run-function",
        _events("success fail"),
        (
            _need("url"),
            _typed("parameters", "array"),
            _sid("service_sid", "ZS", evidence="export (ZS… SIDs; the console sets them from its pickers)"),
            _sid("environment_sid", "ZE", evidence="export (ZE… SIDs)"),
            _sid("function_sid", "ZH", evidence="export (ZH… SIDs)"),
        ),
        DOCS + "run-function",
        "docs (only the function URL is required); export; sdk-go; notes §3",
        verified=True,
    ),
    StudioWidget(
        "make-http-request",
        _events("success failed"),
        (
            _choice("method", "GET", "POST", required=True, evidence="docs (GET or POST)"),
            Prop("content_type", "string", required=True, constant=True, evidence="docs (a drop-down)"),
            _need("url"),
            _typed("body", "string"),
            _typed("parameters", "array"),
        ),
        DOCS + "http-request",
        "docs (three required fields: method, URL and content type); export (events); sdk-go; notes §3",
        verified=True,
    ),
    StudioWidget(
        "send-message",
        _events("sent failed"),
        (_need("body"), _need("from"), _need("to"), _typed("media_url", "string")),
        DOCS + "send-message",
        "docs (body, from and to required; the console fills from and to); export; sdk-go; notes §3",
        verified=True,
    ),
    StudioWidget(
        "send-and-wait-for-reply",
        _events("incomingMessage timeout deliveryFailure"),
        (_need("body"), _need("from"), _need("timeout"), _typed("media_url", "string")),
        DOCS + "send-wait-reply",
        'docs (the message, its sender and how long to wait are required); export (timeout "3600"); sdk-go; '
        "notes §3, §9",
        verified=True,
    ),
    StudioWidget(
        "connect-call-to",
        _events("callCompleted hangup"),
        (_need("noun"), _need("caller_id"), _typed("time_limit", "string")),
        DOCS + "connect-call",
        "sdk-go (events; noun and caller_id required); notes §3 (time_limit a string)",
        verified=False,
    ),
    StudioWidget(
        "make-outgoing-call-v2",
        _events("answered busy noAnswer failed"),
        (_need("from"), _need("to")),
        DOCS + "make-outgoing-call",
        "sdk-go only",
        verified=False,
    ),
    StudioWidget(
        "record-call",
        _events("success failed"),
        (_need("record_call", "boolean"),),
        DOCS + "call-recording",
        "docs (the record-call toggle, a boolean, is required); events from sdk-go only",
        verified=False,
    ),
    StudioWidget(
        "add-twiml-redirect",
        _events("return timeout fail"),
        (_need("url"), _typed("timeout", "string")),
        DOCS + "twiml-redirect",
        "docs (only the URL is required; return, timed-out and failed handlers); sdk-go (event names, timeout)",
        verified=False,
    ),
    StudioWidget(
        "run-subflow",
        _events("completed failed"),
        (_sid("flow_sid", "FW", required=True, evidence="sdk-go only"), _need("flow_revision")),
        DOCS + "run-subflow",
        "sdk-go only",
        verified=False,
    ),
    StudioWidget(
        "capture-payments",
        _events("success maxFailedAttempts providerError payInterrupted hangup validationError"),
        (),
        DOCS + "capture-payments",
        "sdk-go only",
        verified=False,
    ),
    StudioWidget(
        "fork-stream",
        _events("next"),
        (_need("stream_action"),),
        DOCS + "fork-stream",
        "sdk-go only",
        verified=False,
    ),
    StudioWidget(
        "start-conversation",
        None,
        (),
        DOCS + "start-conversation",
        "docs name a Failed transition; no event list found",
        verified=False,
    ),
    StudioWidget(
        "resume-conversation",
        None,
        (),
        DOCS + "resume-conversation",
        "docs name a Failed transition; no event list found",
        verified=False,
    ),
    StudioWidget(
        "connect-virtual-agent-v2",
        None,
        (),
        DOCS + "connect-virtual-agent",
        "no source found (sdk-go knows only the older connect-virtual-agent)",
        verified=False,
    ),
    StudioWidget(
        "run-conversation-relay",
        None,
        (),
        DOCS + "run-conversationrelay",
        "no event list found",
        verified=False,
    ),
)

BY_TYPE: Mapping[str, StudioWidget] = MappingProxyType({w.type: w for w in WIDGETS})


def json_type(value: object) -> str:
    """The JSON type name of a decoded JSON value, as Studio's validation messages spell it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


LIQUID = re.compile(r"\{\{|\{%")


def sid_pattern(prefix: str) -> str:
    return f"^{prefix}[0-9a-f]{{32}}$"


def property_problems(
    widget: StudioWidget, props: Mapping[str, object], *, check_sids: bool = True, check_required: bool = True
) -> list[tuple[str, str]]:
    """``(property, message)`` for every property of one widget that Studio's FlowValidate refuses: a required one
        missing or empty, a declared one of another JSON type, Liquid in a constant, a value that is not a SID of the
        wanted prefix, a string not among the choices. ``check_sids=False`` skips the SID shape (a flow checked before
        apply holds placeholders where its SIDs will be); ``check_required=False`` skips presence (what the console fills
    in, such as a message's ``from``)."""
    out: list[tuple[str, str]] = []
    for prop in widget.props:
        value = props.get(prop.name)
        if prop.required and value in (None, ""):
            if check_required:
                out.append((prop.name, f"{widget.type} requires {prop.name}"))
        elif prop.name in props and prop.type is not None and json_type(value) != prop.type:
            out.append((prop.name, f"{json_type(value)} found, {prop.type} expected"))
        elif isinstance(value, str) and value:
            message = _string_problem(prop, value, check_sids=check_sids)
            if message is not None:
                out.append((prop.name, message))
    return out


def _string_problem(prop: Prop, value: str, *, check_sids: bool) -> str | None:
    if prop.no_liquid and LIQUID.search(value):
        return "Liquid is not allowed here: the value is read when the flow is saved"
    if check_sids and prop.sid is not None and not re.fullmatch(sid_pattern(prop.sid), value):
        return f"does not match the regex pattern {sid_pattern(prop.sid)}"
    if prop.values is not None and value not in prop.values:
        return f"does not have a value in the enumeration [{', '.join(prop.values)}]"
    return None
