"""The HTTP layer under the twilio SDK: backoff on 429 and on 5xx for reads, honouring Retry-After, and the bound
on requests in flight at once.

Twilio's own client never retries a 429 (see the SDK's ``TwilioHttpClient``), so every request goes through here.
A 429 means Twilio did not process the request (error 20429), so any method may be retried after backing off. A 5xx
or a dropped connection is retried for GET only: a write may have happened, and the provider re-reads before it
tries again.

At DEBUG, the ``deh_deploy.providers.http`` logger records each request (method, URL without its query, status,
milliseconds) and each decision to retry or not; never a query string, a form body or a header.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import requests
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response

from deh_deploy.providers import deadline
from deh_deploy.providers.deadline import Budget, NoAnswer

RETRY_LIMIT = 8
BASE_DELAY = 0.05
MAX_DELAY = 8.0

log = logging.getLogger(__name__)


class Unreachable(requests.ConnectionError):
    """The connection to the server failed (refused, a name that does not resolve, reset before the answer): the
    message names the server and why, never the URL (its query may hold values)."""


def unreachable(server: str, exc: BaseException) -> Unreachable:
    return Unreachable(f"the connection to {server} failed ({cause(exc)})")


def cause(exc: BaseException) -> str:
    """Why a connection failed, in a few words: the operating system's reason when one is found inside the chain
    ``requests`` and ``urllib3`` wrap it in ("connection refused"), else the innermost exception's name."""
    seen: list[BaseException] = []
    todo: list[object] = [exc]
    while todo and len(seen) < 12:
        item = todo.pop(0)
        if not isinstance(item, BaseException) or item in seen:
            continue
        seen.append(item)
        if isinstance(item, OSError) and isinstance(item.strerror, str) and item.strerror:
            return item.strerror[:1].lower() + item.strerror[1:80]
        todo += [*item.args, getattr(item, "reason", None), item.__cause__, item.__context__]
    return type(seen[-1]).__name__


class Span(NamedTuple):
    """One request that reached the server: when it went out and when its answer was in (perf_counter)."""

    method: str
    where: str  # scheme, host and path, as the log shows it
    start: float
    end: float


class RequestCounter:
    """Counts requests and writes (non-GET) that reached the server, and keeps when each was made, so that a
    benchmark or a test can see which requests waited for which."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0
        self.writes = 0
        self.spans: list[Span] = []

    def add(self, method: str, url: str, *, start: float | None = None) -> None:
        ended = time.perf_counter()
        span = Span(method.upper(), _where(url), ended if start is None else start, ended)
        with self._lock:
            self.requests += 1
            if span.method != "GET":
                self.writes += 1
            self.spans.append(span)

    def reset(self) -> None:
        with self._lock:
            self.requests = self.writes = 0
            self.spans.clear()


class InFlight:
    """At most ``limit`` requests on their way at once, whichever threads send them (no limit until one is set):
    apply's ``--concurrency`` bounds every request it makes this way (reads, checks, writes, polls, uploads, the
    lease), not only the writes its executor starts, so ``--concurrency 1`` is one request at a time. A request
    holds its place only while it is on its way; a retry's backoff waits outside, leaving it to others."""

    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._limit: int | None = None
        self._now = 0

    @contextmanager
    def bounded(self, limit: int) -> Iterator[None]:
        """At most ``limit`` (at least 1) requests in flight during the block; the bound before it afterwards."""
        with self._cv:
            before, self._limit = self._limit, max(1, limit)
        try:
            yield
        finally:
            with self._cv:
                self._limit = before
                self._cv.notify_all()

    def __enter__(self) -> None:
        with self._cv:
            while self._limit is not None and self._now >= self._limit:
                self._cv.wait()
            self._now += 1

    def __exit__(self, *_exc: object) -> None:
        with self._cv:
            self._now -= 1
            self._cv.notify()


