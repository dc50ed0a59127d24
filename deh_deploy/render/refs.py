"""References: values known only once another resource exists (its SID, its domain, its webhook URL).

A reference is a value of its own type in the rendered tree, never a pattern inside a string. Render puts a
:class:`Ref` (or a :class:`Joined` text of literal parts and references, such as a URL on the Functions domain)
exactly where the value goes; :func:`fill` replaces exactly those positions. Text that came from the config is a
plain string, so it is never scanned and never substituted: a message that reads ``${ref:…}`` is said as written.

In files (rendered artifacts, ``resources.json``, saved plans) a reference is shown as ``{"$ref": "kind/key.attr"}``
and a joined text as ``{"$join": [...]}``, which no configured text can be.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from deh_deploy.errors import UnresolvedReference

# What one resource can give another: every record has a SID; these kinds give more once they exist.
Attr = Literal["sid", "domain_name", "webhook_url", "phone_number"]
ATTRS: frozenset[str] = frozenset(get_args(Attr))


@dataclass(frozen=True, order=True)
class Ref:
    """The ``attr`` of resource ``kind/key``, filled in once that resource is live."""

    kind: str
    key: str
    attr: str

    @property
    def target(self) -> str:
        """The resource id it refers to."""
        return f"{self.kind}/{self.key}"

    def __str__(self) -> str:
        return f"{self.target}.{self.attr}"

    def as_json(self) -> dict[str, str]:
        return {"$ref": str(self)}


@dataclass(frozen=True)
class Joined:
    """Text render builds around references (``https://<domain>/hours``): its parts in order, literal or not."""

    parts: tuple[str | Ref, ...]

    def as_json(self) -> dict[str, list[Any]]:
        return {"$join": [p if isinstance(p, str) else p.as_json() for p in self.parts]}


def ref(kind: str, key: str, attr: Attr) -> Ref:
    if attr not in ATTRS:  # typed, but a kind registered at run time could still ask
        raise ValueError(f"no resource gives {attr!r}; references give {', '.join(sorted(ATTRS))}")
    return Ref(kind, key, attr)


def join(*parts: str | Ref | Joined) -> Joined:
    """One text of literal parts and references; nested joins flattened, adjacent literals merged, empty ones
    left out."""
    flat: list[str | Ref] = []
    for part in (p for whole in parts for p in (whole.parts if isinstance(whole, Joined) else (whole,))):
        if isinstance(part, str) and flat and isinstance(flat[-1], str):
            flat[-1] += part
        elif part != "":
            flat.append(part)
    return Joined(tuple(flat))


_LEAVES: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def refs_in(value: Any) -> Iterator[Ref]:
    """Every reference inside a value, in document order. Strings hold none, whatever they say."""
    kind = type(value)
    if kind in _LEAVES:  # most of a flow: tested first, as an ABC's isinstance costs ten times more
        return
    if kind is Ref:
        yield value
    elif kind is Joined:
        yield from (p for p in value.parts if isinstance(p, Ref))
    elif kind is dict or isinstance(value, Mapping):
        for v in value.values():
            yield from refs_in(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from refs_in(v)


Lookup = Callable[[Ref], str | None]


def fill(value: Any, lookup: Lookup, *, unknown: str | None = None) -> Any:
    """The value with every reference replaced by what ``lookup`` answers for it, and nothing else changed.

    Where ``lookup`` has no answer (None) the reference becomes ``unknown``; without ``unknown``, that is an
    :class:`~deh_deploy.errors.UnresolvedReference`, so that a reference never reaches Twilio unfilled."""

    def one(r: Ref) -> str:
        got = lookup(r)
        if got is not None:
            return got
        if unknown is None:
            raise UnresolvedReference(f"{r} is not known yet")
        return unknown

    def walk(v: Any) -> Any:
        kind = type(v)
        if kind in _LEAVES:
            return v
        if kind is Ref:
            return one(v)
        if kind is Joined:
            return "".join(p if isinstance(p, str) else one(p) for p in v.parts)
        if kind is dict or isinstance(v, Mapping):
            return {k: walk(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return [walk(x) for x in v]
        return v

    return walk(value)


def json_form(value: Any) -> Any:
    """``json.dumps``'s ``default`` for files: how a reference is written. Anything else is not JSON."""
    if isinstance(value, Ref | Joined):
        return value.as_json()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def shown_form(value: Any) -> Any:
    """``json.dumps``'s ``default`` for what is shown and compared: a reference as in files, anything else as text."""
    return value.as_json() if isinstance(value, Ref | Joined) else str(value)
