"""The ``deh`` command line, one module per command group; the only layer that prints or exits.

``deh = "deh_deploy.cli:run"`` is the console script; ``python -m deh_deploy.cli`` runs the same.
"""

from __future__ import annotations

from deh_deploy.cli.app import app, main, run

__all__ = ["app", "main", "run"]
