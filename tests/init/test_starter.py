"""What ``deh init`` writes besides the hub: starter scenarios (each language on the phone and by SMS, open and
closed, and a public holiday of the country) that pass on the hub as it was generated, and comments whose
``deh`` commands and options exist."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from deh_deploy.cli import app, main
from deh_deploy.init.answers import starter_days

from .conftest import init


def deh_test(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    with pytest.raises(SystemExit) as exc:
        main(["test", str(folder)])
    return int(exc.value.code or 0), capsys.readouterr().out.splitlines()


def scenarios(folder: Path) -> list[dict[str, object]]:
    data = yaml.safe_load((folder / "scenarios" / "starter.yaml").read_text(encoding="utf-8"))
    found: list[dict[str, object]] = data["scenarios"]
    return found


def test_three_languages_each_on_voice_and_sms_open_and_closed_and_a_holiday(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = init(tmp_path, country="MD", languages=["ro,ru,uk"])
    written = scenarios(folder)
    covered = {
        (s["channel"], str(s["at"])[11:], s["expect"]["language"], s["expect"]["end"])  # type: ignore[index]
        for s in written
    }
    for lang in ("ro", "ru", "uk"):
        assert {
            ("voice", "10:00", lang, "agent"),
            ("sms", "10:00", lang, "agent"),
            ("voice", "19:00", lang, "voicemail"),
            ("sms", "19:00", lang, "after_hours"),
        } <= covered
    holiday = starter_days("MD", open_days=("mon", "tue", "wed", "thu", "fri"), holidays=True)
    assert holiday.holiday is not None
    assert written[-1]["at"] == f"{holiday.holiday.isoformat()}T10:00"
    assert str(written[-1]["name"]).startswith(f"{holiday.holiday_name}, ")
    assert len(written) == 3 * 4 + 1
    code, out = deh_test(folder, capsys)
    assert code == 0, out
    assert out[-1] == "moldova: 13 passed, 0 failed"


def test_the_days_are_a_working_day_of_next_year_and_its_first_holiday_on_a_working_day() -> None:
    moldova = starter_days(
        "MD", open_days=("mon", "tue", "wed", "thu", "fri"), holidays=True, today=date(2026, 12, 2)
    )
    assert (moldova.day, moldova.holiday) == (date(2027, 1, 12), date(2027, 1, 1))
    assert moldova.day_name == "Tuesday 12 January 2027"
    assert moldova.holiday_label == "New Year's Day, Friday 1 January 2027"
    # Bangladesh's weekend is Friday and Saturday: its first holiday of 2027 on a working day is a Sunday.
    bangladesh = starter_days(
        "BD", open_days=("mon", "tue", "wed", "thu", "sun"), holidays=True, today=date(2026, 12, 2)
    )
    assert bangladesh.holiday is not None and bangladesh.holiday.weekday() == 6
    without = starter_days("MD", open_days=("mon",), holidays=False, today=date(2026, 12, 2))
    assert (without.day, without.holiday, without.holiday_label) == (date(2027, 1, 18), None, "")


def test_without_holidays_there_is_no_holiday_scenario(tmp_path: Path) -> None:
    folder = init(tmp_path, country="MD", holidays=False)
    assert [s["expect"]["end"] for s in scenarios(folder)] == [  # type: ignore[index]
        "agent",
        "agent",
        "voicemail",
        "after_hours",
    ]


# Countries whose weeks differ (Friday–Saturday, Friday alone, Saturday alone, Sunday–Monday…), a language
# Twilio cannot speak (recorded prompts), one with no example in the project, right-to-left text.
COUNTRIES = ["BD", "NP", "IR", "AF", "IL", "AE", "MN", "TR", "KE", "UA", "JO", "BR"]


@pytest.mark.slow
@pytest.mark.parametrize("country", COUNTRIES)
def test_the_starter_scenarios_pass_on_the_hub_init_writes(
    country: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = init(tmp_path, country=country)
    code, out = deh_test(folder, capsys)
    assert code == 0, out
    assert re.fullmatch(r"[a-z-]+: \d+ passed, 0 failed", out[-1]), out


COMMAND = re.compile(r"`(deh [^`]*)`")


def _commands() -> dict[str, Any]:
    """``deh``'s commands by name (``hub serve`` for a group's), each with its ``params``."""
    found: dict[str, Any] = {}
    for name, command in getattr(typer.main.get_command(app), "commands", {}).items():
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            found[name] = command
        else:
            found |= {f"{name} {sub}": c for sub, c in subcommands.items()}
    return found


def test_every_deh_command_the_written_comments_name_exists_with_its_options(tmp_path: Path) -> None:
    folder = init(tmp_path, country="MN", languages=["mn,en"])
    commands = _commands()
    named = []
    for path in sorted(folder.rglob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for text in COMMAND.findall(line.partition("#")[2]):
                words = text.split()[1:]
                name = " ".join(words[:2]) if " ".join(words[:2]) in commands else words[0]
                assert name in commands, f"{path.name}: `{text}` names no deh command"
                options = {o for p in commands[name].params for o in getattr(p, "opts", [])}
                assert {w for w in words if w.startswith("-")} <= options, f"{path.name}: `{text}`"
                named.append(name)
    assert {"init", "validate", "apply", "host", "test"} <= set(named)
