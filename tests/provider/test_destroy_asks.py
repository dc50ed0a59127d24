"""Destroy shows what it will delete and asks first: y/N for staging, the slug typed back for production, and
without a terminal only when told (``--yes``, ``--confirm``). A refusal or a "no" deletes nothing."""

from __future__ import annotations

import io

import pytest

from tests.provider.conftest import World, hub
from tests.provider.test_cli import HUNGARY, Deh
from tests.provider.test_cli import deh as deh  # the fixture


class Terminal(io.StringIO):
    """Standard input as a person at a terminal types it."""

    def isatty(self) -> bool:
        return True


def flows(world: World, env: str = "staging") -> int:
    with world.connect(hub("hungary"), env) as conn:
        return len(conn.client.studio.v2.flows.list())


@pytest.fixture
def applied(deh: Deh, world: World) -> list[str]:
    world.login(hub("hungary"))
    remote = ["-e", "staging", "--sandbox-url", world.sandbox.url]
    assert deh("apply", str(HUNGARY), *remote, "--allow-purchase").code == 0
    assert flows(world) == 2
    return remote


def test_without_a_terminal_destroy_refuses_unless_told_and_deletes_nothing(
    deh: Deh, applied: list[str], world: World
) -> None:
    run = deh("destroy", str(HUNGARY), *applied)
    assert (run.code, run.out) == (1, "")
    assert run.err_lines == [
        "deh: destroy asks before deleting anything: run it in a terminal, or pass --yes"
    ]
    assert flows(world) == 2


def test_production_without_a_terminal_needs_the_slug_not_just_yes(deh: Deh, world: World) -> None:
    world.login(hub("hungary"), "production")
    run = deh("destroy", str(HUNGARY), "-e", "production", "--sandbox-url", world.sandbox.url, "--yes")
    assert (run.code, run.out) == (1, "")
    assert run.err_lines == ["deh: destroying production needs the slug typed back: --confirm hungary"]


def test_a_wrong_slug_deletes_nothing(deh: Deh, applied: list[str], world: World) -> None:
    run = deh("destroy", str(HUNGARY), *applied, "--confirm", "hungry")
    assert (run.code, run.out) == (1, "")
    assert run.err_lines == ["deh: the slug typed back is not 'hungary': nothing was deleted"]
    assert flows(world) == 2


@pytest.mark.slow  # a terminal session; the wrong-slug one covers the quick loop
def test_in_a_terminal_the_plan_is_shown_and_no_keeps_everything(
    deh: Deh, applied: list[str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("n\n"))
    run = deh("destroy", str(HUNGARY), *applied)
    assert run.code == 1
    deletes = [line for line in run.lines if line.lstrip().startswith("- delete ")]
    assert len(deletes) >= 10, run.out
    assert f"0 to create, 0 to update, {len(deletes)} to delete" in run.lines[0]
    assert f"Delete these {len(deletes)} resource(s) of hungary (staging)? [y/N]: " in run.out
    assert run.err_lines == ["deh: destroy canceled: nothing was deleted"]
    assert flows(world) == 2


def test_in_a_terminal_yes_deletes(
    deh: Deh, applied: list[str], world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    run = deh("destroy", str(HUNGARY), *applied)
    assert run.code == 0, run.err
    assert run.lines[-1].startswith("destroyed ") and run.lines[-1].endswith(
        " resource(s) of hungary/staging"
    )
    assert flows(world) == 0
