"""Writing files whole or not at all: a reader (or a crash) never sees half an artifact or half a saved plan."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``, creating its folder: into a temporary file beside it, flushed to disk, then
    renamed over ``path``. A rename within one folder is atomic, so ``path`` holds either its old content or
    the new one. On any failure the temporary file is removed and the ``OSError`` propagates for the caller to
    word."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all(files: dict[Path, bytes], *, stage_in: Path) -> None:
    """Write several files all together or not at all: each is first written in full, flushed, into a staging
    folder made in ``stage_in`` (on the targets' file system), and only once every one is there are they renamed
    into place. A failure while staging (a full disk, a file-size limit) leaves every target as it was; the
    staging folder is always removed. A target that is a folder is refused before anything is written."""
    for path in files:
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(21, "is a folder, not a file", str(path))
    stage_in.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=stage_in, prefix=".deh-staging-"))
    try:
        staged = []
        for n, (path, data) in enumerate(files.items()):
            tmp = stage / f"{n}"
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            staged.append((tmp, path))
        for tmp, path in staged:
            path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, path)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
