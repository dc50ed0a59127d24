"""Progress is drawn for a person at a terminal and for nobody else: a bar while ``deh test`` works, a spinner
while ``deh plan`` reads the account. Pipes and CI logs get exactly what they got before."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HUNGARY = ROOT / "country_configs" / "hungary"
ESCAPE = b"\x1b["


@dataclass(frozen=True)
class Ran:
    code: int
    out: bytes
    err: bytes


def deh(*args: str, terminal: bool, cwd: Path, **env: str) -> Ran:
    """Run deh with standard error on a pseudo-terminal (as in a person's shell) or on a pipe (as in CI)."""
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "DEH_NO_PROGRESS")}
    environ |= {"TERM": "xterm", "COLUMNS": "100", **env}
    command = [sys.executable, "-m", "deh_deploy.cli", *args]
    if not terminal:
        piped = subprocess.run(command, capture_output=True, env=environ, cwd=cwd, timeout=300, check=False)
        return Ran(piped.returncode, piped.stdout, piped.stderr)
    master, slave = os.openpty()
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, env=environ, cwd=cwd) as proc:
        os.close(slave)
        err = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            err += chunk
        os.close(master)
        assert proc.stdout is not None
        out = proc.stdout.read()
        code = proc.wait(timeout=300)
    return Ran(code, out, err)


@pytest.mark.slow  # four runs of deh test; the quick loop draws at a terminal with the spinner below
def test_at_a_terminal_deh_test_draws_a_bar_and_prints_what_a_pipe_gets(tmp_path: Path) -> None:
    drawn = deh("test", str(HUNGARY), terminal=True, cwd=tmp_path)
    piped = deh("test", str(HUNGARY), terminal=False, cwd=tmp_path)
    assert drawn.code == piped.code == 0
    assert b"hungary: scenarios" in drawn.err
    assert drawn.out == piped.out
    assert ESCAPE not in piped.err


@pytest.mark.slow
def test_the_sweep_counts_its_runs_to_the_end(tmp_path: Path) -> None:
    drawn = deh("test", str(HUNGARY), "--sweep", terminal=True, cwd=tmp_path)
    assert drawn.code == 0
    assert b"hungary: scenarios and sweep" in drawn.err
    runs = drawn.out.split(b" run, one per path")[0].rsplit(b"; ", 1)[-1].split(b"(")[-1].split()[-1]
    assert b"%s/%s" % (runs, runs) in drawn.err


@pytest.mark.slow
@pytest.mark.parametrize("env", [{"DEH_NO_PROGRESS": "1"}, {"TERM": "dumb"}], ids=["DEH_NO_PROGRESS", "dumb"])
def test_progress_can_be_turned_off(tmp_path: Path, env: dict[str, str]) -> None:
    drawn = deh("test", str(HUNGARY), terminal=True, cwd=tmp_path, **env)
    assert drawn.code == 0
    assert b"hungary: scenarios" not in drawn.err


def test_no_color_draws_the_spinner_without_colours(tmp_path: Path) -> None:
    env = {"TWILIO_ACCOUNT_SID": "", "TWILIO_AUTH_TOKEN": "", "NO_COLOR": "1"}
    drawn = deh("plan", str(HUNGARY), "-e", "staging", "--sandbox", terminal=True, cwd=tmp_path, **env)
    assert drawn.code == 0, drawn.err
    assert b"reading hungary/staging from the sandbox at " in drawn.err
    assert b"\x1b[3" not in drawn.err, "no foreground colour"
    piped = deh("plan", str(HUNGARY), "-e", "staging", "--sandbox", terminal=False, cwd=tmp_path, **env)
    assert piped.out == drawn.out
    assert b"reading" not in piped.err
