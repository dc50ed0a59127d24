"""The one atomic writer (render's artifacts, ``plan --out``): the target holds its old content or the new one,
never a part, and no temporary file is left behind, whether the write succeeds or fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from deh_deploy.files import write_atomic


def test_it_creates_the_folder_and_writes_the_bytes(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "plan.json"
    write_atomic(target, b'{"x": 1}\n')
    assert target.read_bytes() == b'{"x": 1}\n'
    assert [p.name for p in target.parent.iterdir()] == ["plan.json"]


def test_it_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "flow.json"
    target.write_bytes(b"old content that is longer than the new one")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["flow.json"]


def test_a_failed_replace_leaves_the_target_alone_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()  # a folder where the file should go: the final rename fails
    (target / "inside").write_text("kept", encoding="utf-8")
    with pytest.raises(IsADirectoryError):
        write_atomic(target, b"data")
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]
    assert (target / "inside").read_text(encoding="utf-8") == "kept"


def test_an_unwritable_folder_raises_for_the_caller_to_word(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OSError):
        write_atomic(blocker / "below" / "plan.json", b"data")
