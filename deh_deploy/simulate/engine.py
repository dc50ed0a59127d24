"""Running a compiled flow: a Conversation driven input by input; Run, start and run_script.

Each state carries its widget's declaration (``widgets.Widget``): the engine runs ``execute`` and, when the
widget waits for input, ``resume``; it knows no widget type by name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from deh_deploy.errors import SimulationError
from deh_deploy.simulate.compiled import CompiledFlow, CompiledState
from deh_deploy.simulate.model import (
    End,
    FunctionHandler,
    Hangup,
    HttpHandler,
    Input,
    Output,
    Prompt,
    Received,
    Silence,
    Transition,
    TriggerKind,
)
from deh_deploy.simulate.runtime import TRIGGER_KEYS, Runtime, Traced
from deh_deploy.simulate.voice import Step


def _cycle(trace: Sequence[Traced]) -> list[str]:
    """The widgets of the latest loop in ``trace``, from the one the run entered first (empty: no loop)."""
    names = [widget for widget, _, _ in trace]
    last = names[-1]
    for i in range(len(names) - 2, -1, -1):
        if names[i] == last:
            loop = names[i:-1]
            first_seen = {name: names.index(name) for name in loop}
            start = loop.index(min(loop, key=first_seen.__getitem__))
            return loop[start:] + loop[:start]
    return []


class Conversation:
    """One person's conversation with a flow, driven step by step with ``send``.

    ``waiting`` is the Prompt the flow waits on (None once ended); ``ended`` is the End (None while running).
    ``events`` are the outputs (what the person hears or reads), ``trace`` the widget transitions,
    ``transcript`` the outputs interleaved with the inputs received.
    """

    __slots__ = ("_current", "_max_steps", "_rt", "_steps", "_trace", "_waiting", "opening")

    def __init__(
        self,
        flow: CompiledFlow,
        *,
        trigger: TriggerKind,
        trigger_data: Mapping[str, Any],
        functions: Mapping[str, FunctionHandler],
        http: Mapping[str, HttpHandler] | None = None,
        max_steps: int = 500,
        flow_data: Mapping[str, Any] | None = None,
    ) -> None:
        if trigger not in TRIGGER_KEYS:
            raise SimulationError(f"unknown trigger {trigger!r}; expected one of {', '.join(TRIGGER_KEYS)}")
        self._rt = Runtime(
            flow,
            trigger=trigger,
            trigger_data=trigger_data,
            functions=functions,
            http=http,
            flow_data=flow_data,
        )
        self._max_steps = max_steps
        self.opening: str | None = None  # the message that started a messaging conversation, if any
        self._steps = 0
        self._waiting: Prompt | None = None
        self._current: CompiledState | None = None
        self._trace: tuple[Transition, ...] = ()  # the Transitions made of the run's trace so far
        first = flow.states[flow.initial_state]
        execute = first.widget.execute
        if execute is None:  # the trigger: the run starts with its kind as the event
            self._follow(first, trigger, None)
        else:
            self._handle(first, execute(self._rt, first))

    # --- what callers read ---------------------------------------------------------------------------

    @property
    def events(self) -> tuple[Output, ...]:
        return tuple(self._rt.events)

    @property
    def trace(self) -> tuple[Transition, ...]:
        made, steps = self._trace, self._rt.trace
        if len(made) < len(steps):
            self._trace = made = made + tuple(Transition(*step) for step in steps[len(made) :])
        return made

    @property
    def transcript(self) -> tuple[Output | Received, ...]:
        return tuple(self._rt.transcript)

    @property
    def waiting(self) -> Prompt | None:
        return self._waiting

    @property
    def ended(self) -> End | None:
        return self._rt.ended

    @property
    def variables(self) -> Mapping[str, Any]:
        return dict(self._rt.variables)

    @property
    def trigger(self) -> TriggerKind:
        return self._rt.trigger

    # --- driving ---------------------------------------------------------------------------------------

    def send(self, inp: Input) -> Conversation:
        """Answer the prompt the conversation waits on; returns self."""
        state, prompt = self._current, self._waiting
        if state is None or prompt is None:
            raise SimulationError("the conversation has ended; it waits for no input")
        rt = self._rt
        rt.transcript.append(Received(state.name, inp))
        self._waiting = self._current = None
        widget = state.widget
        if isinstance(inp, Hangup) and not widget.hears_hangup:
            rt.ended = rt.end("hangup", state.name)
            return self
        if widget.resume is None:
            raise SimulationError(f"widget {state.name!r} ({state.type}) waits for input it cannot take")
        self._follow(state, widget.resume(rt, state, inp), None)
        return self

    def _handle(self, state: CompiledState, step: Step) -> None:
        if isinstance(step, str):
            self._follow(state, step, None)
        elif isinstance(step, tuple):
            self._follow(state, step[0], step[1])
        elif isinstance(step, Prompt):
            self._waiting, self._current = step, state
        else:
            self._rt.ended = step

    def _follow(self, state: CompiledState, event: str, target: str | None) -> None:
        rt, states = self._rt, self._rt.flow.states
        while True:
            if target is None:
                target = state.transitions.get(event, "")
            rt.trace.append((state.name, event, target))
            self._steps += 1
            if self._steps > self._max_steps:
                loop = _cycle(rt.trace)
                where = f": the flow loops through {' -> '.join([*loop, loop[0]])}" if loop else ""
                message = f"more than {self._max_steps} transitions{where}"
                rt.ended = rt.end("error", state.name, event=event, message=message)
                return
            if not target:
                rt.ended = rt.end("completed", state.name, event=event)
                return
            state = states[target]
            execute = state.widget.execute
            if execute is None:
                raise SimulationError(
                    f"widget {rt.trace[-1][0]!r}: a transition leads back to the {state.type}"
                )
            step = execute(rt, state)
            if isinstance(step, str):
                event, target = step, None
            elif isinstance(step, tuple):
                event, target = step
            else:
                self._handle(state, step)
                return

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "Conversation",
            "trigger": self._rt.trigger,
            "transcript": [item.to_json() for item in self._rt.transcript],
            "trace": [t.to_json() for t in self.trace],
            "waiting": self._waiting.to_json() if self._waiting else None,
            "ended": self.ended.to_json() if self.ended else None,
        }


@dataclass(frozen=True, slots=True)
class Run:
    """A flow with its hooks, ready to start many conversations."""

    flow: CompiledFlow
    functions: Mapping[str, FunctionHandler] = field(default_factory=dict)
    http: Mapping[str, HttpHandler] | None = None
    max_steps: int = 500

    def start(
        self,
        *,
        trigger: TriggerKind,
        trigger_data: Mapping[str, Any],
        flow_data: Mapping[str, Any] | None = None,
    ) -> Conversation:
        return Conversation(
            self.flow,
            trigger=trigger,
            trigger_data=trigger_data,
            functions=self.functions,
            http=self.http,
            max_steps=self.max_steps,
            flow_data=flow_data,
        )

    def script(
        self,
        *,
        trigger: TriggerKind,
        trigger_data: Mapping[str, Any],
        inputs: Sequence[Input],
        flow_data: Mapping[str, Any] | None = None,
    ) -> Conversation:
        """Feed ``inputs`` in order whenever the conversation waits, then Silence() until it ends."""
        conv = self.start(trigger=trigger, trigger_data=trigger_data, flow_data=flow_data)
        pending = iter(inputs)
        while conv.waiting is not None:
            conv.send(next(pending, Silence()))
        return conv


def start(
    flow: CompiledFlow,
    *,
    trigger: TriggerKind,
    trigger_data: Mapping[str, Any],
    functions: Mapping[str, FunctionHandler],
    http: Mapping[str, HttpHandler] | None = None,
    max_steps: int = 500,
    flow_data: Mapping[str, Any] | None = None,
) -> Conversation:
    """Start a conversation; it runs until it waits for input or ends."""
    run = Run(flow, functions=functions, http=http, max_steps=max_steps)
    return run.start(trigger=trigger, trigger_data=trigger_data, flow_data=flow_data)


def run_script(
    flow: CompiledFlow,
    *,
    trigger: TriggerKind,
    trigger_data: Mapping[str, Any],
    functions: Mapping[str, FunctionHandler],
    inputs: Sequence[Input],
    http: Mapping[str, HttpHandler] | None = None,
    max_steps: int = 500,
    flow_data: Mapping[str, Any] | None = None,
) -> Conversation:
    """Run a whole conversation: ``inputs`` in order whenever it waits, then Silence() until it ends."""
    run = Run(flow, functions=functions, http=http, max_steps=max_steps)
    return run.script(trigger=trigger, trigger_data=trigger_data, inputs=inputs, flow_data=flow_data)
