"""Secrets by reference: every command runs with canary secrets in its environment, and no canary may appear in
anything it prints, writes or logs (``--debug`` included), nor in what reached the sandbox. Each command runs in
its own process, so that no secret is hidden by a redaction another command registered."""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from twilio.rest import Client

from deh_deploy.names import unique
from deh_deploy.providers.local_http import LocalTwilioHttpClient
from tests.provider.conftest import ROOT, World, hub

HUNGARY = ROOT / "country_configs" / "hungary"
MARK = "Zq7-KEEP-OUT"  # in every canary; nothing else the commands print contains it
CANARIES = {
    "TWILIO_AUTH_TOKEN": f"auth-token-5b1f-{MARK}",
    "TWILIO_API_SECRET": f"api-secret-77c2-{MARK}",
    "DEH_HU_VIBER_TOKEN": f"viber-token-9e04-{MARK}",
    "DEH_HU_DATABASE_URL": f"postgres://deh:db-pass-3d3a-{MARK}@db.internal:5432/deh",
}
WRONG_TOKEN = f"wrong-token-c0de-{MARK}"
API_KEY = "SK" + "5e" * 16
OTHER_ACCOUNT = "AC" + "ab" * 16


@dataclass
class Session:
    """Runs ``deh`` in subprocesses from one folder, with the canaries set, and keeps everything they print."""

    cwd: Path
    tmp: Path
    env: dict[str, str]
    printed: list[tuple[str, str]] = field(default_factory=list)  # (command, text)

    def run(self, *args: str, expect: int = 0, **env: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "deh_deploy.cli", *args],
            cwd=self.cwd,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        label = " ".join(args)
        self.printed += [(f"{label} (stdout)", done.stdout), (f"{label} (stderr)", done.stderr)]
        assert done.returncode == expect, (label, done.stdout[-2000:], done.stderr[-2000:])
        return done


def forms(account: str) -> dict[str, str]:
    """Each canary, and the Basic credentials the SDK builds from the auth token and the API secret."""
    out = {f"${name}": value for name, value in CANARIES.items()}
    out["$WRONG_TOKEN"] = WRONG_TOKEN
    for user, secret in ((account, CANARIES["TWILIO_AUTH_TOKEN"]), (API_KEY, CANARIES["TWILIO_API_SECRET"])):
        out[f"Basic {user}"] = base64.b64encode(f"{user}:{secret}".encode()).decode()
    out["the canary mark"] = MARK
    return out


def leaks(text: str, account: str) -> list[str]:
    return [name for name, value in forms(account).items() if value in text]


