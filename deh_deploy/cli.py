"""The ``deh`` command line. Each command parses its options, calls one library function and prints.

This is the only module that prints or exits. Heavy modules are imported inside the commands so that
``deh --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from deh_deploy.errors import DehError

if TYPE_CHECKING:
    from deh_deploy.config.model import ChannelName, HubConfig
    from deh_deploy.plan import Plan
    from deh_deploy.providers.connect import Connection
    from deh_deploy.simulate.hub import HubSimulator, Outcome

app = typer.Typer(
    name="deh",
    help="Deploy and test a Digital Engagement Hub from one YAML file.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
sandbox_app = typer.Typer(help="A local Twilio emulator for tests and training.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


class SimFormat(StrEnum):
    text = "text"
    json = "json"


class PlanFormat(StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


class Channel(StrEnum):
    voice = "voice"
    sms = "sms"
    whatsapp = "whatsapp"
    messenger = "messenger"
    viber = "viber"
    webchat = "webchat"


PathsArg = Annotated[
    list[Path], typer.Argument(help="hub.yaml files or country folders.", show_default=False)
]
PathArg = Annotated[Path, typer.Argument(help="A country folder or its hub.yaml.", show_default=False)]
EnvOpt = Annotated[str, typer.Option("--env", "-e", help="Environment: staging or production.")]
SandboxOpt = Annotated[
    bool, typer.Option("--sandbox", help="Use an embedded local sandbox (state under .deh/).")
]


def out(text: str = "", *, err: bool = False) -> None:
    from deh_deploy.secrets import redact

    stream = sys.stderr if err else sys.stdout
    stream.write(redact(text) + "\n")


@app.command()
def validate(
    paths: PathsArg,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Check hub configs: schema and semantic rules. Exit 0 valid, 1 invalid, 2 unreadable."""
    from deh_deploy.config import validate as check
    from deh_deploy.diagnostics import dumps

    diagnostics = []
    for path in paths:
        diagnostics.extend(check(path)[1])
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = len(diagnostics) - errors
    if format is Format.json:
        out(dumps(diagnostics))
    else:
        for d in diagnostics:
            out(d.github() if format is Format.github else d.format())
    files = f"{len(paths)} config{'s' if len(paths) != 1 else ''}"
    out(f"{files}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)
    if errors or (strict and warnings):
        raise typer.Exit(1)


@app.command()
def init(
    country: Annotated[
        str | None, typer.Argument(help="ISO 3166 country code, e.g. HU.", show_default=False)
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="The National Society's name.")] = None,
    slug: Annotated[
        str | None, typer.Option("--slug", help="Folder and resource name (default: the country).")
    ] = None,
    languages: Annotated[
        list[str] | None,
        typer.Option("--languages", "-l", help="BCP-47 tags, first is the default: uk,ru,hu."),
    ] = None,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="IANA timezone (default: the country's).")
    ] = None,
    no_holidays: Annotated[
        bool, typer.Option("--no-holidays", help="Do not close on public holidays.")
    ] = False,
    output_dir: Annotated[Path, typer.Option("--output-dir", help="Where country folders live.")] = Path(
        "country_configs"
    ),
    no_input: Annotated[
        bool, typer.Option("--no-input", help="Ask nothing; use options and defaults.")
    ] = False,
) -> None:
    """Start a new country's hub from the template: a folder that validates, with placeholders to fill in."""
    from deh_deploy.config import validate as check
    from deh_deploy.errors import UsageError
    from deh_deploy.init import init_country

    interactive = not no_input and sys.stdin.isatty()
    if country is None and not interactive:
        raise UsageError("give the country (e.g. deh init HU), or run in a terminal to be asked")
    folder = init_country(
        country=country or "",
        name=name,
        slug=slug,
        languages=list(languages or []),
        timezone=timezone,
        output_dir=output_dir,
        no_input=not interactive,
        holidays=not no_holidays,
    )
    diagnostics = check(folder)[1]
    for d in diagnostics:
        out(d.format())
    out(f"created {folder}: {len(diagnostics)} placeholder(s) to fill in; then run deh validate {folder}")


