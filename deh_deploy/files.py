"""Writing files whole or not at all: a reader (or a crash) never sees half an artifact or half a saved plan."""

from __future__ import annotations

import os
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
