"""The hub service as a real subprocess on loopback, and signed requests to it (the SDK's RequestValidator)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parents[2]
HUNGARY = ROOT / "country_configs" / "hungary"
PUBLIC = "https://deh-staging.voroskereszt.hu"
_COMMAND = (sys.executable, "-m", "deh_deploy.hub", "serve")
_READY = re.compile(r"on http://127\.0\.0\.1:(\d+)")


@dataclass
class Server:
    process: subprocess.Popen[str]
    port: int
    token: str
    log: Path
    lines: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """``kill -9``: no chance to finish anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def post(
        self,
        path: str,
        params: dict[str, str],
        *,
        signature: str | None = "sign",
        body: bytes | None = None,
        signed_url: str | None = None,
    ) -> int:
        """POST a form signed for the public URL (``signature="sign"``), or with the signature given."""
        if signature == "sign":
            signature = RequestValidator(self.token).compute_signature(signed_url or PUBLIC + path, params)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if signature is not None:
            headers["X-Twilio-Signature"] = signature
        data = body if body is not None else urllib.parse.urlencode(params).encode()
        return self.request("POST", path, data, headers)[0]

    def post_json(
        self, path: str, payload: dict[str, Any], *, tamper: bool = False, hashed: bool = True
    ) -> int:
        """POST a JSON body signed the ``bodySHA256`` way."""
        validator = RequestValidator(self.token)
        body = json.dumps(payload)
        query = f"?bodySHA256={validator.compute_hash(body)}" if hashed else ""
        signature = validator.compute_signature(PUBLIC + path + query, {})
        if tamper:
            body = body.replace("onMessageAdded", "onMessageAdded ")
        headers = {"Content-Type": "application/json", "X-Twilio-Signature": signature}
        return self.request("POST", path + query, body.encode(), headers)[0]

    def request(
        self, method: str, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def get_json(self, path: str, token: str | None = None) -> tuple[int, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        status, body = self.request("GET", path, headers=headers)
        return status, json.loads(body)

    def wait_processed(self, timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            status, health = self.get_json("/healthz")
            if status == 200 and health["inbox"]["pending"] == 0:
                return dict(health)
            if time.monotonic() > deadline:
                raise AssertionError(f"inbox not drained: {health}")
            time.sleep(0.1)


def environment(secrets: dict[str, str], **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "DEH_HU_"))}
    env.update(secrets)
    env.update(extra)
    return env


def start(
    db_url: str,
    secrets: dict[str, str],
    *,
    cwd: Path,
    port: int = 0,
    config: Path = HUNGARY,
    env: dict[str, str] | None = None,
    options: tuple[str, ...] = (),
) -> Server:
    """Start ``python -m deh_deploy.hub serve`` (with ``options``) and wait for its ready line."""
    log = cwd / f"hub-{time.monotonic_ns()}.log"
    handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - the child writes it for its whole life
    process = subprocess.Popen(
        [*_COMMAND, str(config), "--env", "staging", "--port", str(port), "--database-url", db_url, *options],
        cwd=cwd,
        env=env or environment(secrets),
        stdout=subprocess.DEVNULL,
        stderr=handle,
        text=True,
    )
    handle.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8")
        found = _READY.search(text)
        if found and "Application startup complete" in text:
            return Server(process, int(found.group(1)), secrets["TWILIO_AUTH_TOKEN"], log)
        if process.poll() is not None:
            raise AssertionError(f"the hub service exited {process.returncode}:\n{text}")
        time.sleep(0.05)
    process.kill()
    raise AssertionError(f"the hub service did not start:\n{log.read_text(encoding='utf-8')}")
