"""``deh runbook``: the Society's go-live checklist, as markdown or a printable HTML page."""

# Annotations are plain, not postponed: typer reads them on every run (see deh_deploy/cli/__init__.py).
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from deh_deploy.cli.options import EnvOpt, PathArg, SandboxOpt, SandboxUrlOpt

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig
    from deh_deploy.runbook.model import Account

FORMATS = ("markdown", "html")


def runbook(
    path: PathArg,
    env: EnvOpt,
    output: Annotated[
        str,
        typer.Option("--format", "-f", metavar="<markdown|html>", help="Markdown, or a printable HTML page."),
    ] = "markdown",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to this file (default: standard output).")
    ] = None,
    sandbox: SandboxOpt = False,
    sandbox_url: SandboxUrlOpt = None,
) -> None:
    """Write the go-live checklist: numbers, WhatsApp, Messenger, recordings, skills, hours, data protection;
    each step done or not when the account can be read (credentials or a sandbox), else unknown."""
    from deh_deploy.config import load_hub
    from deh_deploy.errors import UsageError
    from deh_deploy.runbook.build import build
    from deh_deploy.runbook.pages import markdown, page

    if output not in FORMATS:
        raise UsageError(f"--format {output}: deh runbook writes markdown or html")
    hub = load_hub(path)
    hub.environment(env)
    account = _account(hub, env, sandbox, sandbox_url)
    book = build(hub, env, account=account, today=date.today())
    text = page(book) if output == "html" else markdown(book)
    if out is None:
        sys.stdout.write(text)
        return
    _write(out, text)
    sys.stderr.write(f"wrote {out} ({len(book.items())} steps, {book.checked})\n")


def _account(hub: "HubConfig", env: str, sandbox: bool, sandbox_url: str | None) -> "Account | None":
    """The account's answers when it can be reached: with a sandbox, or with the credentials the config names set.
    Any reason it cannot be read is one line on stderr, and the steps stay unknown."""
    from deh_deploy.errors import DehError
    from deh_deploy.providers.connect import connect
    from deh_deploy.runbook.account import read_account

    names = hub.environment(env).credentials
    if not (sandbox or sandbox_url or os.environ.get(names.auth_token) or os.environ.get(names.api_secret)):
        sys.stderr.write("no credentials or sandbox given: the account is not read, every step is unknown\n")
        return None
    try:
        with connect(hub.environment(env), sandbox=sandbox, sandbox_url=sandbox_url) as conn:
            return read_account(hub, env, conn)
    except DehError as exc:
        sys.stderr.write(f"the account was not read ({exc}): every step is unknown; nothing was changed\n")
        return None


def _write(path: Path, text: str) -> None:
    from deh_deploy.errors import UsageError
    from deh_deploy.files import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
