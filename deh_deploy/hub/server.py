"""Running the service: the socket bound first (a port in use is one line), the database reached and migrated,
then uvicorn on that socket with the app and its worker."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

from deh_deploy.errors import HubError
from deh_deploy.hub.settings import Settings

log = logging.getLogger("deh_deploy.hub")


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
        config = uvicorn.Config(
            create_app(service), log_config=None, access_log=False, lifespan="on", http="httptools"
        )
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
        service.close()


def migrate_only(settings: Settings) -> list[str]:
    from deh_deploy.hub.db import make_engine, migrate, ping

    engine = make_engine(settings.database_url)
    try:
        ping(engine)
        return migrate(engine)
    finally:
        engine.dispose()
