"""A compiled flow: each widget's spec, its registered declaration and its transitions, ready to run.

Kept apart from ``flow`` (which builds these) so that widget executors and the registry can name the types
without importing the compiler.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deh_deploy.simulate.widgets import Widget


@dataclass(frozen=True, slots=True)
class CompiledState:
    """One widget: its spec, its declaration, and its transitions indexed by event (``""``: the run ends there).

    ``spec`` is whatever the widget's reader returned; its executor narrows it to the spec type it expects.
    """

    name: str
    type: str
    spec: object
    transitions: Mapping[str, str]
    widget: Widget


@dataclass(frozen=True, slots=True)
class CompiledFlow:
    description: str
    initial_state: str
    states: Mapping[str, CompiledState]
    template_count: int

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "CompiledFlow",
            "description": self.description,
            "initial_state": self.initial_state,
            "states": {
                n: {"type": s.type, "transitions": dict(s.transitions)} for n, s in self.states.items()
            },
            "template_count": self.template_count,
        }
