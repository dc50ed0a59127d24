"""``deh plan``, ``deh apply`` and ``deh destroy``: the live account against the config."""

# Annotations are plain, not postponed: typer reads them on every run (see deh_deploy/cli/__init__.py).
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from deh_deploy.cli.options import EnvOpt, PathArg, SandboxOpt, SandboxUrlOpt, format_option
from deh_deploy.reporters import Format

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig
    from deh_deploy.providers.connect import Connection


def _connect(
    hub: "HubConfig", env: str, sandbox: bool, sandbox_url: str | None
) -> "AbstractContextManager[Connection]":
    from deh_deploy.providers.connect import connect

    return connect(hub.environment(env), sandbox=sandbox, sandbox_url=sandbox_url)


def plan(
    path: PathArg,
    env: EnvOpt,
    sandbox: SandboxOpt = False,
    sandbox_url: SandboxUrlOpt = None,
    format: Annotated[
        Format,
        format_option(
            Format.text, Format.markdown, Format.json, help="text, markdown (PR comments) or json."
        ),
    ] = Format.text,
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Save the plan (JSON with checksum).")
    ] = None,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 0 no changes, 2 changes, 1 error.")
    ] = False,
) -> None:
    """Show what apply would change on the Twilio account. Writes nothing."""
    from deh_deploy.config import load_hub
    from deh_deploy.deploy import plan_hub
    from deh_deploy.reporters import pick
    from deh_deploy.reporters.plans import PLANS

    reporter = pick(PLANS, format, command="plan")()
    hub = load_hub(path)
    with _connect(hub, env, sandbox, sandbox_url) as conn:
        result = plan_hub(hub, env, conn)
    reporter.report(result)
    if out_file is not None:
        _save(out_file, result.to_json())
        reporter.saved(out_file, result)
    if detailed_exitcode and not result.empty:
        raise typer.Exit(2)


def apply(
    path: PathArg,
    env: EnvOpt,
    sandbox: SandboxOpt = False,
    sandbox_url: SandboxUrlOpt = None,
    plan_file: Annotated[
        Path | None, typer.Option("--plan", help="Apply only if the plan is still this one.")
    ] = None,
    allow_purchase: Annotated[
        bool, typer.Option("--allow-purchase", help="Consent to buying phone numbers.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Pass the safety limit on updates and deletes.")
    ] = False,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=32, help="Parallel requests.")] = 10,
) -> None:
    """Make the Twilio account match the config: dependency order, safe retries, under a lease."""
    from deh_deploy.config import load_hub
    from deh_deploy.deploy import apply_hub
    from deh_deploy.reporters.deploy import ApplyReporter

    reporter = ApplyReporter()
    hub = load_hub(path)
    saved = _read(plan_file) if plan_file else None
    confirm = _ask if sys.stdin.isatty() else None
    if sandbox and not allow_purchase:
        reporter.note("sandbox: number purchases are allowed (no money is involved)")
        allow_purchase = True
    with _connect(hub, env, sandbox, sandbox_url) as conn:
        result = apply_hub(
            hub,
            env,
            conn,
            saved_plan=saved,
            force=force,
            allow_purchase=allow_purchase,
            confirm=confirm,
            progress=reporter.progress,
            on_plan=reporter.planned,
            concurrency=concurrency,
        )
    reporter.applied(result, slug=hub.slug, env=env)


def destroy(
    path: PathArg,
    env: EnvOpt,
    sandbox: SandboxOpt = False,
    sandbox_url: SandboxUrlOpt = None,
    release_numbers: Annotated[
        bool, typer.Option("--release-numbers", help="Also release bought numbers (usually gone for good).")
    ] = False,
    confirm_slug: Annotated[
        str | None, typer.Option("--confirm", help="The Society's slug, typed back.")
    ] = None,
) -> None:
    """Remove what the hub owns, in reverse order. Numbers and senders stay unless --release-numbers."""
    from deh_deploy.config import load_hub
    from deh_deploy.deploy import destroy_hub
    from deh_deploy.reporters.deploy import DestroyReporter

    reporter = DestroyReporter()
    hub = load_hub(path)
    if release_numbers and confirm_slug is None and sys.stdin.isatty():
        confirm_slug = typer.prompt(f"Type the slug ({hub.slug}) to release its numbers")
    with _connect(hub, env, sandbox, sandbox_url) as conn:
        changes = destroy_hub(
            hub,
            env,
            conn,
            release_numbers=release_numbers,
            confirm_slug=confirm_slug,
            progress=reporter.progress,
            on_plan=reporter.planned,
        )
    reporter.destroyed(changes, slug=hub.slug, env=env)


def _ask(question: str) -> bool:
    return typer.confirm(question, default=False)


def _read(path: Path) -> str:
    """A saved plan's text, refused before any connection when it is unreadable, edited or of another format."""
    from deh_deploy.inputs import read_plan
    from deh_deploy.plan import read_saved

    text = read_plan(path)
    read_saved(text)
    return text


def _save(path: Path, text: str) -> None:
    from deh_deploy.errors import UsageError
    from deh_deploy.files import write_atomic

    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None
