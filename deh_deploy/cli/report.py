"""``deh report``: the hub's report as a static page (or CSV, JSON) for a monthly review."""

from __future__ import annotations

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer


def report(
    path: Annotated[Path, typer.Argument(help="A country folder or its hub.yaml.", show_default=False)],
    env: Annotated[str, typer.Option("--env", "-e", help="Environment: staging or production.")] = "staging",
    first: Annotated[
        datetime | None,
        typer.Option("--from", formats=["%Y-%m-%d"], help="First day (default: four weeks before --to)."),
    ] = None,
    last: Annotated[
        datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day (default: today).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here (default: report.html, .csv or .json).")
    ] = None,
    output: Annotated[
        str,
        typer.Option("--format", metavar="<html|csv|json>", help="The page, or the records as CSV or JSON."),
    ] = "html",
    role: Annotated[
        str | None,
        typer.Option(
            "--role", help="Whose view (a role of hub.roles; default: the first without sensitive)."
        ),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url", help="postgresql://… or sqlite:///… (default: the config's, else .deh/)."
        ),
    ] = None,
) -> None:
    """Write the hub's report (promise kept, first response, contacts, records at risk) for a period."""
    from deh_deploy.config import load_hub
    from deh_deploy.errors import HubError, UsageError
    from deh_deploy.files import write_atomic
    from deh_deploy.hub.db import make_engine
    from deh_deploy.hub.report.build import FORMATS, build, period
    from deh_deploy.hub.report.build import database_url as find_database

    if output not in FORMATS:
        raise UsageError(f"--format {output!r}: choose html, csv or json")
    hub = load_hub(path)
    roles = hub.service.roles
    if role is not None and role not in roles:
        raise UsageError(
            f"--role {role!r} is not in hub.roles of {hub.source} ({', '.join(roles) or 'none'})"
        )
    chosen = role or next((name for name, r in roles.items() if not r.sensitive), "report")
    sensitive = chosen in roles and roles[chosen].sensitive
    span = period(first.date() if first else None, last.date() if last else None, today=date.today())
    engine = make_engine(find_database(hub, env, database_url, environ=os.environ, state_dir=Path(".deh")))
    try:
        text = build(
            engine, hub, first=span[0], last=span[1], role=chosen, sensitive=sensitive, output=output
        )
    finally:
        engine.dispose()
    target = out or Path(f"report.{output}")
    try:
        write_atomic(target, text.encode())
    except OSError as exc:
        raise HubError(f"{target}: cannot write: {exc.strerror or exc}") from None
    sys.stderr.write(f"wrote {target} ({span[0]} – {span[1]}, role {chosen})\n")
