"""The console script leaves without tearing the interpreter down: its output must still arrive whole, and its
exit status must be main()'s."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEH = Path(sys.executable).parent / "deh"


def deh(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DEH), *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60
    )


pytestmark = pytest.mark.skipif(
    not DEH.exists(), reason="the deh console script is not installed beside python"
)


def test_a_valid_config_exits_0_with_its_json_whole() -> None:
    ran = deh("validate", "--format", "json", "country_configs/hungary", "country_configs/jordan")
    assert ran.returncode == 0
    assert json.loads(ran.stdout) == []
    assert ran.stderr == "2 configs: 0 errors, 0 warnings\n"


def test_a_usage_error_exits_2_with_one_line() -> None:
    ran = deh("validate", "no-such-folder")
    assert (ran.returncode, ran.stdout, ran.stderr) == (2, "", "deh: no-such-folder: no such file\n")


def test_an_invalid_config_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "hub.yaml"
    bad.write_text("version: 2\n", encoding="utf-8")
    ran = deh("validate", str(bad))
    assert ran.returncode == 1
    assert any(line.endswith("$.version: must be 1") for line in ran.stdout.splitlines())
    assert ran.stderr.endswith("1 config: 11 errors, 0 warnings\n")


def test_a_long_output_arrives_whole(tmp_path: Path) -> None:
    ran = deh(
        "render", "country_configs/hungary", "--env", "staging", "--dry-run", "--out", str(tmp_path / "out")
    )
    assert ran.returncode == 0
    lines = ran.stdout.splitlines()
    assert len(lines) == 11
    assert lines[-1] == f"create    {tmp_path / 'out' / 'taskrouter' / 'workflow.json'}"
