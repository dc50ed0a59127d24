"""Run Studio flow definitions offline, widget by widget, with Twilio's semantics.

``compile_flow`` checks and indexes a flow once (every template compiled once); ``start`` / ``run_script``
(or a ``Run``, to start many conversations) drive conversations through it. Functions and HTTP endpoints the
flow calls are answered by handlers keyed by URL path.

Semantics taken from Twilio's documentation: split conditions ignore case and trim both sides; the first
matching transition wins, else ``noMatch``; undefined Liquid variables render empty; ``flow.variables`` are
strings set by set-variables; an omitted or empty ``next`` ends the run.

Chosen where the documentation is silent (see also ``conditions``): all conditions of one match
transition must hold; a condition's subject is its first ``arguments`` entry (the widget ``input`` when
absent); set-variables renders keys in order, later ones seeing earlier ones; a gather accepts keys and
speech unless ``input`` narrows it, the finish key alone or no digits is a ``timeout``, and each run of the
widget replaces its variables; a hangup ends the run except in record-voicemail (its ``hangup`` event),
after which voice widgets end the run with reason ``hangup``; a function or request answering >= 400,
raising, or missing fails; objects render as JSON; voice widgets on a message trigger and
send-and-wait-for-reply on a call are flow errors.
"""

from __future__ import annotations

from deh_deploy.simulate.compiled import CompiledFlow, CompiledState
from deh_deploy.simulate.engine import Conversation, Run, run_script, start
from deh_deploy.simulate.flow import compile_flow
from deh_deploy.simulate.model import (
    CallContext,
    Dtmf,
    End,
    EndReason,
    FlexTask,
    FunctionCall,
    FunctionHandler,
    FunctionResult,
    Hangup,
    HttpCall,
    HttpHandler,
    Input,
    Message,
    Output,
    Play,
    Press,
    Prompt,
    PromptKind,
    Received,
    Record,
    Recording,
    Say,
    Send,
    Silence,
    Speak,
    Transition,
    TriggerKind,
)

__all__ = [
    "CallContext",
    "CompiledFlow",
    "CompiledState",
    "Conversation",
    "Dtmf",
    "End",
    "EndReason",
    "FlexTask",
    "FunctionCall",
    "FunctionHandler",
    "FunctionResult",
    "Hangup",
    "HttpCall",
    "HttpHandler",
    "Input",
    "Message",
    "Output",
    "Play",
    "Press",
    "Prompt",
    "PromptKind",
    "Received",
    "Record",
    "Recording",
    "Run",
    "Say",
    "Send",
    "Silence",
    "Speak",
    "Transition",
    "TriggerKind",
    "compile_flow",
    "run_script",
    "start",
]
