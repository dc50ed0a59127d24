"""``deh -v/--debug``: each HTTP request (method, URL without its query, status, milliseconds) and each retry
decision on stderr, redacted. Without it nothing is logged: no handler, no line."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from deh_deploy.cli import main
from deh_deploy.providers.http import RetryingMixin
from deh_deploy.sandbox import Faults
from tests.provider.conftest import ROOT, World, hub

HUNGARY = ROOT / "country_configs" / "hungary"
REQUEST = re.compile(
    r"^debug: providers\.http: (GET|POST|DELETE) (https://[a-z-]+\.twilio\.com/\S*) (\d{3}) \d+ ms$"
)
RETRY = re.compile(
    r"^debug: providers\.http: GET (https://\S+): 429 with Retry-After; retry (\d) of 8 in 0\.00 s$"
)


Deh = Callable[..., tuple[int, str, str]]


@pytest.fixture
def deh(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Deh:
    """``deh(*args)``: the CLI in this process, its exit status, stdout and stderr."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))  # where crash logs go

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        code = exc.value.code
        return (code if isinstance(code, int) else 0), captured.out, captured.err

    return run


def remote(world: World) -> list[str]:
    world.login(hub("hungary"))
    return [str(HUNGARY), "-e", "staging", "--sandbox-url", world.sandbox.url]


def test_debug_shows_each_request_with_its_status_and_time(deh: Deh, world: World) -> None:
    args = remote(world)
    code, out, err = deh("--debug", "plan", *args)

    assert code == 0 and out.startswith("hungary/staging (")
    every = err.splitlines()
    lines = [line for line in every if line.startswith("debug: providers.http: ")]
    assert lines and all(REQUEST.match(line) for line in lines), lines
    # the rest are the library's decisions, each a debug record of its own
    assert all(line.startswith("debug: ") for line in every), every
    assert any(line.startswith("debug: providers.planner: apply plan: ") for line in every), every
    logged = [(m[1], m[2]) for m in map(REQUEST.match, lines) if m]
    sent = [(e["method"], e["path"]) for e in world.sandbox.requests()]
    assert sorted((method, "/" + url.split("/", 3)[3]) for method, url in logged) == sorted(sent)
    assert "?" not in err  # never a query string
    assert logging.getLogger("deh_deploy").handlers == []  # the handler leaves with the command


def test_without_debug_nothing_is_logged(deh: Deh, world: World) -> None:
    args = remote(world)
    code, out, err = deh("plan", *args)

    assert (code, err) == (0, "") and out.startswith("hungary/staging (")
    logger = logging.getLogger("deh_deploy")
    assert (logger.handlers, logger.level) == ([], logging.NOTSET)
    assert not logger.isEnabledFor(logging.DEBUG)


def test_debug_shows_the_decision_to_retry_a_429(
    deh: Deh, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = remote(world)
    slept: list[float] = []
    monkeypatch.setattr(RetryingMixin, "sleep", staticmethod(slept.append))
    world.sandbox.set_faults(Faults(rate_429=0.3, retry_after=0, seed=7))

    code, _, err = deh("-v", "plan", *args)

    assert code == 0
    lines = err.splitlines()
    retries = [line for line in lines if RETRY.match(line)]
    refused = [line for line in lines if (m := REQUEST.match(line)) and m[3] == "429"]
    assert retries and len(retries) == len(refused) == len(slept)
    for i, line in enumerate(lines):  # each retry comes after a 429 of its URL (requests run in parallel)
        if m := RETRY.match(line):
            assert any(f"GET {m[1]} 429 " in earlier for earlier in lines[:i]), line


def test_every_debug_record_is_redacted_whatever_it_holds(capsys: pytest.CaptureFixture[str]) -> None:
    from deh_deploy import secrets
    from deh_deploy.cli.logs import enable_debug

    secret, token = "s3cret-value-for-the-formatter", "ab" * 16
    secrets.register(secret)
    secrets.register(token)  # masked because the config named it, not because of its shape
    undo = enable_debug()
    try:
        logging.getLogger("deh_deploy.plan").debug("decided with %s and token %s", secret, token)
    finally:
        undo()
    logging.getLogger("deh_deploy.plan").debug("after the command: %s", secret)
    assert capsys.readouterr().err == "debug: plan: decided with *** and token ***\n"
