"""The sandbox over real HTTP on loopback: ``start()`` in a background thread, ``serve_forever()`` blocking.

Requests look like ``http://127.0.0.1:<port>/<product>/<path>`` (what ``LocalTwilioHttpClient`` sends
for ``https://<product>.twilio.com/<path>``); ``/_sandbox/…`` is the admin API, untouched by faults and
not logged.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from deh_deploy.errors import UsageError
from deh_deploy.sandbox import admin, guard
from deh_deploy.sandbox.core import Core
from deh_deploy.sandbox.errors import error_body
from deh_deploy.sandbox.faults import Faults


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # The default 5 overflows when applies send many requests at once; a client then stalls for a second.
    request_queue_size = 128
    owner: RunningSandbox


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 1 << 16  # headers and body leave in one write
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.server.owner._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Library code prints nothing; the request log is available through the admin API."""

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _send(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def _drop(self) -> None:
        """Close the connection without an answer."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _serve(self) -> None:
        owner = self.server.owner
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {key.title(): value for key, value in self.headers.items()}
        refused = guard.refusal(
            port=owner.port,
            path=self.path,
            method=self.command,
            headers=headers,
            admin_token=owner.core.admin_token,
        )
        if refused is not None:
            self._send(refused[0], {"message": refused[1]})
            return
        if self.path.startswith("/_sandbox/"):
            status, payload = admin.handle(owner.core, self.command, self.path.split("?")[0], body)
            self._send(status, payload)
            return
        if owner.stopped:
            self._drop()
            return
        owner._serve_api(self, body)


class RunningSandbox:
    """A sandbox serving in a background thread. Use as a context manager, or call :meth:`stop`."""

    def __init__(self, core: Core, server: _Server) -> None:
        self.core = core
        self._server = server
        server.owner = self
        host, port = server.server_address[:2]
        self.port = int(port)
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else str(host)
        self.url = f"http://[{shown}]:{self.port}" if ":" in shown else f"http://{shown}:{self.port}"
        self._conns: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None  # the background thread of start()
        self._loop: threading.Thread | None = None  # the thread running the serve loop
        self._counter = 0

    # -- lifecycle ----------------------------------------------------------------------------------
    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def wait_stopped(self, timeout: float | None = None) -> bool:
        """Wait until the server has stopped (after :meth:`stop`, or by itself with ``die_after``)."""
        return self._stopped.wait(timeout)

    def _run(self) -> None:
        self._loop = threading.current_thread()
        self._server.serve_forever(poll_interval=0.05)

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._conns.add(conn)
            else:
                self._conns.discard(conn)

    def stop(self) -> None:
        """Stop serving, close every connection and the database. Idempotent."""
        with self._lock:
            if self._stopped.is_set():
                return
            self._stopped.set()
            conns = list(self._conns)
        if self._loop is not None and self._loop is not threading.current_thread():
            self._server.shutdown()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()
        self._server.server_close()
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self.core.close()

    def __enter__(self) -> RunningSandbox:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- the API path with faults -------------------------------------------------------------------
    def _serve_api(self, handler: _Handler, body: bytes) -> None:
        core, gate = self.core, self.core.gate
        method, target = handler.command, handler.path
        headers = {key.title(): value for key, value in handler.headers.items()}
        verdict = gate.enter()
        answered = False

        def answering() -> None:  # before the answer goes out: then the client may send its next request
            nonlocal answered
            if not answered:
                answered = True
                gate.answering()

        try:
            if verdict == "die":
                core.log_fault(method, target, headers, body, "die")
                answering()
                handler._drop()
                threading.Thread(target=self.stop, daemon=True).start()
                return
            if gate.faults.latency_ms:
                time.sleep(gate.faults.latency_ms / 1000)
            if verdict == "drop":
                core.log_fault(method, target, headers, body, "drop")
                answering()
                handler._drop()
                return
            if verdict in ("429", "503"):
                status, code = (429, 20429) if verdict == "429" else (503, 20503)
                text = "Too Many Requests" if status == 429 else "Service Unavailable"
                payload = error_body(status, code, text)
                extra = (
                    {}
                    if gate.faults.retry_after is None or status != 429
                    else {"Retry-After": _num(gate.faults.retry_after)}
                )
                core.log_fault(method, target, headers, body, verdict, status, payload)
                answering()
                handler._send(status, payload, self._headers(extra))
                return
            outcome = core.handle(method, target, headers, body)
            if outcome.write and gate.drop_after_write():
                outcome.entry["fault"] = "drop_after_write"
                answering()
                handler._drop()
                return
            answering()
            handler._send(outcome.status, outcome.body, self._headers({}))
        finally:
            answering()
            gate.leave()

    def _headers(self, extra: dict[str, str]) -> dict[str, str]:
        with self._lock:
            self._counter += 1
            n = self._counter
        return {
            "Twilio-Request-Id": f"RQ{n:032x}",
            "Twilio-Concurrent-Requests": str(self.core.gate.in_flight),
            **extra,
        }

    # -- Python administration (same as the /_sandbox/ endpoints) -----------------------------------
    def admin_headers(self) -> dict[str, str]:
        """What a request to the admin API over HTTP must carry."""
        return {"Authorization": f"Bearer {self.core.admin_token}"}

    def ensure_account(self, sid: str, auth_token: str | None = None) -> str:
        return admin.ensure_account(self.core, sid, auth_token)

    def ensure_api_key(self, account: str) -> tuple[str, str]:
        return admin.ensure_api_key(self.core, account)

    def seed(
        self,
        account: str,
        *,
        countries: Sequence[str] = (),
        available_numbers: Sequence[Mapping[str, Any]] = (),
        regulations: Sequence[Mapping[str, Any]] = (),
        bundles: Sequence[Mapping[str, Any]] = (),
        incoming_numbers: Sequence[Mapping[str, Any]] = (),
        flow_definitions: Sequence[Mapping[str, Any]] = (),
        content_approvals: Sequence[Mapping[str, Any]] = (),
        taskrouter_events: Sequence[Mapping[str, Any]] = (),
        senders: Sequence[Mapping[str, Any]] = (),
        facebook_pages: Sequence[str] = (),
    ) -> dict[str, Any]:
        spec = {
            "countries": countries,
            "available_numbers": available_numbers,
            "regulations": regulations,
            "bundles": bundles,
            "incoming_numbers": incoming_numbers,
            "flow_definitions": flow_definitions,
            "content_approvals": content_approvals,
            "taskrouter_events": taskrouter_events,
            "senders": senders,
            "facebook_pages": facebook_pages,
        }
        return admin.seed(self.core, account, spec)

    def agent_message(
        self,
        account: str,
        conversation_sid: str,
        *,
        author: str,
        body: str | None = None,
        media: Sequence[Mapping[str, Any]] = (),
    ) -> dict[str, Any]:
        spec = {"conversation_sid": conversation_sid, "author": author, "body": body, "media": list(media)}
        return admin.agent_message(self.core, account, spec)

    def map_hosts(self, hosts: Mapping[str, str]) -> dict[str, str]:
        """Public origins the sandbox's webhooks reach at loopback origins (see ``POST /_sandbox/hosts``)."""
        return self.core.webhooks.map_hosts(dict(hosts))

    def webhooks(self, *, wait: float = 10.0) -> list[dict[str, Any]]:
        """The post-event webhooks sent so far, once those already caused have gone out."""
        self.core.webhooks.wait_idle(wait)
        return self.core.webhooks.log()

    def requests(self) -> list[dict[str, Any]]:
        return self.core.requests()

    def clear_requests(self) -> None:
        self.core.clear_requests()

    def peak_in_flight(self) -> int:
        """The most API requests the sandbox held unanswered at once since :meth:`reset_peak` (or the faults were
        set)."""
        return self.core.gate.peak

    def reset_peak(self) -> None:
        self.core.gate.reset_peak()

    def set_faults(self, faults: Faults) -> None:
        self.core.gate.reset(faults)

    @property
    def faults(self) -> Faults:
        return self.core.gate.faults


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _bind(core: Core, host: str, port: int) -> _Server:
    server_class = _Server6 if ":" in host else _Server
    try:
        return server_class((host, port), _Handler)
    except OSError as exc:
        core.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc


def start(
    *, db_path: Path, host: str = "127.0.0.1", port: int = 0, faults: Faults | None = None
) -> RunningSandbox:
    """Serve the sandbox from ``db_path`` in a background thread; ``port=0`` picks a free port."""
    core = Core(db_path, faults)
    sandbox = RunningSandbox(core, _bind(core, host, port))
    sandbox._thread = threading.Thread(target=sandbox._run, name=f"deh-sandbox-{sandbox.port}", daemon=True)
    sandbox._thread.start()
    return sandbox


def serve_forever(
    *,
    db_path: Path,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | None = None,
    ready: Callable[[RunningSandbox], None] | None = None,
) -> None:
    """Serve in the calling thread until Ctrl-C (or ``die_after``); ``ready`` is called once it listens."""
    core = Core(db_path, faults)
    sandbox = RunningSandbox(core, _bind(core, host, port))
    if ready is not None:
        ready(sandbox)
    try:
        sandbox._run()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
