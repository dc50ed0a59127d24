"""A connection that fails without a timeout (refused, hung up on before the answer) is one line that names the
server deh could not reach: the sandbox at its URL when it is the sandbox, Twilio only when it is Twilio."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import requests

from deh_deploy.cli import main
from deh_deploy.providers import http
from deh_deploy.providers.http import RetryingHttpClient, Unreachable
from tests.provider.conftest import ROOT, World, hub

HUNGARY = ROOT / "country_configs" / "hungary"


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reads are retried as ever; only the waits between tries are left out."""
    monkeypatch.setattr(http, "backoff", lambda attempt: 0.0)


def closed_port() -> str:
    """A loopback address where nothing listens: connecting is refused at once."""
    with socket.create_server(("127.0.0.1", 0)) as s:
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@contextmanager
def hangs_up() -> Iterator[str]:
    """A loopback server that takes each connection and closes it before answering."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            with suppress(TimeoutError):
                conn, _ = listener.accept()
                conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


def plan_line(
    world: World, url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> str:
    world.login(hub("hungary"))
    monkeypatch.chdir(world.tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["plan", str(HUNGARY), "--env", "staging", "--sandbox-url", url])
    captured = capsys.readouterr()
    assert (exc.value.code, captured.out) == (1, "")
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_refused_connection_names_the_sandbox_at_its_url(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = closed_port()
    assert plan_line(world, url, capsys, monkeypatch) == (
        f"deh: the connection to the sandbox at {url} failed (connection refused); what was done is kept: "
        "run it again"
    )


def test_a_server_that_hangs_up_is_named_and_not_called_twilio(
    world: World, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with hangs_up() as url:
        line = plan_line(world, url, capsys, monkeypatch)
    assert line.startswith(f"deh: the connection to the sandbox at {url} failed (")
    assert "Twilio" not in line


def test_the_client_for_twilio_names_twilio_and_its_host(tmp_path: Path) -> None:
    url = closed_port()
    client = RetryingHttpClient(timeout=2)
    with pytest.raises(Unreachable) as exc:
        client.request("GET", f"{url}/2010-04-01/Accounts.json?PageSize=50")
    assert str(exc.value) == "the connection to Twilio at 127.0.0.1 failed (connection refused)"
    assert isinstance(exc.value, requests.ConnectionError), "still a connection error to whoever catches one"
