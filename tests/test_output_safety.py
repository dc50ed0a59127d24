"""What deh prints cannot be turned against its reader: secrets are masked by value only, annotations cannot be
forged through a file name, fault options are finite, and Ctrl-C at any moment is one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from deh_deploy import secrets
from deh_deploy.diagnostics import Diagnostic
from deh_deploy.reporters.diagnostics import annotation

ROOT = Path(__file__).resolve().parent.parent


def test_a_word_shaped_like_a_token_is_not_a_secret() -> None:
    title = "RegistrationForCashAssistance2026"[:32]
    digest = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    assert secrets.redact(f"topic {title}; sha256 {digest}") == f"topic {title}; sha256 {digest}"


def test_a_registered_secret_is_masked_wherever_it_stands() -> None:
    secrets.register("s3cr3t-value-of-the-config")
    assert secrets.redact("token=s3cr3t-value-of-the-config;") == "token=***;"


@pytest.mark.parametrize(
    "file",
    [
        "hub.yaml\n::error file=evil.yaml,line=1::forged",
        "a,line=999,col=1.yaml",
        "C:\\hubs\\hub.yaml",
        "100%.yaml",
    ],
)
def test_a_file_name_cannot_forge_an_annotation(file: str) -> None:
    line = annotation(Diagnostic(file, 3, 4, "$.slug", "bad\nsecond line"))
    assert "\n" not in line and "\r" not in line
    head, _, message = line.partition("::")[2].partition("::")
    level, _, props = head.partition(" ")
    assert level == "error"
    assert [p.split("=", 1)[0] for p in props.split(",")] == ["file", "line", "col"]
    assert props.endswith(",line=3,col=4")
    assert message == "$.slug: bad%0Asecond line"


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e308"])
def test_sandbox_latency_must_be_finite_and_bounded(value: str, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "deh_deploy.cli", "sandbox", "serve", "--port", "0", "--db", str(tmp_path / "s.db"),
         "--latency-ms", value],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        f"deh: fault latency_ms must be between 0 and 60000, not {float(value)}"
    ], done.stderr


def test_ctrl_c_before_the_command_runs_is_one_line_and_130() -> None:
    code = (
        "import importlib\napp = importlib.import_module('deh_deploy.cli.app')\n"
        "def interrupted():\n    raise KeyboardInterrupt\n"
        "app.main = interrupted\napp.run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stderr) == (130, "deh: interrupted\n")
