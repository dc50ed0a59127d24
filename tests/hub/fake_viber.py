"""A stand-in for Viber's REST API on loopback (a small real HTTP server): it keeps every request it is sent and
answers as Viber does (``{"status": 0, …}``), and signs callbacks as Viber signs them."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeViber:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.calls: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.refuse = 0  # the next this many requests get Viber's "internal error" (status 13)
        self.webhook = ""  # what set_webhook set, as get_account_info tells it

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/pa"

    def sent(self, method: str = "send_message") -> list[dict[str, Any]]:
        with self.lock:
            return [body for name, _headers, body in self.calls if name == method]

    def auth_tokens(self) -> set[str | None]:
        """The ``X-Viber-Auth-Token`` every request so far carried."""
        with self.lock:
            return {headers.get("X-Viber-Auth-Token") for _name, headers, _body in self.calls}

    def wait_sent(self, count: int, *, timeout: float = 20.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.sent()) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"Viber got {len(self.sent())} messages, not {count}: {self.sent()}")
            time.sleep(0.05)
        return self.sent()


@contextmanager
def fake_viber() -> Iterator[FakeViber]:
    fake: FakeViber

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            with fake.lock:
                refused = fake.refuse > 0
                if refused:
                    fake.refuse -= 1
                else:
                    fake.calls.append((self.path.rsplit("/", 1)[-1], dict(self.headers.items()), body))
                token = len(fake.calls)
                method = self.path.rsplit("/", 1)[-1]
                if not refused and method == "set_webhook":
                    fake.webhook = str(body.get("url") or "")
                webhook = fake.webhook
            reply: dict[str, Any] = (
                {"status": 13, "status_message": "internalError"} if refused else {"status": 0}
            )
            if not refused and method == "get_account_info":
                reply["webhook"] = webhook
            answer = json.dumps({"status_message": "ok", "message_token": token, **reply}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake = FakeViber(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def sign(token: str, body: bytes) -> str:
    """``X-Viber-Content-Signature``: the hex HMAC-SHA256 of the raw body, keyed with the bot's token."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def callback(
    *,
    token: int,
    sender: str,
    text: str | None = None,
    language: str = "uk",
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``message`` callback as Viber sends it: a text, or the ``message`` given."""
    content = {"type": "text", "text": text} if message is None else message
    return {
        "event": "message",
        "timestamp": 1764633600000 + token,
        "chat_hostname": "SN-CHAT-05_",
        "message_token": token,
        "sender": {
            "id": sender,
            "name": "Olena",
            "avatar": "https://media-direct.cdn.viber.com/download_photo?dlid=x",
            "language": language,
            "country": "UA",
            "api_version": 10,
        },
        "message": content,
        "silent": False,
    }
