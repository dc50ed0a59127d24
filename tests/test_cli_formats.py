"""One ``--format`` vocabulary: each command's option lists the formats of its reporter table, and a name of the
vocabulary a command does not write is refused in one line, exit 2, before any work."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from deh_deploy.cli import app, main
from deh_deploy.reporters import Format
from deh_deploy.reporters.diagnostics import DIAGNOSTICS
from deh_deploy.reporters.plans import PLANS
from deh_deploy.reporters.results import RESULTS
from deh_deploy.reporters.transcripts import TRANSCRIPTS

HUNGARY = Path(__file__).resolve().parent.parent / "country_configs" / "hungary"
TABLES: dict[str, dict[Format, object]] = {
    "validate": dict(DIAGNOSTICS),
    "plan": dict(PLANS),
    "simulate": dict(TRANSCRIPTS),
    "test": dict(RESULTS),
}


def format_options() -> dict[str, str]:
    """Each command with a ``--format``: the metavar its help shows."""
    root = typer.main.get_command(app)
    found = {}
    for name, command in getattr(root, "commands", {}).items():
        for param in command.params:
            if "--format" in param.opts:
                found[name] = str(param.metavar)
    return found


def test_each_format_option_shows_the_formats_of_its_reporters() -> None:
    # deh report's and deh runbook's --format name a file's format (a page, an export), not a reporter of the
    # vocabulary
    want = {name: "<" + "|".join(table) + ">" for name, table in TABLES.items()} | {
        "report": "<html|csv|json>",
        "runbook": "<markdown|html>",
    }
    assert format_options() == want


def test_the_tables_use_only_the_one_vocabulary() -> None:
    assert all(isinstance(f, Format) for table in TABLES.values() for f in table)
    assert {f for table in TABLES.values() for f in table} == set(Format)


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (("validate", "--format", "markdown", str(HUNGARY)), "deh validate writes text, json or github"),
        (("plan", str(HUNGARY), "-e", "staging", "-f", "github"), "deh plan writes text, markdown or json"),
        (("simulate", str(HUNGARY), "-f", "markdown"), "deh simulate writes text or json"),
        (("test", str(HUNGARY), "--format", "github"), "deh test writes text or json"),
    ],
)
def test_a_format_a_command_does_not_write_is_one_usage_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    args: tuple[str, ...],
    line: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))  # where crash logs go
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    captured = capsys.readouterr()
    fmt = args[args.index("--format" if "--format" in args else "-f") + 1]
    assert (exc.value.code, captured.out, captured.err) == (2, "", f"deh: --format {fmt}: {line}\n")
    assert list(tmp_path.iterdir()) == []  # refused before any work: no sandbox, no log
