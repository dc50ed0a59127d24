"""Fixtures for the render tests: Hungary's folder (maybe edited), the CLI in-process, rendered output."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from deh_deploy.cli import main
from deh_deploy.config import load_hub
from deh_deploy.render import Desired, render_hub

HUNGARY = Path(__file__).resolve().parents[2] / "country_configs" / "hungary"
TODAY = date(2026, 3, 2)


@dataclass(frozen=True)
class Run:
    code: int
    out: list[str]
    err: list[str]


Deh = Callable[..., Run]
MakeHub = Callable[..., Path]


@pytest.fixture
def deh(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Deh:
    """Run ``deh`` in ``tmp_path``; a log of an unexpected error (in ``tmp_path/logs``) fails the test."""
    monkeypatch.chdir(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setenv("XDG_STATE_HOME", str(logs))  # where crash logs go

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        assert not any(logs.iterdir()), "an unexpected error was logged"
        code = exc.value.code
        return Run(code if isinstance(code, int) else 0, captured.out.splitlines(), captured.err.splitlines())

    return run


@pytest.fixture
def make_hub(tmp_path: Path) -> MakeHub:
    """``make_hub(name, {file: {old: new}})``: a copy of Hungary's folder with exact text replacements."""

    def make(name: str = "hungary", edits: dict[str, dict[str, str]] | None = None) -> Path:
        folder = tmp_path / name
        shutil.copytree(HUNGARY, folder)
        for file, replacements in (edits or {}).items():
            target = folder / file
            text = target.read_text(encoding="utf-8")
            for old, new in replacements.items():
                assert old in text, f"{old!r} not in {file}"
                text = text.replace(old, new)
            target.write_text(text, encoding="utf-8")
        return folder

    return make


def rendered(folder: Path, env: str = "staging") -> Desired:
    return render_hub(load_hub(folder), env=env, today=TODAY)