@app.command()
def render(
    path: PathArg,
    env: EnvOpt,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder to write the artifacts to.")] = Path(
        "out"
    ),
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would be written; write nothing.")
    ] = False,
) -> None:
    """Render every artifact of the hub (flows, templates, routing, hours function, resources.json)."""
    from deh_deploy.config import load_hub
    from deh_deploy.render import render_hub, write_artifacts

    hub = load_hub(path)
    desired = render_hub(hub, env=env)
    for line in write_artifacts(desired, out_dir, dry_run=dry_run):
        out(line)


SandboxUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--sandbox-url",
        help="Use a sandbox started with `deh sandbox serve` (credentials from the environment).",
    ),
]


def _connect(
    hub: HubConfig, env: str, sandbox: bool, sandbox_url: str | None
) -> AbstractContextManager[Connection]:
    from deh_deploy.providers.connect import connect

    return connect(hub.environment(env), sandbox=sandbox, sandbox_url=sandbox_url)


@app.command()
def plan(
    path: PathArg,
    env: EnvOpt,
    sandbox: SandboxOpt = False,
    sandbox_url: SandboxUrlOpt = None,
    format: Annotated[
        PlanFormat, typer.Option("--format", "-f", help="text, markdown (PR comments) or json.")
    ] = PlanFormat.text,
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

    hub = load_hub(path)
    with _connect(hub, env, sandbox, sandbox_url) as conn:
        result = plan_hub(hub, env, conn)
    out(result.render(format.value))
    if out_file is not None:
        _write_text(out_file, result.to_json())
        out(f"plan saved to {out_file} (checksum {result.as_json()['checksum'][:12]})", err=True)
    if detailed_exitcode and not result.empty:
        raise typer.Exit(2)


@app.command()
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

    hub = load_hub(path)
    saved = _read_text(plan_file) if plan_file else None
    confirm = _ask if sys.stdin.isatty() else None
    if sandbox and not allow_purchase:
        out("sandbox: number purchases are allowed (no money is involved)", err=True)
        allow_purchase = True
    total = 0
    done = 0

    def planned(plan: Plan) -> None:
        nonlocal total
        total = len(plan.writes)
        out(plan.render("text"))

    def progress(rid: str, what: str) -> None:
        nonlocal done
        done += 1
        out(f"[{done:>3}/{total}] {what:8} {rid}")

    with _connect(hub, env, sandbox, sandbox_url) as conn:
        result = apply_hub(
            hub,
            env,
            conn,
            saved_plan=saved,
            force=force,
            allow_purchase=allow_purchase,
            confirm=confirm,
            progress=progress,
            on_plan=planned,
            concurrency=concurrency,
        )
    counts = result.plan.counts()
    out(
        f"applied {hub.slug}/{env}: {len(result.outcome.done)} change(s) ({counts['create']} create, "
        f"{counts['update']} update, {counts['delete']} delete); {result.requests} requests, "
        f"{result.writes} writes"
    )


@app.command()
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
            progress=lambda rid, what: out(f"{what:8} {rid}"),
        )
    out(f"destroyed {sum(c.action == 'delete' for c in changes)} resource(s) of {hub.slug}/{env}")


