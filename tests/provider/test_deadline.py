"""One deadline per request and one per command, against real sockets on loopback: a server that accepts and
never answers, and one that trickles a byte at a time (each wait for a byte is short, so only a total limit ends
it). The error names the server that did not answer."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import pytest

from deh_deploy.deploy import plan_hub
from deh_deploy.errors import DehError
from deh_deploy.providers.connect import connect
from tests.provider.conftest import World, hub


@contextmanager
def hostile(*, trickle: bool) -> Iterator[str]:
    """A loopback server that takes every connection and answers nothing, or one byte every 0.1 s forever."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve(conn: socket.socket) -> None:
        with suppress(OSError):
            for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 10_000:
                if stop.wait(0.1):
                    return
                if trickle:
                    conn.sendall(bytes([byte]))

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()


def plan_against(world: World, url: str) -> tuple[str, float]:
    h = hub("hungary")
    world.login(h)
    started = time.monotonic()
    with pytest.raises(DehError) as caught, connect(h.environment("staging"), sandbox_url=url) as conn:
        plan_hub(h, "staging", conn)
    return str(caught.value), time.monotonic() - started


@pytest.mark.parametrize(
    "trickle", [False, pytest.param(True, marks=pytest.mark.slow)], ids=["silent", "trickling"]
)
def test_a_server_that_does_not_answer_fails_the_request_at_its_deadline(
    world: World, monkeypatch: pytest.MonkeyPatch, trickle: bool
) -> None:
    monkeypatch.setenv("DEH_HTTP_TIMEOUT", "1")
    with hostile(trickle=trickle) as url:
        message, took = plan_against(world, url)
    assert f"the sandbox at {url} did not answer within 1 s (DEH_HTTP_TIMEOUT)" in message
    assert "Twilio" not in message
    assert took < 15, took  # the default timeout is far longer: 15 s tells the two apart on a loaded machine


def test_the_command_deadline_bounds_every_request_together(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEH_HTTP_TIMEOUT", "30")
    monkeypatch.setenv("DEH_DEADLINE", "1.5")
    with hostile(trickle=True) as url:
        message, took = plan_against(world, url)
    assert f"the sandbox at {url} did not answer within the command's deadline of 1.5 s" in message
    assert took < 15, took  # the default timeout is far longer: 15 s tells the two apart on a loaded machine


@pytest.mark.parametrize("value", ["", "0", "-3", "nan", "inf", "soon"])
def test_a_limit_that_is_not_a_positive_number_keeps_the_default(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from deh_deploy.providers.deadline import REQUEST_TIMEOUT, seconds_from_env

    monkeypatch.setenv("DEH_HTTP_TIMEOUT", value)
    assert seconds_from_env("DEH_HTTP_TIMEOUT", REQUEST_TIMEOUT) == REQUEST_TIMEOUT
