"""``deh validate PATH...``: every problem of every file, one line each, three formats, exit 0/1/2."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from deh_deploy.cli import main

HUNGARY = Path(__file__).resolve().parents[1] / "country_configs" / "hungary"
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<path>\$\S*): (?P<message>.+)$"
)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture
def deh(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Run]:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "logs").mkdir()
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "logs"))  # where crash logs go

    def run(*args: str) -> Run:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        assert not any((tmp_path / "logs").iterdir()), "an unexpected error was logged"
        code = exc.value.code
        return Run(code if isinstance(code, int) else 0, captured.out, captured.err)

    return run


@pytest.fixture
def hub(tmp_path: Path) -> Callable[..., Path]:
    """``hub(name, {old: new, …}, file=…)``: a copy of Hungary's folder with exact text replacements."""

    def make(name: str, edits: dict[str, str] | None = None, *, file: str = "hub.yaml") -> Path:
        folder = tmp_path / name
        shutil.copytree(HUNGARY, folder)
        target = folder / file
        text = target.read_text(encoding="utf-8")
        for old, new in (edits or {}).items():
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        target.write_text(text, encoding="utf-8")
        return folder

    return make


BAD_QUEUE = {"    queue: general\n    feedback: request\n": "    queue: genral\n    feedback: request\n"}
BAD_CALLBACK = {"callback_queue: general": "callback_queue: callbacks"}
UNUSED_NUMBER = {
    '        adopt: "+3617005000"\n': (
        '        adopt: "+3617005000"\n      spare:\n        adopt: "+3612345678"\n'
    )
}


def test_a_valid_hub_passes_silently(deh: Callable[..., Run], hub: Callable[..., Path]) -> None:
    hub("hungary")
    result = deh("validate", "hungary")
    assert (result.code, result.out, result.err) == (0, "", "1 config: 0 errors, 0 warnings\n")


def test_takes_folders_and_hub_files_in_any_number(deh: Callable[..., Run], hub: Callable[..., Path]) -> None:
    hub("a")
    hub("b", BAD_QUEUE)
    result = deh("validate", "a", "a/hub.yaml", "b/hub.yaml")
    assert result.code == 1
    assert result.lines == [
        "b/hub.yaml:90:12: $.topics.housing.queue: unknown queue 'genral'; did you mean 'general'?"
    ]
    assert result.err == "3 configs: 1 error, 0 warnings\n"


def test_reports_every_problem_of_every_file_not_the_first(
    deh: Callable[..., Run], hub: Callable[..., Path]
) -> None:
    hub("a", {**BAD_QUEUE, **BAD_CALLBACK})
    hub("b", {"timezone: Europe/Budapest\n": "timezone: Europe/Budapest\ntimezone: UTC\n"})
    hub("c", {"Вітаємо!": "Вітаємо, {name}!"}, file="translations/uk.yaml")
    result = deh("validate", "a", "b", "c")
    assert result.code == 1
    assert result.lines == [
        "a/hub.yaml:90:12: $.topics.housing.queue: unknown queue 'genral'; did you mean 'general'?",
        "a/hub.yaml:77:19: $.routing.callback_queue: unknown queue 'callbacks'; "
        "known: cva, general, protection",
        "b/hub.yaml:9:1: $.timezone: duplicate key 'timezone' (first defined at line 8)",
        "c/translations/uk.yaml:4:12: $.translations.uk.messages.welcome: unknown placeholder {name}",
    ]
    assert result.err == "3 configs: 4 errors, 0 warnings\n"
    for line in result.lines:
        match = LINE.match(line)
        assert match, line
        assert Path(match["file"]).is_file()


def test_a_warning_passes_unless_strict(deh: Callable[..., Run], hub: Callable[..., Path]) -> None:
    hub("a", UNUSED_NUMBER)
    expected = [
        "a/hub.yaml:31:7: $.environments.production.numbers.spare: warning: number 'spare' is not used by "
        "any channel"
    ]
    relaxed = deh("validate", "a")
    assert (relaxed.code, relaxed.lines, relaxed.err) == (0, expected, "1 config: 0 errors, 1 warning\n")
    strict = deh("validate", "--strict", "a")
    assert (strict.code, strict.lines) == (1, expected)


def test_strict_passes_a_hub_without_warnings(deh: Callable[..., Run], hub: Callable[..., Path]) -> None:
    hub("a")
    assert deh("validate", "--strict", "a").code == 0


def test_json_format_lists_every_diagnostic_with_its_severity(
    deh: Callable[..., Run], hub: Callable[..., Path]
) -> None:
    hub("a", {**BAD_QUEUE, **UNUSED_NUMBER})
    result = deh("validate", "--format", "json", "a")
    assert result.code == 1
    assert json.loads(result.out) == [
        {
            "file": "a/hub.yaml",
            "line": 92,
            "col": 12,
            "path": "$.topics.housing.queue",
            "message": "unknown queue 'genral'; did you mean 'general'?",
            "severity": "error",
        },
        {
            "file": "a/hub.yaml",
            "line": 31,
            "col": 7,
            "path": "$.environments.production.numbers.spare",
            "message": "number 'spare' is not used by any channel",
            "severity": "warning",
        },
    ]


def test_json_format_of_a_valid_hub_is_an_empty_list(
    deh: Callable[..., Run], hub: Callable[..., Path]
) -> None:
    hub("a")
    result = deh("validate", "-f", "json", "a")
    assert (result.code, json.loads(result.out)) == (0, [])


