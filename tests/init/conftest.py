"""Fixtures for ``deh init``: generate a country folder once per case, read what was written."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from deh_deploy.init import init_country

Answer = Callable[[str], None]


def read_hub(folder: Path) -> dict[str, Any]:
    """hub.yaml with each translation file read in place of its path."""
    data: dict[str, Any] = yaml.safe_load((folder / "hub.yaml").read_text(encoding="utf-8"))
    data["translations"] = {
        lang: yaml.safe_load((folder / rel).read_text(encoding="utf-8"))
        for lang, rel in data["translations"].items()
    }
    return data


def strings(data: Any, path: str = "$") -> Iterator[tuple[str, str]]:
    """Every string value with its JSON path, written as the diagnostics write it."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, f"{path}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from strings(value, f"{path}[{i}]")


@pytest.fixture
def answer(monkeypatch: pytest.MonkeyPatch) -> Answer:
    """``answer("MN\\n\\n")``: the lines cookiecutter's prompts read, one per question."""

    def feed(lines: str) -> None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(lines))

    return feed


def init(output_dir: Path, **options: Any) -> Path:
    """``init_country`` with the options a test does not care about at their CLI defaults."""
    defaults: dict[str, Any] = {
        "country": "HU",
        "name": None,
        "slug": None,
        "languages": [],
        "timezone": None,
        "no_input": True,
    }
    return init_country(output_dir=output_dir, **{**defaults, **options})
