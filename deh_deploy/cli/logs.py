"""``deh --debug``: the library's log records on stderr. Without it nothing is logged: the library only creates
records (``logging.getLogger("deh_deploy.…")``) and never adds a handler; this is the one place that does."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

LOGGER = "deh_deploy"


class RedactingFormatter(logging.Formatter):
    """``debug: providers.http: GET … 200 12 ms``. The whole line, and any traceback, passes
    :func:`deh_deploy.secrets.redact`: no secret reaches the terminal whatever a record holds."""

    def format(self, record: logging.LogRecord) -> str:
        from deh_deploy.secrets import redact

        text = f"{record.levelname.lower()}: {record.name.removeprefix(LOGGER + '.')}: {record.getMessage()}"
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return redact(text)


class StderrHandler(logging.Handler):
    """Writes to the ``sys.stderr`` of the moment rather than the one at start, as every other line of the CLI
    does (tests capture the streams by swapping them)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:
            self.handleError(record)


def enable_debug() -> Callable[[], None]:
    """Show the ``deh_deploy`` loggers' records from DEBUG up. Returns the undo, so that a process that runs
    several commands (the tests) leaves logging as it found it."""
    logger = logging.getLogger(LOGGER)
    handler = StderrHandler()
    handler.setFormatter(RedactingFormatter())
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def undo() -> None:
        logger.removeHandler(handler)
        logger.setLevel(level)

    return undo
