"""Hostile input through the real command, in its own process: one clear line each, a non-zero exit, bounded
time, no traceback, and nothing executed or read outside the country folder. Each hostile file is a case in
``hostile/``: adding a case is adding a file."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from .hubcase import HUNGARY

LIMIT_SECONDS = 2.0


@dataclass(frozen=True)
class Ran:
    code: int
    out: list[str]
    err: str
    seconds: float  # CPU time of the command


def _children_cpu() -> float:
    """CPU seconds (user and system) of this process's finished children: the work a command did, which a loaded
    machine does not inflate as it does wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_validate(tmp_path: Path, *paths: str) -> Ran:
    logs = tmp_path / "logs"
    logs.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(logs)}
    before = _children_cpu()
    proc = subprocess.run(
        [sys.executable, "-m", "deh_deploy.cli", "validate", *paths],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    ran = Ran(proc.returncode, proc.stdout.splitlines(), proc.stderr, _children_cpu() - before)
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not any(logs.rglob("*.log")), "an unexpected error was logged"
    return ran


CASES = sorted((Path(__file__).parent / "hostile").glob("*.yaml"))


@dataclass(frozen=True)
class HostileFile:
    """One ``hostile/<case>.yaml``: how the file is made, the whole line expected (a regular expression in which
    ``{file}`` is the file as shown and ``{root}`` the JSON path of its top), and whether the case is also made as
    a translation file. A file::

        about: What the case shows.
        file:                     # how the file is made (one of these)
          text: "..."             # this text
          bytes: !!binary ...     # these bytes
          repeat: [["[", 10000]]  # these pieces, each that many times, in order
          head: "version: 1"      # with ``size``: a sparse file of that many bytes, starting so
          size: 104857600
        expect: '{file}:1:1: {root}: file is empty'
        translation: true         # also reported with its own name as a translation file
    """

    name: str
    file: dict[str, Any]
    expect: str
    translation: bool

    def write(self, path: Path) -> None:
        f = self.file
        if "text" in f:
            path.write_text(str(f["text"]), encoding="utf-8")
        elif "bytes" in f:
            path.write_bytes(f["bytes"])
        elif "repeat" in f:
            path.write_text(
                "".join(str(piece) * int(times) for piece, times in f["repeat"]), encoding="utf-8"
            )
        elif "size" in f:
            with path.open("wb") as fh:
                fh.write(str(f.get("head", "")).encode("utf-8"))
                fh.truncate(int(f["size"]))
        else:
            raise ValueError(f"{self.name}: say how the file is made")

    def line(self, *, file: str, root: str) -> str:
        return self.expect.replace("{file}", re.escape(file)).replace("{root}", re.escape(root))


def _case(path: Path) -> HostileFile:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(spec) - {"translation"} == {"about", "file", "expect"}, path.name
    return HostileFile(path.stem, dict(spec["file"]), str(spec["expect"]), bool(spec.get("translation")))


HOSTILE = [_case(p) for p in CASES]


@pytest.mark.parametrize("case", HOSTILE, ids=[c.name for c in HOSTILE])
def test_hostile_hub_file_gives_one_clear_line_quickly(case: HostileFile, tmp_path: Path) -> None:
    (tmp_path / "hostile").mkdir()
    case.write(tmp_path / "hostile" / "hub.yaml")
    ran = run_validate(tmp_path, "hostile")
    assert ran.code == 1
    assert len(ran.out) == 1
    assert re.fullmatch(case.line(file="hostile/hub.yaml", root="$"), ran.out[0]), ran.out[0]
    assert ran.err.splitlines() == ["1 config: 1 error, 0 warnings"]
    assert ran.seconds < LIMIT_SECONDS
    assert not (tmp_path / "pwned").exists()


TRANSLATED = [c for c in HOSTILE if c.translation]


@pytest.mark.slow
@pytest.mark.parametrize("case", TRANSLATED, ids=[c.name for c in TRANSLATED])
def test_hostile_translation_file_is_reported_with_its_own_name(case: HostileFile, tmp_path: Path) -> None:
    shutil.copytree(HUNGARY, tmp_path / "hostile")
    case.write(tmp_path / "hostile" / "translations" / "uk.yaml")
    ran = run_validate(tmp_path, "hostile")
    assert ran.code == 1
    assert len(ran.out) == 1
    # the file is the translation file; the JSON path is the hub's ($.translations.uk…)
    expected = case.line(file="hostile/translations/uk.yaml", root="$.translations.uk")
    assert re.fullmatch(expected, ran.out[0]), ran.out[0]
    assert ran.seconds < LIMIT_SECONDS


def test_a_translation_path_escaping_the_folder_is_refused_without_reading_it(tmp_path: Path) -> None:
    shutil.copytree(HUNGARY, tmp_path / "hostile")
    hub = tmp_path / "hostile" / "hub.yaml"
    hub.write_text(
        hub.read_text(encoding="utf-8").replace("uk: translations/uk.yaml", "uk: ../../etc/passwd"),
        encoding="utf-8",
    )
    ran = run_validate(tmp_path, "hostile")
    assert ran.code == 1
    assert ran.out == [
        "hostile/hub.yaml:13:7: $.translations.uk: translation file '../../etc/passwd' must be inside hostile"
    ]
    assert ran.seconds < LIMIT_SECONDS


def test_a_translation_symlink_leaving_the_folder_is_refused(tmp_path: Path) -> None:
    shutil.copytree(HUNGARY, tmp_path / "hostile")
    outside = tmp_path / "outside.yaml"
    shutil.copy(HUNGARY / "translations" / "uk.yaml", outside)
    link = tmp_path / "hostile" / "translations" / "uk.yaml"
    link.unlink()
    link.symlink_to(outside)
    ran = run_validate(tmp_path, "hostile")
    assert ran.code == 1
    assert ran.out == [
        "hostile/hub.yaml:13:7: $.translations.uk: translation file 'translations/uk.yaml' must be "
        "inside hostile"
    ]


def test_forty_closures_spanning_centuries_validate_in_well_under_a_second(tmp_path: Path) -> None:
    from deh_deploy.config import validate

    shutil.copytree(HUNGARY, tmp_path / "centuries")
    hub = tmp_path / "centuries" / "hub.yaml"
    closures = "".join(f'\n    - {{from: "0001-01-01", to: "9999-12-31", reason: r{n}}}' for n in range(40))
    text = hub.read_text(encoding="utf-8")
    assert text.count("\n  closures:") == 1
    hub.write_text(text.replace("\n  closures:", "\n  closures:" + closures), encoding="utf-8")
    validate(HUNGARY)  # imports and caches warmed, as in a command that validates several folders
    started = time.process_time()
    _, diagnostics = validate(hub)
    seconds = time.process_time() - started
    assert diagnostics == []
    assert seconds < 0.5, f"{seconds:.2f} s"


@pytest.mark.slow
def test_fifty_thousand_unknown_keys_are_one_short_line(tmp_path: Path) -> None:
    shutil.copytree(HUNGARY, tmp_path / "hostile")
    hub = tmp_path / "hostile" / "hub.yaml"
    keys = "".join(f"k{n:05d}: 1\n" for n in range(50_000))
    hub.write_text(hub.read_text(encoding="utf-8") + keys, encoding="utf-8")
    ran = run_validate(tmp_path, "hostile")
    assert ran.code == 1
    assert len(ran.out) == 1
    listed = ", ".join(f"'k{n:05d}'" for n in range(1, 11))
    assert ran.out[0].endswith(f"(and 49,999 more unknown: {listed} … and 49,989 more)"), ran.out[0][-300:]
    assert len(ran.out[0]) < 1_000


def test_a_huge_value_is_quoted_as_a_short_excerpt(tmp_path: Path) -> None:
    shutil.copytree(HUNGARY, tmp_path / "hostile")
    hub = tmp_path / "hostile" / "hub.yaml"
    text = hub.read_text(encoding="utf-8")
    hub.write_text(text.replace("feedback: request", f"feedback: {'x' * 500_000}", 1), encoding="utf-8")
    ran = run_validate(tmp_path, "hostile")
    assert ran.code == 1
    assert len(ran.out) == 1 and len(ran.out[0]) < 300, ran.out[0][:300]