class RetryingMixin:
    """Mixed in before a TwilioHttpClient (or a subclass that rewrites URLs to the sandbox)."""

    retry_limit: int = RETRY_LIMIT
    sleep: Callable[[float], None] = staticmethod(time.sleep)
    counter: RequestCounter | None = None
    in_flight: InFlight | None = None
    budget: Budget

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.budget = Budget.from_env(request=kwargs.get("timeout"))
        session = getattr(self, "session", None)
        if session is not None:
            deadline.mount(session)

    def server(self, url: str) -> str:
        """Who did not answer, as the error says it."""
        return f"Twilio at {urlsplit(url).hostname or url}"

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        attempt = 0
        where = _where(url)
        while True:
            started = time.perf_counter()
            try:
                response: Response = self._within_deadline(method, url, *args, **kwargs)
            except NoAnswer as exc:  # a server that took the whole limit is not asked again
                log.debug("%s %s: %s after %s; not retried", method, where, exc, _ms(started))
                raise
            except (requests.ConnectionError, requests.Timeout) as exc:
                failure = type(exc).__name__
                if method.upper() != "GET" or attempt >= self.retry_limit:
                    log.debug("%s %s: %s after %s; not retried", method, where, failure, _ms(started))
                    raise unreachable(self.server(url), exc) from None
                delay = backoff(attempt)
            else:
                status = response.status_code
                log.debug("%s %s %d %s", method, where, status, _ms(started))
                retryable = status == 429 or (status >= 500 and method.upper() == "GET")
                if not retryable or attempt >= self.retry_limit:
                    return response
                wait = retry_after(response)
                failure = f"{status}" if wait is None else f"{status} with Retry-After"
                delay = backoff(attempt) if wait is None else wait
            log.debug(
                "%s %s: %s; retry %d of %d in %.2f s",
                method,
                where,
                failure,
                attempt + 1,
                self.retry_limit,
                delay,
            )
            self.sleep(delay)
            attempt += 1

    def _within_deadline(self, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        """One attempt, cut off at its deadline (the request's, or what is left of the command's), once it has a
        place among the requests in flight (the wait for one is no part of its own deadline)."""
        with self.in_flight or _UNBOUNDED:
            seconds, of_command = self.budget.next_request()
            limit = (
                f"the command's deadline of {self.budget.command:g} s (DEH_DEADLINE)"
                if of_command
                else f"{seconds:g} s (DEH_HTTP_TIMEOUT)"
            )
            if seconds <= 0:
                raise NoAnswer(f"{self.server(url)} was not asked: {limit} has passed")
            sent = time.perf_counter()
            response = self._attempt(seconds, limit, method, url, *args, **kwargs)
            if self.counter is not None:
                self.counter.add(method, url, start=sent)
            return response

    def _attempt(
        self, seconds: float, limit: str, method: str, url: str, *args: Any, **kwargs: Any
    ) -> Response:
        watch = deadline.WATCHDOG.watch(seconds)
        deadline.watching(watch)
        kwargs["timeout"] = seconds
        try:
            response: Response = super().request(method, url, *args, **kwargs)  # type: ignore[misc]
        except (requests.ConnectionError, requests.Timeout) as exc:
            if deadline.WATCHDOG.release(watch) or isinstance(exc, requests.Timeout):
                raise NoAnswer(f"{self.server(url)} did not answer within {limit}") from None
            raise
        except BaseException:  # a watch left armed would later cut whichever request reuses the connection
            deadline.WATCHDOG.release(watch)
            raise
        finally:
            deadline.watching(None)
        if deadline.WATCHDOG.release(watch):  # cut off after a part of the answer: it cannot be trusted
            raise NoAnswer(f"{self.server(url)} did not answer within {limit}")
        return response


_UNBOUNDED = InFlight()


def _where(url: str) -> str:
    """The URL as the log shows it: scheme, host and path; never user info, query or fragment."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{parts.path}"


def _ms(started: float) -> str:
    return f"{(time.perf_counter() - started) * 1000:.0f} ms"


def backoff(attempt: int) -> float:
    """Exponential backoff with full jitter."""
    return random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2**attempt))


def retry_after(response: Response) -> float | None:
    headers = response.headers or {}
    value = headers.get("Retry-After") or headers.get("retry-after")
    if value is None:
        return None
    try:
        return min(MAX_DELAY, max(0.0, float(value)))
    except ValueError:
        return None


class RetryingHttpClient(RetryingMixin, TwilioHttpClient):  # type: ignore[misc]  # the SDK has no type hints
    """The client for the real Twilio."""


def sandbox_http_client(
    base_url: str,
    *,
    timeout: float = 10.0,
    counter: RequestCounter | None = None,
    in_flight: InFlight | None = None,
) -> TwilioHttpClient:
    """A retrying client whose requests go to a local sandbox instead of *.twilio.com."""
    from deh_deploy.providers.local_http import LocalTwilioHttpClient

    class _Client(RetryingMixin, LocalTwilioHttpClient):
        def server(self, url: str) -> str:
            return f"the sandbox at {base_url}"

    client = _Client(base_url, timeout=timeout)
    client.counter = counter
    client.in_flight = in_flight
    return client
