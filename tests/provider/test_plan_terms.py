"""``deh plan`` in the config's terms against the account: the texts come back from the live flows, the hours
from the Variable the hub keeps them in, the numbers from the account's numbers; the text, the markdown for a pull
request and the JSON say the same changes, each with the resources it touches beneath."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from deh_deploy.config import load_hub
from deh_deploy.deploy import review_hub
from tests.provider.conftest import ROOT, World, hub
from tests.provider.test_cli import Deh, deh  # noqa: F401  (the fixture)

HUNGARY = ROOT / "country_configs" / "hungary"
WELCOME = (
    'welcome (uk): "Вітаємо! Це довідкова служба Угорського Червоного Хреста." → '
    '"Привіт! Це довідкова служба Угорського Червоного Хреста."'
)
HOURS = "hours wed: 08:00-12:00, 13:00-18:00 → 09:00-13:00"
NUMBER = "number spare added: buy a local number in HU, matching +3612"


def edited(tmp_path: Path) -> Path:
    """Hungary with the Ukrainian welcome, Wednesday's hours and a second number edited, as a trainer would."""
    folder = tmp_path / "hungary"
    shutil.copytree(HUNGARY, folder)
    hub_yaml, uk = folder / "hub.yaml", folder / "translations" / "uk.yaml"
    text = hub_yaml.read_text(encoding="utf-8")
    text = text.replace('wed: ["08:00-12:00", "13:00-18:00"]', 'wed: ["09:00-13:00"]')
    text = text.replace(
        "        bundle_sid: BU3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e11\n",
        "        bundle_sid: BU3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e11\n"
        '      spare:\n        buy: {type: local, contains: "+3612"}\n'
        "        bundle_sid: BU3c5e7a9b1d2f4a6c8e0b2d4f6a8c0e11\n",
        1,
    )
    hub_yaml.write_text(text, encoding="utf-8")
    uk.write_text(uk.read_text(encoding="utf-8").replace("Вітаємо! Це", "Привіт! Це"), encoding="utf-8")
    return folder


def test_the_account_is_read_back_in_the_config_terms(world: World, tmp_path: Path) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        review = review_hub(load_hub(edited(tmp_path)), "staging", conn)
        unchanged = review_hub(h, "staging", conn)
    assert [c.line() for c in review.terms.changes] == [NUMBER, WELCOME, HOURS]
    assert [[e.id for e in c.affected] for c in review.terms.changes] == [
        ["phone.number/spare", "serverless.variable/DEH_NUMBERS"],
        ["studio.flow/messaging", "studio.flow/voice"],
        ["serverless.variable/DEH_HOURS", "serverless.deployment/staging"],
    ]
    assert (unchanged.plan.empty, unchanged.terms.changes, unchanged.terms.others) == (True, (), ())


def test_text_markdown_and_json_tell_the_same_changes(
    world: World,
    tmp_path: Path,
    deh: Deh,  # noqa: F811
) -> None:
    h = hub("hungary")
    world.applied(h)
    folder, remote = str(edited(tmp_path)), ["-e", "staging", "--sandbox-url", world.sandbox.url]
    text = deh("plan", folder, *remote)
    assert text.code == 0, text.err
    told = text.lines[1 : text.lines.index("What apply does on the account:")]
    assert told == [
        "What changed in the config:",
        f"  {NUMBER}",
        "      + create phone.number spare",
        "      ~ update serverless.variable DEH_NUMBERS",
        f"  {WELCOME}",
        "      ~ update studio.flow messaging",
        "      ~ update studio.flow voice",
        f"  {HOURS}",
        "      ~ update serverless.variable DEH_HOURS",
        "      ~ update serverless.deployment staging",
    ]
    markdown = deh("plan", folder, *remote, "--format", "markdown")
    assert markdown.lines[2:8] == [
        "**What changed in the config**",
        "",
        f"- {NUMBER}",
        "  - `+ create phone.number spare`",
        "  - `~ update serverless.variable DEH_NUMBERS`",
        f"- {WELCOME}",
    ]
    data = json.loads(deh("plan", folder, *remote, "--format", "json").out)
    assert [(c["line"], c["action"]) for c in data["config"]["changes"]] == [
        (NUMBER, "added"),
        (WELCOME, "changed"),
        (HOURS, "changed"),
    ]
    assert data["config"]["changes"][2]["old"] == "08:00-12:00, 13:00-18:00"


def test_a_first_plan_names_the_hub_it_makes_in_the_config_terms(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        told = [c.line() for c in review_hub(h, "staging", conn).terms.changes]
    assert told[:4] == [
        "language hu added",
        "language ru added",
        "language uk added",
        "channel messenger added",
    ]
    assert "number main added: buy a local number in HU, matching +361" in told
    assert "topic cva_payment added" in told
    assert "hours wed added: 08:00-12:00, 13:00-18:00" in told
    assert not [line for line in told if line.startswith("welcome")], "told by their languages"


def test_hours_an_earlier_deh_did_not_record_are_said_to_be_unrecorded(world: World, tmp_path: Path) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        environment = conn.client.serverless.v1.services.list()[0].environments.list()[0]
        (kept,) = [v for v in environment.variables.list() if v.key == "DEH_HOURS"]
        environment.variables(kept.sid).delete()  # as a hub applied before the record existed
        review = review_hub(load_hub(edited(tmp_path)), "staging", conn)
    assert review.terms.unrecorded == ("hours",)
    assert [c.line() for c in review.terms.changes] == [NUMBER, WELCOME]
    assert "serverless.variable/DEH_HOURS" in [e.id for e in review.terms.others]
