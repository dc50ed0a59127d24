"""The ``deh`` command line. Each command parses its options, calls one library function and prints.

This is the only module that prints or exits. Heavy modules are imported inside the commands so that
``deh --help`` stays fast.
"""

from __future__ import annotations

import sys
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from deh_deploy.errors import DehError

app = typer.Typer(
    name="deh",
    help="Deploy and test a Digital Engagement Hub from one YAML file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
sandbox_app = typer.Typer(help="A local Twilio emulator for tests and training.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


class PlanFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


class Channel(str, Enum):
    voice = "voice"
    sms = "sms"
    whatsapp = "whatsapp"
    messenger = "messenger"
    viber = "viber"
    webchat = "webchat"


PathsArg = Annotated[list[Path], typer.Argument(help="hub.yaml files or country folders.", show_default=False)]
PathArg = Annotated[Path, typer.Argument(help="A country folder or its hub.yaml.", show_default=False)]
EnvOpt = Annotated[str, typer.Option("--env", "-e", help="Environment: staging or production.")]
SandboxOpt = Annotated[bool, typer.Option("--sandbox", help="Use an embedded local sandbox (state under .deh/).")]


def out(text: str = "", *, err: bool = False) -> None:
    from deh_deploy.secrets import redact

    stream = sys.stderr if err else sys.stdout
    stream.write(redact(text) + "\n")


@app.command()
def validate(
    paths: PathsArg,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Check hub configs: schema and semantic rules. Exit 0 valid, 1 invalid, 2 unreadable."""
    from deh_deploy.config import validate as check
    from deh_deploy.diagnostics import dumps

    diagnostics = []
    for path in paths:
        diagnostics.extend(check(path)[1])
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if format is Format.json:
        out(dumps(diagnostics))
    else:
        for d in diagnostics:
            out(d.github() if format is Format.github else d.format())
    files = f"{len(paths)} config{'s' if len(paths) != 1 else ''}"
    out(f"{files}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command()
def render(
    path: PathArg,
    env: EnvOpt,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the artifacts to.")] = Path("out"),
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would be written; write nothing.")] = False,
) -> None:
    """Render every artifact of the hub (flows, templates, routing, hours function, resources.json)."""
    from deh_deploy.config import load_hub
    from deh_deploy.render import render_hub, write_artifacts

    hub = load_hub(path)
    desired = render_hub(hub, env=env)
    for line in write_artifacts(desired, out_dir, dry_run=dry_run):
        out(line)


def _fail(message: str, code: int) -> NoReturn:
    out(f"deh: {message}", err=True)
    raise SystemExit(code)


def _log_unexpected(exc: BaseException) -> Path:
    import tempfile
    import traceback

    from deh_deploy.secrets import redact

    folder = Path(tempfile.gettempdir()) / "deh-deploy"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"error-{datetime.now().strftime('%Y%m%d-%H%M%S')}.log"
    log.write_text(redact("".join(traceback.format_exception(exc))), encoding="utf-8")
    return log


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: one handler maps the exception tree to exit codes (1 expected, 2 usage, 3 unexpected)."""
    from typer._click.exceptions import ClickException  # typer's bundled click
    from typer.exceptions import Abort

    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="deh", standalone_mode=False)
    except DehError as exc:
        from deh_deploy.errors import ConfigError

        if isinstance(exc, ConfigError):
            for d in exc.diagnostics:
                out(d.format(), err=True)
            _fail(f"{sum(d.severity == 'error' for d in exc.diagnostics)} problem(s) in the config", exc.exit_code)
        _fail(str(exc), exc.exit_code)
    except Abort:
        _fail("aborted", 130)
    except ClickException as exc:
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        raise SystemExit(1) from None
    except Exception as exc:
        log = _log_unexpected(exc)
        _fail(f"An unexpected error has occurred: {type(exc).__name__}. The traceback is in {log}", 3)
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
