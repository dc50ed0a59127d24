"""One deadline per request, however the server behaves: ``requests`` applies its read timeout to each wait for a
byte, so a server that trickles a byte every few seconds never times out. Every connection a request uses is
watched; when the request's deadline passes, a single watchdog thread shuts the socket down, which ends the
blocked read at once, and the request fails with :class:`NoAnswer`.

Per command, :class:`Budget` bounds the sum: no request starts with less time than it needs, and none outlives
the command's deadline. Both are configurable: ``DEH_HTTP_TIMEOUT`` (seconds per request) and ``DEH_DEADLINE``
(seconds per command)."""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

REQUEST_TIMEOUT = 30.0  # seconds for one request: connect, send, and the whole answer
COMMAND_DEADLINE = 900.0  # seconds for every request of one command together
CONNECT_TIMEOUT = 10.0


class NoAnswer(requests.Timeout):
    """The server did not answer in time: the message names which server and the limit."""


def seconds_from_env(name: str, default: float) -> float:
    """A positive number of seconds from the environment; the default when unset, empty or not a positive
    number (a bad value must not disable the limit)."""
    try:
        value = float(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


@dataclass
class Budget:
    """The per-request limit and what is left of the command's."""

    request: float = REQUEST_TIMEOUT
    command: float = COMMAND_DEADLINE
    started: float = field(default_factory=time.monotonic)

    @classmethod
    def from_env(cls, *, request: float | None = None) -> Budget:
        return cls(
            request=seconds_from_env("DEH_HTTP_TIMEOUT", request or REQUEST_TIMEOUT),
            command=seconds_from_env("DEH_DEADLINE", COMMAND_DEADLINE),
        )

    def next_request(self) -> tuple[float, bool]:
        """(seconds this request may take, whether that is the command's limit rather than the request's)."""
        left = self.command - (time.monotonic() - self.started)
        return (left, True) if left < self.request else (self.request, False)


@dataclass(order=True)
class _Watch:
    due: float
    seq: int
    conns: list[Any] = field(compare=False, default_factory=list)
    fired: bool = field(compare=False, default=False)
    done: bool = field(compare=False, default=False)


class Watchdog:
    """One daemon thread for every request of the process, started when first needed."""

    def __init__(self) -> None:
        self._heap: list[_Watch] = []
        self._cv = threading.Condition()
        self._seq = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, seconds: float) -> _Watch:
        w = _Watch(time.monotonic() + seconds, next(self._seq))
        with self._cv:
            heapq.heappush(self._heap, w)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="deh-deadline", daemon=True)
                self._thread.start()
            self._cv.notify()
        return w

    def release(self, w: _Watch) -> bool:
        """Stop watching; whether the deadline had passed (and the request was cut off)."""
        with self._cv:
            w.done = True
            return w.fired

    def _run(self) -> None:
        while True:
            with self._cv:
                while self._heap and self._heap[0].done:
                    heapq.heappop(self._heap)
                if not self._heap:
                    self._cv.wait()
                    continue
                first = self._heap[0]
                wait = first.due - time.monotonic()
                if wait > 0:
                    self._cv.wait(wait)
                    continue
                heapq.heappop(self._heap)
                first.fired = True
                conns = list(first.conns)
            for conn in conns:
                sock = getattr(conn, "sock", None)
                with suppress(OSError):
                    if sock is not None:
                        sock.shutdown(socket.SHUT_RDWR)


WATCHDOG = Watchdog()
_current = threading.local()


def watching(w: _Watch | None) -> None:
    """The watch the connections this thread takes from a pool join (None: none)."""
    _current.watch = w


class _Watched:
    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        w: _Watch | None = getattr(_current, "watch", None)
        if w is not None:
            w.conns.append(conn)
        return conn


class _HTTPPool(_Watched, HTTPConnectionPool):
    pass


class _HTTPSPool(_Watched, HTTPSConnectionPool):
    pass


class DeadlineAdapter(HTTPAdapter):
    """An adapter whose pools let the watchdog reach the socket of each request."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **kwargs)
        manager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
        return manager


def mount(session: requests.Session) -> None:
    adapter = DeadlineAdapter(pool_maxsize=32)  # as many as apply runs at once (--concurrency at most 32)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
