"""``deh simulate`` and ``deh test``: the rendered flows run offline, by hand or from scenario files."""

# Annotations are plain, not postponed: typer reads them on every run (see deh_deploy/cli/__init__.py).
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from deh_deploy.cli.options import Channel, PathArg, PathsArg, format_option
from deh_deploy.reporters import Format

if TYPE_CHECKING:
    from deh_deploy.simulate.engine import Conversation
    from deh_deploy.simulate.hub import Outcome


def simulate(
    path: PathArg,
    env: Annotated[str, typer.Option("--env", "-e", help="Environment: staging or production.")] = "staging",
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
    format: Annotated[Format, format_option(Format.text, Format.json, help="text or json.")] = Format.text,
    hub_url: Annotated[
        str | None,
        typer.Option(
            "--hub", help="Deliver the contact's Twilio events, signed, to the hub service at this URL."
        ),
    ] = None,
    hub_public_url: Annotated[
        str | None,
        typer.Option("--hub-public-url", help="The URL to sign for (default: the config's hub.public_url)."),
    ] = None,
    answered_at: Annotated[
        str | None,
        typer.Option(
            "--answered-at",
            help="With --hub: an agent answers (takes the call or the call-back, or writes) at this local time.",
        ),
    ] = None,
) -> None:
    """Call or message the hub offline and see what a person hears and reads, step by step. In a terminal, type
    restart at any prompt to start again."""
    from deh_deploy.config import load_hub
    from deh_deploy.errors import UsageError
    from deh_deploy.reporters import pick
    from deh_deploy.reporters.transcripts import TRANSCRIPTS
    from deh_deploy.simulate.hub import HubSimulator, Script

    reporter = pick(TRANSCRIPTS, format, command="simulate")()
    hub = load_hub(path)
    when = _instant(at)
    answered = _instant(answered_at) if answered_at is not None else None
    if answered is not None and hub_url is None:
        raise UsageError("--answered-at needs --hub: it is an event delivered to the hub service")
    scripted = bool(press or say or send) or not sys.stdin.isatty() or format is not Format.text
    sim = HubSimulator(hub, env=env)

    def ended(conv: "Conversation", result: "Outcome") -> None:
        if hub_url is not None:
            from deh_deploy.simulate.deliver import deliver_contact

            names = deliver_contact(
                hub, env, conv, result, at=sim.local(when), answered_at=answered and sim.local(answered),
                url=hub_url, public_url=hub_public_url,
            )  # fmt: skip
            sys.stderr.write(
                f"delivered {len(names)} events to the hub service at {hub_url}: {', '.join(names)}\n"
            )

    if at is None:  # the answer depends on the clock: say which instant, and what the hours say then
        reporter.instant(*sim.status(when), hours_fail=hours_fail)
    if scripted:
        script = Script(presses=list(press or []), says=list(say or []), sends=list(send or []))
        conv, result = sim.run(
            channel=channel.value, at=when, script=script, from_=from_, hours_fail=hours_fail
        )
        reporter.report(conv, result)
        if problem := script.unused(channel.value):
            raise UsageError(problem)
        ended(conv, result)
        return
    from deh_deploy.simulate.terminal import RESTART, converse

    reporter.note(f"type {RESTART} at any prompt to start again; Ctrl-C to quit")

    result = converse(
        sim,
        channel=channel.value,
        at=when,
        from_=from_,
        hours_fail=hours_fail,
        ask=_ask,
        show=reporter.step,
        ended=ended,
    )
    reporter.outcome(result)


def _ask(question: str, default: str) -> str:
    """The terminal's prompt, its default shown in brackets when there is one."""
    answer: str = typer.prompt(question, default=default, show_default=bool(default))
    return answer


def _now() -> datetime:
    """The clock, for a run without ``--at`` (one place, so a test can set it)."""
    return datetime.now().astimezone()


def _instant(at: str | None) -> datetime:
    from deh_deploy.errors import UsageError

    if at is None:
        return _now()
    try:
        return datetime.fromisoformat(at)
    except ValueError:
        raise UsageError(f"--at {at!r} is not a date and time like 2026-12-24T10:00") from None


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
    format: Annotated[Format, format_option(Format.text, Format.json, help="text or json.")] = Format.text,
) -> None:
    """Run each country's scenarios (scenarios/*.yaml) offline; exit 1 on any failure."""
    from deh_deploy.config import load_hub
    from deh_deploy.reporters import pick
    from deh_deploy.reporters.progress import counting
    from deh_deploy.reporters.results import RESULTS
    from deh_deploy.simulate.countries import check_countries

    reporter = pick(RESULTS, format, command="test")(verbose=verbose)
    failures = 0
    hubs = [load_hub(path) for path in paths]
    what = (
        f"testing {len(hubs)} countries"
        if len(hubs) > 1
        else f"{hubs[0].slug}: " + ("scenarios and sweep" if sweep_ else "scenarios")
    )
    with counting(what) as progress:
        checked_all = list(check_countries(hubs, with_sweep=sweep_, env=env, progress=progress))
    for checked in checked_all:
        hub, suite = checked.hub, checked.suite
        missing = not suite.results and not sweep_
        reporter.suite(hub.slug, suite, folder=hub.source.parent / "scenarios", required=not sweep_)
        failures += len(suite.failed) + missing
        if checked.sweep is not None:
            reporter.sweep(hub.slug, checked.sweep)
            failures += checked.sweep.violation_count
    reporter.finish()
    if failures:
        raise typer.Exit(1)
