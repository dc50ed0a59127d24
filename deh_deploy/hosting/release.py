"""What ``deh host`` installs: the wheel of this checkout and the hub's config folder, named by their digest.

The wheel is built from a copy of the package's sources with a fixed ``SOURCE_DATE_EPOCH``, so the same checkout
gives the same bytes and the same release name: a second ``deh host`` finds the release already on the host and
changes nothing, and a host runs exactly the code that was reviewed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from deh_deploy.errors import HostingError

CHECKOUT = Path(__file__).resolve().parents[2]
_SOURCES = ("pyproject.toml", "README.md", "deh_deploy")
_EPOCH = "315532800"  # 1980-01-01, the earliest time a zip entry can carry
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".*")


@dataclass(frozen=True)
class Release:
    name: str  # the digest of the wheel and the config, as the release's folder on the host
    folder: Path  # holds the wheel and config/, copied to the host as they are
    wheel: str


def build(config_dir: Path, *, stage: Path) -> Release:
    """Build the wheel and copy the config into ``stage``; ``HostingError`` when there is no checkout or the build
    fails (its last lines, which name no secret)."""
    if not (CHECKOUT / "pyproject.toml").is_file():
        raise HostingError(f"{CHECKOUT}: not a checkout of deh-deploy (deh host builds the service from one)")
    source, folder = stage / "source", stage / "release"
    source.mkdir(parents=True)
    folder.mkdir()
    for name in _SOURCES:
        path = CHECKOUT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=_IGNORE)
        else:
            shutil.copy2(path, source / name)
    env = {**os.environ, "SOURCE_DATE_EPOCH": _EPOCH, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(folder), "."]
    done = subprocess.run(command, cwd=source, env=env, capture_output=True, text=True, check=False)
    wheels = sorted(folder.glob("*.whl"))
    if done.returncode != 0 or len(wheels) != 1:
        tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
        raise HostingError(f"building the wheel failed: {tail or 'no wheel'}")
    shutil.copytree(config_dir, folder / "config", ignore=_IGNORE)
    return Release(_digest(folder), folder, wheels[0].name)


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]
