"""Options shared by several commands, declared once so that they read the same everywhere."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from deh_deploy.reporters import Format

PathsArg = Annotated[
    list[Path], typer.Argument(help="hub.yaml files or country folders.", show_default=False)
]
PathArg = Annotated[Path, typer.Argument(help="A country folder or its hub.yaml.", show_default=False)]
EnvOpt = Annotated[str, typer.Option("--env", "-e", help="Environment: staging or production.")]
SandboxOpt = Annotated[
    bool, typer.Option("--sandbox", help="Use an embedded local sandbox (state under .deh/).")
]
SandboxUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--sandbox-url",
        help="Use a sandbox started with `deh sandbox serve` (credentials from the environment).",
    ),
]


def format_option(*formats: Format, help: str) -> Any:
    """``-f/--format`` over the one :class:`Format` vocabulary, its help listing the formats this command writes
    (those of its reporter table; a test keeps the two in step). A name of the vocabulary the command does not
    write is refused by :func:`deh_deploy.reporters.pick` in one line."""
    return typer.Option("--format", "-f", help=help, metavar="<" + "|".join(formats) + ">")


if TYPE_CHECKING:  # the members mypy can see; at run time they are the channel table's, in its order

    class Channel(StrEnum):
        voice = "voice"
else:
    from deh_deploy.channels import names as _channel_names

    Channel = StrEnum("Channel", {name: name for name in _channel_names()})
