"""The hub schema written as Python (``hub_check``) is the schema: regenerated from hub.schema.json and the channel
table it is identical, and it accepts exactly what jsonschema accepts, on every fixture and on a few thousand
documents that each differ from Hungary's in one value."""

from __future__ import annotations

import copy
import math
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deh_deploy import channels
from deh_deploy.config import read_document
from deh_deploy.config.hub_check import is_valid
from deh_deploy.config.schema import HubValidator, check_schema, hub_schema
from deh_deploy.config.schemacode import TARGET, current

from .hubcase import build_hub, case_files, load_case

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = HubValidator(hub_schema(channels.table()))
# Values put in place of another, one at a time: each type, the edges the hub validator treats apart.
ODD_VALUES: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    1,
    -1,
    1.0,
    1.5,
    100000,
    math.nan,
    math.inf,
    "",
    "x",
    "x\n",
    "x\u2028",
    "+3612345678",
    "AC" + "0" * 32,
    "staging",
    "local",
    "a" * 300,
    [],
    ["a"],
    ["a", "a"],
    [1, True],
    {},
    {"x": 1},
)


def test_regenerated_it_is_identical() -> None:
    assert TARGET.read_text(encoding="utf-8") == current(), (
        "run python -m deh_deploy.config.schemacode --write"
    )


def _documents(tmp: Path) -> Iterator[tuple[str, Any]]:
    for folder in sorted((ROOT / "country_configs").iterdir()):
        yield folder.name, read_document(folder).data
    for kind in ("positive", "negative"):
        for path in case_files(kind):
            case = load_case(path)
            yield case.name, read_document(build_hub(case, tmp / kind)).data


def test_every_fixture_is_judged_as_jsonschema_judges_it(tmp_path: Path) -> None:
    seen = 0
    for name, data in _documents(tmp_path):
        if data is None:
            continue
        seen += 1
        assert is_valid(data) == VALIDATOR.is_valid(data), name
    assert seen > 50


def _paths(data: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield at
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*at, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _paths(value, (*at, index))


def _changed(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    if value is _DELETE:
        del node[path[-1]]
    elif value is _EXTRA:
        node[path[-1]] = {**node[path[-1]], "extra_key": 1}
    else:
        node[path[-1]] = value
    return out


_DELETE, _EXTRA = object(), object()


def test_one_value_changed_anywhere_is_judged_as_jsonschema_judges_it() -> None:
    hungary = read_document(ROOT / "country_configs" / "hungary").data
    paths = [p for p in _paths(hungary) if p]
    rng = random.Random(15)
    disagreements = []
    tried = 0
    for path in paths:
        parent = hungary
        for part in path[:-1]:
            parent = parent[part]
        options = [*rng.sample(ODD_VALUES, 4), _DELETE if isinstance(parent, dict) else None]
        target = parent[path[-1]]
        if isinstance(target, dict):
            options.append(_EXTRA)
        for value in options:
            data = _changed(hungary, path, value)
            tried += 1
            if is_valid(data) != VALIDATOR.is_valid(data):
                disagreements.append((path, value))
    assert disagreements == []
    assert tried > 1000


@pytest.mark.parametrize("value", ODD_VALUES[:6])
def test_a_document_that_is_not_a_mapping_is_judged_alike(value: Any) -> None:
    assert is_valid(value) == VALIDATOR.is_valid(value) is False


def test_what_it_accepts_check_schema_accepts() -> None:
    doc = read_document(ROOT / "country_configs" / "hungary")
    assert is_valid(doc.data)
    assert check_schema(doc) == []
