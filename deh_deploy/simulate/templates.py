"""Liquid as Studio uses it: python-liquid, undefined variables render empty, templates compiled once.

Most of a rendered flow's templates are text with variables in it (``{{widgets.hours.parsed.open}}``, a Flex task's
attributes, ``{{widgets.reply.inbound.Body | strip}}``). Rendering those through python-liquid costs a render context,
a buffer and a path walk per call, which made Liquid most of the interpreter's time; so each template is compiled
once into the cheapest form that renders it exactly as python-liquid would: its text alone when it has no markup;
its text and lookups (the variable's path walked in the context, then python-liquid's own filter functions) when
it holds only output statements of variables with argument-less filters; python-liquid's template otherwise, its
renders remembered by the values of the variables it reads when its tags and filters depend on nothing else (a
flow's channel, worked out by tags from the sender, is rendered once per sender, not once per conversation).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import liquid
from liquid.builtin.content import ContentNode
from liquid.builtin.expressions.filtered import FilteredExpression
from liquid.builtin.expressions.path import Path
from liquid.builtin.output import OutputNode
from liquid.exceptions import LiquidError
from liquid.stringify import to_liquid_string

from deh_deploy.errors import SimulationError

# json.dumps with options builds an encoder per call; this one is built once.
compact_json: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class JsonDict(dict[str, Any]):
    """A dict that renders as JSON in Liquid output (as Studio shows parsed objects), not as a Python repr."""

    def __str__(self) -> str:
        return compact_json(self)


def liquid_data(value: Any) -> Any:
    """Prepare JSON data (a function's parsed body, trigger fields) for Liquid: objects render as JSON."""
    if value is None or isinstance(value, str | int | float):  # most values: asked first, being the cheapest
        return value
    if isinstance(value, Mapping):
        return JsonDict({str(k): liquid_data(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return [liquid_data(v) for v in value]
    return value


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


# The one Liquid environment: Studio's filters added to python-liquid's, undefined variables rendering empty.
ENVIRONMENT = liquid.Environment()
ENVIRONMENT.add_filter("json", _to_json)
ENVIRONMENT.add_filter("to_json", _to_json)

# Names python-liquid resolves itself when the context lacks them (``now``, ``today``), and the properties it
# computes on a value (``x.size``, ``x.first``, ``x.last``): a template using them keeps python-liquid's render.
_LIQUID_NAMES = frozenset({"now", "today"})
_COMPUTED = frozenset({"size", "first", "last"})

# Tags and filters whose output depends on nothing but the values they are given (``date`` reads the clock for
# "now"). A filter added to the environment after this line is not among them.
_PURE_TAGS = frozenset({"assign", "capture", "case", "comment", "if", "raw", "unless"})
_PURE_FILTERS = frozenset(
    name
    for name, f in ENVIRONMENT.filters.items()
    if name != "date" and not getattr(f, "with_context", False)
)
# Values a remembered render is keyed by: immutable, and told apart by type (True == 1, but renders "true").
_SCALARS = (str, int, float, bool, type(None))
MEMO_SIZE = 1024  # renders remembered per template; beyond that, they are rendered again

Form = Literal["text", "lookups", "remembered", "liquid"]
Filter = Callable[[object], object]
_MISSING = object()


def _walk(context: Mapping[str, Any], keys: Sequence[str]) -> Any:
    """The value at ``keys`` as python-liquid finds it (item by item), or _MISSING where the path leads nowhere."""
    value: Any = context
    for key in keys:
        try:
            value = value[key]
        except (KeyError, TypeError, IndexError):
            return _MISSING
    return value


@dataclass(frozen=True, slots=True)
class _Lookup:
    """An output statement of a variable and argument-less filters (``{{widgets.reply.inbound.Body | strip}}``),
    evaluated as python-liquid does: the path walked key by key, undefined where it leads nowhere, then python-liquid's
    own filter functions."""

    keys: tuple[str, ...]
    filters: tuple[Filter, ...]

    def render(self, context: Mapping[str, Any]) -> str:
        value = _walk(context, self.keys)
        if value is _MISSING:
            value = ENVIRONMENT.undefined(self.keys[0])
        for apply in self.filters:
            value = apply(value)
        return to_liquid_string(value, autoescape=False)


def _filter(name: str, arguments: Sequence[object]) -> Filter | None:
    """The filter function python-liquid would call for ``name`` with no arguments; None when it needs more."""
    found = ENVIRONMENT.filters.get(name)
    if found is None or arguments:
        return None
    if getattr(found, "with_context", False) or getattr(found, "with_environment", False):
        return None
    return cast(Filter, found)


def _plain(path: Sequence[object]) -> tuple[str, ...] | None:
    """``path`` as keys to walk, when walking them finds what python-liquid finds (no index, nested path, computed
    property or name python-liquid knows itself)."""
    keys = tuple(key for key in path if isinstance(key, str))
    if len(keys) != len(path) or keys[0] in _LIQUID_NAMES or _COMPUTED.intersection(keys[1:]):
        return None
    return keys


def _lookup(node: OutputNode) -> _Lookup | None:
    expression = node.expression
    if not isinstance(expression, FilteredExpression) or not isinstance(expression.left, Path):
        return None
    keys = _plain(expression.left.path)
    if keys is None:
        return None
    filters = [_filter(f.name, f.args) for f in expression.filters or ()]
    if None in filters:
        return None
    return _Lookup(keys, tuple(f for f in filters if f is not None))


def _lookups(compiled: liquid.BoundTemplate) -> tuple[str | _Lookup, ...] | None:
    """``compiled`` as its text and its output statements' lookups, when it holds nothing else (no tag, no filter
    argument, index or computed property); None otherwise."""
    parts: list[str | _Lookup] = []
    for node in compiled.nodes:
        if isinstance(node, ContentNode):
            parts.append(node.text)
            continue
        lookup = _lookup(node) if isinstance(node, OutputNode) else None
        if lookup is None:
            return None
        parts.append(lookup)
    return tuple(parts)


class _Memo:
    """What a template of pure tags and filters rendered, by the values of every variable it reads: the same values
    render the same text."""

    __slots__ = ("paths", "rendered")

    def __init__(self, paths: tuple[tuple[str, ...], ...]) -> None:
        self.paths = paths
        self.rendered: dict[tuple[object, ...], str] = {}

    @classmethod
    def of(cls, compiled: liquid.BoundTemplate) -> _Memo | None:
        """A memo for ``compiled`` when its output depends on its variables' values alone; None otherwise."""
        analysis = compiled.analyze()
        if not _PURE_TAGS.issuperset(analysis.tags) or not _PURE_FILTERS.issuperset(analysis.filters):
            return None
        paths = [_plain(v.segments) for uses in analysis.variables.values() for v in uses]
        if None in paths:
            return None
        return cls(tuple(sorted({p for p in paths if p is not None})))

    def key(self, context: Mapping[str, Any]) -> tuple[object, ...] | None:
        """The values the template reads from ``context``, tagged by type; None when one is not a scalar."""
        key: list[object] = []
        for path in self.paths:
            value = _walk(context, path)
            if value is not _MISSING and not isinstance(value, _SCALARS):
                return None
            key += (type(value), value)
        return tuple(key)

    def remember(self, key: tuple[object, ...], text: str) -> None:
        if len(self.rendered) < MEMO_SIZE:
            self.rendered[key] = text


class Template:
    """One property's template, compiled once (see the module's docstring for its three forms)."""

    __slots__ = ("_compiled", "_memo", "_parts", "source")

    def __init__(self, source: str, *, where: str) -> None:
        self.source = source
        self._compiled: liquid.BoundTemplate | None = None
        self._parts: tuple[str | _Lookup, ...] | None = None
        self._memo: _Memo | None = None
        if "{{" in source or "{%" in source:
            try:
                self._compiled = ENVIRONMENT.from_string(source)
            except LiquidError as exc:
                first = str(exc).splitlines()[0]
                raise SimulationError(f"{where}: invalid Liquid template {source!r}: {first}") from exc
            self._parts = _lookups(self._compiled)
            if self._parts is None:
                self._memo = _Memo.of(self._compiled)

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
        if memo is not None and key is not None:
            found = memo.rendered.get(key)
            if found is None:
                found = self._liquid(self._compiled, context, widget, prop)
                memo.remember(key, found)
            return found
        return self._liquid(self._compiled, context, widget, prop)

    def _liquid(
        self, compiled: liquid.BoundTemplate, context: Mapping[str, Any], widget: str, prop: str
    ) -> str:
        try:
            return compiled.render(context)
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
