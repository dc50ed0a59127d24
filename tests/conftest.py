"""Settings for every test: property tests judge results, never how long an example took (a loaded CI machine
must not fail a correct test), and timing targets live in ``benchmarks/``. And the one hub service a session
shares, for the tests that apply a hub whose config gives the service's public URL.

The quick loop (``-m "not slow"``) tries fewer examples per property (``deh-quick``); the full suite keeps
Hypothesis's 100."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

from tests.hub.conftest import SECRETS as HUB_SECRETS
from tests.hub.server import Server
from tests.hub.server import start as start_hub

settings.register_profile("deh", deadline=None)
settings.register_profile("deh-quick", parent=settings.get_profile("deh"), max_examples=20)
settings.load_profile("deh")


@pytest.hookimpl(tryfirst=True, optionalhook=True)  # a hook of pytest-xdist, which -p no:xdist leaves out
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """``-n auto`` starts two workers per processor: a test spends about a third of its time waiting on the
    servers it talks to (the sandbox, the hub service, PostgreSQL, sshd, Node.js), and a second worker uses that
    time. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when it is set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return 2 * len(os.sched_getaffinity(0))


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("markexpr", "") == "not slow":
        settings.load_profile("deh-quick")


@pytest.fixture(scope="session")
def hub_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One real hub service (Hungary's, on SQLite) for the session: what apply checks the health of before it
    points Twilio at the service (``DEH_HUB_URL``, as for a deploying machine that reaches it by another address).
    """
    run = tmp_path_factory.mktemp("hub-service")
    server = start_hub(f"sqlite:///{run / 'hub.db'}", HUB_SECRETS, cwd=run)
    yield server
    server.stop()


@pytest.fixture
def healthy_hub(hub_service: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    """Apply finds the session's hub service healthy."""
    monkeypatch.setenv("DEH_HUB_URL", hub_service.base)
    return hub_service
