"""Reporters: each takes a command's result and writes it in one format. Models know nothing of formats.

Every command shares one ``--format`` vocabulary, :class:`Format`; a command looks its reporter up by name in the
table of its result kind (``DIAGNOSTICS`` in :mod:`.diagnostics`, ``PLANS`` in :mod:`.plans`, …) with
:func:`pick`, which refuses, as a usage error, a name the table does not hold. This module stays import-light:
the CLI reads :class:`Format` before any command runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

R = TypeVar("R")


class Format(StrEnum):
    """Every output format of every command; each command accepts those its reporters write."""

    text = "text"
    json = "json"
    markdown = "markdown"
    github = "github"


def names(table: Mapping[Format, object]) -> str:
    """``text, json or github``: the formats of a table, as help texts and errors list them."""
    listed = [str(f) for f in table]
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} or {listed[-1]}"


def pick(table: Mapping[Format, R], fmt: Format, *, command: str) -> R:
    """The reporter ``table`` holds for ``fmt``; a usage error naming the formats ``command`` does write."""
    try:
        return table[fmt]
    except KeyError:
        from deh_deploy.errors import UsageError

        raise UsageError(f"--format {fmt}: deh {command} writes {names(table)}") from None


__all__ = ["Format", "names", "pick"]
