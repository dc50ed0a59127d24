"""``deh render``: every artifact of the hub, written atomically, each file said created, identical or
overwritten."""

# Annotations are plain, not postponed: typer reads them on every run (see deh_deploy/cli/__init__.py).
from pathlib import Path
from typing import Annotated

import typer

from deh_deploy.cli.options import EnvOpt, PathArg


def render(
    path: PathArg,
    env: EnvOpt,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the artifacts to.")] = Path(
        "out"
    ),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be written; write nothing.")
    ] = False,
) -> None:
    """Render every artifact of the hub (flows, templates, routing, hours function, resources.json)."""
    from deh_deploy.config import load_hub
    from deh_deploy.render import render_hub, write_artifacts
    from deh_deploy.reporters.base import out

    desired = render_hub(load_hub(path), env=env)
    for line in write_artifacts(desired, out_dir, dry_run=dry_run):
        out(line)
