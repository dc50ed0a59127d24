"""A render replaces the folder's files all together or not at all: under a file-size limit, or with a target that
is a folder, the earlier render stays whole and no temporary file is left."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HUNGARY = ROOT / "country_configs" / "hungary"


def _render(out: Path, *, fsize: int | None = None, env: str = "staging") -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return subprocess.run(
        [sys.executable, "-m", "deh_deploy.cli", "render", str(HUNGARY), "--env", env, "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False, preexec_fn=limit,
    )  # fmt: skip


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_render_that_cannot_write_every_file_changes_none(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _render(out).returncode == 0
    before = _snapshot(out)
    failed = _render(out, fsize=2_000, env="production")  # the flows are larger than 2 kB
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-1].endswith("; nothing was changed"), failed.stderr
    assert _snapshot(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_a_target_that_is_a_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "functions" / "hours.js").mkdir(parents=True)
    failed = _render(out)
    assert failed.returncode == 1
    assert failed.stderr.splitlines()[-1] == (
        f"deh: cannot write {out / 'functions' / 'hours.js'}: is a folder, not a file; nothing was changed"
    )
    assert _snapshot(out) == {}
