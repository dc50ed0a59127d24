"""Running the service: the socket bound first (a port in use is one line), the database reached and migrated,
then the worker process forked and uvicorn on that socket.

The worker is a process of its own, not a thread: processing an event costs several times what storing it does,
and a processing thread would hold the web process's GIL while webhooks wait. The worker dies with its parent
(``PR_SET_PDEATHSIG``); whatever it had not committed stays pending in the inbox for the next start.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.process
import socket
from collections.abc import Callable

from deh_deploy.errors import HubError
from deh_deploy.hub.settings import Settings

log = logging.getLogger("deh_deploy.hub")
_PR_SET_PDEATHSIG = 1


def bind(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = "is in use" if exc.errno == 98 else f"cannot be used: {exc.strerror or exc}"
        raise HubError(f"port {port} on {host} {reason}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(settings: Settings, *, host: str, port: int, ready: Callable[[str], None]) -> None:
    """Serve until interrupted (SIGINT or SIGTERM stop it gracefully)."""
    import uvicorn

    from deh_deploy.hub.app import create_app
    from deh_deploy.hub.logs import configure
    from deh_deploy.hub.service import Service

    configure()
    sock = bind(host, port)
    service = Service(settings)
    try:
        applied = service.start()
        bound = sock.getsockname()[1]
        log.info(
            "started",
            extra={
                "port": bound,
                "database": service.engine.dialect.name,
                "database_from": settings.database_source,
                "migrated": applied,
                "public_url": settings.public_url,
            },
        )
        ready(f"hub service for {settings.hub.slug} {settings.env} on http://{host}:{bound}")
        service.engine.dispose()  # the worker must not share the parent's connections
        service.intake.dispose()
        worker = _fork_worker(settings)
        config = uvicorn.Config(
            create_app(service, worker=False),
            log_config=None,
            access_log=False,
            lifespan="on",
            http="httptools",
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        service.close()
    worker.terminate()
    worker.join(timeout=10)


def _fork_worker(settings: Settings) -> multiprocessing.process.BaseProcess:
    process = multiprocessing.get_context("fork").Process(
        target=_work, args=(settings,), name="deh-hub-worker", daemon=True
    )
    process.start()
    return process


def _work(settings: Settings) -> None:
    """The worker process: process the inbox until the parent goes (or SIGTERM)."""
    import ctypes
    import signal

    from deh_deploy.hub.app import Worker
    from deh_deploy.hub.service import Service

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    service = Service(settings)
    worker = Worker(service)

    def stop(_signum: int, _frame: object) -> None:
        worker.stopping.set()
        service.wake.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which stops us
    worker.run()
    service.close()


def migrate_only(settings: Settings) -> list[str]:
    from deh_deploy.hub.db import make_engine, migrate, ping

    engine = make_engine(settings.database_url)
    try:
        ping(engine)
        return migrate(engine)
    finally:
        engine.dispose()
