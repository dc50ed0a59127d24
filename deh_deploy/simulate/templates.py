"""Liquid as Studio uses it: python-liquid, undefined variables render empty, templates compiled once.

Each template is compiled into the cheapest form that renders it exactly as python-liquid would (``liquid_forms``):
its text alone when it has no markup; its text and lookups when it holds only output statements of variables with
argument-less filters (most of a rendered flow's templates); python-liquid's template otherwise, its renders
remembered by the values of the variables it reads when its tags and filters depend on nothing else (a flow's
channel, worked out by tags from the sender, is rendered once per sender, not once per conversation).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Literal

import liquid
from liquid.exceptions import LiquidError

from deh_deploy.errors import SimulationError
from deh_deploy.simulate.liquid_forms import ENVIRONMENT, Lookup, Memo, lookups

Form = Literal["text", "lookups", "remembered", "liquid"]

# json.dumps with options builds an encoder per call; this one is built once.
compact_json: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class JsonDict(dict[str, Any]):
    """A dict that renders as JSON in Liquid output (as Studio shows parsed objects), not as a Python repr."""

    def __str__(self) -> str:
        return compact_json(self)


# Tuples, not ``str | int``: isinstance with a union builds the union at every call, and these are asked of every
# value of every function answer.
_LEAVES = (str, int, float)
_ARRAYS = (list, tuple)


def liquid_data(value: Any) -> Any:
    """Prepare JSON data (a function's parsed body, trigger fields) for Liquid: objects render as JSON."""
    if value is None or isinstance(value, _LEAVES):  # most values: asked first, being the cheapest
        return value
    if isinstance(value, Mapping):
        return JsonDict({str(k): liquid_data(v) for k, v in value.items()})
    if isinstance(value, _ARRAYS):
        return [liquid_data(v) for v in value]
    return value


class Template:
    """One property's template, compiled once into one of its forms (see the module's docstring)."""

    __slots__ = ("_compiled", "_memo", "_parts", "source")

    def __init__(self, source: str, *, where: str) -> None:
        self.source = source
        self._compiled: liquid.BoundTemplate | None = None
        self._parts: tuple[str | Lookup, ...] | None = None
        self._memo: Memo | None = None
        if "{{" in source or "{%" in source:
            try:
                self._compiled = ENVIRONMENT.from_string(source)
            except LiquidError as exc:
                first = str(exc).splitlines()[0]
                raise SimulationError(f"{where}: invalid Liquid template {source!r}: {first}") from exc
            self._parts = lookups(self._compiled)
            if self._parts is None:
                self._memo = Memo.of(self._compiled)

    @property
    def constant(self) -> bool:
        return self._compiled is None

    @property
    def form(self) -> Form:
        """How it renders: its text alone, its text and lookups, or through python-liquid (remembered or not)."""
        if self._compiled is None:
            return "text"
        if self._parts is not None:
            return "lookups"
        return "liquid" if self._memo is None else "remembered"

    def render(self, context: Mapping[str, Any], widget: str, prop: str) -> str:
        if self._compiled is None:
            return self.source
        if self._parts is not None:
            # A filter that refuses its value raises here; python-liquid's render below then makes its own error.
            try:
                return "".join([p if isinstance(p, str) else p.render(context) for p in self._parts])
            except Exception:
                pass
        memo = self._memo
        key = memo.key(context) if memo is not None else None
        if memo is None or key is None:
            return self._liquid(context, widget, prop)
        found = memo.rendered.get(key)
        if found is None:
            found = self._liquid(context, widget, prop)
            memo.remember(key, found)
        return found

    def _liquid(self, context: Mapping[str, Any], widget: str, prop: str) -> str:
        assert self._compiled is not None, "a template with markup is compiled"
        try:
            return self._compiled.render(context)
        except LiquidError as exc:
            first = str(exc).splitlines()[0]
            raise SimulationError(
                f"widget {widget!r}: {prop}: cannot render {self.source!r}: {first}"
            ) from exc


class TemplateCache:
    """Compiles each distinct template string of a flow once."""

    __slots__ = ("_cache",)

    def __init__(self) -> None:
        self._cache: dict[str, Template] = {}

    def get(self, value: Any, *, where: str) -> Template:
        source = "" if value is None else value if isinstance(value, str) else str(value)
        found = self._cache.get(source)
        if found is None:
            found = Template(source, where=where)
            self._cache[source] = found
        return found

    def __len__(self) -> int:
        return len(self._cache)
