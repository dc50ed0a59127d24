"""Reading the files deh-deploy is given: of the right type, bounded in size, confined to the country's folder.

Every file read from a country (hub.yaml and its translation files, scenario files) and the plan file of
``deh apply --plan`` comes through here, so that a named pipe never blocks a command, ``/dev/zero`` is never read
whole, a symbolic link never reaches a file outside the folder (whose content could then be quoted in an error),
and each problem is one message fit for one line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from deh_deploy.errors import UsageError

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "InputProblem",
    "NotAFile",
    "Outside",
    "check_json_nesting",
    "confined",
    "decode",
    "read_bytes",
    "read_plan",
    "read_text",
]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64

_UTF16_HELP = "save it as UTF-8 (in most editors: Save as, Encoding: UTF-8)"
_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
# JSON strings (skipped whole, escapes included) and the brackets that nest.
_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


class InputProblem(ValueError):
    """A file that cannot be used as input. ``line`` and ``col`` (1-based) are 0 for a whole-file problem."""

    def __init__(self, message: str, *, line: int = 0, col: int = 0) -> None:
        super().__init__(message)
        self.message, self.line, self.col = message, line, col


class NotAFile(InputProblem):
    """The path names a folder, a named pipe, a device or a socket: nothing is read from it."""


class Outside(InputProblem):
    """The path (after following symbolic links) leaves the folder it must stay in."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something other than a regular file"


def _too_large(size: int, limit: int) -> InputProblem:
    return InputProblem(f"file is {size:,} bytes; the limit is {limit:,} bytes")


def read_bytes(path: Path, *, limit: int = MAX_BYTES) -> bytes:
    """At most ``limit`` bytes of a regular file; ``NotAFile`` or ``InputProblem`` otherwise.

    The type is checked before opening (a device is never opened) and again on the descriptor, which is opened
    without blocking, so a named pipe swapped in meanwhile is refused at once instead of waiting for a writer.
    ``OSError`` (missing, unreadable, a symbolic link loop) is left to the caller, who knows what the file is for.
    """
    if "\x00" in str(path):
        raise InputProblem("the path contains a NUL character")
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotAFile(f"is {_kind(mode)}, not a file")
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    )
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(f"is {_kind(info.st_mode)}, not a file")
        if info.st_size > limit:
            raise _too_large(info.st_size, limit)
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:  # a file that grows, or reports no size (/proc)
            raise _too_large(max(size, info.st_size), limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _utf16(raw: bytes) -> str | None:
    """The name of a wider Unicode encoding the bytes are in (by byte-order mark, or NULs every other byte)."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            return name
    sample = raw[:200]
    if len(sample) >= 4 and sample.count(0) * 2 >= len(sample) * 0.8:
        odd, even = sample[1::2], sample[0::2]
        if odd.count(0) == len(odd) or even.count(0) == len(even):
            return "UTF-16"
    return None


def decode(raw: bytes, *, kind: str = "YAML") -> str:
    """UTF-8 text (a leading byte-order mark dropped), or ``InputProblem`` saying what the bytes are instead."""
    wide = _utf16(raw)
    if wide is not None:
        raise InputProblem(f"file is {wide}, not UTF-8; {_UTF16_HELP}")
    if b"\x00" in raw:
        raise InputProblem(f"file is binary (contains NUL bytes), not {kind}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        raise InputProblem(f"file is not UTF-8 (byte 0x{raw[exc.start]:02x})", line=line, col=col) from None
    return text.removeprefix("\ufeff")


def read_text(path: Path, *, limit: int = MAX_BYTES, kind: str = "YAML") -> str:
    """A bounded regular file as UTF-8 text: :func:`read_bytes`, then :func:`decode`."""
    return decode(read_bytes(path, limit=limit), kind=kind)


def confined(folder: Path, ref: str | Path) -> Path:
    """``folder / ref`` with symbolic links resolved, when it lies inside ``folder``; ``Outside`` otherwise.

    A link that loops resolves to itself here; opening it then fails with the system's "too many levels of
    symbolic links", which the caller reports like any unreadable file.
    """
    if "\x00" in str(ref):
        raise InputProblem("the path contains a NUL character")
    root = os.path.realpath(folder)
    target = os.path.realpath(folder / ref)
    if target == root or os.path.commonpath([root, target]) != root:
        raise Outside(f"{ref} is outside {folder}")
    return Path(target)


def check_json_nesting(text: str, *, limit: int = MAX_DEPTH) -> None:
    """``InputProblem`` when JSON nests deeper than ``limit``, found without parsing (so without recursion)."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limit:
                before = text[: match.start()]
                line = before.count("\n") + 1
                raise InputProblem(
                    f"nesting deeper than {limit} levels",
                    line=line,
                    col=match.start() - (before.rfind("\n") + 1) + 1,
                )
        elif token in ("]", "}"):
            depth -= 1


def read_plan(path: Path) -> str:
    """A saved plan's text, with the size and nesting limits of a config file. ``UsageError`` when unusable."""
    try:
        text = read_text(path, kind="JSON")
        check_json_nesting(text)
        return text
    except InputProblem as exc:
        where = f":{exc.line}:{exc.col}" if exc.line else ""
        raise UsageError(f"{path}{where}: {exc.message}") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
