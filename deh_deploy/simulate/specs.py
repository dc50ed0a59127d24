"""The typed specs the supported widgets' properties are read into (their events are Twilio's)."""

from __future__ import annotations

from dataclasses import dataclass

from deh_deploy.simulate.model import PromptKind
from deh_deploy.simulate.templates import Template


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
