"""The server: persistence across restarts, deterministic SIDs, admin endpoints, request log, lifecycle."""

from __future__ import annotations

import _thread
import json
import signal
import sqlite3
import threading
from pathlib import Path

import pytest
import requests
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from deh_deploy.errors import UsageError
from deh_deploy.sandbox import Faults, RunningSandbox, serve_forever, start
from tests.sandbox.helpers import ACCOUNT, MakeSandbox, client_for

OTHER = "AC" + "5" * 32


def test_state_survives_a_restart(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    db = tmp_path / "state" / "sandbox.db"
    first = make_sandbox(db)
    token = first.ensure_account(ACCOUNT)
    svc = client_for(first, ACCOUNT, token).serverless.v1.services.create(
        unique_name="deh-x", friendly_name="x"
    )
    first.stop()
    second = make_sandbox(db)
    assert second.ensure_account(ACCOUNT) == token
    again = client_for(second, ACCOUNT, token)
    assert again.serverless.v1.services("deh-x").fetch().sid == svc.sid
    assert len(again.taskrouter.v1.workspaces.list()) == 1  # the default world is made once


def test_sids_are_the_same_in_every_fresh_database(make_sandbox: MakeSandbox, tmp_path: Path) -> None:
    runs = []
    for name in ("a.db", "b.db"):
        sb = make_sandbox(tmp_path / name)
        client = client_for(sb, ACCOUNT, sb.ensure_account(ACCOUNT))
        runs.append([client.messaging.v1.services.create(friendly_name=f"s{i}").sid for i in range(3)])
    assert runs[0] == runs[1] and len(set(runs[0])) == 3


def test_admin_endpoints_over_http(sandbox: RunningSandbox) -> None:
    admin = requests.Session()  # the admin API needs the sandbox's own token
    admin.headers.update(sandbox.admin_headers())
    base = f"{sandbox.url}/_sandbox"
    assert admin.get(f"{base}/health", timeout=5).json() == {"ok": True}
    made = admin.post(f"{base}/accounts", json={"sid": OTHER, "auth_token": "t0ken"}, timeout=5)
    assert made.status_code == 201 and made.json() == {"sid": OTHER, "auth_token": "t0ken"}
    assert admin.post(f"{base}/accounts", json={"sid": OTHER}, timeout=5).json()["auth_token"] == "t0ken"
    key = admin.post(f"{base}/api_keys", json={"account": OTHER}, timeout=5).json()
    assert key["sid"].startswith("SK") and key["secret"]
    seeded = admin.post(
        f"{base}/seed",
        json={"account": OTHER, "bundles": [{"iso_country": "GB", "number_type": "local"}]},
        timeout=5,
    ).json()
    assert seeded["bundles"][0].startswith("BU")
    client = client_for(sandbox, OTHER, "t0ken")
    assert len(client.numbers.v2.regulatory_compliance.bundles.list(iso_country="GB")) == 1
    log = admin.get(f"{base}/requests", timeout=5).json()["requests"]
    assert [(e["method"], e["product"], e["path"], e["status"]) for e in log] == [
        ("GET", "numbers", "/v2/RegulatoryCompliance/Bundles", 200)
    ]
    assert log[0]["query"] == "IsoCountry=GB"
    assert admin.delete(f"{base}/requests", timeout=5).status_code == 204
    assert sandbox.requests() == []


def test_admin_errors_are_plain_messages(sandbox: RunningSandbox) -> None:
    admin = requests.Session()  # the admin API needs the sandbox's own token
    admin.headers.update(sandbox.admin_headers())
    base = f"{sandbox.url}/_sandbox"
    assert admin.post(f"{base}/accounts", json={"sid": "nope"}, timeout=5).status_code == 400
    assert (
        admin.post(
            f"{base}/seed", data=b"{", headers={"Content-Type": "application/json"}, timeout=5
        ).status_code
        == 400
    )
    bad = admin.post(f"{base}/seed", json={"account": OTHER, "bundles": []}, timeout=5)
    assert bad.status_code == 400 and "no such sandbox account" in bad.json()["message"]
    sandbox.ensure_account(OTHER)
    bad = admin.post(f"{base}/seed", json={"account": OTHER, "numbers": []}, timeout=5)
    assert "unknown seed section" in bad.json()["message"]
    assert admin.get(f"{base}/nothing", timeout=5).status_code == 404
    with pytest.raises(UsageError, match="bad seed data"):
        sandbox.seed(OTHER, content_approvals=[{"sid": "HX" + "0" * 32, "status": "approved"}])


def test_the_request_log_never_holds_credentials(sandbox: RunningSandbox, token: str, client: Client) -> None:
    client.api.v2010.account.incoming_phone_numbers.create(phone_number="+447700123400", friendly_name="DEH")
    (entry,) = sandbox.requests()
    assert entry["content_type"] == "application/x-www-form-urlencoded"
    assert entry["body"] == "FriendlyName=DEH&PhoneNumber=%2B447700123400"
    assert entry["status"] == 201 and entry["response"]["friendly_name"] == "DEH"
    assert token not in json.dumps(sandbox.requests())


def test_unknown_paths_and_methods(sandbox: RunningSandbox, client: Client) -> None:
    missing = client.request("GET", "https://studio.twilio.com/v2/Nothing")
    assert (missing.status_code, json.loads(missing.text)["code"]) == (404, 20404)
    wrong = client.request("DELETE", "https://studio.twilio.com/v2/Flows")
    assert (wrong.status_code, json.loads(wrong.text)["code"]) == (405, 20004)
    with pytest.raises(TwilioRestException) as exc:
        client.studio.v2.flows("FW" + "0" * 32).fetch()
    assert exc.value.msg.endswith(f"The requested resource /v2/Flows/FW{'0' * 32} was not found")


def test_a_database_from_another_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    start(db_path=db).stop()
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value='0' WHERE key='schema'")
    with pytest.raises(UsageError, match="delete the file"):
        start(db_path=db)


def test_a_busy_port_is_a_usage_error(sandbox: RunningSandbox, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot listen"):
        start(db_path=tmp_path / "other.db", port=sandbox.port)


def test_stop_is_idempotent_and_closes_the_port(tmp_path: Path) -> None:
    with start(db_path=tmp_path / "s.db") as sb:
        url = sb.url
        assert requests.get(f"{url}/_sandbox/health", timeout=5).ok
    sb.stop()
    assert sb.stopped
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/_sandbox/health", timeout=5)


def test_serve_forever_blocks_until_die_after(tmp_path: Path) -> None:
    ready = threading.Event()
    seen: list[RunningSandbox] = []

    def on_ready(sb: RunningSandbox) -> None:
        seen.append(sb)
        ready.set()

    kwargs = {"db_path": tmp_path / "s.db", "faults": Faults(die_after=1), "ready": on_ready}
    server = threading.Thread(target=serve_forever, kwargs=kwargs)
    server.start()
    assert ready.wait(5)
    (sb,) = seen
    client = client_for(sb, ACCOUNT, sb.ensure_account(ACCOUNT))
    assert client.api.v2010.account.fetch().sid == ACCOUNT
    with pytest.raises(requests.ConnectionError):
        client.api.v2010.account.fetch()
    server.join(5)
    assert not server.is_alive() and sb.stopped


def test_serve_forever_returns_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    # Ctrl-C is simulated with interrupt_main, which does nothing where SIGINT is ignored (under nohup, or some CI
    # runners): the test sets the disposition it relies on, and puts back the one it found.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)

    def interrupt_soon(sb: RunningSandbox) -> None:
        threading.Timer(0.2, _thread.interrupt_main).start()

    try:
        serve_forever(db_path=tmp_path / "s.db", ready=interrupt_soon)
    finally:
        signal.signal(signal.SIGINT, previous)
