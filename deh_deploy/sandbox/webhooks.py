"""Twilio's post-event webhooks, sent by the sandbox: after the request that caused them has committed, in the
order they were caused, one at a time, each with Twilio's 5-second timeout and no retry (Conversations does
not retry a failed post-event webhook). Each delivery is logged (``GET /_sandbox/webhooks``): where it went,
which event, the status it got; never the parameters, which hold message text.
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
            entry = _send(delivery)
            with self._idle:
                self._log.append(entry)
                self._pending -= 1
                self._idle.notify_all()


def _send(delivery: dict[str, Any]) -> dict[str, Any]:
    params = delivery["params"]
    entry: dict[str, Any] = {
        "target": delivery["target"],
        "event": params.get("EventType"),
        "conversation_sid": params.get("ConversationSid"),
        "message_sid": params.get("MessageSid"),
    }
    if delivery["target"] == "studio":
        return {**entry, "flow_sid": delivery.get("flow_sid"), "status": None}  # the sandbox runs no flow
    entry["url"] = delivery["url"]
    request = urllib.request.Request(
        delivery["url"],
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
