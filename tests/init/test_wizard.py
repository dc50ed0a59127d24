"""``deh init`` in a terminal asks what the options left open, once each, and checks each answer when it is given:
a refused answer is one line with what was most likely meant, and the question is asked again with that as its
default. Driven through standard input and through a real pseudo-terminal."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from deh_deploy.cli import main

from .conftest import read_hub

COUNTRY = "Country (ISO code such as MD, or its English name)"
NAME = "Name of the National Society"
SLUG = "Short name for the folder and Twilio resources"
TIMEZONE = "Time zone of the opening hours (IANA name)"
LANGUAGES = "Languages as BCP-47 tags, comma-separated; the first is the default"
HOLIDAYS = "Close on the country's public holidays? (yes/no)"


class Typed(io.StringIO):
    """Lines typed at a terminal: standard input that says it is one, and notes each question asked (what was
    written on stdout since the answer before)."""

    def __init__(self, text: str, capsys: pytest.CaptureFixture[str]) -> None:
        super().__init__(text)
        self.capsys = capsys
        self.asked: list[str] = []
        self.refused: list[str] = []

    def isatty(self) -> bool:
        return True

    def readline(self, size: int = -1) -> str:  # type: ignore[override]
        captured = self.capsys.readouterr()
        self.asked.append(captured.out)
        self.refused += captured.err.splitlines()
        return super().readline(size)


@dataclass(frozen=True)
class Session:
    code: int
    asked: list[str]  # each question as shown, with its default
    refused: list[str]  # the lines of refused answers, in order
    out: str  # what init printed after the last answer


def run_init(
    args: list[str], typed: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Session:
    stdin = Typed(typed, capsys)
    monkeypatch.setattr(sys, "stdin", stdin)
    with pytest.raises(SystemExit) as exc:
        main(["init", *args])
    captured = capsys.readouterr()
    asked = [text.removesuffix(": ") for text in stdin.asked]
    return Session(
        int(exc.value.code or 0), asked, [*stdin.refused, *captured.err.splitlines()], captured.out
    )


def test_without_a_country_it_asks_for_it_once_then_each_question_with_the_countrys_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    typed = "Moldova\nMoldova Red Cross Society\n\n\n\n\n"
    ran = run_init(["--output-dir", str(tmp_path)], typed, monkeypatch, capsys)
    assert (ran.code, ran.refused) == (0, [])
    assert ran.asked == [
        COUNTRY,
        f"{NAME} [FILL IN: name of the National Society of Moldova]",
        f"{SLUG} [moldova]",
        f"{TIMEZONE} [Europe/Chisinau]",
        f"{LANGUAGES} [ro]",
        f"{HOLIDAYS} [yes]",
    ]
    data = read_hub(tmp_path / "moldova")
    assert data["society"] == {"name": "Moldova Red Cross Society", "country": "MD"}
    assert (data["timezone"], data["languages"]) == ("Europe/Chisinau", ["ro"])
    assert data["hours"]["public_holidays"] == {"observed": True}
    folder = tmp_path / "moldova"
    assert ran.out.splitlines()[-1].startswith(f"created {folder}: ")


def test_what_the_options_give_is_not_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["MD", "--languages", "ro,ru", "--no-holidays", "--output-dir", str(tmp_path)]
    ran = run_init(args, "\n\n\n", monkeypatch, capsys)
    assert (ran.code, ran.refused) == (0, [])
    assert ran.asked == [
        f"{NAME} [FILL IN: name of the National Society of Moldova]",
        f"{SLUG} [moldova]",
        f"{TIMEZONE} [Europe/Chisinau]",
    ]
    data = read_hub(tmp_path / "moldova")
    assert data["languages"] == ["ro", "ru"]
    assert "public_holidays" not in data["hours"]


def test_each_answer_is_checked_when_given_and_asked_again_with_what_was_meant(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "turkiye").mkdir()
    typed = "\n".join(
        [
            "Turkey",  # → did you mean TR?
            "",  # takes TR
            "Turkish Red Crescent",
            "Turkiye",  # not a slug: in lower case it would be
            "",  # turkiye exists
            "trc",
            "Istanbul",  # a city alone → its zone
            "",
            "Turkish,en",  # a language's name → its tag
            "",
            "maybe",
            "yes",
            "",
        ]
    )
    ran = run_init(["--output-dir", str(tmp_path)], typed, monkeypatch, capsys)
    assert ran.code == 0, ran.refused
    assert ran.refused == [
        "  unknown country 'Turkey'; did you mean 'TR' (Türkiye)?",
        "  invalid slug 'Turkiye'; use 2 to 24 lowercase letters, digits and hyphens, starting with a letter",
        f"  {tmp_path / 'turkiye'} already exists; choose another short name",
        "  unknown timezone 'Istanbul'; did you mean 'Europe/Istanbul'?",
        "  'Turkish' is the name of a language, not its tag; did you mean 'tr' (Turkish)?",
        "  answer yes or no, not 'maybe'",
    ]
    assert ran.asked == [
        COUNTRY,
        f"{COUNTRY} [TR]",
        f"{NAME} [FILL IN: name of the National Society of Türkiye]",
        f"{SLUG} [turkiye]",
        f"{SLUG} [turkiye]",
        f"{SLUG} [turkiye]",
        f"{TIMEZONE} [Europe/Istanbul]",
        f"{TIMEZONE} [Europe/Istanbul]",
        f"{LANGUAGES} [tr]",
        f"{LANGUAGES} [tr,en]",
        f"{HOLIDAYS} [yes]",
        f"{HOLIDAYS} [yes]",
    ]
    data = read_hub(tmp_path / "trc")
    assert (data["society"]["country"], data["timezone"]) == ("TR", "Europe/Istanbul")
    assert data["languages"] == ["tr", "en"]


def test_a_refused_option_is_asked_again_in_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = run_init(["Bangladsh", "--output-dir", str(tmp_path)], "\n" * 6, monkeypatch, capsys)
    assert ran.code == 0
    assert ran.refused == ["  unknown country 'Bangladsh'; did you mean 'BD' (Bangladesh)?"]
    assert ran.asked[0] == f"{COUNTRY} [BD]"
    assert (tmp_path / "bangladesh" / "hub.yaml").is_file()


def test_input_that_ends_before_the_last_answer_is_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ran = run_init(["--output-dir", str(tmp_path / "out")], "MD\n\n", monkeypatch, capsys)
    assert ran.code == 2
    assert ran.refused == [f"deh: no answer to {SLUG!r}: the input ended; nothing was written"]
    assert list(tmp_path.iterdir()) == []


def test_without_a_terminal_and_without_a_country_it_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("MD\n"))
    with pytest.raises(SystemExit) as exc:
        main(["init", "--output-dir", str(tmp_path)])
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines() == [
        "deh: give the country (e.g. deh init HU), or run in a terminal to be asked"
    ]


class Terminal:
    """``deh`` on a pseudo-terminal, as in a person's shell: wait for a question, type an answer."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.master, slave = os.openpty()
        environ = {**os.environ, "TERM": "xterm", "COLUMNS": "200"}
        command = [sys.executable, "-m", "deh_deploy.cli", *args]
        self.proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, cwd=cwd, env=environ)
        os.close(slave)
        self.seen = b""

    def expect(self, text: str, timeout: float = 60) -> None:
        wanted, deadline = text.encode(), time.monotonic() + timeout
        while wanted not in self.seen:
            ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, f"waited for {text!r}; the terminal shows {self.seen.decode(errors='replace')!r}"
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the other end closed
                chunk = b""
            assert chunk, f"deh ended before {text!r}: {self.seen.decode(errors='replace')!r}"
            self.seen += chunk
        self.seen = self.seen.split(wanted, 1)[1]

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc.poll() is None:  # a failed expectation: deh is still waiting for an answer
            self.proc.kill()
            self.proc.wait(timeout=60)
            os.close(self.master)

    def type(self, line: str) -> None:
        os.write(self.master, line.encode() + b"\r")

    def finish(self) -> tuple[int, str]:
        rest = b""
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            if not chunk:
                break
            rest += chunk
        os.close(self.master)
        return self.proc.wait(timeout=60), (self.seen + rest).decode(errors="replace")


