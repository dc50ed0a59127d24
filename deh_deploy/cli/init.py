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
    """Start a new country's hub from the template: a folder that validates, with placeholders to fill in.

    In a terminal it asks what the options did not give, checking each answer as it is given."""
    from deh_deploy.config import validate as check
    from deh_deploy.errors import UsageError
    from deh_deploy.init import init_country
    from deh_deploy.init.workflow import write_workflow
    from deh_deploy.reporters.diagnostics import TextDiagnostics

    interactive = not no_input and sys.stdin.isatty()
    if country is None and not interactive:
        raise UsageError("give the country (e.g. deh init HU), or run in a terminal to be asked")
    given = {
        "country": country,
        "name": name,
        "slug": slug,
        "timezone": timezone,
        "languages": ",".join(languages) if languages else None,
        "holidays": "no" if no_holidays else None,
    }
    if interactive:
        given = _ask(given, output_dir=output_dir)
    folder = init_country(
        country=given["country"] or "",
        name=given["name"],
        slug=given["slug"],
        languages=[given["languages"] or ""],
        timezone=given["timezone"],
        output_dir=output_dir,
        no_input=True,
        holidays=given["holidays"] != "no",
    )
    workflow = write_workflow(folder)
    diagnostics = check(folder)[1]
    reporter = TextDiagnostics()
    reporter.diagnostics(diagnostics)
    shown = _shown(workflow.path) if workflow.path else ""
    if workflow.state == "created":
        reporter.line(f"created {shown}: validate, test and plan on pull requests, apply on merge")
    elif workflow.state == "kept":
        reporter.line(f"kept {shown} as it is (a file was there)")
    else:
        reporter.line(f"{folder} is in no git repository: no CI workflow written")
    reporter.line(
        f"created {folder}: {len(diagnostics)} placeholder(s) to fill in; then run deh validate {folder}"
    )


def _shown(path: Path) -> str:
    """``path`` relative to the working folder when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _ask(given: dict[str, str | None], *, output_dir: Path) -> dict[str, str | None]:
    """Ask each question the options left open, in order, with its default from the answers before it; an
    answer is checked when it is given, and a refused one is asked again with what was most likely meant as the
    default (Enter takes it). An option that is refused is asked in the same way."""
    from deh_deploy.errors import AnswerError, UsageError
    from deh_deploy.init.questions import QUESTIONS, check_answer
    from deh_deploy.reporters.base import out

    answers: dict[str, str] = {}
    for question in QUESTIONS:
        text, offered = given.get(question.key), None
        while True:
            if text is None:
                shown = offered if offered is not None else question.default(answers)
                try:
                    text = input(f"{question.prompt}" + (f" [{shown}]" if shown else "") + ": ") or shown
                except EOFError:
                    raise UsageError(
                        f"no answer to {question.prompt!r}: the input ended; nothing was written"
                    ) from None
            try:
                answers[question.key] = check_answer(question.key, text, given=answers, output_dir=output_dir)
                break
            except AnswerError as exc:
                out(f"  {exc}", err=True)
                text, offered = None, exc.suggestion
    return {**given, **answers}
