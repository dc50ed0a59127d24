"""Liquid as Studio uses it: python-liquid, undefined variables render empty, templates compiled once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import liquid
from liquid.exceptions import LiquidError

from deh_deploy.errors import SimulationError


class JsonDict(dict[str, Any]):
    """A dict that renders as JSON in Liquid output (as Studio shows parsed objects), not as a Python repr."""

    def __str__(self) -> str:
        return json.dumps(self, ensure_ascii=False, separators=(",", ":"))


def liquid_data(value: Any) -> Any:
    """Prepare JSON data (a function's parsed body, trigger fields) for Liquid: objects render as JSON."""
    if isinstance(value, Mapping):
        return JsonDict({str(k): liquid_data(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return [liquid_data(v) for v in value]
    return value


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


_ENV = liquid.Environment()
_ENV.add_filter("json", _to_json)
_ENV.add_filter("to_json", _to_json)


class Template:
    """One property's template. Strings without Liquid markup are kept as they are and never rendered."""

    __slots__ = ("_compiled", "source")

    def __init__(self, source: str, *, where: str) -> None:
        self.source = source
        self._compiled: liquid.BoundTemplate | None = None
        if "{{" in source or "{%" in source:
            try:
                self._compiled = _ENV.from_string(source)
            except LiquidError as exc:
                first = str(exc).splitlines()[0]
                raise SimulationError(f"{where}: invalid Liquid template {source!r}: {first}") from exc

    @property
    def constant(self) -> bool:
        return self._compiled is None

    def render(self, context: Mapping[str, Any], widget: str, prop: str) -> str:
        if self._compiled is None:
            return self.source
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
