"""Fixtures for the hub service: a database on each backend (SQLite file, and a fresh PostgreSQL schema when
``DEH_TEST_POSTGRES_URL`` names a server), Hungary's config, and signed Twilio requests."""

from __future__ import annotations

import os
import secrets
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest

if TYPE_CHECKING:
    from deh_deploy.config.model import HubConfig
    from deh_deploy.hub.service import Service

ROOT = Path(__file__).resolve().parents[2]
HUNGARY = ROOT / "country_configs" / "hungary"
POSTGRES_ENV = "DEH_TEST_POSTGRES_URL"
REQUIRE_ENV = "DEH_REQUIRE_POSTGRES"
HOW_TO_START = (
    f"PostgreSQL tests skipped: {POSTGRES_ENV} is not set. Start a server with "
    "`apt-get install -y postgresql && pg_ctlcluster 15 main start`, create a role and database "
    '(`su postgres -c "psql -c \\"CREATE ROLE deh_hub LOGIN PASSWORD \'deh_hub\'\\"" && su postgres -c '
    '"createdb -O deh_hub deh_hub_test"`) and set '
    f"{POSTGRES_ENV}=postgresql://deh_hub:deh_hub@127.0.0.1:5432/deh_hub_test"
)


def postgres_base_url() -> str:
    """The test server's URL, or skip (fail when CI requires PostgreSQL)."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {POSTGRES_ENV} is not set")
        pytest.skip(HOW_TO_START)
    return url


DB_FIXTURES = ("db_url", "module_db_url")


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A PostgreSQL variant is ``slow`` (the full suite runs it, the quick loop does not) unless the test is marked
    ``postgres_differs``: the SQLite variant already covers what both backends do alike."""
    for item in items:
        params = getattr(item, "callspec", None)
        backends = {params.params.get(name) for name in DB_FIXTURES} if params else set()
        if "postgresql" in backends and item.get_closest_marker("postgres_differs") is None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A URL whose connections use a schema of their own, dropped afterwards."""
    yield from _postgres_schema()


def _postgres_schema() -> Generator[str, None, None]:
    import sqlalchemy as sa

    from deh_deploy.hub.db import normalise_url

    base = normalise_url(postgres_base_url())
    schema = f"t_{secrets.token_hex(6)}"
    admin = sa.create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"PostgreSQL at {POSTGRES_ENV} is unreachable: {exc.orig}")
        pytest.skip(f"PostgreSQL at {POSTGRES_ENV} is unreachable. {HOW_TO_START}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One database per module and backend, for a server shared by a module's tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('hub') / 'hub.db'}"
    else:
        yield from _postgres_schema()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


SECRETS = {
    "TWILIO_AUTH_TOKEN": "0123456789abcdef0123456789abcdef",
    "DEH_HU_PERSON_KEY": "person-key-for-tests",
    "DEH_HU_SUPERVISOR_TOKEN": "supervisor-token-for-tests",
    "DEH_HU_PROTECTION_TOKEN": "protection-token-for-tests",
}


@pytest.fixture(scope="session")
def hungary() -> HubConfig:
    from deh_deploy.config import load_hub

    return load_hub(HUNGARY)


@pytest.fixture
def service(hungary: HubConfig, db_url: str, tmp_path: Path) -> Iterator[Service]:
    """The hub service's core on each backend, migrated."""
    from deh_deploy.hub.service import Service
    from deh_deploy.hub.settings import resolve

    settings = resolve(hungary, "staging", database_url=db_url, state_dir=tmp_path, environ=SECRETS)
    svc = Service(settings)
    svc.start()
    yield svc
    svc.close()
