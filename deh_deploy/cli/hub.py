"""``deh hub serve``, ``migrate``, ``reconcile`` and ``demo``: parse, call one function, print. Heavy
imports stay inside."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from deh_deploy.cli.options import SandboxUrlOpt

hub_app = typer.Typer(
    help="The hub service: signed Twilio webhooks into feedback records.", no_args_is_help=True
)

PathArg = Annotated[Path, typer.Argument(help="A country folder or its hub.yaml.", show_default=False)]
EnvOpt = Annotated[str, typer.Option("--env", "-e", help="Environment: staging or production.")]
DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database-url", help="postgresql://… or sqlite:///… (default: the config's variable, else .deh/)."
    ),
]


SandboxOpt = Annotated[
    str | None,
    typer.Option(
        "--sandbox-url", help="The Viber bridge talks to a deh sandbox instead of Twilio (development)."
    ),
]
ViberApiOpt = Annotated[
    str | None,
    typer.Option("--viber-api-url", help="Viber's REST API at another address (a test double)."),
]


def _settings(
    path: Path,
    env: str,
    database_url: str | None,
    public_url: str | None = None,
    *,
    sandbox_url: str | None = None,
    viber_api_url: str | None = None,
) -> object:
    from deh_deploy.config import load_hub
    from deh_deploy.hub.settings import resolve

    return resolve(
        load_hub(path),
        env,
        database_url=database_url,
        public_url=public_url,
        sandbox_url=sandbox_url,
        viber_api_url=viber_api_url,
    )


def _err(text: str) -> None:
    from deh_deploy.secrets import redact

    sys.stderr.write(redact(text) + "\n")


@hub_app.command("serve")
def serve_cmd(
    path: PathArg,
    env: EnvOpt = "staging",
    port: Annotated[
        int, typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")
    ] = 8780,
    database_url: DatabaseOpt = None,
    public_url: Annotated[
        str | None, typer.Option("--public-url", help="The URL Twilio calls, instead of hub.public_url.")
    ] = None,
    sandbox_url: SandboxOpt = None,
    viber_api_url: ViberApiOpt = None,
) -> None:
    """Receive Twilio's signed webhooks on loopback and keep the feedback records; Ctrl-C stops it."""
    from deh_deploy.hub.server import serve
    from deh_deploy.hub.settings import Settings

    settings = _settings(
        path, env, database_url, public_url, sandbox_url=sandbox_url, viber_api_url=viber_api_url
    )
    assert isinstance(settings, Settings)
    serve(settings, host="127.0.0.1", port=port, ready=_err)


@hub_app.command("migrate")
def migrate_cmd(path: PathArg, env: EnvOpt = "staging", database_url: DatabaseOpt = None) -> None:
    """Bring the hub service's database to the newest schema (serve does it too, at start-up)."""
    from deh_deploy.hub.server import migrate_only
    from deh_deploy.hub.settings import Settings

    settings = _settings(path, env, database_url)
    assert isinstance(settings, Settings)
    applied = migrate_only(settings)
    _err(f"migrated to {applied[-1]}" if applied else "the database is up to date")


@hub_app.command("reconcile")
def reconcile_cmd(
    path: PathArg,
    env: EnvOpt = "staging",
    since: Annotated[
        int, typer.Option("--since", min=1, max=30, help="Days of TaskRouter events to read (at most 30).")
    ] = 30,
    database_url: DatabaseOpt = None,
    sandbox_url: SandboxUrlOpt = None,
) -> None:
    """Feed TaskRouter's logged events into the inbox: what a webhook outage lost becomes a record."""
    from deh_deploy.deploy import reconcile_hub
    from deh_deploy.hub.settings import Settings
    from deh_deploy.providers.connect import connect

    settings = _settings(path, env, database_url)
    assert isinstance(settings, Settings)
    with connect(settings.hub.environment(env), sandbox_url=sandbox_url) as conn:
        done = reconcile_hub(settings, conn, days=since)
    _err(done.sentence())


@hub_app.command("viber-webhook")
def viber_webhook_cmd(
    path: PathArg,
    env: EnvOpt = "staging",
    public_url: Annotated[
        str | None, typer.Option("--public-url", help="The URL Viber calls, instead of hub.public_url.")
    ] = None,
    viber_api_url: ViberApiOpt = None,
) -> None:
    """Point the Viber bot at this hub service (Viber's set_webhook): <public URL>/viber."""
    from deh_deploy.config import load_hub
    from deh_deploy.hub.viber_settings import set_webhook

    _err(set_webhook(load_hub(path), env, public_url=public_url, viber_api_url=viber_api_url))


@hub_app.command("demo")
def demo_cmd(
    path: PathArg,
    env: EnvOpt = "staging",
    seed: Annotated[int, typer.Option("--seed", help="The same seed gives the same contacts.")] = 1,
    until: Annotated[
        datetime | None,
        typer.Option("--until", formats=["%Y-%m-%d"], help="The demo's last day (default: today)."),
    ] = None,
    database_url: DatabaseOpt = None,
) -> None:
    """Fill a local hub with four months of generated contacts, fed through the inbox like real webhooks."""
    import os
    from datetime import date

    from deh_deploy.config import load_hub
    from deh_deploy.hub.report.build import demo_service
    from deh_deploy.hub.report.demo import fill

    hub = load_hub(path)
    last = until.date() if until else date.today()
    if database_url is None:
        state = Path(".deh")
        state.mkdir(exist_ok=True)
        database_url = f"sqlite:///{state / f'hub-{hub.slug}-{env}.db'}"
    service = demo_service(hub, env, database_url, environ=os.environ)
    try:
        done = fill(service, seed=seed, last=last)
    finally:
        service.close()
    _err(f"demo: {done.contacts} contacts, {done.events} events, {done.first} – {done.last}")
