"""The published schema (``schemas/hub.schema.json``) is a contract with editors and CI: valid JSON Schema
2020-12, every property documented with a description and examples, no object open to unknown keys, and
Hungary valid against it with plain ``jsonschema`` and with ``check-jsonschema``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schemas" / "hub.schema.json"
HUNGARY = ROOT / "country_configs" / "hungary"
SCHEMA: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
SKIP = {"examples", "enum", "const", "required", "default"}  # keywords whose values are data, not schemas


def subschemas(node: Any, pointer: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside the schema, with its JSON pointer."""
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            if key in SKIP:
                continue
            if key in ("properties", "$defs", "patternProperties"):
                for name, sub in value.items():
                    yield from subschemas(sub, f"{pointer}/{key}/{name}")
            elif isinstance(value, dict):
                yield from subschemas(value, f"{pointer}/{key}")
            elif isinstance(value, list):
                for i, sub in enumerate(value):
                    yield from subschemas(sub, f"{pointer}/{key}/{i}")


def resolve(schema: dict[str, Any]) -> dict[str, Any]:
    """A property that is only a ``$ref`` is documented by the definition it points to."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/") and set(schema) == {"$ref"}:
        target: dict[str, Any] = SCHEMA["$defs"][ref.removeprefix("#/$defs/")]
        return target
    return schema


PROPERTIES = [
    (p, s) for p, s in subschemas(SCHEMA) if "/properties/" in p and p.rsplit("/", 2)[-2] == "properties"
]
OBJECTS = [(p, s) for p, s in subschemas(SCHEMA) if s.get("type") == "object" or "properties" in s]


def test_the_schema_is_valid_json_schema_2020_12_with_an_id() -> None:
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$id"].startswith("https://") and SCHEMA["$id"].endswith("/hub.schema.json")
    assert SCHEMA.get("title") and SCHEMA.get("description")


def test_the_walk_sees_the_whole_schema() -> None:
    """Guards the walk below: it must reach properties at depth, inside $defs and below map values."""
    pointers = {p for p, _ in PROPERTIES}
    assert len(pointers) > 100
    assert "#/$defs/translation/properties/messages/properties/welcome" in pointers
    assert "#/properties/topics/additionalProperties/properties/queue" in pointers
    assert "#/properties/hours/properties/weekly/properties/mon" in pointers


def _documented(key: str) -> list[Any]:
    return [pytest.param(pointer, schema, id=pointer) for pointer, schema in PROPERTIES]


@pytest.mark.parametrize(("pointer", "schema"), _documented("description"))
def test_every_property_has_a_description(pointer: str, schema: dict[str, Any]) -> None:
    description = resolve(schema).get("description")
    assert isinstance(description, str) and description.strip(), pointer


@pytest.mark.parametrize(("pointer", "schema"), _documented("examples"))
def test_every_property_has_examples(pointer: str, schema: dict[str, Any]) -> None:
    examples = resolve(schema).get("examples")
    assert isinstance(examples, list) and examples, pointer


def test_every_example_is_valid_for_its_own_schema() -> None:
    root = Draft202012Validator(SCHEMA)
    offenders = []
    for pointer, schema in subschemas(SCHEMA):
        for i, example in enumerate(schema.get("examples", [])):
            error = next(iter(root.evolve(schema=schema).iter_errors(example)), None)
            if error is not None:
                offenders.append(f"{pointer}/examples/{i}: {error.message}")
    assert offenders == []


def test_every_object_is_closed_to_unknown_keys() -> None:
    """An object with named properties has ``additionalProperties: false``; a map (ids to values) gives a
    schema for its values instead, so no key is ever accepted unchecked."""
    offenders = []
    for pointer, schema in OBJECTS:
        extra = schema.get("additionalProperties")
        if "properties" in schema and extra is not False:
            offenders.append(f"{pointer}: additionalProperties is {extra!r}, not false")
        if "properties" not in schema and not (isinstance(extra, dict) and extra):
            offenders.append(f"{pointer}: a map without a schema for its values")
    assert offenders == []


def _hungary() -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    hub = yaml.safe_load((HUNGARY / "hub.yaml").read_text(encoding="utf-8"))
    texts = {
        lang: yaml.safe_load((HUNGARY / ref).read_text(encoding="utf-8"))
        for lang, ref in hub["translations"].items()
    }
    return hub, texts


def test_hungary_validates_against_the_published_schema_with_plain_jsonschema() -> None:
    hub, texts = _hungary()
    validator = Draft202012Validator(SCHEMA)
    assert [e.message for e in validator.iter_errors(hub)] == []
    translation = validator.evolve(schema={"$ref": "#/$defs/translation"})
    for lang, text in texts.items():
        assert [e.message for e in translation.iter_errors(text)] == [], lang


def test_the_published_schema_rejects_what_deh_validate_rejects() -> None:
    """The schema really constrains: a typo'd key and a wrong type are caught by plain jsonschema too."""
    hub, _ = _hungary()
    hub["channels"]["voice"]["gather_timout"] = 5
    hub["channels"]["sms"]["max_segments"] = "three"
    errors = {(tuple(e.absolute_path), e.validator) for e in Draft202012Validator(SCHEMA).iter_errors(hub)}
    assert errors == {
        (("channels", "voice"), "additionalProperties"),
        (("channels", "sms", "max_segments"), "type"),
    }


@pytest.mark.slow  # check-jsonschema in a process of its own
def test_check_jsonschema_accepts_hungary_with_the_published_schema(tmp_path: Path) -> None:
    def check(file: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA_FILE), str(file)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    good = check(HUNGARY / "hub.yaml")
    assert good.returncode == 0, good.stdout + good.stderr
    broken = tmp_path / "hub.yaml"
    broken.write_text(
        (HUNGARY / "hub.yaml").read_text(encoding="utf-8").replace("slug: hungary", "slug: Hungary"),
        encoding="utf-8",
    )
    bad = check(broken)
    assert bad.returncode == 1
    assert "$.slug" in bad.stdout
