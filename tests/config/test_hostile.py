"""Hostile input through the real command, in its own process: one clear line each, a non-zero exit, bounded
time, no traceback, and nothing executed or read outside the country folder."""

from __future__ import annotations

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .hubcase import HUNGARY

LIMIT_SECONDS = 2.0
HUNDRED_MB = 100 * 1024 * 1024


@dataclass(frozen=True)
class Ran:
    code: int
    out: list[str]
    err: str
    seconds: float


def _children_cpu() -> float:
    """Processor time of finished child processes: what a hostile file costs, however loaded the machine is."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_validate(tmp_path: Path, *paths: str) -> Ran:
    logs = tmp_path / "logs"
    logs.mkdir(exist_ok=True)
    env = {**os.environ, "TMPDIR": str(logs)}
    start = _children_cpu()
    proc = subprocess.run(
        [sys.executable, "-m", "deh_deploy.cli", "validate", *paths],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    ran = Ran(proc.returncode, proc.stdout.splitlines(), proc.stderr, _children_cpu() - start)
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not any(logs.rglob("*.log")), "an unexpected error was logged"
    return ran


def billion_laughs() -> bytes:
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 10)}]" for n in range(1, 10)]
    return ("\n".join(lines) + "\n").encode()


def write_sparse_100mb(path: Path) -> None:
    with path.open("wb") as fh:
        fh.write(b"version: 1\nslug: hungary\n")
        fh.truncate(HUNDRED_MB)


HOSTILE: dict[str, tuple[Callable[[Path], object], str]] = {
    "alias-bomb": (
        lambda p: p.write_bytes(billion_laughs()),
        r"hostile/hub\.yaml:\d+:\d+: \$: document expands to more than 200,000 nodes \(an alias bomb\?\)",
    ),
    "100-mb": (
        write_sparse_100mb,
        # a whole-file problem has no line of its own: ":1:1" once the text format always gives one
        r"hostile/hub\.yaml(:1:1)?: "
        + re.escape(f"$: file is {HUNDRED_MB:,} bytes; the limit is 1,048,576 bytes"),
    ),
    "binary": (
        lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"),
        r"hostile/hub\.yaml(:1:1)?: " + re.escape("$: file is binary (contains NUL bytes), not YAML"),
    ),
    "deep-flow-nesting": (
        lambda p: p.write_bytes(b"[" * 10_000 + b"]" * 10_000),
        # libyaml stops flow nesting at 1000 levels itself, before the loader's own limit is reached
        r"hostile/hub\.yaml:1:\d+: \$: "
        r"(nesting deeper than 64 levels|invalid YAML: exceeded maximum nesting depth)",
    ),
    "deep-block-nesting": (
        lambda p: p.write_bytes(b"- " * 10_000 + b"x\n"),
        re.escape("hostile/hub.yaml:1:129: $: nesting deeper than 64 levels"),
    ),
    "python-object-tag": (
        lambda p: p.write_bytes(b'version: 1\nslug: !!python/object/apply:os.system ["touch pwned"]\n'),
        re.escape(
            "hostile/hub.yaml:2:7: $.slug: tag !!python/object/apply:os.system is not allowed; "
            "use plain YAML values"
        ),
    ),
    "not-utf-8": (
        lambda p: p.write_bytes("version: 1\nslug: hung\xe1ry\n".encode("latin-1")),
        re.escape("hostile/hub.yaml:2:11: $: file is not UTF-8 (byte 0xe1)"),
    ),
    "empty": (
        lambda p: p.write_bytes(b""),
        re.escape("hostile/hub.yaml:1:1: $: file is empty"),
    ),
    "a-list": (
        lambda p: p.write_bytes(b"- version: 1\n- slug: hungary\n"),
        re.escape("hostile/hub.yaml:1:1: $: the file must be a mapping of keys to values"),
    ),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_hostile_hub_file_gives_one_clear_line_quickly(kind: str, tmp_path: Path) -> None:
    write, line = HOSTILE[kind]
    (tmp_path / "hostile").mkdir()
    write(tmp_path / "hostile" / "hub.yaml")
    ran = run_validate(tmp_path, "hostile")
    assert ran.code == 1
    assert len(ran.out) == 1
    assert re.fullmatch(line, ran.out[0]), ran.out[0]
    assert ran.err.splitlines() == ["1 config: 1 error, 0 warnings"]
    assert ran.seconds < LIMIT_SECONDS
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("kind", ["alias-bomb", "binary", "python-object-tag"])
@pytest.mark.slow
def test_hostile_translation_file_is_reported_with_its_own_name(kind: str, tmp_path: Path) -> None:
    write, line = HOSTILE[kind]
    shutil.copytree(HUNGARY, tmp_path / "hostile")
    write(tmp_path / "hostile" / "translations" / "uk.yaml")
    ran = run_validate(tmp_path, "hostile")
    assert ran.code == 1
    assert len(ran.out) == 1
    # the file is the translation file; the JSON path is the hub's ($.translations.uk…)
    expected = line.replace(r"hub\.yaml", r"translations/uk\.yaml").replace(
        "\\$", "\\$\\.translations\\.uk", 1
    )
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
