"""What every reporter shares: whole lines to stdout or stderr, each one redacted on its way out."""

from __future__ import annotations

import sys
from typing import TextIO


def out(text: str = "", *, err: bool = False) -> None:
    """Write one line to stdout (``err``: stderr). Every line passes :func:`deh_deploy.secrets.redact`, so no
    secret reaches the terminal whatever a message or a server's answer holds."""
    from deh_deploy.secrets import redact

    stream: TextIO = sys.stderr if err else sys.stdout  # looked up per line: tests swap the streams
    stream.write(redact(text) + "\n")


class Reporter:
    """The base of every reporter: output goes through :func:`out`, results on stdout, notes on stderr."""

    def line(self, text: str = "") -> None:
        out(text)

    def note(self, text: str) -> None:
        out(text, err=True)