def test_at_a_real_terminal_the_wizard_asks_checks_and_writes(tmp_path: Path) -> None:
    with Terminal(["init", "--output-dir", "country_configs"], cwd=tmp_path) as terminal:
        terminal.expect(f"{COUNTRY}: ")
        terminal.type("Bangladesh")
        terminal.expect(f"{NAME} [FILL IN: name of the National Society of Bangladesh]: ")
        terminal.type("Bangladesh Red Crescent Society")
        terminal.expect(f"{SLUG} [bangladesh]: ")
        terminal.type("")
        terminal.expect(f"{TIMEZONE} [Asia/Dhaka]: ")
        terminal.type("")
        terminal.expect(f"{LANGUAGES} [bn]: ")
        terminal.type("Bengali,english")
        terminal.expect("'Bengali' is the name of a language, not its tag; did you mean 'bn' (Bangla)?")
        terminal.expect(f"{LANGUAGES} [bn,english]: ")
        terminal.type("bn,en")
        terminal.expect(f"{HOLIDAYS} [yes]: ")
        terminal.type("")
        code, rest = terminal.finish()
        assert code == 0, rest
    assert "created country_configs/bangladesh: " in rest
    assert COUNTRY not in rest, "the country is asked once"
    data = read_hub(tmp_path / "country_configs" / "bangladesh")
    assert (data["society"]["name"], data["languages"]) == ("Bangladesh Red Crescent Society", ["bn", "en"])
    assert tuple(data["hours"]["weekly"]) == ("mon", "tue", "wed", "thu", "sun")