@app.command()
def simulate(
    path: PathArg,
    env: EnvOpt = "staging",
    channel: Annotated[Channel, typer.Option("--channel", "-c", help="Channel to use.")] = Channel.voice,
    at: Annotated[
        str | None,
        typer.Option(
            "--at", help="Local time of the Society, e.g. 2026-12-24T10:00 (or with an offset). Default: now."
        ),
    ] = None,
    from_: Annotated[str | None, typer.Option("--from", help="Who contacts the hub.")] = None,
    press: Annotated[
        list[str] | None, typer.Option("--press", help="Keys pressed at a prompt (repeatable).")
    ] = None,
    say: Annotated[
        list[str] | None, typer.Option("--say", help="Words said at a prompt (repeatable).")
    ] = None,
    send: Annotated[list[str] | None, typer.Option("--send", help="Messages written (repeatable).")] = None,
    hours_fail: Annotated[
        bool, typer.Option("--hours-fail", help="Simulate the hours function failing.")
    ] = False,
    format: Annotated[SimFormat, typer.Option("--format", "-f", help="text or json.")] = SimFormat.text,
) -> None:
    """Call or message the hub offline and see what a person hears and reads, step by step."""
    from deh_deploy.config import load_hub
    from deh_deploy.simulate.hub import HubSimulator, Script, transcript_lines

    hub = load_hub(path)
    when = _instant(at)
    scripted = bool(press or say or send) or not sys.stdin.isatty() or format is SimFormat.json
    sim = HubSimulator(hub, env=env)
    if scripted:
        script = Script(presses=list(press or []), says=list(say or []), sends=list(send or []))
        conv, result = sim.run(
            channel=channel.value, at=when, script=script, from_=from_, hours_fail=hours_fail
        )
        if format is SimFormat.json:
            import json

            out(
                json.dumps(
                    {"transcript": conv.to_json(), "outcome": result.to_json()}, ensure_ascii=False, indent=2
                )
            )
            return
        for line in transcript_lines(conv):
            out(line)
    else:
        result = _interactive(sim, channel.value, when, from_, hours_fail)
    out(f"end: {result.end}" + (f" ({result.detail})" if result.detail else ""))
    if result.task:
        out("task: " + ", ".join(f"{k}={v}" for k, v in sorted(result.task.items())))


def _interactive(
    sim: HubSimulator, channel: ChannelName, when: datetime, from_: str | None, hours_fail: bool
) -> Outcome:
    """Prints each step as it happens and asks the person in the terminal for keys or text."""
    from deh_deploy.simulate.hub import Script
    from deh_deploy.simulate.model import Input, Press, Record, Send, Silence

    class Terminal(Script):
        def next_for(self, kinds: Sequence[str]) -> Input:
            if "recording" in kinds:
                return Record(self.record_seconds, "")
            answer = typer.prompt("keys" if "keys" in kinds else "message", default="", show_default=False)
            if not answer:
                return Silence()
            return Press(answer) if "keys" in kinds else Send(answer)

    opening = "" if channel == "voice" else typer.prompt("first message", default="Hello")
    _, result = sim.run(
        channel=channel,
        at=when,
        script=Terminal(sends=[opening] if opening else []),
        from_=from_,
        hours_fail=hours_fail,
        on_output=lambda line: out(line),
    )
    return result


def _instant(at: str | None) -> datetime:
    from deh_deploy.errors import UsageError

    if at is None:
        return datetime.now().astimezone()
    try:
        return datetime.fromisoformat(at)
    except ValueError:
        raise UsageError(f"--at {at!r} is not a date and time like 2026-12-24T10:00") from None


@app.command("test")
def test_cmd(
    paths: PathsArg,
    sweep_: Annotated[
        bool,
        typer.Option(
            "--sweep",
            help="Also check invariants over every channel, language, "
            "topic, half hour of a week and holiday.",
        ),
    ] = False,
    env: Annotated[
        str | None, typer.Option("--env", "-e", help="Environment for the sweep (default: first).")
    ] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print transcripts of failed scenarios.")
    ] = False,
) -> None:
    """Run each country's scenarios (scenarios/*.yaml) offline; exit 1 on any failure."""
    from deh_deploy.config import load_hub
    from deh_deploy.simulate.scenarios import run_suite
    from deh_deploy.simulate.sweep import sweep

    failures = 0
    for path in paths:
        hub = load_hub(path)
        suite = run_suite(hub)
        if not suite.results and not sweep_:
            out(f"{hub.slug}: no scenarios in {hub.source.parent / 'scenarios'} (*.yaml)")
            failures += 1
        for r in suite.results:
            out(f"{'PASS' if r.passed else 'FAIL'} {r.file}:{r.line}: {r.name}")
            for failure in r.failures:
                out(f"     {failure}")
            if verbose and not r.passed:
                for line in r.transcript:
                    out(f"       | {line}")
        failures += len(suite.failed)
        out(f"{hub.slug}: {len(suite.results) - len(suite.failed)} passed, {len(suite.failed)} failed")
        if sweep_:
            report = sweep(hub, env=env or next(iter(hub.environments)))
            ends = ", ".join(f"{k} {v}" for k, v in sorted(report.ends.items()))
            out(
                f"{hub.slug}: sweep of {report.conversations} conversations in {report.seconds:.1f} s "
                f"({report.conversations / max(report.seconds, 1e-9):.0f}/s): {ends}; "
                f"{report.violation_count} violation(s)"
            )
            for v in report.violations:
                out(f"     {v}")
            failures += report.violation_count
    if failures:
        raise typer.Exit(1)


