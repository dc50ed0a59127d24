"""``deh runbook`` from the config alone: Hungary's steps, a fresh ``deh init`` country's (its placeholders first),
Mongolia's recordings with the words to read, the twelve months of closed days; without an account every step
the account would confirm is unknown."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from deh_deploy.config import load_hub
from deh_deploy.init import init_country
from deh_deploy.runbook.build import build
from deh_deploy.runbook.pages import markdown
from tests.provider.test_cli import Deh, deh  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent.parent
TODAY = date(2026, 12, 2)


def lines(country: Path, env: str = "staging") -> list[str]:
    return markdown(build(load_hub(country), env, account=None, today=TODAY)).splitlines()


def section(text: list[str], title: str) -> list[str]:
    start = text.index(f"## {title}") + 2
    end = next((i for i in range(start, len(text)) if text[i].startswith("## ")), len(text))
    return [line for line in text[start:end] if line]


def test_hungary_without_an_account_lists_every_step_as_unknown() -> None:
    text = lines(ROOT / "country_configs" / "hungary")
    assert text[0] == "# Go-live runbook: Hungarian Red Cross (hungary, staging)"
    assert text[2] == (
        "Account AC5f1e0c3a9b7d2e4f6a8c0b1d3e5f7a90; generated 2026-12-02; not checked against an account (no "
        "credentials or sandbox given): what only the account can tell is unknown."
    )
    assert section(text, "Phone numbers") == [
        "- [ ] unknown: Buy a local number in HU, matching +361 (numbers.main) for calls, SMS",
        "- [ ] unknown: Regulatory bundle BU3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e11 approved by Twilio for local numbers in "
        "HU: the Society's registration documents, an address in the country and an authorised representative's "
        "ID (Phone Numbers > Regulatory Compliance)",
    ]
    whatsapp = section(text, "WhatsApp")
    assert whatsapp[0] == (
        "- [ ] unknown: Register the WhatsApp sender +36705550101 with Meta through Twilio until it is ONLINE "
        "(Messaging > Senders > WhatsApp senders), with the Society's Meta Business Manager verified"
    )
    assert whatsapp[1] == (
        "- [ ] unknown: WhatsApp template callback (Ukrainian) approved by Meta (UTILITY; deh apply submits it) "
        '("Добрий день, {{1}}! Це Червоний Хрест. Ми зателефонуємо вам сьогодні о {{2}}. Дякуємо.")'
    )
    assert section(text, "Facebook Messenger") == [
        "- [ ] unknown: Connect the Society's Facebook Page 104857600123456 to the Twilio account (Messaging > "
        "Senders > Facebook Messenger), signed in as an admin of the Page"
    ]
    skills = section(text, "Agent skills")[1:]
    assert skills[0] == "- [ ] unknown: Assign language*uk-ua to the agents who speak Ukrainian"
    assert skills[-1] == "- [ ] unknown: Assign project*everyone to the agents who work in every queue"
    assert len(skills) == 10
    assert "Recordings" not in " ".join(text), "Twilio speaks Ukrainian, Russian and Hungarian"
    assert (
        "- Records, messages, events and Viber ids older than 365 days are deleted (hub.retention_days: 365)."
        in text
    )


def test_the_calendar_is_twelve_months_of_closed_days_with_their_reasons() -> None:
    hours = section(
        lines(ROOT / "country_configs" / "hungary"), "Opening hours and holidays, the next 12 months"
    )
    months = [line for line in hours if line.startswith("- **")]
    assert len(months) == 12
    assert months[0] == (
        "- **December 2026**: 24 Thu: closure: Christmas Eve; 25 Fri: holiday: Christmas Day; 26 Sat: holiday: "
        "Second Day of Christmas; 28 Mon: closure: Year-end closure; 29 Tue: closure: Year-end closure; 30 Wed: "
        "closure: Year-end closure; 31 Thu: closure: Year-end closure"
    )
    assert months[-1] == "- **November 2027**: 1 Mon: holiday: All Saints' Day"
    assert "| Wednesday | 08:00-12:00, 13:00-18:00 |" in hours
    assert "| Saturday | closed |" in hours


def test_mongolia_is_told_which_prompts_to_record_and_the_words_to_read() -> None:
    recordings = section(lines(ROOT / "country_configs" / "mongolia"), "Recordings")
    assert recordings[2] == (
        "- [x] done: Record welcome (Mongolian): read “Сайн байна уу! Энэ бол Монголын Улаан Загалмайн лавлах төв.” "
        "(the config plays https://redcross.mn/deh/audio/mn/welcome.mp3)"
    )
    assert all("(English)" not in line for line in recordings), "Twilio speaks English"


def test_a_fresh_init_country_lists_its_placeholders_first(tmp_path: Path) -> None:
    folder = init_country(
        country="MD", name=None, slug=None, languages=(), timezone=None, output_dir=tmp_path, no_input=True
    )
    text = lines(folder)
    first = section(text, "Before anything else")
    assert first[:3] == [
        "Placeholders deh init left: deh plan and deh apply refuse them until they are filled in.",
        "- [ ] to do: Fill in $.society.name (hub.yaml:7)",
        "- [ ] to do: Fill in $.translations.ro.messages.language_choice (translations/ro.yaml:6)",
    ]
    assert section(text, "Phone numbers") == [
        "- [ ] unknown: Buy a local number in MD (numbers.main) for calls, SMS",
        "- [ ] unknown: Find out whether local numbers in MD need a regulatory bundle (deh plan says so); if they "
        "do, submit the documents and set bundle_sid",
    ]
    assert (
        section(text, "Agent skills")[1]
        == "- [ ] unknown: Assign language*ro-md to the agents who speak Romanian"
    )
    assert "WhatsApp" not in [line.removeprefix("## ") for line in text]


def test_the_command_writes_markdown_or_a_page_and_refuses_other_formats(deh: Deh, tmp_path: Path) -> None:  # noqa: F811
    hungary = str(ROOT / "country_configs" / "hungary")
    shown = deh("runbook", hungary, "-e", "staging")
    assert shown.code == 0 and shown.lines[0] == "# Go-live runbook: Hungarian Red Cross (hungary, staging)"
    assert shown.err_lines == [
        "no credentials or sandbox given: the account is not read, every step is unknown"
    ]
    out = tmp_path / "runbook.html"
    written = deh("runbook", hungary, "-e", "staging", "--format", "html", "--out", str(out))
    assert written.code == 0 and written.out == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    refused = deh("runbook", hungary, "-e", "staging", "--format", "json")
    assert (refused.code, refused.err_lines) == (
        2,
        ["deh: --format json: deh runbook writes markdown or html"],
    )


@pytest.fixture(autouse=True)
def _no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
