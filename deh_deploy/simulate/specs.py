"""The supported widgets: their transition events and the typed specs their properties are read into."""

from __future__ import annotations

from dataclasses import dataclass

from deh_deploy.simulate.model import PromptKind
from deh_deploy.simulate.templates import Template

# Widget type -> the transition events it may carry.
EVENTS: dict[str, frozenset[str]] = {
    "trigger": frozenset(
        {
            "incomingMessage",
            "incomingCall",
            "incomingConversationMessage",
            "incomingRequest",
            "incomingParent",
        }
    ),
    "say-play": frozenset({"audioComplete"}),
    "gather-input-on-call": frozenset({"keypress", "speech", "timeout"}),
    "split-based-on": frozenset({"match", "noMatch"}),
    "set-variables": frozenset({"next"}),
    "record-voicemail": frozenset({"recordingComplete", "noAudio", "hangup"}),
    "send-message": frozenset({"sent", "failed"}),
    "send-and-wait-for-reply": frozenset({"incomingMessage", "timeout", "deliveryFailure"}),
    "run-function": frozenset({"success", "fail"}),
    "make-http-request": frozenset({"success", "failed"}),
    "send-to-flex": frozenset({"callComplete", "failedToEnqueue", "callFailure"}),
}


@dataclass(frozen=True, slots=True)
class TriggerSpec:
    pass


@dataclass(frozen=True, slots=True)
class SayPlaySpec:
    say: Template | None
    play: Template | None
    digits: Template | None
    language: Template
    voice: Template
    loop: int


@dataclass(frozen=True, slots=True)
class GatherSpec:
    say: Template | None
    play: Template | None
    language: Template
    voice: Template
    loop: int
    timeout: int
    number_of_digits: int | None
    finish_on_key: str
    accepts: tuple[PromptKind, ...]


@dataclass(frozen=True, slots=True)
class Condition:
    friendly_name: str
    kind: str
    argument: Template | None
    value: Template


@dataclass(frozen=True, slots=True)
class Match:
    next: str
    conditions: tuple[Condition, ...]


@dataclass(frozen=True, slots=True)
class SplitSpec:
    input: Template
    matches: tuple[Match, ...]


@dataclass(frozen=True, slots=True)
class SetVariablesSpec:
    variables: tuple[tuple[str, Template], ...]


@dataclass(frozen=True, slots=True)
class RecordSpec:
    max_length: int
    timeout: int
    transcribe: bool
    play_beep: bool


@dataclass(frozen=True, slots=True)
class MessageSpec:
    body: Template
    from_: Template
    to: Template
    media_url: Template
    timeout: int  # send-and-wait-for-reply only


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    url: Template
    parameters: tuple[tuple[str, Template], ...]


@dataclass(frozen=True, slots=True)
class HttpSpec:
    method: str
    url: Template
    content_type: str
    body: Template
    parameters: tuple[tuple[str, Template], ...]


@dataclass(frozen=True, slots=True)
class FlexSpec:
    workflow: Template
    channel: Template
    attributes: Template
    priority: Template
    timeout: Template


Spec = (
    TriggerSpec
    | SayPlaySpec
    | GatherSpec
    | SplitSpec
    | SetVariablesSpec
    | RecordSpec
    | MessageSpec
    | FunctionSpec
    | HttpSpec
    | FlexSpec
)
