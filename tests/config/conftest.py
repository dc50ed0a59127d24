"""Fixtures for the config tests: the real ``deh`` CLI in-process, and hubs built from case descriptions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.cli import main

from .hubcase import Case, Replace, build_hub


@dataclass(frozen=True)
class Run:
    code: int
    out: list[str]
    err: list[str]


Deh = Callable[..., Run]


@pytest.fixture
def deh(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Deh:
    """``deh(*args)`` runs the CLI's entry point and returns its exit status and output lines.

    Logs of unexpected errors go below ``tmp_path``.
    """
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "tmp"))  # where crash logs go
    (tmp_path / "tmp").mkdir()

    def run(*args: str | Path) -> Run:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main([str(a) for a in args])
        captured = capsys.readouterr()
        code = exc.value.code
        return Run(code if isinstance(code, int) else 0, captured.out.splitlines(), captured.err.splitlines())

    return run


@pytest.fixture
def make_hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """``make_hub(name, patch=…, delete=…, replace=…)``: Hungary's folder with edits, in a fresh working dir.

    The working directory becomes the folder's parent, so diagnostics name files ``<name>/hub.yaml``.
    """

    def make(
        name: str = "hub",
        *,
        patch: dict[str, Any] | None = None,
        delete: tuple[str, ...] = (),
        replace: tuple[Replace, ...] = (),
    ) -> Path:
        case = Case(name, "", "", dict(patch or {}), delete, replace, ())
        folder = build_hub(case, tmp_path)
        monkeypatch.chdir(tmp_path)
        return folder

    return make