def test_github_format_writes_workflow_annotations(deh: Callable[..., Run], hub: Callable[..., Path]) -> None:
    hub("a", {**BAD_QUEUE, **UNUSED_NUMBER})
    result = deh("validate", "--format", "github", "a")
    assert result.code == 1
    assert result.lines == [
        "::error file=a/hub.yaml,line=92,col=12::$.topics.housing.queue: unknown queue 'genral'; "
        "did you mean "
        "'general'?",
        "::warning file=a/hub.yaml,line=31,col=7::$.environments.production.numbers.spare: "
        "number 'spare' is not "
        "used by any channel",
    ]


def test_github_format_escapes_percent_signs(deh: Callable[..., Run], hub: Callable[..., Path]) -> None:
    """A literal % starts an escape in workflow commands, so it is written %25."""
    hub("a", {"slug: hungary": 'slug: "100%"'})
    result = deh("validate", "--format", "github", "a")
    assert result.lines == [
        "::error file=a/hub.yaml,line=4,col=7::$.slug: '100%25' is not a slug of 2-24 lowercase "
        "letters, digits and dashes"
    ]


def test_a_whole_file_problem_is_annotated_at_its_first_line(deh: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "hub.yaml").write_bytes(b"\x00\x01binary")
    result = deh("validate", "--format", "github", "bin")
    assert result.lines == [
        "::error file=bin/hub.yaml,line=1,col=1::$: file is binary (contains NUL bytes), not YAML"
    ]


def test_every_text_line_has_a_line_and_column_even_for_a_whole_file_problem(
    deh: Callable[..., Run], tmp_path: Path
) -> None:
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "hub.yaml").write_bytes(b"\x00\x01binary")
    result = deh("validate", "bin")
    assert result.lines == ["bin/hub.yaml:1:1: $: file is binary (contains NUL bytes), not YAML"]
    assert LINE.match(result.lines[0])


def test_a_missing_path_is_a_usage_error(deh: Callable[..., Run]) -> None:
    result = deh("validate", "nowhere")
    assert (result.code, result.out, result.err) == (2, "", "deh: nowhere: no such file\n")


def test_a_folder_without_hub_yaml_is_a_usage_error(deh: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = deh("validate", "empty")
    assert (result.code, result.err) == (2, "deh: empty has no hub.yaml\n")


def test_a_hub_yaml_that_is_not_a_file_is_a_usage_error(deh: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "odd" / "hub.yaml").mkdir(parents=True)
    result = deh("validate", "odd")
    assert (result.code, result.err) == (2, "deh: odd/hub.yaml: not a file\n")


def test_a_hub_yaml_that_is_a_link_loop_or_a_pipe_is_a_usage_error(
    deh: Callable[..., Run], tmp_path: Path
) -> None:
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "hub.yaml").symlink_to("hub.yaml")
    (tmp_path / "pipe").mkdir()
    os.mkfifo(tmp_path / "pipe" / "hub.yaml")
    looped = deh("validate", "loop")
    assert (looped.code, looped.err) == (
        2,
        "deh: loop/hub.yaml: a symbolic link that leads nowhere (or loops)\n",
    )
    piped = deh("validate", "pipe")
    assert (piped.code, piped.err) == (2, "deh: pipe/hub.yaml: not a file\n")


def test_a_hub_yaml_that_links_outside_its_folder_is_refused_unread(
    deh: Callable[..., Run], tmp_path: Path
) -> None:
    (tmp_path / "secret.env").write_text(
        "TWILIO_AUTH_TOKEN=5f1e0c3a9b7d2e4f6a8c0b1d3e5f7a90\n", encoding="utf-8"
    )
    (tmp_path / "leak").mkdir()
    (tmp_path / "leak" / "hub.yaml").symlink_to("../secret.env")
    result = deh("validate", "leak")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "deh: leak/hub.yaml: a symbolic link to a file outside leak; the hub file must be inside its country folder\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_a_usage_error(deh: Callable[..., Run], hub: Callable[..., Path]) -> None:
    folder = hub("locked")
    (folder / "hub.yaml").chmod(0)
    result = deh("validate", "locked")
    assert (result.code, result.err) == (2, "deh: locked/hub.yaml: cannot read: Permission denied\n")


def test_a_missing_path_among_good_ones_is_still_a_usage_error(
    deh: Callable[..., Run], hub: Callable[..., Path]
) -> None:
    hub("a")
    assert deh("validate", "a", "nowhere").code == 2


@pytest.mark.parametrize(
    "args", [("validate",), ("validate", "--format", "xml", "a"), ("validate", "--bogus", "a")]
)
def test_bad_options_are_usage_errors(
    deh: Callable[..., Run], hub: Callable[..., Path], args: tuple[str, ...]
) -> None:
    hub("a")
    result = deh(*args)
    assert result.code == 2
    assert result.out == ""
    (line,) = result.err.splitlines()  # one line, as every other error, not click's usage block
    assert line.startswith("deh: ") and line.endswith("(see deh validate --help)"), line


@pytest.mark.parametrize(
    "args",
    [
        ("validate", "country\0configs"),
        ("render", "x", "--env", "staging\0"),
        ("simulate", "x", "--send", "a\0b"),
    ],
    ids=["path", "option", "input"],
)
def test_a_nul_in_any_argument_is_one_line_and_a_usage_error(
    deh: Callable[..., Run], args: tuple[str, ...]
) -> None:
    result = deh(*args)
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        "deh: an argument contains a NUL character, which no file name or option can hold"
    ]
