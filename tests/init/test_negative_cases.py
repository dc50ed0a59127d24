"""``deh init`` refusals that are about the place it writes to or an answer it must not write: one line on
stderr, exit 2, and nothing left behind. Each ``negative/<case>.yaml`` is a case; dropping a file there adds one.

A case file::

    about: What the case shows.
    files:                     # what exists before init runs, relative to a fresh working folder
      - {path: out.txt, text: "notes"}      # a file
      - {path: dangling, link: nowhere}      # a symbolic link
    args: [HU, --no-input, --output-dir, out.txt]
    expect: "deh: --output-dir out.txt is a file, not a folder"
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from deh_deploy.cli import main

CASES = sorted((Path(__file__).parent / "negative").glob("*.yaml"))


@dataclass(frozen=True)
class InitCase:
    name: str
    files: tuple[dict[str, Any], ...]
    args: tuple[str, ...]
    expect: str


def _case(path: Path) -> InitCase:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(spec) <= {"about", "files", "args", "expect"} and spec.get("about"), path.name
    return InitCase(
        path.stem, tuple(spec.get("files") or ()), tuple(map(str, spec["args"])), str(spec["expect"])
    )


def _make(folder: Path, spec: dict[str, Any]) -> None:
    target = folder / spec["path"]
    target.parent.mkdir(parents=True, exist_ok=True)
    if "link" in spec:
        target.symlink_to(spec["link"])
    else:
        target.write_text(str(spec.get("text", "")), encoding="utf-8")


def _tree(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("case", [_case(p) for p in CASES], ids=[p.stem for p in CASES])
def test_an_unusable_output_or_answer_is_one_line_and_leaves_nothing(
    case: InitCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(logs))
    monkeypatch.chdir(work)
    for spec in case.files:
        _make(work, spec)
    before = _tree(work)
    with pytest.raises(SystemExit) as exc:
        main(list(case.args))
    captured = capsys.readouterr()
    assert (exc.value.code, captured.out) == (2, "")
    assert captured.err.splitlines() == [case.expect]
    assert _tree(work) == before, "init left something behind"
    assert list(logs.iterdir()) == [], "an unexpected error was logged"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in any folder")
def test_a_folder_one_cannot_write_in_is_refused_before_anything_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["init", "HU", "--no-input", "--output-dir", "locked/country_configs"])
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "deh: --output-dir locked/country_configs: locked is a folder you cannot write in"
    ]
    assert list(locked.iterdir()) == []
