"""Fault injection: latency, 429s, 5xx, dropped connections, a crash after N requests, a concurrency cap.

Every injected fault except ``rate_drop_after_write`` happens *before* the request touches any state, so a
client may retry it safely; ``rate_drop_after_write`` commits the write and then closes the connection without
an answer (the "purchase timed out, but did it happen?" case).
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from deh_deploy.errors import UsageError

Verdict = Literal["pass", "drop", "429", "503", "die"]


MAX_LATENCY_MS = 60_000.0  # a minute per request
MAX_RETRY_AFTER = 3_600.0


@dataclass(frozen=True)
class Faults:
    latency_ms: float = 0
    rate_429: float = 0
    rate_5xx: float = 0
    rate_drop: float = 0
    die_after: int | None = None
    max_concurrency: int | None = None
    seed: int = 0
    retry_after: float | None = None
    rate_drop_after_write: float = 0

    def __post_init__(self) -> None:
        for name in ("rate_429", "rate_5xx", "rate_drop", "rate_drop_after_write"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise UsageError(f"fault {name} must be between 0 and 1, not {value}")
        # NaN passes every comparison by failing it, and an hour of latency is no test: bounded, finite values only.
        if not 0 <= self.latency_ms <= MAX_LATENCY_MS:
            raise UsageError(
                f"fault latency_ms must be between 0 and {MAX_LATENCY_MS:g}, not {self.latency_ms}"
            )
        if self.die_after is not None and self.die_after < 0:
            raise UsageError(f"fault die_after must not be negative, not {self.die_after}")
        if self.max_concurrency is not None and self.max_concurrency < 1:
            raise UsageError(f"fault max_concurrency must be at least 1, not {self.max_concurrency}")
        if self.retry_after is not None and not 0 <= self.retry_after <= MAX_RETRY_AFTER:
            raise UsageError(
                f"fault retry_after must be between 0 and {MAX_RETRY_AFTER:g}, not {self.retry_after}"
            )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Faults:
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise UsageError(f"unknown fault setting(s): {', '.join(unknown)}")
        try:
            return cls(**data)
        except TypeError as exc:  # a value of the wrong type
            raise UsageError(f"bad fault settings: {exc}") from exc


class FaultGate:
    """Decides, request by request, which fault (if any) to inject. Thread-safe; deterministic per seed."""

    def __init__(self, faults: Faults) -> None:
        self._lock = threading.Lock()
        self.reset(faults)

    def reset(self, faults: Faults) -> None:
        with self._lock:
            self.faults = faults
            self._rng = random.Random(faults.seed)
            self._seen = 0
            self._in_flight = 0
            self._open = 0
            self._peak = 0

    def enter(self) -> Verdict:
        """Called when an API request arrives; pair every call with :meth:`leave`."""
        with self._lock:
            f = self.faults
            self._seen += 1
            self._in_flight += 1
            self._open += 1
            self._peak = max(self._peak, self._open)
            if f.die_after is not None and self._seen > f.die_after:
                return "die"
            if f.max_concurrency is not None and self._in_flight > f.max_concurrency:
                return "429"
            if f.rate_drop and self._rng.random() < f.rate_drop:
                return "drop"
            if f.rate_429 and self._rng.random() < f.rate_429:
                return "429"
            if f.rate_5xx and self._rng.random() < f.rate_5xx:
                return "503"
            return "pass"

    def answering(self) -> None:
        """Called once per request, before its answer (or the dropped connection) goes out: from then on the
        client may send its next request, so the request no longer counts towards :attr:`peak`."""
        with self._lock:
            self._open -= 1

    def leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    @property
    def peak(self) -> int:
        """The most requests the sandbox held at once, none of them answered yet, since :meth:`reset_peak` (or
        the faults were set): what a client's bound on requests in flight is tested against."""
        with self._lock:
            return self._peak

    def reset_peak(self) -> None:
        with self._lock:
            self._peak = self._open

    def drop_after_write(self) -> bool:
        with self._lock:
            rate = self.faults.rate_drop_after_write
            return bool(rate) and self._rng.random() < rate

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight
