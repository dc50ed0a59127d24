"""The trainer's path for a country with no example: `deh init` (no questions), its placeholders filled in as a
trainer fills them and nothing else changed, `deh validate` clean, applied to the sandbox (its numbers are sold
there; no regulation with requirements is known for it, so no bundle is asked for), a call and an SMS simulated
in each of its languages, and the starter scenarios init wrote green under `deh test`; a second apply writes
nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from deh_deploy.cli import main
from deh_deploy.config import load_hub, validate
from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.init import init_country
from tests.provider.conftest import World

# Kenya (Swahili and English), Moldova (Romanian and Russian), Bangladesh (Bangla; a Friday–Saturday weekend).
COUNTRIES = [("KE", ""), ("MD", "ro,ru"), ("BD", "")]


@pytest.mark.slow
@pytest.mark.parametrize(("country", "languages"), COUNTRIES, ids=[c for c, _ in COUNTRIES])
def test_a_fresh_country_applies_answers_in_each_language_passes_its_scenarios_and_reapplies_with_no_write(
    world: World, tmp_path: Path, country: str, languages: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = init_country(
        country=country,
        name=None,
        slug=None,
        languages=[languages],
        timezone=None,
        output_dir=tmp_path,
        no_input=True,
    )
    fill_in(folder)
    _, diagnostics = validate(folder)
    assert diagnostics == [], [d.format() for d in diagnostics]
    h = load_hub(folder)
    world.login(h)
    # Twilio sells numbers in these countries; the sandbox's default world does not until asked (as `--sandbox`
    # asks).
    world.sandbox.seed(h.environment("staging").account_sid, countries=[country])
    with world.connect(h) as conn:
        first = apply_hub(h, "staging", conn, allow_purchase=True)
    assert not first.outcome.failed
    assert any(c.purchase for c in first.plan.writes), f"a number in {country} was bought"

    opening = str(
        yaml.safe_load((folder / "scenarios" / "starter.yaml").read_text("utf-8"))["scenarios"][0]["at"]
    )
    for digit, lang in enumerate(h.languages, start=1):
        choose = ["--press", str(digit)] if len(h.languages) > 1 else []
        call = simulate(folder, opening, *choose, "--press", "1", capsys=capsys)
        assert (call["end"], call["language"], call["task"]["topic"]) == (
            "agent",
            lang,
            "general_information",
        )
        send = ["--send", str(digit)] if len(h.languages) > 1 else []
        sms = simulate(
            folder, opening, "--channel", "sms", "--send", "Hello", *send, "--send", "2", capsys=capsys
        )
        assert (sms["end"], sms["language"], sms["task"]["topic"]) == ("agent", lang, "feedback")

    with pytest.raises(SystemExit) as tested:
        main(["test", str(folder)])
    out = capsys.readouterr().out.splitlines()
    assert tested.value.code == 0, out
    assert out[-1] == f"{h.slug}: {4 * len(h.languages) + 1} passed, 0 failed"

    with world.connect(h) as conn:
        assert plan_hub(h, "staging", conn).empty
        second = apply_hub(h, "staging", conn, allow_purchase=True)
    assert second.writes == 0


def simulate(folder: Path, at: str, *args: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """``deh simulate --format json``'s outcome."""
    with pytest.raises(SystemExit) as done:
        main(["simulate", str(folder), "--at", at, *args, "--format", "json"])
    out = capsys.readouterr().out
    assert done.value.code == 0, out
    outcome: dict[str, Any] = json.loads(out)["outcome"]
    return outcome


def fill_in(folder: Path) -> None:
    """What a trainer does with what init wrote: every placeholder it names filled, the environments made ready."""
    for path in sorted(folder.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"FILL IN \([^)]*\): ", "", text)  # the text is checked: its mark goes
        text = text.replace("FILL IN.invalid", "helpdesk.redcross.example")
        text = re.sub(r'"FILL IN: name of the National Society of ([^"]+)"', r'"\1 Red Cross"', text)
        text = text.replace("AC" + "0" * 32, "AC" + "1" * 32, 1).replace("AC" + "0" * 32, "AC" + "2" * 32, 1)
        text = re.sub(r"\n *ready: false", "", text)
        path.write_text(text, encoding="utf-8")
