"""``deh apply --plan FILE`` reads the saved plan with the limits of a config file: one line and exit 2 for a
file that is not a plan deh can read, before any connection is made. Each ``negative/<case>.yaml`` says how the
plan file is made and the exact line; dropping a file into ``negative/`` adds a test.

A case file::

    about: What the case shows.
    plan:                      # how the plan file is made (one of these)
      text: "..."              # this text (``nest: 100000`` instead: that many "[" then as many "]")
      bytes: !!binary ...      # these bytes
      size: 2000000            # a (sparse) file of this many bytes
      make: fifo               # a named pipe, or ``folder``
      path: /dev/zero          # this path as it is, nothing made
      encoding: utf-16         # with ``text``: saved in this encoding
    expect: "deh: {plan}: ..."  # the whole line on stderr; {plan} is the path given to --plan
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from deh_deploy.cli import main
from deh_deploy.plan import PLAN_FORMAT, checksum

ROOT = Path(__file__).resolve().parents[2]
HUNGARY = ROOT / "country_configs" / "hungary"
CASES = sorted((Path(__file__).parent / "negative").glob("*.yaml"))


@dataclass(frozen=True)
class PlanCase:
    name: str
    plan: dict[str, Any]
    expect: str


def _case(path: Path) -> PlanCase:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert set(spec) == {"about", "plan", "expect"}, path.name
    return PlanCase(path.stem, dict(spec["plan"]), str(spec["expect"]))


def make_plan(plan: dict[str, Any], folder: Path) -> Path:
    if "path" in plan:
        return Path(plan["path"])
    target = folder / "plan.json"
    if "nest" in plan:
        target.write_text("[" * plan["nest"] + "]" * plan["nest"], encoding="utf-8")
    elif "text" in plan:
        target.write_bytes(str(plan["text"]).encode(plan.get("encoding", "utf-8")))
    elif "bytes" in plan:
        target.write_bytes(plan["bytes"])
    elif "size" in plan:
        with target.open("wb") as fh:
            fh.truncate(plan["size"])
    elif plan.get("make") == "fifo":
        os.mkfifo(target)
    elif plan.get("make") == "folder":
        target.mkdir()
    else:
        raise ValueError(f"say how the plan file is made: {plan}")
    return target


@pytest.mark.parametrize("case", [_case(p) for p in CASES], ids=[p.stem for p in CASES])
def test_an_unusable_plan_file_is_one_line_and_exit_2(
    case: PlanCase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    plan = make_plan(case.plan, tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(["apply", str(HUNGARY), "--env", "staging", "--plan", str(plan)])
    captured = capsys.readouterr()
    assert (exc.value.code, captured.out) == (2, "")
    assert captured.err.splitlines() == [case.expect.replace("{plan}", str(plan))]
    assert not (tmp_path / "deh-deploy").exists(), "an unexpected error was logged"
    assert not (tmp_path / ".deh").exists()


def _saved(body: dict[str, Any]) -> str:
    return json.dumps({**body, "checksum": checksum(body)})


FORMAT_1 = {"slug": "hungary", "env": "staging", "account_sid": "AC" + "0" * 32, "changes": []}


@pytest.mark.parametrize(
    ("saved", "said"),
    [
        (_saved(FORMAT_1), "plan format 1"),  # written before plans said their format
        (_saved({**FORMAT_1, "format": 3}), "plan format 3"),
        (_saved({**FORMAT_1, "format": "9" * 2000}), "another plan format"),  # not echoed
    ],
    ids=["format-1", "a-later-format", "a-huge-format"],
)
def test_a_plan_saved_in_another_format_is_refused_as_such_before_any_connection(
    saved: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TWILIO_ACCOUNT_SID", raising=False)  # a connection would fail on these first
    monkeypatch.delenv("TWILIO_AUTH_TOKEN", raising=False)
    plan = tmp_path / "plan.json"
    plan.write_text(saved, encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["apply", str(HUNGARY), "--env", "staging", "--plan", str(plan)])
    captured = capsys.readouterr()
    assert (exc.value.code, captured.out) == (1, "")
    assert captured.err.splitlines() == [
        f"deh: the saved plan is in {said}, written by another version of deh; this one reads format "
        f"{PLAN_FORMAT}: run deh plan again"
    ]
