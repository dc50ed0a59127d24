"""``deh sandbox serve``: the local Twilio emulator, in the foreground until Ctrl-C."""

# Annotations are plain, not postponed: typer reads them on every run (see deh_deploy/cli/__init__.py).
from pathlib import Path
from typing import Annotated

import typer


def serve(
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
    from deh_deploy.reporters.base import out
    from deh_deploy.sandbox.faults import Faults
    from deh_deploy.sandbox.guard import token_file
    from deh_deploy.sandbox.server import RunningSandbox, serve_forever

    def ready(running: RunningSandbox) -> None:
        token = token_file(db)
        out(f"sandbox on {running.url} (state in {db}, admin token in {token}); Ctrl-C stops it", err=True)

    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{db.parent}: cannot create: {exc.strerror or exc}") from None
    try:
        serve_forever(
            db_path=db,
            host="127.0.0.1",
            port=port,
            ready=ready,
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
