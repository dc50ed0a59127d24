"""``deh validate``: every problem of every config, in the format CI wants."""

# Annotations are plain, not postponed: typer reads them on every run (see deh_deploy/cli/__init__.py).
from typing import Annotated

import typer

from deh_deploy.cli.options import PathsArg, format_option
from deh_deploy.reporters import Format


def validate(
    paths: PathsArg,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    format: Annotated[
        Format, format_option(Format.text, Format.json, Format.github, help="Output format.")
    ] = Format.text,
) -> None:
    """Check hub configs: schema, semantic rules, and the rendered routing expressions. Exit 0 valid, 1 invalid,
    2 unreadable."""
    from deh_deploy.reporters import pick
    from deh_deploy.reporters.diagnostics import DIAGNOSTICS
    from deh_deploy.validation import validate_hub as check

    reporter = pick(DIAGNOSTICS, format, command="validate")()
    diagnostics = [d for path in paths for d in check(path)[1]]
    reporter.report(diagnostics, files=len(paths))
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(
        d.severity == "warning" for d in diagnostics
    )  # placeholders allowed by ready: false never fail
    if errors or (strict and warnings):
        raise typer.Exit(1)
