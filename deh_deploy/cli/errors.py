"""The one error handler: every exception a command lets out becomes one message and an exit status.

Expected failures (:class:`deh_deploy.errors.DehError`) print their message and exit 1 (a usage error 2); an
invalid config prints each diagnostic first. Anything else is a bug: "An unexpected error has occurred", exit
3, the traceback (redacted) in a log file. Ctrl-C exits 130, SIGTERM 143 (both after releasing the lease); a
closed pipe, 1.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import NoReturn

from deh_deploy import stopping
from deh_deploy.errors import DehError, Terminated
from deh_deploy.reporters.base import out


@contextmanager
def error_handler() -> Iterator[None]:
    from typer._click.exceptions import ClickException  # typer's bundled click
    from typer.exceptions import Abort

    stopping.reset()
    installed, previous = _on_sigterm()
    interrupting, previous_int = _on_sigint()
    try:
        yield
    except DehError as exc:
        from deh_deploy.errors import ConfigError

        if isinstance(exc, ConfigError):
            for d in exc.diagnostics:
                out(d.format(), err=True)
            _fail(
                f"{sum(d.severity == 'error' for d in exc.diagnostics)} problem(s) in the config",
                exc.exit_code,
            )
        _fail(str(exc), exc.exit_code)
    except Abort:
        _fail("aborted", 130)
    except ClickException as exc:
        from typer._click.exceptions import UsageError as OptionError

        if isinstance(exc, OptionError):  # one line, like every other error, naming where help is
            command = exc.ctx.command_path if exc.ctx is not None else "deh"
            _fail(f"{exc.format_message()} (see {command} --help)", exc.exit_code)
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except Terminated as exc:
        if exc.signal_name == "SIGINT":
            _fail("interrupted: what was done is kept, the lease released; run the command again", 130)
        _fail("terminated (SIGTERM): what was done is kept, the lease released; run the command again", 143)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        raise SystemExit(1) from None
    except Exception as exc:
        log = _log_unexpected(exc)
        where = f"The traceback is in {log}" if log else "No log could be written in the state folder"
        _fail(f"An unexpected error has occurred: {type(exc).__name__}. {where}", 3)
    finally:
        if installed:
            signal.signal(signal.SIGTERM, previous)
        if interrupting:
            signal.signal(signal.SIGINT, previous_int)


Handler = Callable[[int, FrameType | None], object] | int | None


def _on_sigterm() -> tuple[bool, Handler]:
    """SIGTERM stops deh once; a second one while it winds down is ignored (the lease is being released). Under
    the lease it asks the run to stop at its next safe point (:mod:`deh_deploy.stopping`), elsewhere it raises
    :class:`Terminated` at once. Returns whether it was set (not outside the main thread) and the handler it
    replaced."""

    def terminate(_signum: int, _frame: FrameType | None) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if stopping.deferring():
            stopping.ask()
            return
        raise Terminated

    try:
        return True, signal.signal(signal.SIGTERM, terminate)
    except ValueError:
        return False, None


def _on_sigint() -> tuple[bool, Handler]:
    """Ctrl-C under the lease asks the run to stop at its next safe point, as SIGTERM does (a KeyboardInterrupt
    raised inside ``concurrent.futures`` would leave its locks taken); a second one while it winds down is ignored.
    Elsewhere Ctrl-C is a KeyboardInterrupt, as Python makes it. Left alone when SIGINT is ignored (``nohup``)."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        if stopping.deferring():
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            stopping.ask("SIGINT")
            return
        signal.default_int_handler(signum, frame)

    try:
        if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
            return False, None
        return True, signal.signal(signal.SIGINT, interrupt)
    except ValueError:
        return False, None


def _fail(message: str, code: int) -> NoReturn:
    out(f"deh: {message}", err=True)
    raise SystemExit(code)


def _log_unexpected(exc: BaseException) -> Path | None:
    """The traceback in a private log of the user's own (:mod:`deh_deploy.crashlog`); None when none can be written."""
    import traceback

    from deh_deploy import crashlog

    return crashlog.write("".join(traceback.format_exception(exc)))
