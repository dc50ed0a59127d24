"""``deh render PATH --env ENV --out DIR``: byte-identical output, per-file status, dry run, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import Deh, MakeHub

ARTIFACTS = {
    "content/callback.hu.json",
    "content/callback.ru.json",
    "content/callback.uk.json",
    "flows/messaging.json",
    "flows/voice.json",
    "functions/callback.js",
    "functions/hours.js",
    "functions/schedule.json",
    "resources.json",
    "summary.md",
    "taskrouter/workflow.json",
}


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def statuses(lines: list[str]) -> dict[str, str]:
    """``create    out/flows/voice.json`` → {"flows/voice.json": "create"}."""
    out: dict[str, str] = {}
    for line in lines:
        status, path = line.split(maxsplit=1)
        out[Path(path).relative_to("out").as_posix()] = status
    return out


def test_render_writes_every_artifact_and_says_create(deh: Deh, make_hub: MakeHub) -> None:
    make_hub()
    result = deh("render", "hungary", "--env", "staging", "--out", "out")
    assert result.code == 0
    assert statuses(result.out) == dict.fromkeys(ARTIFACTS, "create")
    assert set(files(Path("out"))) == ARTIFACTS


def test_render_is_byte_identical_run_to_run(deh: Deh, make_hub: MakeHub, tmp_path: Path) -> None:
    make_hub()
    assert deh("render", "hungary", "--env", "production", "--out", "one").code == 0
    assert deh("render", "hungary", "--env", "production", "--out", "two").code == 0
    # and in fresh processes whose string hashing differs, so no set or dict order can leak into the output
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "deh_deploy.cli",
                "render",
                "hungary",
                "--env",
                "production",
                "--out",
                f"seed{seed}",
            ],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
        )
    one = files(tmp_path / "one")
    assert set(one) == ARTIFACTS
    for other in ("two", "seed1", "seed2"):
        assert files(tmp_path / other) == one, other


def test_a_second_run_into_the_same_folder_says_identical_for_every_file(deh: Deh, make_hub: MakeHub) -> None:
    make_hub()
    deh("render", "hungary", "--env", "staging", "--out", "out")
    before = {p: os.stat(Path("out") / p).st_mtime_ns for p in ARTIFACTS}
    again = deh("render", "hungary", "--env", "staging", "--out", "out")
    assert again.code == 0
    assert statuses(again.out) == dict.fromkeys(ARTIFACTS, "identical")
    assert {p: os.stat(Path("out") / p).st_mtime_ns for p in ARTIFACTS} == before


def test_a_changed_file_is_overwritten_and_only_that_one(deh: Deh, make_hub: MakeHub) -> None:
    make_hub()
    deh("render", "hungary", "--env", "staging", "--out", "out")
    original = files(Path("out"))
    (Path("out") / "flows" / "voice.json").write_text("{}\n", encoding="utf-8")
    result = deh("render", "hungary", "--env", "staging", "--out", "out")
    expected = dict.fromkeys(ARTIFACTS, "identical") | {"flows/voice.json": "overwrite"}
    assert statuses(result.out) == expected
    assert files(Path("out")) == original  # no temporary files left behind either


def test_dry_run_lists_the_files_and_writes_nothing(deh: Deh, make_hub: MakeHub) -> None:
    make_hub()
    result = deh("render", "hungary", "--env", "staging", "--out", "out", "--dry-run")
    assert result.code == 0
    assert statuses(result.out) == dict.fromkeys(ARTIFACTS, "create")
    assert not Path("out").exists()


def test_dry_run_over_earlier_output_reports_without_touching_it(deh: Deh, make_hub: MakeHub) -> None:
    make_hub()
    deh("render", "hungary", "--env", "staging", "--out", "out")
    (Path("out") / "summary.md").write_text("edited\n", encoding="utf-8")
    result = deh("render", "hungary", "--env", "production", "--out", "out", "--dry-run")
    status = statuses(result.out)
    assert status["summary.md"] == "overwrite"
    assert status["functions/hours.js"] == "identical"  # the same code in every environment
    assert (Path("out") / "summary.md").read_text(encoding="utf-8") == "edited\n"


def test_an_unknown_environment_is_a_usage_error_with_one_clear_line(deh: Deh, make_hub: MakeHub) -> None:
    make_hub()
    result = deh("render", "hungary", "--env", "prod", "--out", "out")
    assert result.code == 2
    assert result.out == []
    assert result.err == [
        "deh: environment 'prod' is not in hungary/hub.yaml (configured: staging, production)"
    ]
    assert not Path("out").exists()


def test_an_invalid_hub_renders_nothing(deh: Deh, make_hub: MakeHub) -> None:
    make_hub(edits={"hub.yaml": {"default_queue: general": "default_queue: main"}})
    result = deh("render", "hungary", "--env", "staging", "--out", "out")
    assert result.code == 1
    assert result.err == [
        "hungary/hub.yaml:76:18: $.routing.default_queue: unknown queue 'main'; "
        "known: cva, general, protection",
        "deh: 1 problem(s) in the config",
    ]
    assert not Path("out").exists()


def test_render_needs_an_environment(deh: Deh, make_hub: MakeHub) -> None:
    make_hub()
    result = deh("render", "hungary", "--out", "out")
    assert result.code == 2
    assert any("--env" in line for line in result.err)