class Hostile:
    """A loopback server posing as Twilio that echoes the credentials it receives (``echo``: in a 400 error's
    message) or answers with something that is not JSON (``garbage``)."""

    def __init__(self, mode: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                given = base64.b64decode(self.headers.get("Authorization", "Basic ")[6:]).decode()
                if mode == "echo":
                    status, body = (
                        400,
                        json.dumps({"code": 20001, "message": f"bad credentials {given}", "status": 400}),
                    )
                else:
                    status, body = 200, f"<html>proxy login failed for {given}</html>"
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json" if mode == "echo" else "text/html")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def hostile() -> Iterator[dict[str, Hostile]]:
    servers = {mode: Hostile(mode) for mode in ("echo", "garbage")}
    yield servers
    for s in servers.values():
        s.close()


@pytest.fixture
def session(world: World, tmp_path: Path) -> Session:
    h = hub("hungary")
    account = h.environment("staging").account_sid
    world.sandbox.ensure_account(account, auth_token=CANARIES["TWILIO_AUTH_TOKEN"])
    world.sandbox.ensure_account(OTHER_ACCOUNT, auth_token=CANARIES["TWILIO_AUTH_TOKEN"])
    with world.sandbox.core.store.transaction():
        world.sandbox.core.store.put_api_key(API_KEY, account, CANARIES["TWILIO_API_SECRET"])
    bundles = [n.bundle_sid for n in h.environment("staging").numbers.values() if n.bundle_sid]
    world.sandbox.seed(
        account,
        bundles=[{"sid": sid, "iso_country": h.country, "number_type": "local"} for sid in bundles],
        senders=[{"sender_id": f"whatsapp:{h.environment('staging').prerequisites['whatsapp_sender']}"}],
        facebook_pages=[h.environment("staging").prerequisites["messenger_page_id"]],
    )
    cwd, tmp = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DEH_"))}
    env.update(
        CANARIES,
        TWILIO_ACCOUNT_SID=account,
        TMPDIR=str(tmp),
        XDG_STATE_HOME=str(tmp),
        PYTHONPATH=str(ROOT),
        DEH_HUB_URL=world.hub.base,  # the session's hub service answers healthy: apply wires it
    )
    return Session(cwd, tmp, env)


@pytest.mark.slow
def test_no_secret_reaches_any_output_file_log_or_request(
    world: World, session: Session, hostile: dict[str, Hostile]
) -> None:
    account = hub("hungary").environment("staging").account_sid
    folder = str(HUNGARY)
    remote = ["-e", "staging", "--sandbox-url", world.sandbox.url]
    run = session.run

    for fmt in ("text", "json", "github"):
        run("validate", folder, "--format", fmt)
    run("render", folder, "-e", "staging", "--out", "rendered")
    run("render", folder, "-e", "production", "--out", "rendered", "--dry-run")
    for fmt in ("text", "markdown", "json"):
        run("plan", folder, *remote, "--format", fmt)
    run("plan", folder, *remote, "--out", "plan.json", "--detailed-exitcode", expect=2)
    run("apply", folder, *remote, "--plan", "plan.json", "--allow-purchase")
    run("apply", folder, *remote)
    run("export", folder, *remote, "--out", "exported")
    stored = variable_values(world.sandbox.url, account)
    run("plan", folder, *remote, "-f", "json", TWILIO_API_KEY=API_KEY)  # the API key and its secret
    run("simulate", folder, "--channel", "voice", "--at", "2026-03-02T10:00", "--press", "1", "--press", "2")
    run("simulate", folder, "--channel", "sms", "--send", "Hello", "--send", "1", "-f", "json")
    run("test", folder)
    run("apply", folder, *remote, "--allow-purchase", expect=1, TWILIO_ACCOUNT_SID=OTHER_ACCOUNT)
    run("apply", folder, *remote, "--allow-purchase", expect=1, TWILIO_AUTH_TOKEN=WRONG_TOKEN)
    run("destroy", folder, *remote, "--release-numbers", "--confirm", "hungry", expect=1)
    run("destroy", folder, *remote, "--yes")
    # with --debug: every request logged, through the API key too, and the writes of a first apply
    run("--debug", "plan", folder, *remote, "-f", "json", TWILIO_API_KEY=API_KEY)
    debugged = run("--debug", "apply", folder, *remote, "--allow-purchase")
    run("-v", "plan", folder, "-e", "staging", "--sandbox-url", hostile["echo"].url, expect=1)
    echoed = run("plan", folder, "-e", "staging", "--sandbox-url", hostile["echo"].url, expect=1)
    crashed = run("plan", folder, "-e", "staging", "--sandbox-url", hostile["garbage"].url, expect=3)

    # everything the commands wrote: artifacts, the saved plan, the error log
    written = [p for p in [*session.cwd.rglob("*"), *session.tmp.rglob("*")] if p.is_file()]
    found = {
        where: leaks(text, account)
        for where, text in [
            *session.printed,
            *((str(p), p.read_bytes().decode("utf-8", "replace")) for p in written),
            ("the sandbox's request log", json.dumps(world.sandbox.requests(), ensure_ascii=False)),
            ("the Serverless variables", json.dumps(stored, ensure_ascii=False)),
        ]
    }
    assert {where: names for where, names in found.items() if names} == {}
    assert {p.relative_to(session.cwd).as_posix() for p in written if p.is_relative_to(session.cwd)} >= {
        "plan.json",
        "rendered/resources.json",
        "rendered/flows/voice.json",
        "rendered/functions/hours.js",
        "exported/flows/messaging.json",
    }
    # the failures were the ones intended
    assert re.search(r"bad credentials \S*\*\*\*", echoed.stderr), "the echo was printed, redacted"
    assert "An unexpected error has occurred: JSONDecodeError" in crashed.stderr
    logs = sorted((session.tmp / "deh-deploy").glob("error-*.log"))
    assert len(logs) == 1 and str(logs[0]) in crashed.stderr
    # and the commands did reach the sandbox with those credentials
    methods = {e["method"] for e in world.sandbox.requests()}
    assert {"GET", "POST", "DELETE"} <= methods
    assert "CLOSED_NOW" in stored
    # and --debug did log the requests, writes included
    assert "debug: providers.http: POST https://" in debugged.stderr


def variable_values(url: str, account: str) -> dict[str, str]:
    """The values of the hub's Serverless variables as stored; the sandbox's request log shows them redacted."""
    client = Client(account, CANARIES["TWILIO_AUTH_TOKEN"], http_client=LocalTwilioHttpClient(url))
    service = client.serverless.v1.services(unique("hungary", "staging"))
    values: dict[str, str] = {}
    for environment in service.environments.list():
        for v in service.environments(environment.sid).variables.list():
            values[v.key] = v.value
    return values