@sandbox_app.command("serve")
def sandbox_serve(
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")
    ] = 8765,
    db: Annotated[Path, typer.Option("--db", help="SQLite file holding the state.")] = Path(
        ".deh/sandbox.db"
    ),
    latency_ms: Annotated[float, typer.Option("--latency-ms", help="Added latency per request.")] = 0.0,
    rate_429: Annotated[float, typer.Option("--rate-429", help="Share of requests answered 429.")] = 0.0,
    rate_5xx: Annotated[float, typer.Option("--rate-5xx", help="Share of requests answered 503.")] = 0.0,
    rate_drop: Annotated[float, typer.Option("--rate-drop", help="Share of connections dropped.")] = 0.0,
    die_after: Annotated[
        int | None, typer.Option("--die-after", help="Stop after this many requests.")
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the fault injection.")] = 0,
) -> None:
    """Serve a local Twilio emulator on loopback, its state persisted in SQLite."""
    from deh_deploy.errors import UsageError
    from deh_deploy.sandbox.faults import Faults
    from deh_deploy.sandbox.server import serve_forever

    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{db.parent}: cannot create: {exc.strerror or exc}") from None
    try:
        serve_forever(
            db_path=db,
            host="127.0.0.1",
            port=port,
            ready=lambda running: out(f"sandbox on {running.url} (state in {db}); Ctrl-C stops it", err=True),
            faults=Faults(
                latency_ms=latency_ms,
                rate_429=rate_429,
                rate_5xx=rate_5xx,
                rate_drop=rate_drop,
                die_after=die_after,
                seed=seed,
            ),
        )
    except OSError as exc:
        raise UsageError(f"cannot serve on 127.0.0.1:{port}: {exc.strerror or exc}") from None


def _ask(question: str) -> bool:
    return typer.confirm(question, default=False)


def _read_text(path: Path) -> str:
    from deh_deploy.inputs import read_plan

    return read_plan(path)


def _write_text(path: Path, text: str) -> None:
    import os
    import tempfile

    from deh_deploy.errors import UsageError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _fail(message: str, code: int) -> NoReturn:
    out(f"deh: {message}", err=True)
    raise SystemExit(code)


def _log_unexpected(exc: BaseException) -> Path:
    import os
    import tempfile
    import traceback

    from deh_deploy.secrets import redact

    folder = Path(tempfile.gettempdir()) / "deh-deploy"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"error-{datetime.now().strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
    log.write_text(redact("".join(traceback.format_exception(exc))), encoding="utf-8")
    return log


def main(argv: list[str] | None = None) -> NoReturn:
    """Entry point: one handler maps the exception tree to exit codes (1 expected, 2 usage, 3 unexpected)."""
    from typer._click.exceptions import ClickException  # typer's bundled click
    from typer.exceptions import Abort

    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="deh", standalone_mode=False)
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
        exc.show()
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        raise SystemExit(1) from None
    except Exception as exc:
        log = _log_unexpected(exc)
        _fail(f"An unexpected error has occurred: {type(exc).__name__}. The traceback is in {log}", 3)
    raise SystemExit(code if isinstance(code, int) else 0)


def run() -> NoReturn:
    """The console script: :func:`main`, then leave without tearing the interpreter down. By then every file and
    connection is closed; freeing thousands of module objects one by one only delays the prompt (about 30 ms)."""
    import os

    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:  # pragma: no cover - main always exits
        code = 0
    if isinstance(code, str):
        sys.stderr.write(code + "\n")
    status = code if isinstance(code, int) else (0 if code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            status = status or 1
    os._exit(status)


if __name__ == "__main__":
    run()
