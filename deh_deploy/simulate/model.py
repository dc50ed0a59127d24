"""Value types of a simulated conversation: what the person does, what the flow does, how it ends.

Every type is a frozen dataclass with a ``to_json()`` giving plain JSON data, tagged with ``"type"``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

TriggerKind = Literal["incomingCall", "incomingMessage", "incomingConversationMessage"]
PromptKind = Literal["keys", "speech", "text", "recording"]
EndReason = Literal["flex", "completed", "hangup", "error"]


def _plain(value: Any) -> Any:
    if isinstance(value, JsonMixin):
        return value.to_json()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class JsonMixin:
    """``to_json()`` for the dataclasses below: ``{"type": ClassName, field: value, ...}``."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": type(self).__name__}
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            out[f.name] = _plain(getattr(self, f.name))
        return out


# --- what the person does ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Press(JsonMixin):
    """Key presses on a call (DTMF), e.g. ``"1"`` or ``"1234#"``."""

    digits: str


@dataclass(frozen=True, slots=True)
class Speak(JsonMixin):
    """Words said on a call, as speech recognition would return them."""

    text: str


@dataclass(frozen=True, slots=True)
class Send(JsonMixin):
    """A text message sent by the person."""

    text: str


@dataclass(frozen=True, slots=True)
class Silence(JsonMixin):
    """No input until the widget's timeout."""


@dataclass(frozen=True, slots=True)
class Hangup(JsonMixin):
    """The caller hangs up (on a message channel: the person walks away)."""


@dataclass(frozen=True, slots=True)
class Record(JsonMixin):
    """A voicemail of ``seconds`` length; ``hangup`` means the caller ended it by hanging up."""

    seconds: int
    transcript: str = ""
    hangup: bool = False


Input = Press | Speak | Send | Silence | Hangup | Record


# --- what the flow does -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Say(JsonMixin):
    text: str
    language: str
    voice: str
    widget: str


@dataclass(frozen=True, slots=True)
class Play(JsonMixin):
    url: str
    widget: str


@dataclass(frozen=True, slots=True)
class Dtmf(JsonMixin):
    """Tones played into the call by a say-play widget's ``digits``."""

    digits: str
    widget: str


@dataclass(frozen=True, slots=True)
class Message(JsonMixin):
    body: str
    widget: str
    to: str
    from_: str
    media_url: str = ""


@dataclass(frozen=True, slots=True)
class FunctionCall(JsonMixin):
    """A run-function call. ``missing`` when no handler serves ``path`` (Twilio would answer 404)."""

    path: str
    params: Mapping[str, str]
    status: int
    body: Any
    widget: str
    missing: bool = False
    error: str = ""


@dataclass(frozen=True, slots=True)
class HttpCall(JsonMixin):
    """A make-http-request call. ``missing`` when no handler serves the URL."""

    method: str
    url: str
    path: str
    params: Mapping[str, Any]
    status: int
    body: Any
    widget: str
    missing: bool = False
    error: str = ""


@dataclass(frozen=True, slots=True)
class Recording(JsonMixin):
    widget: str
    seconds: int
    url: str
    sid: str
    transcript: str


@dataclass(frozen=True, slots=True)
class Received(JsonMixin):
    """An input as the widget waiting for it received it (for transcripts)."""

    widget: str
    input: Input


Output = Say | Play | Dtmf | Message | FunctionCall | HttpCall | Recording


@dataclass(frozen=True, slots=True)
class Transition(JsonMixin):
    """Leaving ``widget`` on ``event`` towards ``next`` (``""``: the run ends)."""

    widget: str
    event: str
    next: str


@dataclass(frozen=True, slots=True)
class Prompt(JsonMixin):
    """The conversation waits for the person. ``accepts`` lists the input kinds the widget takes."""

    kind: PromptKind
    widget: str
    timeout: int
    accepts: tuple[PromptKind, ...] = ()


@dataclass(frozen=True, slots=True)
class FlexTask(JsonMixin):
    workflow: str
    channel: str
    attributes: Mapping[str, Any]
    priority: int | None
    timeout: int | None


@dataclass(frozen=True, slots=True)
class End(JsonMixin):
    """How the run ended. ``variables`` are the flow variables at the end.

    ``event`` is the event of the last widget (e.g. ``noMatch``); ``missing_functions`` lists function and
    HTTP paths the flow called that had no handler.
    """

    reason: EndReason
    widget: str
    task: FlexTask | None
    variables: Mapping[str, Any]
    event: str = ""
    message: str = ""
    missing_functions: tuple[str, ...] = ()


# --- the hooks for functions and HTTP requests -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class FunctionResult(JsonMixin):
    """What a function or HTTP endpoint answered. ``body``: str, or JSON-able data (dict, list, ...)."""

    status_code: int
    body: Any = None


@dataclass(frozen=True, slots=True)
class CallContext(JsonMixin):
    """What a handler may know about the conversation calling it."""

    trigger: TriggerKind
    widget: str
    contact: str
    address: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    method: str = "POST"
    url: str = ""


FunctionHandler = Callable[[Mapping[str, str], CallContext], FunctionResult]
HttpHandler = Callable[[Mapping[str, Any], CallContext], FunctionResult]
