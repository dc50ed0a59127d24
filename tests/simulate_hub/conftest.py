"""Fixtures for the tests of ``deh simulate``, ``deh test`` and the sweep over the example countries."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from deh_deploy.cli import main
from deh_deploy.config import load_hub
from deh_deploy.config.model import HubConfig

COUNTRIES = Path(__file__).resolve().parents[2] / "country_configs"
SLUGS = ("hungary", "mongolia", "jordan")


@dataclass(frozen=True)
class Run:
    code: int
    out: list[str]
    err: list[str]
    logged: bool  # an unexpected error wrote a traceback log


Deh = Callable[..., Run]


@pytest.fixture
def deh(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Deh:
    """``deh(*args)`` runs the CLI's entry point in ``tmp_path`` and returns exit status and output lines.

    Logs of unexpected errors go below ``tmp_path/logs``.
    """
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setenv("XDG_STATE_HOME", str(logs))  # where crash logs go
    monkeypatch.chdir(tmp_path)

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        code = exc.value.code
        return Run(
            code if isinstance(code, int) else 0,
            captured.out.splitlines(),
            captured.err.splitlines(),
            any(logs.rglob("*.log")),
        )

    return run


@pytest.fixture
def country(tmp_path: Path) -> Callable[[str], Path]:
    """``country(slug)``: a copy of an example country below ``tmp_path``, without its scenarios."""

    def copy(slug: str) -> Path:
        folder = tmp_path / slug
        shutil.copytree(COUNTRIES / slug, folder, ignore=shutil.ignore_patterns("scenarios"))
        (folder / "scenarios").mkdir()
        return folder

    return copy


@pytest.fixture(scope="session")
def hubs() -> dict[str, HubConfig]:
    return {slug: load_hub(COUNTRIES / slug) for slug in SLUGS}


@pytest.fixture(scope="session")
def scenarios() -> dict[str, list[dict[str, Any]]]:
    """Each example country's scenarios, every file's in order, with the file's name under ``file``."""
    out: dict[str, list[dict[str, Any]]] = {}
    for slug in SLUGS:
        specs: list[dict[str, Any]] = []
        for path in sorted((COUNTRIES / slug / "scenarios").glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            specs += [{**spec, "file": path.name} for spec in data["scenarios"]]
        out[slug] = specs
    return out
