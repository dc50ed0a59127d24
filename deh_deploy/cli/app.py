"""The ``deh`` application: its commands, the global ``--debug`` option, and the entry points.

Each command module holds thin commands (parse, call one library function, hand the result to a reporter);
this module only assembles them. Heavy modules are imported inside the commands, so ``deh --help`` stays fast.
"""

# Annotations are plain, not postponed: typer reads them on every run (see deh_deploy/cli/__init__.py).
import sys
from typing import Annotated, NoReturn

import typer

from deh_deploy.cli import deploy, host, init, render, report, runbook, sandbox, simulate, validate
from deh_deploy.cli.errors import error_handler
from deh_deploy.cli.hub import hub_app
from deh_deploy.errors import UsageError

app = typer.Typer(
    name="deh",
    help="Deploy and test a Digital Engagement Hub from one YAML file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
sandbox_app = typer.Typer(help="A local Twilio emulator for tests and training.", no_args_is_help=True)


@app.callback()
def options(
    ctx: typer.Context,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug", "-v", help="Log each HTTP request and the library's decisions on stderr (redacted)."
        ),
    ] = False,
) -> None:
    """Options before the command. ``--debug`` adds the one log handler for the run's duration; the context
    removes it when the command ends, whatever way it ends."""
    if debug:
        from deh_deploy.cli.logs import enable_debug

        ctx.call_on_close(enable_debug())


app.command()(validate.validate)
app.command()(init.init)
app.command()(render.render)
app.command()(deploy.plan)
app.command()(deploy.apply)
app.command()(deploy.destroy)
app.command()(deploy.export)
app.command()(simulate.simulate)
app.command("test")(simulate.test_cmd)
app.command("report")(report.report)
app.command()(host.host)
app.command()(runbook.runbook)
sandbox_app.command("serve")(sandbox.serve)
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(hub_app, name="hub")


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: run one command under the one error handler (exit 1 expected, 2 usage, 3 unexpected)."""
    command = typer.main.get_command(app)
    with error_handler():
        args = sys.argv[1:] if argv is None else argv
        if any("\0" in arg for arg in args):  # no path or option can hold one; the OS would refuse it later
            raise UsageError("an argument contains a NUL character, which no file name or option can hold")
        code = command.main(args=args, prog_name="deh", standalone_mode=False)
    raise SystemExit(code if isinstance(code, int) else 0)


def run() -> NoReturn:
    """The console script: :func:`main`, then leave without tearing the interpreter down. By then every file and
    connection is closed; freeing thousands of module objects one by one only delays the prompt (about 30 ms)."""
    import os

    try:
        main()
    except SystemExit as exc:
        code = exc.code
    except KeyboardInterrupt:  # before the error handler is in place (while the command's modules load)
        sys.stderr.write("deh: interrupted\n")
        code = 130
    else:  # pragma: no cover - main always exits
        code = 0
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
    status = code if isinstance(code, int) else (0 if code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            status = status or 1
    os._exit(status)
