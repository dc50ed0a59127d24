"""``python -m deh_deploy.cli``: the console script."""

from __future__ import annotations

from deh_deploy.cli.app import run

run()
