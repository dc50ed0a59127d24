"""The README is part of the contract: every command and every option is in its reference."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer
from typer._click.core import Command  # typer's bundled click

from deh_deploy.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, Command]]:
    root = typer.main.get_command(app)
    out = []
    for name, command in getattr(root, "commands", {}).items():
        subs = getattr(command, "commands", None)
        if subs:
            out += [(f"{name} {sub}", c) for sub, c in subs.items()]
        else:
            out.append((name, command))
    return out


COMMANDS = _commands()


def test_the_cli_has_the_commands_the_issues_name() -> None:
    names = {name for name, _ in COMMANDS}
    assert names == {
        "validate",
        "init",
        "render",
        "plan",
        "apply",
        "destroy",
        "export",
        "simulate",
        "test",
        "sandbox serve",
        "hub serve",
        "hub migrate",
        "hub reconcile",
        "hub viber-webhook",
        "hub demo",
        "report",
        "host",
        "runbook",
    }


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_command_has_a_reference_section(name: str, command: Command) -> None:
    assert f"### `deh {name}" in README, f"README has no section for deh {name}"


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[n for n, _ in COMMANDS])
def test_every_option_is_in_the_readme(name: str, command: Command) -> None:
    section = README.split(f"### `deh {name}", 1)[1].split("\n### ", 1)[0]
    for param in command.params:
        if param.param_type_name == "option" and "--help" not in param.opts:
            long = next(o for o in param.opts if o.startswith("--"))
            assert long in section, f"deh {name}: {long} is not in its README section"


def test_the_readme_gives_the_two_set_up_commands() -> None:
    assert ".venv/bin/deh apply country_configs/hungary --env staging --sandbox" in README
    tests = "\nnpm ci --no-audit --no-fund && .venv/bin/python -m pytest\n"
    assert tests in README
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci, "CI runs exactly the README's test command"


def test_the_readme_figures_come_from_the_benchmark_runner() -> None:
    """Every benchmark is run by run_all.py, whose table in the README it rewrites between its markers."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("run_all", ROOT / "benchmarks" / "run_all.py")
    assert spec is not None and spec.loader is not None
    run_all = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(run_all)
    on_disk = {p.stem for p in (ROOT / "benchmarks").glob("bench_*.py")}
    assert set(run_all.BENCHMARKS) == on_disk
    assert README.count(run_all.START) == 1 and README.count(run_all.END) == 1
    assert README.index(run_all.START) < README.index(run_all.END)


def _section(start: str, end: str) -> str:
    return README.split(start, 1)[1].split(end, 1)[0]


def test_the_map_names_every_part_of_the_package() -> None:
    """Every module and folder of deh_deploy/ has its row in the README's map."""
    table = _section("### The map", "### Recipes")
    parts = {
        p.name
        for p in (ROOT / "deh_deploy").iterdir()
        if p.name not in {"__init__.py", "py.typed", "__pycache__"}
    }
    missing = sorted(p for p in parts if f"`deh_deploy/{p}" not in table)
    assert missing == [], f"not in the README's map: {missing}"
    named = set(re.findall(r"`(deh_deploy/[^`/]+)/?`", table))
    assert {n for n in named if not (ROOT / n).exists()} == set()


@pytest.mark.parametrize("recipe", ["add a channel", "add a resource kind", "add a validation rule"])
def test_each_recipe_names_files_that_exist(recipe: str) -> None:
    text = README.split(f"<!-- recipe: {recipe} -->", 1)[1].split("<!--", 1)[0].split("### ", 1)[0]
    paths = re.findall(r"`((?:deh_deploy|schemas|tests|templates)/[^`]+|README\.md)`", text)
    assert paths, recipe
    planned = {"deh_deploy/channels/telegram.py"}  # the file the channel recipe writes
    missing = [p for p in paths if p not in planned and not (ROOT / p.rstrip("/")).exists()]
    assert missing == [], f"{recipe}: {missing}"
