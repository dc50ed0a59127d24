"""The widget types the simulator runs: each declared once, with its reader, executor and resume.

A declaration names a Studio widget type and the functions that make it work here: ``read`` turns the widget's
properties into a typed spec when the flow is compiled, ``execute`` runs it (returning the event it fired, a
Prompt to wait on, or the End), and ``resume`` answers the Prompt when the widget waits for input. Its transition
events are Twilio's (``deh_deploy.studio_widgets``), never a second list; only a type Twilio does not know (a test's
fake widget) brings its own. ``flow`` looks each type up here when it compiles (its events, its reader from
``reading``) and every compiled state carries its declaration for ``engine``; none of them keeps a table of widget
types, so adding a widget is one ``register(declare(...))`` below, plus its functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from deh_deploy.simulate import actions, reading, voice
from deh_deploy.studio_widgets import BY_TYPE

if TYPE_CHECKING:
    from deh_deploy.simulate.compiled import CompiledState
    from deh_deploy.simulate.model import Input
    from deh_deploy.simulate.reading import Reader
    from deh_deploy.simulate.runtime import Runtime
    from deh_deploy.simulate.voice import Step

Read = Callable[["Reader", Sequence[Mapping[str, Any]]], object]
Execute = Callable[["Runtime", "CompiledState"], "Step"]
Resume = Callable[["Runtime", "CompiledState", "Input"], str]


@dataclass(frozen=True, slots=True)
class Widget:
    """One supported widget type.

    ``execute`` is None for the trigger: a run starts there with the trigger's kind as the event, and no
    transition may lead back to it. ``hears_hangup``: a hangup while this widget waits goes to its ``resume``
    (record-voicemail's ``hangup`` event) instead of ending the run.
    """

    type: str
    events: frozenset[str]
    read: Read
    execute: Execute | None
    resume: Resume | None = None
    hears_hangup: bool = False


def declare(
    kind: str,
    *,
    read: Read,
    execute: Execute | None,
    resume: Resume | None = None,
    hears_hangup: bool = False,
    events: frozenset[str] | None = None,
) -> Widget:
    """A widget declaration; its events come from Twilio's declaration of ``kind``.

    ``events`` is for a type Twilio does not know (or knows no events of); giving it for a type whose events
    Twilio declares is a ValueError, so the two lists can never drift apart.
    """
    twilio = BY_TYPE.get(kind)
    known = twilio.events if twilio is not None else None
    if known is not None and events is not None:
        raise ValueError(f"{kind}: its transition events are Twilio's; do not declare them again")
    chosen = known if known is not None else events
    if chosen is None:
        raise ValueError(f"{kind}: Twilio declares no transition events for it; give them with events=")
    return Widget(kind, chosen, read, execute, resume, hears_hangup)


_REGISTRY: dict[str, Widget] = {}


def register(widget: Widget) -> Widget:
    """Make ``widget`` available to every flow compiled from now on; a type is registered once.

    A widget built without ``declare`` is held to the same rule: a type Twilio declares events for has those.
    """
    if widget.type in _REGISTRY:
        raise ValueError(f"widget type {widget.type!r} is already registered")
    twilio = BY_TYPE.get(widget.type)
    if twilio is not None and twilio.events is not None and widget.events != twilio.events:
        raise ValueError(f"{widget.type}: its transition events must be Twilio's")
    _REGISTRY[widget.type] = widget
    return widget


def unregister(kind: str) -> None:
    """Forget a registered type (flows compiled before keep running it)."""
    del _REGISTRY[kind]


def lookup(kind: str) -> Widget | None:
    return _REGISTRY.get(kind)


def supported() -> tuple[str, ...]:
    return tuple(_REGISTRY)


# --- the widgets the simulator supports ---------------------------------------------------------------------

register(declare("trigger", read=reading.trigger, execute=None))
register(declare("say-play", read=reading.say_play, execute=voice.say_play))
register(
    declare("gather-input-on-call", read=reading.gather, execute=voice.gather, resume=voice.gather_input)
)
register(
    declare(
        "record-voicemail",
        read=reading.record,
        execute=voice.record_voicemail,
        resume=voice.record_input,
        hears_hangup=True,
    )
)
register(declare("split-based-on", read=reading.split, execute=actions.split))
register(declare("set-variables", read=reading.set_variables, execute=actions.set_variables))
register(declare("send-message", read=reading.message, execute=actions.send_message))
register(
    declare(
        "send-and-wait-for-reply",
        read=reading.message,
        execute=actions.send_and_wait,
        resume=actions.reply_input,
    )
)
register(declare("run-function", read=reading.function, execute=actions.run_function))
register(declare("make-http-request", read=reading.http, execute=actions.http_request))
register(declare("send-to-flex", read=reading.flex, execute=actions.send_to_flex))
