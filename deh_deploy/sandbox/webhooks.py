"""Twilio's post-event webhooks, sent by the sandbox: after the request that caused them has committed, in the
order they were caused, one at a time, each with Twilio's 5-second timeout and no retry (Conversations does
not retry a failed post-event webhook). Each delivery is logged (``GET /_sandbox/webhooks``): where it went,
which event, the status it got; never the parameters, which hold message text.

The sandbox never calls out of this machine: a delivery goes to a loopback address, or to a public origin the
admin API maps to one (``POST /_sandbox/hosts``, as DNS and a proxy in front of the hub service would), still
signed for the public URL as Twilio signs it. Anything else is logged as not sent.
"""

from __future__ import annotations

import queue
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from typing import Any

TIMEOUT = 5.0
LOG_LIMIT = 10_000


class Dispatcher:
    def __init__(self) -> None:
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._log: deque[dict[str, Any]] = deque(maxlen=LOG_LIMIT)
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._hosts: dict[str, str] = {}  # public origin -> loopback origin

    def map_hosts(self, hosts: dict[str, str]) -> dict[str, str]:
        """Add public origins (``https://hub.example.org``) reached at loopback origins; returns the map."""
        for public, local in hosts.items():
            if not _loopback(local):
                raise ValueError(f"{local!r} is not a loopback origin (http://127.0.0.1:PORT)")
            self._hosts[_origin(public)] = local.rstrip("/")
        return dict(self._hosts)

    def _reach(self, url: str) -> str | None:
        if _loopback(url):
            return url
        local = self._hosts.get(_origin(url))
        if local is None:
            return None
        parts = urllib.parse.urlsplit(url)
        return local + parts.path + (f"?{parts.query}" if parts.query else "")

    def submit(self, deliveries: list[dict[str, Any]]) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="deh-sandbox-webhooks", daemon=True)
                self._thread.start()
            self._pending += len(deliveries)
        for delivery in deliveries:
            self._queue.put(delivery)

    def log(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._log)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until every delivery submitted so far has been sent (or has failed)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._pending == 0, timeout)

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)

    def _run(self) -> None:
        while True:
            delivery = self._queue.get()
            if delivery is None:
                return
            entry = _send(delivery, self._reach(str(delivery.get("url") or "")))
            with self._idle:
                self._log.append(entry)
                self._pending -= 1
                self._idle.notify_all()


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _loopback(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in ("127.0.0.1", "localhost", "::1")


def _send(delivery: dict[str, Any], reach: str | None) -> dict[str, Any]:
    params = delivery["params"]
    entry: dict[str, Any] = {
        "target": delivery["target"],
        "event": params.get("EventType"),
        "conversation_sid": params.get("ConversationSid"),
        "task_sid": params.get("TaskSid"),
        "message_sid": params.get("MessageSid"),
    }
    if delivery["target"] == "studio":
        return {**entry, "flow_sid": delivery.get("flow_sid"), "status": None}  # the sandbox runs no flow
    entry["url"] = delivery["url"]
    if reach is None:
        return {**entry, "status": None, "error": "not sent: outside this machine"}
    request = urllib.request.Request(
        reach,
        data=urllib.parse.urlencode(params).encode(),
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": delivery["signature"],
            "User-Agent": "TwilioProxy/1.1",
        },
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback, never a proxy
    try:
        with opener.open(request, timeout=TIMEOUT) as response:
            entry["status"] = response.status
    except urllib.error.HTTPError as exc:
        entry["status"] = exc.code
    except (OSError, ValueError) as exc:
        entry.update(status=None, error=type(exc).__name__)
    return entry
