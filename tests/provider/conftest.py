"""Provider tests: the real twilio SDK over real HTTP to the sandbox, every exchange checked against the contract."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, closing
from pathlib import Path

import pytest

from deh_deploy.config import load_hub
from deh_deploy.config.model import HubConfig
from deh_deploy.providers.connect import Connection, connect
from deh_deploy.sandbox import Faults, RunningSandbox, start
from tests.contract import assert_log_matches_contract, oai_dir
from tests.hub.server import Server

ROOT = Path(__file__).resolve().parent.parent.parent
COUNTRIES = ("hungary", "mongolia", "jordan")
# The sandbox's database as a hub's first apply left it, by (hub, environment, hub service URL): made once in each
# test process, then copied back in by World.applied.
_APPLIED: dict[tuple[str, str, str], bytes] = {}


def hub(name: str) -> HubConfig:
    return load_hub(ROOT / "country_configs" / name)


class World:
    """A sandbox with the hub's accounts in it, and connections to it with the credentials a user would set;
    apply finds a healthy hub service."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hub: Server) -> None:
        self.tmp_path = tmp_path
        self.monkeypatch = monkeypatch
        self.hub = hub
        monkeypatch.setenv("DEH_HUB_URL", hub.base)
        self.db = tmp_path / "sandbox.db"
        self.sandboxes: list[RunningSandbox] = []
        self.sandbox = self.start()

    def start(self, faults: Faults | None = None) -> RunningSandbox:
        sb = start(db_path=self.db, faults=faults)
        self.sandboxes.append(sb)
        self.sandbox = sb
        return sb

    def restart(self, faults: Faults | None = None) -> RunningSandbox:
        self.sandbox.stop()
        return self.start(faults)

    def login(self, hub: HubConfig, env: str = "staging") -> str:
        """Create the hub's account, its approved bundles and its WhatsApp sender; set the variables a user
        would set."""
        account = hub.environment(env).account_sid
        token = self.sandbox.ensure_account(account)
        bundles = [spec.bundle_sid for spec in hub.environment(env).numbers.values() if spec.bundle_sid]
        if bundles:
            self.sandbox.seed(
                account,
                bundles=[{"sid": sid, "iso_country": hub.country, "number_type": "local"} for sid in bundles],
            )
        sender = hub.environment(env).prerequisites.get("whatsapp_sender")
        if sender:  # the example Societies registered their WhatsApp senders; a fresh country has none
            self.sandbox.seed(account, senders=[{"sender_id": f"whatsapp:{sender}"}])
        page = hub.environment(env).prerequisites.get("messenger_page_id")
        if page:  # and connected their Facebook Pages in the console
            self.sandbox.seed(account, facebook_pages=[page])
        self.monkeypatch.setenv("TWILIO_ACCOUNT_SID", account)
        self.monkeypatch.setenv("TWILIO_AUTH_TOKEN", token)
        return token

    def applied(self, hub: HubConfig, env: str = "staging") -> None:
        """Logged in, with ``hub``'s first apply (purchases allowed) done. The first time in a test process it is
        applied here; after that, the sandbox's database as that apply left it is copied back in, as a sandbox
        restarted on that file: a first apply is the costliest set-up of these tests, its exchanges were checked
        against the contract the first time, and its result is the same every time (the sandbox's SIDs count up)."""
        key = (hub.slug, env, os.environ.get("DEH_HUB_URL", ""))
        saved = _APPLIED.get(key)
        if saved is None:
            self.login(hub, env)
            with self.connect(hub, env) as conn:
                from deh_deploy.deploy import apply_hub

                done = apply_hub(hub, env, conn, allow_purchase=True)
            assert not done.outcome.failed
            with closing(sqlite3.connect(self.db)) as db:
                image = bytearray(db.serialize())
            image[18:20] = b"\x01\x01"  # journal: rollback, not WAL (the store turns WAL on)
            _APPLIED[key] = bytes(image)
            return
        self.sandbox.stop()
        for stale in (
            self.db,
            self.db.with_name(self.db.name + "-wal"),
            self.db.with_name(self.db.name + "-shm"),
        ):
            stale.unlink(missing_ok=True)
        with closing(sqlite3.connect(":memory:")) as copy, closing(sqlite3.connect(self.db)) as db:
            copy.deserialize(saved)
            copy.backup(db)
        self.start()
        account = hub.environment(env).account_sid
        self.monkeypatch.setenv("TWILIO_ACCOUNT_SID", account)
        self.monkeypatch.setenv("TWILIO_AUTH_TOKEN", self.sandbox.ensure_account(account))

    def connect(self, hub: HubConfig, env: str = "staging") -> AbstractContextManager[Connection]:
        return connect(hub.environment(env), sandbox_url=self.sandbox.url)

    def log(self) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for sb in self.sandboxes:
            if not sb.stopped:
                out += sb.requests()
        return out


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hub_service: Server) -> Iterator[World]:
    w = World(tmp_path, monkeypatch, hub_service)
    yield w
    log = w.log()
    for sb in w.sandboxes:
        sb.stop()
    if (oai_dir() / "twilio_api_v2010.json").is_file():
        assert_log_matches_contract(log)


Deploy = Callable[..., object]
