"""The playbooks and the role are ansible-lint clean (its production profile)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HOSTING = Path(__file__).resolve().parents[2] / "templates" / "hosting"


@pytest.mark.slow
def test_the_role_is_ansible_lint_clean() -> None:
    lint = Path(sys.executable).parent / "ansible-lint"
    if not lint.exists() and shutil.which("ansible-lint") is None:
        pytest.skip("ansible-lint is not installed (pip install -e '.[test]')")
    done = subprocess.run(
        [str(lint if lint.exists() else "ansible-lint"), "--offline", "--profile", "production", "."],
        cwd=HOSTING,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_role_is_laid_out_as_a_galaxy_role() -> None:
    role = HOSTING / "roles" / "deh_hub"
    assert sorted(p.name for p in role.iterdir()) == ["defaults", "handlers", "meta", "tasks", "templates"]
    assert all((role / part / "main.yml").is_file() for part in ("defaults", "handlers", "meta", "tasks"))
