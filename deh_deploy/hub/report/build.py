"""One report, whoever asks: the hub's ``/report`` routes and ``deh report`` both call ``build``.

The web routes sit behind HTTP Basic: the user name is a role of ``hub.roles`` and the password that role's token
(the variable its ``token_env`` names, the same bearer token ``/records`` takes), so a supervisor's browser asks
for a login and no new secret is needed. A failed login is 401 with the browser's prompt, and says nothing about
which half was wrong.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deh_deploy.errors import HubError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from deh_deploy.config.model import HubConfig
    from deh_deploy.hub.service import Service
    from deh_deploy.hub.settings import Reader

FORMATS = ("html", "csv", "json")
DEFAULT_DAYS = 28
# A report's period is weeks to years of a helpdesk's life: bounded, so that no request makes the service compute a
# calendar of millennia.
MAX_DAYS = 5 * 365
EARLIEST_YEAR, LATEST_YEAR = 2000, 2199


def build(
    engine: Engine,
    hub: HubConfig,
    *,
    first: date,
    last: date,
    role: str,
    sensitive: bool,
    output: str = "html",
    now: datetime | None = None,
) -> str:
    """The report of ``first``..``last`` as ``role`` may see it, as an HTML page, CSV or JSON."""
    if last < first:
        raise HubError(f"--to {last.isoformat()} is before --from {first.isoformat()}")
    if first.year < EARLIEST_YEAR or last.year > LATEST_YEAR or (last - first).days > MAX_DAYS:
        raise HubError(
            f"a report covers at most {MAX_DAYS // 365} years between {EARLIEST_YEAR} and {LATEST_YEAR}: "
            f"{first.isoformat()} – {last.isoformat()} is not such a period"
        )
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return _build(
            engine, hub, first=first, last=last, role=role, sensitive=sensitive, output=output, now=now
        )
    except SQLAlchemyError as exc:  # not a hub database, or one this version has not migrated
        from deh_deploy.hub.db import reason

        raise HubError(
            f"the hub database cannot be read: {reason(exc)} (deh hub migrate brings it up to date)"
        ) from None


def _build(
    engine: Engine,
    hub: HubConfig,
    *,
    first: date,
    last: date,
    role: str,
    sensitive: bool,
    output: str,
    now: datetime | None,
) -> str:
    from deh_deploy.hub.report import export, figures, page

    with engine.connect() as conn:
        if output == "csv":
            return export.to_csv(
                export.read_rows(conn, hub=hub, first=first, last=last, sensitive_role=sensitive)
            )
        found = figures.read(conn, hub=hub, first=first, last=last, sensitive_role=sensitive, now=now)
        if output == "json":
            table = export.read_rows(conn, hub=hub, first=first, last=last, sensitive_role=sensitive)
            return export.to_json(table, found.summary())
    return page.render(hub, found, role=role)


def database_url(hub: HubConfig, env: str, given: str | None, *, environ: Any, state_dir: Path) -> str:
    """The hub database a report reads: ``--database-url``, else the config's variable, else the local file."""
    hub.environment(env)
    if given:
        if given.startswith("sqlite:///") and not Path(given.removeprefix("sqlite:///")).is_file():
            raise HubError(
                f"{given.removeprefix('sqlite:///')}: no hub database"
            )  # sqlite would make an empty one
        return given
    variable = hub.hosting.database_url_variable if hub.hosting is not None else None
    if variable and environ.get(variable):
        return str(environ[variable])
    path = state_dir / f"hub-{hub.slug}-{env}.db"
    if not path.is_file():
        raise HubError(f"{path}: no hub database (run deh hub serve or deh hub demo, or pass --database-url)")
    return f"sqlite:///{path}"


def period(first: date | None, last: date | None, *, today: date) -> tuple[date, date]:
    """The period asked for; by default the last four weeks up to today."""
    last = last or today
    return (first or last - timedelta(days=DEFAULT_DAYS - 1)), last


def login(readers: Sequence[Reader], header: str | None) -> Reader | None:
    """The reader an ``Authorization: Basic`` header logs in as, or ``None``."""
    if not header or not header.startswith("Basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:].strip(), validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    found = None
    for reader in readers:  # compare every token, so the time taken tells nothing
        if hmac.compare_digest(reader.token.encode(), password.encode()) and reader.role == user:
            found = reader
    return found


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HubError(f"not a date (YYYY-MM-DD): {value[:20]!r}") from None


def routes(service: Service) -> list[Route]:
    """``GET /report``, ``/report.csv`` and ``/report.json`` (``?from=YYYY-MM-DD&to=YYYY-MM-DD``)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response
    from starlette.routing import Route

    media = {"html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8", "json": "application/json"}

    async def report(request: Request) -> Response:
        reader = login(service.settings.readers, request.headers.get("authorization"))
        if reader is None:
            return Response(
                "login required",
                status_code=401,
                media_type="text/plain",
                headers={"WWW-Authenticate": 'Basic realm="deh report", charset="UTF-8"'},
            )
        output = request.url.path.rpartition(".")[2] if "." in request.url.path else "html"
        try:
            first, last = period(
                _date(request.query_params.get("from")),
                _date(request.query_params.get("to")),
                today=datetime.now(UTC).date(),
            )
            body = await run_in_threadpool(
                build,
                service.engine,
                service.settings.hub,
                first=first,
                last=last,
                role=reader.role,
                sensitive=reader.sensitive,
                output=output,
            )
        except HubError as exc:
            return Response(str(exc), status_code=400, media_type="text/plain")
        headers = {"Cache-Control": "no-store"}
        if output != "html":
            headers["Content-Disposition"] = f'attachment; filename="report-{first}-{last}.{output}"'
        return Response(body, media_type=media[output], headers=headers)

    return [Route(path, report, methods=["GET"]) for path in ("/report", "/report.csv", "/report.json")]


def demo_service(hub: HubConfig, env: str, url: str, *, environ: Any) -> Service:
    """A service on ``url`` for the demo: its events are fed in directly, so no webhook secret is needed; the
    person-id key is the configured one when set (else a fixed demo key: demo people are no one)."""
    from deh_deploy.hub.service import Service
    from deh_deploy.hub.settings import Settings

    hub.environment(env)
    settings = Settings(
        hub=hub,
        env=env,
        public_url=hub.service.public_url.get(env, "http://127.0.0.1"),
        database_url=url,
        auth_token="demo",
        person_key=(environ.get(hub.service.person_key_env) or "deh-demo-person-key").encode(),
        retention_days=hub.service.retention_days,
    )
    service = Service(settings)
    service.start()
    return service
