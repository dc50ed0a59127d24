"""The traceback of an unexpected failure goes to a private file of the user's own, never through a planted link."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from deh_deploy import crashlog, secrets


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "deh-deploy"


def test_the_log_is_private_in_a_private_folder(state: Path) -> None:
    log = crashlog.write("Traceback: boom\n")
    assert log is not None and log.parent == state
    assert log.read_text(encoding="utf-8") == "Traceback: boom\n"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(state.stat().st_mode) == 0o700


def test_two_failures_in_one_second_keep_both_logs(state: Path) -> None:
    first, second = crashlog.write("one"), crashlog.write("two")
    assert first is not None and second is not None and first != second
    assert first.read_text(encoding="utf-8") == "one" and second.read_text(encoding="utf-8") == "two"


def test_a_secret_in_the_traceback_is_redacted(state: Path) -> None:
    secrets.register("canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0")
    log = crashlog.write("token=canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0\n")
    assert log is not None and "canary-0f1e2d3c4b5a69788796a5b4c3d2e1f0" not in log.read_text(
        encoding="utf-8"
    )


def test_a_link_planted_as_the_folder_is_refused(state: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    state.parent.mkdir(parents=True)
    os.symlink(elsewhere, state)
    assert crashlog.write("boom") is None
    assert list(elsewhere.iterdir()) == []


def test_a_folder_open_to_others_is_closed_again(state: Path) -> None:
    state.mkdir(parents=True, mode=0o777)
    os.chmod(state, 0o777)
    assert crashlog.write("boom") is not None
    assert stat.S_IMODE(state.stat().st_mode) == 0o700


def test_without_a_writable_place_there_is_no_log_and_no_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker / "under-a-file"))
    assert crashlog.write("boom") is None


def _crash(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    from deh_deploy.cli import main

    def boom(_path: Path) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("deh_deploy.config.validate", boom)
    with pytest.raises(SystemExit) as exc:
        main(["validate", "country_configs/hungary"])
    code = exc.value.code
    return code if isinstance(code, int) else -1, capsys.readouterr().err.splitlines()


def test_an_unexpected_error_is_one_line_and_a_private_log(
    state: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = _crash(monkeypatch, capsys)
    (log,) = state.glob("error-*.log")
    assert code == 3
    assert err == [f"deh: An unexpected error has occurred: RuntimeError. The traceback is in {log}"]
    assert "RuntimeError: a bug" in log.read_text(encoding="utf-8")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_with_a_planted_state_folder_the_error_is_still_one_line(
    state: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    state.parent.mkdir(parents=True)
    os.symlink(elsewhere, state)
    code, err = _crash(monkeypatch, capsys)
    assert code == 3
    assert err == [
        "deh: An unexpected error has occurred: RuntimeError. No log could be written in the state folder"
    ]
    assert list(elsewhere.iterdir()) == []
