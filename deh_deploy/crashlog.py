"""Where an unexpected failure's traceback goes: a private file of the user who ran ``deh``.

Never a shared folder another user could plant a link in (``/tmp/deh-deploy`` once let anyone make a root ``deh``
overwrite any file): the XDG state directory (``$XDG_STATE_HOME/deh-deploy``, by default
``~/.local/state/deh-deploy``), made 0700 and refused when it is a link or someone else's; each log created anew
(exclusive, never following a link), 0600, its content redacted. When none of that is possible the error handler
still prints its one line, without a log.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from datetime import datetime
from pathlib import Path

from deh_deploy.secrets import redact

APP = "deh-deploy"


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".local" / "state"
    return root / APP


def _private_folder(folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    info = os.lstat(folder)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise PermissionError(f"{folder} is not a folder of its own")
    if info.st_uid != os.getuid():
        raise PermissionError(f"{folder} belongs to another user")
    if stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(folder, 0o700, follow_symlinks=False)


def write(text: str) -> Path | None:
    """Write ``text`` (redacted) to a new private log and return its path; None when no log could be written."""
    folder = state_dir()
    name = f"error-{datetime.now().strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}.log"
    try:
        _private_folder(folder)
        fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(redact(text))
    except OSError:
        return None
    return folder / name
