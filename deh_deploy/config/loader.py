"""Load YAML into plain data while remembering where every value came from.

Hostile input is stopped here, before anything is built from it: files that are too large, binary or not UTF-8,
nesting that is too deep, alias bombs, duplicate keys and tags other than YAML's plain core types
(``!!python/object`` and friends). Each problem becomes one :class:`Diagnostic` with the file, line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from deh_deploy.diagnostics import Diagnostic
from deh_deploy.inputs import MAX_BYTES, MAX_DEPTH, InputProblem, NotAFile, read_text

__all__ = ["MAX_BYTES", "MAX_DEPTH", "Loaded", "Positions", "format_path", "iter_paths", "load", "loads"]
MAX_NODES = 200_000
MAX_DIGITS = 100  # no setting needs a longer number; Python refuses to convert more than 4,300 digits at all

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {f"{_TAG}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}

JsonPath = tuple[str | int, ...]


def format_path(path: JsonPath) -> str:
    """``("topics", "cva", "queue")`` → ``$.topics.cva.queue``; list indices as ``[0]``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("_", "").replace("-", "").isalnum():
            out += f".{part}"
        else:
            out += f"[{part!r}]"
    return out


@dataclass
class Positions:
    """Where each JSON path of a document starts: ``path -> (file, line, col)`` (1-based).

    Keys are recorded at the key itself (``key``) and values at the value (``value``); an error about a value
    points at the value, an error about a missing or unknown key points at the mapping or key.
    """

    value: dict[JsonPath, tuple[str, int, int]] = field(default_factory=dict)
    key: dict[JsonPath, tuple[str, int, int]] = field(default_factory=dict)
    # Where each scalar is written: start and end index in its file's text, and its style ('"' double-quoted).
    span: dict[JsonPath, tuple[int, int, str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # file name → its text, for locate_char

    def locate(self, path: JsonPath, *, prefer_key: bool = False) -> tuple[str, int, int]:
        """The closest known position for ``path``, walking up to the nearest recorded ancestor."""
        p = path
        while True:
            if prefer_key and p in self.key:
                return self.key[p]
            if p in self.value:
                return self.value[p]
            if p in self.key:
                return self.key[p]
            if not p:
                return ("", 0, 0)
            p = p[:-1]

    def locate_char(self, path: JsonPath, value: str, index: int) -> tuple[str, int, int]:
        """Where ``value[index]``, a character of the string at ``path``, is written: the character itself, or its
        escape (``\\u200b``) in a double-quoted string. The string's own position when that cannot be told (a
        character that came from folding lines, say)."""
        file, line, col = self.locate(path)
        span, text = self.span.get(path), self.sources.get(file)
        if span is None or text is None or path not in self.value:
            return file, line, col
        start, end, style = span
        char = value[index]
        nth = value.count(char, 0, index)
        written = [
            m for m in _written(char, double_quoted=style == '"').finditer(text, start, end) if m["hit"]
        ]
        if nth >= len(written):
            return file, line, col
        at = written[nth].start()
        breaks = list(_BREAK.finditer(text, start, at))
        if not breaks:
            return file, line, col + at - start
        return file, line + len(breaks), at - breaks[-1].end() + 1

    def graft(self, other: Positions, prefix: JsonPath) -> None:
        """Add another document's positions below ``prefix`` (used for included files)."""
        for p, pos in other.value.items():
            self.value[prefix + p] = pos
        for p, pos in other.key.items():
            self.key[prefix + p] = pos
        for p, span in other.span.items():
            self.span[prefix + p] = span
        self.sources.update(other.sources)


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a line break
_SHORT_ESCAPES = {
    "\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f", "\r": "r", "\x1b": "e",
    "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P",
}  # fmt: skip


@cache
def _written(char: str, *, double_quoted: bool) -> re.Pattern[str]:
    """How ``char`` can be written in a scalar: as itself, or in a double-quoted one as an escape. An escaped
    backslash is matched too (and skipped by the caller), so ``\\\\u200b`` is not taken for the escape."""
    forms = [re.escape(char)]
    if double_quoted:
        code = ord(char)
        forms += [f"\\\\U{code:08x}"] + ([f"\\\\u{code:04x}"] if code < 0x10000 else [])
        forms += [f"\\\\x{code:02x}"] if code < 0x100 else []
        forms += [re.escape("\\" + _SHORT_ESCAPES[char])] if char in _SHORT_ESCAPES else []
    return re.compile(f"\\\\\\\\|(?P<hit>{'|'.join(forms)})", re.IGNORECASE if double_quoted else 0)


@dataclass(frozen=True)
class Loaded:
    data: Any
    positions: Positions
    diagnostics: list[Diagnostic]


class _Problem(Exception):
    def __init__(self, line: int, col: int, path: JsonPath, message: str) -> None:
        super().__init__(message)
        self.line, self.col, self.path, self.message = line, col, path, message


def _check_events(text: str) -> None:
    """Stream the parser's events (iterative, so no recursion limit) to stop deep nesting early."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                m = event.start_mark
                line, col = (m.line + 1, m.column + 1) if m is not None else (0, 0)
                raise _Problem(line, col, (), f"nesting deeper than {MAX_DEPTH} levels")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes the document has once aliases are expanded (memoised, so a bomb is counted, not built)."""
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        n, done = stack.pop()
        if id(n) in memo:
            continue
        children: list[yaml.Node] = []
        if isinstance(n, yaml.SequenceNode):
            children = list(n.value)
        elif isinstance(n, yaml.MappingNode):
            children = [c for kv in n.value for c in kv]
        if done or not children:
            memo[id(n)] = 1 + sum(memo[id(c)] for c in children)
            if memo[id(n)] > MAX_NODES:
                m = n.start_mark
                raise _Problem(
                    m.line + 1,
                    m.column + 1,
                    (),
                    f"document expands to more than {MAX_NODES:,} nodes (an alias bomb?)",
                )
            continue
        stack.append((n, True))
        stack.extend((c, False) for c in children if id(c) not in memo)
    return memo[id(node)]


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.positions = Positions()
        self.problems: list[_Problem] = []

    def where(self, node: yaml.Node) -> tuple[str, int, int]:
        return (self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def build(self, node: yaml.Node, path: JsonPath) -> Any:
        self.positions.value[path] = self.where(node)
        if node.tag not in _PLAIN_TAGS:
            raise _Problem(
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                path,
                f"tag {node.tag.replace(_TAG, '!!')} is not allowed; use plain YAML values",
            )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        self.positions.span[path] = (node.start_mark.index, node.end_mark.index, node.style or "")
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: JsonPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == f"{_TAG}merge":
                raise _Problem(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    path,
                    "merge keys (<<) are not supported; write the keys out",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Problem(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    path,
                    "a mapping key must be a plain string",
                )
            key = str(key_node.value)
            if key in out:
                first = self.positions.key[(*path, key)]
                raise _Problem(
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                    (*path, key),
                    f"duplicate key {key!r} (first defined at line {first[1]})",
                )
            self.positions.key[(*path, key)] = self.where(key_node)
            out[key] = self.build(value_node, (*path, key))
        return out

    @staticmethod
    def _scalar(node: yaml.ScalarNode, path: JsonPath) -> Any:
        """YAML 1.2 core-schema values: ``no``/``on`` stay strings (country ``NO``), ``17:00`` stays a string."""
        tag = node.tag.removeprefix(_TAG)
        value = str(node.value)
        if tag == "null":
            return None
        if tag == "bool" and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if tag in ("int", "float") and len(value) > MAX_DIGITS:
            raise _Problem(
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                path,
                f"a number with {len(value):,} digits is too long; no setting takes more than {MAX_DIGITS}",
            )
        if tag == "int" and _INT.fullmatch(value):
            return int(value.replace("0o", ""), 8) if "0o" in value else int(value, 0)
        if tag == "float" and _FLOAT.fullmatch(value):
            lowered = value.lower()
            if lowered.endswith(".nan"):
                return float("nan")
            if lowered.endswith(".inf"):
                return float("-inf") if lowered.startswith("-") else float("inf")
            return float(value)
        if tag == "str" and not node.style and _OCTAL.fullmatch(value):
            return int(value[2:], 8)  # YAML 1.2 octal, which PyYAML's 1.1 resolver leaves a string
        return value  # str, timestamp and YAML 1.1 oddities: keep the text


_OCTAL = re.compile(r"0o[0-7]+")
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def loads(text: str, *, name: str) -> Loaded:
    """Parse one YAML document of text. Never raises for bad input: problems come back as diagnostics."""
    builder = _Builder(name)
    builder.positions.sources[name] = text
    try:
        _check_events(text)
        node = yaml.compose(text, Loader=_Loader)
        if node is None:
            return Loaded(None, builder.positions, [Diagnostic(name, 1, 1, "$", "file is empty")])
        _expanded_size(node, {})
        data = builder.build(node, ())
    except _Problem as p:
        return Loaded(
            None, builder.positions, [Diagnostic(name, p.line, p.col, format_path(p.path), p.message)]
        )
    except yaml.MarkedYAMLError as exc:
        from deh_deploy.config.yamlerrors import explain, key_path

        why = explain(text, exc, loader=_Loader)
        where = format_path(key_path(text, why.line))
        return Loaded(None, builder.positions, [Diagnostic(name, why.line, why.col, where, why.message)])
    except yaml.YAMLError as exc:
        return Loaded(None, builder.positions, [Diagnostic(name, 0, 0, "$", f"invalid YAML: {exc}")])
    except RecursionError:
        return Loaded(None, builder.positions, [Diagnostic(name, 0, 0, "$", "nesting too deep")])
    return Loaded(data, builder.positions, [])


def load(path: Path, *, name: str | None = None) -> Loaded:
    """Read and parse a file. A file that is too large, binary or not UTF-8 comes back as a diagnostic; one that
    cannot be opened raises ``OSError``, and one that is not a regular file ``NotAFile``, for the caller to word."""
    shown = name or str(path)
    try:
        text = read_text(path)
    except NotAFile:
        raise
    except InputProblem as problem:
        return Loaded(None, Positions(), [Diagnostic(shown, problem.line, problem.col, "$", problem.message)])
    return loads(text, name=shown)


def iter_paths(data: Any, path: JsonPath = ()) -> Iterator[tuple[JsonPath, Any]]:
    """Every (path, value) pair in plain data, depth first."""
    yield path, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from iter_paths(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from iter_paths(v, (*path, i))
