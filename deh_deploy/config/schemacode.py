"""Write the hub schema as Python: ``hub_check.is_valid(data)`` answers whether a document passes the schema as
``deh validate`` applies it (:data:`deh_deploy.config.schema.HubValidator`), without importing ``jsonschema``.

Most documents ``deh validate`` sees are valid, and for them importing ``jsonschema`` and building its validator
was most of the command's time. A valid document now needs only this module; an invalid one (or a channel table
with a channel registered at run time) is checked by ``jsonschema`` as before, so every message is its own.

    python -m deh_deploy.config.schemacode --write   # after changing hub.schema.json or a channel's schema
    python -m deh_deploy.config.schemacode --check   # exit 1 when hub_check.py is stale (a test does the same)

Only the keywords the schema uses are written; any other keyword stops the generator, so that a schema that grows
one cannot be checked more loosely here than by ``jsonschema``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).resolve().parent / "hub_check.py"
# Keywords that say nothing about validity.
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default", "deprecated"}
)
TYPES = {
    "string": "isinstance({x}, str)",
    "object": "isinstance({x}, dict)",
    "array": "isinstance({x}, list)",
    "boolean": "isinstance({x}, bool)",
    "null": "{x} is None",
    "integer": "_integer({x})",
    "number": "_number({x})",
}
# The keywords that apply to one type of value only, and the type.
STRING_KEYS = ("pattern", "minLength", "maxLength")
NUMBER_KEYS = ("minimum", "maximum")
OBJECT_KEYS = (
    "required",
    "properties",
    "additionalProperties",
    "propertyNames",
    "minProperties",
    "maxProperties",
)
ARRAY_KEYS = ("items", "minItems", "maxItems", "uniqueItems")
OTHER_KEYS = ("type", "enum", "const", "oneOf", "anyOf", "allOf", "not", "if", "then", "else", "$ref")
KNOWN = frozenset((*STRING_KEYS, *NUMBER_KEYS, *OBJECT_KEYS, *ARRAY_KEYS, *OTHER_KEYS)) | ANNOTATIONS

HEADER = '''"""Whether a document passes the hub schema, as ``deh validate`` applies it; written by
``python -m deh_deploy.config.schemacode --write`` from hub.schema.json and the built-in channel table. Do not edit:
a test regenerates it and compares."""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

_LINE_BREAK = re.compile("[\\n\\r\\v\\f\\x85\\u2028\\u2029]")
_compiled: dict[int, re.Pattern[str]] = {}


def _search(index: int, text: str) -> bool:
    """Whether the schema's pattern ``index`` matches, compiled the first time it is needed."""
    pattern = _compiled.get(index)
    if pattern is None:
        pattern = _compiled[index] = re.compile(_PATTERNS[index])
    return pattern.search(text) is not None


def _integer(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _number(x: Any) -> bool:
    """Finite numbers only, as the hub validator's type checker says."""
    return isinstance(x, numbers.Number) and not isinstance(x, bool) and math.isfinite(x)  # type: ignore[arg-type]


def _plain(x: Any) -> Any:
    """True and False are not 1 and 0 when values are compared."""
    return ("bool", x) if isinstance(x, bool) else x


def _equal(a: Any, b: Any) -> bool:
    """JSON equality: a string equals only a string, lists and mappings compare item by item, booleans apart."""
    if a is b:
        return True
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_equal(i, j) for i, j in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and _equal(v, b[k]) for k, v in a.items())
    return bool(_plain(a) == _plain(b))


def _unique(x: list[Any]) -> bool:
    if all(isinstance(i, str) for i in x):
        return len(set(x)) == len(x)
    return not any(_equal(x[i], x[j]) for i in range(len(x)) for j in range(i + 1, len(x)))


def is_valid(data: Any) -> bool:
    """Whether ``data`` passes the hub schema."""
    return _s0(data)
