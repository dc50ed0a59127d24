"""Stopping on SIGTERM or Ctrl-C where it is safe to stop.

A signal handler runs in the main thread at whatever bytecode that thread is at; an exception it raises lands
there. During an apply that can be inside the bookkeeping of ``concurrent.futures`` (``wait`` takes every
future's lock in turn: raised between two, the locks taken stay taken, the workers block for ever on them, the
pool never shuts down and the process never exits) or between the creation of the lease and the block that
releases it. Ctrl-C's KeyboardInterrupt lands the same way. So while work that must wind down in order runs (a run
under the lease), SIGTERM and Ctrl-C only *ask* to stop (:func:`ask`), and that work stops at its own safe points
(:func:`checkpoint`): no new request is started, those on their way finish within their deadline, and the lease is
released. Outside such work the handlers raise at once, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from deh_deploy.errors import Terminated

_asked = threading.Event()
_by: list[str] = ["SIGTERM"]  # which signal asked
_depth = 0  # how many deferred() blocks the main thread is in


@contextmanager
def deferred() -> Iterator[None]:
    """A block in which SIGTERM asks to stop rather than interrupting; left normally, it honours the ask."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
    checkpoint()


def deferring() -> bool:
    return _depth > 0


def ask(by: str = "SIGTERM") -> None:
    """Ask the run to stop at its next safe point; ``by`` names the signal, for the last line deh prints."""
    _by[0] = by
    _asked.set()


def asked() -> bool:
    return _asked.is_set()


def checkpoint() -> None:
    """A safe point: raise :class:`~deh_deploy.errors.Terminated` if a stop was asked for."""
    if _asked.is_set():
        raise Terminated(_by[0])


def reset() -> None:
    """Forget an earlier ask (a new command in the same process)."""
    _asked.clear()
