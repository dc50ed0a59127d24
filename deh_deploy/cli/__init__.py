"""The ``deh`` command line, one module per command group; the only layer that prints or exits.

``deh = "deh_deploy.cli:run"`` is the console script; ``python -m deh_deploy.cli`` runs the same.

The command modules do not postpone their annotations (no ``from __future__ import annotations``): typer builds
every command from its annotations on every run, ``--help`` included, and from strings it must compile and
evaluate each one twice, about 7 ms a run; evaluated once at import they cost about 1 ms.
"""

from __future__ import annotations

from deh_deploy.cli.app import app, main, run

__all__ = ["app", "main", "run"]