'''


def _literal(value: Any) -> str:
    """A Python literal for a JSON value, written the way ruff format leaves it."""
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        items = [_literal(v) for v in value]
        return f"({items[0]},)" if len(items) == 1 else "(" + ", ".join(items) + ")"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)}: {_literal(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"not a JSON value: {value!r}")


class Writer:
    """One function per distinct subschema (annotations aside), tables of patterns and key sets beside them."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        self.names: dict[str, str] = {}
        self.bodies: list[str] = []
        self.todo: list[tuple[str, Any]] = []
        self.patterns: list[str] = []
        self.tables: dict[str, str] = {}

    def source(self) -> str:
        self.function(self.root)
        while self.todo:
            name, schema = self.todo.pop(0)
            self.bodies.append(self.body(name, schema))
        patterns = "".join(f"    {_literal(p)},\n" for p in self.patterns)
        tables = "".join(f"{name}: {text}\n" for text, name in self.tables.items())
        return (
            HEADER
            + f"\n\n_PATTERNS = (\n{patterns})\n{tables}"
            + "".join(f"\n\n{body}" for body in self.bodies)
        )

    def function(self, schema: Any) -> str:
        """The name of the function that checks ``schema``, queued for writing the first time it is asked for."""
        if schema is True or schema is False or schema == {}:
            key = json.dumps(schema is not False)
        else:
            key = json.dumps(self.strip(schema), sort_keys=True)
        if key not in self.names:
            self.names[key] = f"_s{len(self.names)}"
            self.todo.append((self.names[key], schema))
        return self.names[key]

    def strip(self, schema: Any) -> Any:
        if not isinstance(schema, dict):
            return schema
        unknown = set(schema) - KNOWN
        if unknown:
            raise ValueError(f"keyword(s) not supported by the generator: {', '.join(sorted(unknown))}")
        return {k: v for k, v in schema.items() if k not in ANNOTATIONS}

    def table(self, text: str) -> str:
        return self.tables.setdefault(text, f"_T{len(self.tables)}")

    def pattern(self, pattern: str) -> int:
        if pattern not in self.patterns:
            self.patterns.append(pattern)
        return self.patterns.index(pattern)

    def body(self, name: str, schema: Any) -> str:
        head = f"def {name}(x: Any) -> bool:\n"
        if schema is False:
            return head + "    return False\n"
        if schema is True or not isinstance(schema, dict):
            return head + "    return True\n"
        schema = self.strip(schema)
        lines: list[str] = []
        types = schema.get("type")
        single = types if isinstance(types, str) else None
        if types is not None:
            names = [types] if isinstance(types, str) else list(types)
            test = " or ".join(TYPES[t].format(x="x") for t in names)
            lines.append(f"if not ({test}):" if len(names) > 1 else f"if not {test}:")
            lines.append("    return False")
        for keys, kind, guard in (
            (STRING_KEYS, "string", "isinstance(x, str)"),
            (NUMBER_KEYS, "number", "_number(x)"),
            (OBJECT_KEYS, "object", "isinstance(x, dict)"),
            (ARRAY_KEYS, "array", "isinstance(x, list)"),
        ):
            checks = [line for key in keys if key in schema for line in self.keyword(key, schema)]
            if not checks:
                continue
            if single is None:
                lines.append(f"if {guard}:")
                lines += [f"    {line}" for line in checks]
            elif single == kind or (kind == "number" and single == "integer"):
                lines += checks  # the type is checked already
            # else: a value of the schema's type is never of this kind, so these keywords never apply
        for key in OTHER_KEYS:
            if key in schema and key not in ("type", "then", "else"):
                lines += self.keyword(key, schema)
        lines.append("return True")
        return head + "".join(f"    {line}\n" for line in lines)

    def keyword(self, key: str, schema: dict[str, Any]) -> list[str]:
        value = schema[key]
        fail = "    return False"
        if key == "pattern":
            return [f"if _LINE_BREAK.search(x) or not _search({self.pattern(value)}, x):", fail]
        if key in ("minLength", "minItems", "minProperties"):
            return [f"if len(x) < {value!r}:", fail]
        if key in ("maxLength", "maxItems", "maxProperties"):
            return [f"if len(x) > {value!r}:", fail]
        if key == "minimum":
            return [f"if x < {value!r}:", fail]
        if key == "maximum":
            return [f"if x > {value!r}:", fail]
        if key == "required":
            return [line for k in value for line in (f"if {_literal(k)} not in x:", fail)]
        if key == "properties":
            return [
                line
                for k, sub in value.items()
                for line in (f"if {_literal(k)} in x and not {self.function(sub)}(x[{_literal(k)}]):", fail)
            ]
        if key == "additionalProperties":
            if value is True or value == {}:
                return []
            known = self.table(
                "frozenset[str] = frozenset(" + _literal(list(schema.get("properties", {}))) + ")"
            )
            if value is False:
                return [f"if any(k not in {known} for k in x):", fail]
            check = self.function(value)
            return [f"if any(k not in {known} and not {check}(v) for k, v in x.items()):", fail]
        if key == "propertyNames":
            return [f"if not all({self.function(value)}(k) for k in x):", fail]
        if key == "items":
            if value is False:
                return ["if x:", fail]
            return [f"if not all({self.function(value)}(i) for i in x):", fail]
        if key == "uniqueItems":
            return ["if not _unique(x):", fail] if value else []
        if key == "enum":
            if all(isinstance(v, str) for v in value):
                options = self.table("frozenset[str] = frozenset(" + _literal(list(value)) + ")")
                return [f"if not (isinstance(x, str) and x in {options}):", fail]
            values = self.table("tuple[Any, ...] = " + _literal(list(value)))
            return [f"if not any(_equal(e, x) for e in {values}):", fail]
        if key == "const":
            return [f"if not _equal(x, {_literal(value)}):", fail]
        if key == "oneOf":
            calls = ", ".join(f"{self.function(s)}(x)" for s in value)
            return [f"if [{calls}].count(True) != 1:", fail]
        if key == "anyOf":
            return [f"if not ({' or '.join(f'{self.function(s)}(x)' for s in value)}):", fail]
        if key == "allOf":
            return [f"if not ({' and '.join(f'{self.function(s)}(x)' for s in value)}):", fail]
        if key == "not":
            return [f"if {self.function(value)}(x):", fail]
        if key == "if":
            lines = [f"if {self.function(value)}(x):"]
            then, otherwise = schema.get("then"), schema.get("else")
            lines += (
                [f"    if not {self.function(then)}(x):", "        return False"] if then is not None else []
            )
            lines += ["    pass"] if then is None else []
            if otherwise is not None:
                lines += [f"elif not {self.function(otherwise)}(x):", fail]
            return lines
        if key == "$ref":
            return [f"if not {self.function(self.resolve(value))}(x):", fail]
        raise ValueError(f"keyword not supported by the generator: {key}")

    def resolve(self, ref: str) -> Any:
        """A reference inside the schema (``#/$defs/name``); any other stops the generator."""
        if not ref.startswith("#/"):
            raise ValueError(f"reference not supported by the generator: {ref}")
        node: Any = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


def source(schema: dict[str, Any]) -> str:
    """``hub_check.py``'s text for a schema."""
    return Writer(schema).source()


def current() -> str:
    """``hub_check.py``'s text for the published schema and the built-in channel table."""
    from deh_deploy import channels
    from deh_deploy.config.schema import hub_schema

    return source(hub_schema(channels.table()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deh_deploy.config.schemacode", description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="rewrite hub_check.py")
    mode.add_argument("--check", action="store_true", help="exit 1 when hub_check.py is stale")
    args = parser.parse_args(argv)
    wanted = current()
    if TARGET.exists() and TARGET.read_text(encoding="utf-8") == wanted:
        print(f"identical {TARGET.name}")
        return 0
    if args.check:
        print(f"stale     {TARGET.name}")
        return 1
    TARGET.write_text(wanted, encoding="utf-8")
    print(f"overwrite {TARGET.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
