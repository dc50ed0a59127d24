"""The template works with plain cookiecutter too (no input and interactive), with the same defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter

from deh_deploy.config import validate
from deh_deploy.errors import UsageError
from deh_deploy.init import template_dir

from .conftest import Answer, init, read_hub


def isolated_config(tmp_path: Path) -> Path:
    """A cookiecutter config that keeps its replay files and cache inside the test's folder."""
    config = tmp_path / "cookiecutter.yaml"
    config.write_text(
        json.dumps({"replay_dir": str(tmp_path / "replay"), "cookiecutters_dir": str(tmp_path / "cache")}),
        encoding="utf-8",
    )
    return config


def errors(folder: Path) -> list[str]:
    return [d.format() for d in validate(folder / "hub.yaml")[1] if d.severity == "error"]


@pytest.mark.slow
def test_the_cookiecutter_command_with_no_input(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cookiecutter",
            "--no-input",
            str(template_dir()),
            "--output-dir",
            str(out),
            "--config-file",
            str(isolated_config(tmp_path)),
        ],
        check=True,
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    folder = out / "hungary"
    assert sorted(p.name for p in (folder / "translations").iterdir()) == ["hu.yaml"]
    data = read_hub(folder)
    assert (data["society"]["country"], data["timezone"], data["languages"]) == (
        "HU",
        "Europe/Budapest",
        ["hu"],
    )
    assert errors(folder) == []


def test_cookiecutter_api_with_a_country_only(tmp_path: Path) -> None:
    result = cookiecutter(
        str(template_dir()),
        no_input=True,
        extra_context={"country": "MN"},
        output_dir=str(tmp_path / "out"),
        config_file=str(isolated_config(tmp_path)),
    )
    folder = Path(result)
    assert folder.name == "mongolia"
    data = read_hub(folder)
    assert (data["timezone"], data["languages"]) == ("Asia/Ulaanbaatar", ["mn"])
    assert "audio" in data["translations"]["mn"]
    assert errors(folder) == []


def test_the_template_leaves_no_bytecode_in_itself(tmp_path: Path) -> None:
    init(tmp_path, country="JO")
    assert not (template_dir() / "__pycache__").exists()


def test_interactive_prompts_offer_defaults_computed_from_the_answered_country(
    tmp_path: Path, answer: Answer, capsys: pytest.CaptureFixture[str]
) -> None:
    answer("MN\nMongolian Red Cross Society\n\n\n\n1\n")  # then accept each default
    folder = init(tmp_path, country="HU", no_input=False)
    shown = capsys.readouterr().out
    for default in ("(HU)", "(mongolia)", "(Asia/Ulaanbaatar)", "(mn)"):
        assert default in shown
    assert folder == tmp_path / "mongolia"
    data = read_hub(folder)
    assert data["society"] == {"name": "Mongolian Red Cross Society", "country": "MN"}
    assert (data["timezone"], data["languages"]) == ("Asia/Ulaanbaatar", ["mn"])
    assert errors(folder) == []


def test_an_interactive_slug_that_exists_is_refused(tmp_path: Path, answer: Answer) -> None:
    (tmp_path / "taken").mkdir()
    answer("HU\n\ntaken\n\n\n1\n")
    with pytest.raises(UsageError, match="taken already exists; choose another --slug"):
        init(tmp_path, country="HU", no_input=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
