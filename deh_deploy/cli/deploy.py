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
    from collections.abc import Callable

    from deh_deploy.config.model import HubConfig
    from deh_deploy.plan import Plan
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
    from deh_deploy.deploy import review_hub
    from deh_deploy.reporters import pick
    from deh_deploy.reporters.plans import PLANS
    from deh_deploy.reporters.progress import waiting

    reporter = pick(PLANS, format, command="plan")()
    hub = load_hub(path)
    with _connect(hub, env, sandbox, sandbox_url) as conn, waiting(_reading(hub, env, conn)):
        review = review_hub(hub, env, conn)
    result = review.plan
    reporter.report(result, review.terms)
    if out_file is not None:
        _save(out_file, review.to_json())
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
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            min=1,
            max=32,
            help="Requests in flight at once, every one apply makes (reads, checks, writes, polls); 1: one at a time.",
        ),
    ] = 10,
    hub_url: Annotated[
        str | None,
        typer.Option(
            "--hub-url",
            envvar="DEH_HUB_URL",
            help="Ask the hub service's /healthz here (default: the config's hub.public_url).",
        ),
    ] = None,
) -> None:
    """Make the Twilio account match the config: dependency order, safe retries, under a lease. Twilio is
    pointed at the hub service only while it answers healthy."""
    from deh_deploy.config import load_hub
    from deh_deploy.deploy import apply_hub
    from deh_deploy.reporters.deploy import ApplyReporter
    from deh_deploy.reporters.progress import waiting

    reporter = ApplyReporter()
    hub = load_hub(path)
    saved = _read(plan_file) if plan_file else None
    confirm = _ask if sys.stdin.isatty() else None
    if sandbox and not allow_purchase:
        reporter.note("sandbox: number purchases are allowed (no money is involved)")
        allow_purchase = True
    with _connect(hub, env, sandbox, sandbox_url) as conn, waiting(_reading(hub, env, conn)) as stop:
        result = apply_hub(
            hub,
            env,
            conn,
            saved_plan=saved,
            force=force,
            allow_purchase=allow_purchase,
            confirm=confirm,
            progress=reporter.progress,
            on_plan=_after(stop, reporter.planned),
            concurrency=concurrency,
            hub_url=hub_url,
        )
    reporter.applied(result, slug=hub.slug, env=env)
    if result.held is not None:
        from deh_deploy.errors import HubUnhealthy

        raise HubUnhealthy(result.held)


def export(
    path: PathArg,
    env: EnvOpt,
    sandbox: SandboxOpt = False,
    sandbox_url: SandboxUrlOpt = None,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the flows to.")] = Path(
        "export"
    ),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be written; write nothing.")
    ] = False,
) -> None:
    """Write the hub's flows with the account's real SIDs, for import in the Studio console. Writes nothing to
    the account."""
    from deh_deploy.config import load_hub
    from deh_deploy.deploy import export_hub
    from deh_deploy.render import Desired, write_artifacts
    from deh_deploy.reporters.base import Reporter

    reporter = Reporter()
    hub = load_hub(path)
    with _connect(hub, env, sandbox, sandbox_url) as conn:
        exported = export_hub(hub, env, conn)
    for line in write_artifacts(Desired(hub.slug, env, artifacts=exported.files), out_dir, dry_run=dry_run):
        reporter.line(line)
    if exported.pending:
        reporter.note(
            f"the account differs from the config by {exported.pending} change(s): these are the flows apply "
            "would write; run deh apply to make them live"
        )


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
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (staging; production needs --confirm).")
    ] = False,
) -> None:
    """Show what the hub owns and would be deleted, ask, then remove it in reverse order. Numbers and senders stay
    unless --release-numbers."""
    from deh_deploy.config import load_hub
    from deh_deploy.deploy import destroy_hub
    from deh_deploy.plan import check_destroy_consent, check_release
    from deh_deploy.reporters.deploy import DestroyReporter
    from deh_deploy.reporters.progress import waiting

    reporter = DestroyReporter()
    hub = load_hub(path)
    can_ask = sys.stdin.isatty()
    if release_numbers and confirm_slug is None and can_ask:
        confirm_slug = typer.prompt(f"Type the slug ({hub.slug}) to release its numbers")
    asked = confirm_slug is None and not (yes and env != "production")
    with _connect(hub, env, sandbox, sandbox_url) as conn, waiting(_reading(hub, env, conn)) as stop:
        check_release(hub.slug, release_numbers=release_numbers, confirm_slug=confirm_slug)
        check_destroy_consent(hub.slug, env, yes=yes, confirm_slug=confirm_slug, can_ask=can_ask)
        changes = destroy_hub(
            hub,
            env,
            conn,
            release_numbers=release_numbers,
            confirm_slug=confirm_slug,
            progress=reporter.progress,
            on_plan=_after(stop, reporter.planned),
            approve=_approver(hub.slug, env) if asked else None,
        )
    reporter.destroyed(changes, slug=hub.slug, env=env)


def _reading(hub: "HubConfig", env: str, conn: "Connection") -> str:
    where = "Twilio" if conn.where == "twilio" else f"the sandbox at {conn.where}"
    return f"reading {hub.slug}/{env} from {where}…"


def _after(stop: "Callable[[], None]", then: "Callable[[Plan], None]") -> "Callable[[Plan], None]":
    """The plan is on the screen once reading is over: the spinner stops first."""

    def planned(plan: "Plan") -> None:
        stop()
        then(plan)

    return planned


def _approver(slug: str, env: str) -> "Callable[[Plan], bool]":
    """The question destroy asks once its plan is on the screen: production wants the slug typed back."""

    def approve(plan: "Plan") -> bool:
        count = len(plan.writes)
        if env == "production":
            typed: str = typer.prompt(
                f"Type the slug ({slug}) to delete these {count} resource(s) in production"
            )
            return typed.strip() == slug
        return typer.confirm(f"Delete these {count} resource(s) of {slug} ({env})?", default=False)

    return approve


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
