"""What a person at a terminal sees while deh works or waits: a bar for counted work (the sweep, countries), a
spinner while the network answers.

Drawn by rich on standard error, and only when standard error is a terminal that can redraw a line: pipes, files
and CI logs get nothing extra, so their output stays byte for byte what it was. rich honours ``NO_COLOR`` (no
colours) and ``TERM=dumb`` (no redrawing, hence no progress); ``DEH_NO_PROGRESS=1`` turns it off altogether.
rich is imported only when something is drawn, so a piped command does not pay for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

Update = Callable[[int, int], None]  # (done, total): units of work finished so far, and how many there are


def _console() -> Console | None:
    if os.environ.get("DEH_NO_PROGRESS") or not sys.stderr.isatty():
        return None
    from rich.console import Console

    console = Console(stderr=True)
    return console if console.is_terminal and not console.is_dumb_terminal else None


def _ignore(_done: int, _total: int) -> None:
    return None


@contextmanager
def counting(description: str) -> Iterator[Update]:
    """A bar for work that counts itself: the update says how much is done of how much."""
    console = _console()
    if console is None:
        yield _ignore
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _nothing() -> None:
    return None


@contextmanager
def waiting(message: str) -> Iterator[Callable[[], None]]:
    """A spinner while deh waits for answers it cannot count (the account read before a plan); the callable it
    gives stops the spinner early, when the waiting is over before the block is (apply's plan is on the screen)."""
    console = _console()
    if console is None:
        yield _nothing
        return
    with console.status(message) as status:
        yield status.stop
