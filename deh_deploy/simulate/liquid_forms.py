"""The forms a Liquid template is compiled into besides python-liquid's own, each rendering what python-liquid renders.

Rendering through python-liquid costs a render context, a buffer and a walk of the parse tree per call, and most of
a rendered flow's templates need none of it. ``lookups`` reads a template made only of text and output statements
of a variable with argument-less filters (``{{widgets.hours.parsed.open}}``, a Flex task's attributes,
``{{widgets.reply.inbound.Body | strip}}``) as its text and a Lookup per statement: the variable's path walked item
by item as python-liquid walks it, undefined where it leads nowhere, then python-liquid's own filter functions and
stringification. ``Memo.of`` accepts a template whose tags and filters depend on nothing but the values they are
given (no clock, no loop, no include), whose output is therefore fixed by the values of the variables it reads:
its renders are remembered by those values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import liquid
from liquid.builtin.content import ContentNode
from liquid.builtin.expressions.filtered import FilteredExpression
from liquid.builtin.expressions.path import Path
from liquid.builtin.output import OutputNode
from liquid.stringify import to_liquid_string


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
class Lookup:
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


def _lookup(node: OutputNode) -> Lookup | None:
    expression = node.expression
    if not isinstance(expression, FilteredExpression) or not isinstance(expression.left, Path):
        return None
    keys = _plain(expression.left.path)
    if keys is None:
        return None
    filters = [_filter(f.name, f.args) for f in expression.filters or ()]
    if None in filters:
        return None
    return Lookup(keys, tuple(f for f in filters if f is not None))


def lookups(compiled: liquid.BoundTemplate) -> tuple[str | Lookup, ...] | None:
    """``compiled`` as its text and its output statements' lookups, when it holds nothing else (no tag, no filter
    argument, index or computed property); None otherwise."""
    parts: list[str | Lookup] = []
    for node in compiled.nodes:
        if isinstance(node, ContentNode):
            parts.append(node.text)
            continue
        lookup = _lookup(node) if isinstance(node, OutputNode) else None
        if lookup is None:
            return None
        parts.append(lookup)
    return tuple(parts)


class Memo:
    """What a template of pure tags and filters rendered, by the values of every variable it reads: the same values
    render the same text."""

    __slots__ = ("paths", "rendered")

    def __init__(self, paths: tuple[tuple[str, ...], ...]) -> None:
        self.paths = paths
        self.rendered: dict[tuple[object, ...], str] = {}

    @classmethod
    def of(cls, compiled: liquid.BoundTemplate) -> Memo | None:
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
