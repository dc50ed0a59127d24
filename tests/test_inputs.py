"""The bounded, typed reading of input files (``deh_deploy/inputs.py``), below the commands that use it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deh_deploy.inputs import (
    InputProblem,
    NotAFile,
    Outside,
    check_json_nesting,
    confined,
    decode,
    read_bytes,
)


def test_brackets_inside_json_strings_do_not_nest() -> None:
    check_json_nesting('{"a": "' + "[" * 1000 + '\\"[[["}', limit=2)
    with pytest.raises(InputProblem) as raised:
        check_json_nesting('{"a": [[1]]}', limit=2)
    assert (raised.value.message, raised.value.line, raised.value.col) == (
        "nesting deeper than 2 levels",
        1,
        8,
    )


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_wide_unicode_is_named_with_or_without_a_byte_order_mark(encoding: str) -> None:
    with pytest.raises(InputProblem) as raised:
        decode("version: 1\nslug: hungary\n".encode(encoding))
    assert raised.value.message.startswith(f"file is {encoding[:6].upper()}, not UTF-8; save it as UTF-8")


def test_a_utf_8_byte_order_mark_is_dropped() -> None:
    assert decode("\ufeffslug: x".encode()) == "slug: x"


def test_a_path_below_the_folder_is_inside_and_one_leaving_it_is_not(tmp_path: Path) -> None:
    (tmp_path / "country" / "translations").mkdir(parents=True)
    (tmp_path / "outside.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "country" / "translations" / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    folder = tmp_path / "country"
    assert confined(folder, "translations/uk.yaml") == (folder / "translations" / "uk.yaml").resolve()
    for ref in ("../outside.yaml", str(tmp_path / "outside.yaml"), "translations/link.yaml", ".", ""):
        with pytest.raises(Outside):
            confined(folder, ref)


def test_only_regular_files_are_read_and_never_beyond_the_limit(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotAFile, match="is a named pipe"):
        read_bytes(tmp_path / "pipe")
    with pytest.raises(NotAFile, match="is a device"):
        read_bytes(Path("/dev/zero"))
    with pytest.raises(NotAFile, match="is a folder"):
        read_bytes(tmp_path)
    (tmp_path / "ten").write_bytes(b"0123456789")
    assert read_bytes(tmp_path / "ten", limit=10) == b"0123456789"
    with pytest.raises(InputProblem, match="file is 10 bytes; the limit is 9 bytes"):
        read_bytes(tmp_path / "ten", limit=9)
