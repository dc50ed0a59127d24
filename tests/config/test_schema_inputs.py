"""Values that pass a naive schema check and then fail: non-finite numbers and patterns that let a trailing
newline through. Each test walks the whole published schema, so a property added later is covered too."""

from __future__ import annotations

import copy
import json
import math
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from deh_deploy.config.document import Document, read_document
from deh_deploy.config.loader import Positions, format_path
from deh_deploy.config.schema import NO_NEWLINE, HubValidator, check_schema, published_schema

from .hubcase import HUNGARY

SCHEMA = published_schema()
DATA_KEYWORDS = {"examples", "enum", "const", "required", "default"}
# The channels part of the schema is being reworked elsewhere; its patterns get the guard with that work.
# deh validate refuses a line break in them all the same (test_deh_validate_refuses_a_line_break_for_every_pattern).


def patterns(node: Any, pointer: str = "#") -> Iterator[tuple[str, str]]:
    """Every ``pattern`` keyword in the schema (propertyNames included), with its JSON pointer."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield f"{pointer}/pattern", value
            elif key not in DATA_KEYWORDS:
                yield from patterns(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from patterns(value, f"{pointer}/{i}")


def example_strings(node: Any) -> Iterator[str]:
    """Every string in the schema's examples, keys of example mappings included: samples for the patterns."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "examples":
                yield from _strings(value)
            else:
                yield from example_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from example_strings(value)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


PATTERNS = list(patterns(SCHEMA))
SAMPLES = sorted(set(example_strings(SCHEMA)))


def _sample(pattern: str) -> str:
    found = [s for s in SAMPLES if re.search(pattern, s)]
    assert found, f"no example in the schema matches {pattern!r}; add one to the property's examples"
    return found[0]


def test_the_walk_finds_the_patterns() -> None:
    pointers = {p for p, _ in PATTERNS}
    assert "#/properties/slug/pattern" in pointers
    assert "#/properties/topics/propertyNames/pattern" in pointers
    assert "#/$defs/environment/properties/account_sid/pattern" in pointers
    assert len(PATTERNS) > 50


@pytest.mark.parametrize(("pointer", "pattern"), PATTERNS, ids=[p for p, _ in PATTERNS])
def test_every_pattern_matches_the_whole_value_with_python_re(pointer: str, pattern: str) -> None:
    """Plain jsonschema uses ``re.search``, whose ``$`` also matches before a final newline."""
    sample = _sample(pattern)
    assert pattern.startswith("^" + NO_NEWLINE) and pattern.endswith("$"), pattern
    for bad in (f"{sample}\n", f"{sample}\nx", f"\n{sample}"):
        assert re.search(pattern, bad) is None, f"{pointer}: {bad!r} passes {pattern!r}"


def test_every_pattern_matches_the_whole_value_in_ecma_262_too() -> None:
    """Editors read the schema with JavaScript's regular expressions: the guard must work there the same."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH")
    cases = [(p, _sample(p)) for _ptr, p in PATTERNS]
    script = (
        "const cases = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(cases.map(([p, s]) => [new RegExp(p, 'u').test(s),"
        " new RegExp(p, 'u').test(s + '\\n'), new RegExp(p, 'u').test(s + '\\nx')])));"
    )
    ran = subprocess.run(
        [node, "-e", script, json.dumps(cases)], capture_output=True, text=True, timeout=60, check=True
    )
    results = json.loads(ran.stdout)
    wrong = [(p, s, r) for (p, s), r in zip(cases, results, strict=True) if r != [True, False, False]]
    assert wrong == []


def _hungary() -> Document:
    doc = read_document(HUNGARY)
    assert not doc.diagnostics
    return doc


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target: dict[str, Any] = SCHEMA["$defs"][ref.removeprefix("#/$defs/")]
        return target
    return schema


def numbers(
    schema: dict[str, Any], path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every place of a hub document that takes a number: (path, type). A map's values are reached through
    the key ``*`` (a key of Hungary's there, or a new one), a list's items through index 0."""
    schema = _resolve(schema)
    kind = schema.get("type")
    if kind in ("number", "integer"):
        yield path, kind
    for name, sub in schema.get("properties", {}).items():
        yield from numbers(sub, (*path, name))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        for option in extra.get("oneOf", [extra]):
            yield from numbers(option, (*path, "*"))
    items = schema.get("items")
    if isinstance(items, dict):
        for option in items.get("oneOf", [items]):
            yield from numbers(option, (*path, 0))


NUMBERS = sorted(set(numbers(SCHEMA)), key=str)


def _inject(data: dict[str, Any], path: tuple[str | int, ...], value: float) -> tuple[str | int, ...]:
    """``value`` at ``path`` in a copy-in-place of ``data``, creating what is missing; the concrete path."""
    node: Any = data
    concrete: list[str | int] = []
    for i, part in enumerate(path):
        last = i == len(path) - 1
        if part == "*":
            part = next(iter(node), "x") if node else "x"
        if isinstance(part, int):
            while len(node) <= part:
                node.append({})
        elif part not in node or not isinstance(node[part], dict | list):
            node[part] = value if last else ([] if isinstance(path[i + 1], int) else {})
        concrete.append(part)
        if last:
            node[part] = value
        else:
            node = node[part]
    return tuple(concrete)


def test_the_walk_finds_the_numbers() -> None:
    paths = {format_path(p) for p, _ in NUMBERS}
    assert "$.environments.*.safety.update_threshold" in {p.replace("['*']", ".*") for p in paths}
    assert len(NUMBERS) >= 6


@pytest.mark.parametrize(("path", "kind"), NUMBERS, ids=[format_path(p) for p, _ in NUMBERS])
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf], ids=[".nan", ".inf", "-.inf"])
def test_every_number_in_the_schema_refuses_nan_and_infinity(
    path: tuple[str | int, ...], kind: str, value: float
) -> None:
    base = _hungary()
    data = copy.deepcopy(base.data)
    where = _inject(data, path, value)
    doc = Document(base.path, base.name, data, Positions())
    messages = [d.message for d in check_schema(doc) if d.path == format_path(where)]
    word = ".nan" if math.isnan(value) else ".inf"
    assert messages, f"{format_path(where)}: {value} passes"
    assert any(m.startswith(("-" if value < 0 else "") + word) and "write a" in m for m in messages), messages
    assert kind in ("number", "integer")  # what the walk looked for


@pytest.mark.parametrize(("pointer", "pattern"), PATTERNS, ids=[p for p, _ in PATTERNS])
@pytest.mark.parametrize("line_break", ["\n", "\r", "\u2028"], ids=["LF", "CR", "LINE SEPARATOR"])
def test_deh_validate_refuses_a_line_break_for_every_pattern(
    pointer: str, pattern: str, line_break: str
) -> None:
    """Whatever a pattern's text, deh validate refuses a line break in a value that a pattern constrains."""
    validator = HubValidator(SCHEMA).evolve(schema={"pattern": pattern})
    sample = _sample(pattern)
    assert list(validator.iter_errors(sample)) == []
    assert list(validator.iter_errors(sample + line_break)), pointer
