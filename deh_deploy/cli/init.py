"""``deh init``: a new country's folder from the template, and what is left to fill in."""

# Annotations are plain, not postponed: typer reads them on every run (see deh_deploy/cli/__init__.py).
import sys
from pathlib import Path
from typing import Annotated

import typer


def init(
    country: Annotated[
        str | None, typer.Argument(help="ISO 3166 country code, e.g. HU.", show_default=False)
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The National Society's name.")] = None,
    slug: Annotated[
        str | None, typer.Option("--slug", help="Folder and resource name (default: the country).")
    ] = None,
    languages: Annotated[
        list[str] | None,
        typer.Option("--languages", "-l", help="BCP-47 tags, first is the default: uk,ru,hu."),
    ] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="IANA timezone (default: the country's).")
    ] = None,
    no_holidays: Annotated[
        bool, typer.Option("--no-holidays", help="Do not close on public holidays.")
    ] = False,
    output_dir: Annotated[Path, typer.Option("--output-dir", help="Where country folders live.")] = Path(
        "country_configs"
    ),
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Ask nothing; use options and defaults.")
    ] = False,
) -> None:
    """Start a new country's hub from the template: a folder that validates, with placeholders to fill in."""
    from deh_deploy.config import validate as check
    from deh_deploy.errors import UsageError
    from deh_deploy.init import init_country
    from deh_deploy.reporters.diagnostics import TextDiagnostics

    interactive = not no_input and sys.stdin.isatty()
    if country is None and not interactive:
        raise UsageError("give the country (e.g. deh init HU), or run in a terminal to be asked")
    folder = init_country(
        country=country or "",
        name=name,
        slug=slug,
        languages=list(languages or []),
        timezone=timezone,
        output_dir=output_dir,
        no_input=not interactive,
        holidays=not no_holidays,
    )
    diagnostics = check(folder)[1]
    reporter = TextDiagnostics()
    reporter.diagnostics(diagnostics)
    reporter.line(
        f"created {folder}: {len(diagnostics)} placeholder(s) to fill in; then run deh validate {folder}"
    )
