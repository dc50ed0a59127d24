"""``deh runbook`` against the account (the sandbox, over real HTTP through the SDK): each step the account can
confirm is done or to do, with what was found; before Hungary's first apply and after it, with an agent given a
skill and one template approved."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from deh_deploy.render.skills import listed
from deh_deploy.runbook.account import read_account
from deh_deploy.runbook.build import build
from deh_deploy.runbook.pages import markdown
from tests.provider.conftest import World, hub
from tests.provider.test_cli import Deh, deh  # noqa: F401  (the fixture)

HUNGARY = Path(__file__).resolve().parent.parent.parent / "country_configs" / "hungary"


def test_before_the_first_apply_what_the_society_did_is_done_and_the_rest_to_do(world: World) -> None:
    h = hub("hungary")
    world.login(h)  # the Society's bundle approved, its WhatsApp sender online, its Facebook Page connected
    with world.connect(h) as conn:
        checks = dict(read_account(h, "staging", conn).checks)
    assert checks.pop("number:main") == ("to do", "not on the account yet: deh apply buys it")
    assert checks.pop("bundle:main") == ("done", "approved")
    assert checks.pop("sender") == ("done", "ONLINE")
    assert {checks.pop(f"template:callback.{lang}") for lang in ("uk", "ru", "hu")} == {
        ("to do", "not submitted yet: deh apply submits it")
    }
    assert checks.pop("page") == ("unknown", "no Twilio API shows a connected Page")
    assert set(checks.values()) == {("to do", "no agent has it yet")}
    assert sorted(checks) == sorted(f"skill:{s}" for s in listed(h))


def test_after_apply_the_number_page_approved_template_and_assigned_skill_are_done(world: World) -> None:
    h = hub("hungary")
    account = h.environment("staging").account_sid
    world.applied(h)
    with world.connect(h) as conn:
        client = conn.client
        (uk,) = [c.sid for c in client.content.v1.contents.list() if c.friendly_name.endswith("callback_uk")]
        world.sandbox.seed(account, content_approvals=[{"sid": uk, "status": "approved"}])
        (workspace,) = client.taskrouter.v1.workspaces.list(friendly_name="Flex Task Assignment")
        client.taskrouter.v1.workspaces(workspace.sid).workers.create(
            friendly_name="Olena",
            attributes=json.dumps({"routing": {"skills": ["language*uk-ua", "comm*voice"]}}),
        )
        found = read_account(h, "staging", conn)
    checks = found.checks
    number = client.api.v2010.account.incoming_phone_numbers.list()[0].phone_number
    assert checks["number:main"] == ("done", f"on the account: {number}")
    assert checks["template:callback.uk"] == ("done", "approved")
    assert checks["template:callback.ru"] == ("to do", "received on the account")
    assert checks["page"] == (
        "done",
        "the Messenger address is live, which Twilio makes only for a connected Page",
    )
    assert checks["skill:language*uk-ua"] == ("done", "1 agent(s)")
    assert checks["skill:language*ru-ru"] == ("to do", "no agent has it yet")
    text = markdown(build(h, "staging", account=found, today=date(2026, 12, 2)))
    assert (
        f"- [x] done: Buy a local number in HU, matching +361 (numbers.main) for calls, SMS (on the account: {number})"
        in text.splitlines()
    )
    assert (
        "- [ ] to do: Assign language*ru-ru to the agents who speak Russian (no agent has it yet)"
        in text.splitlines()
    )
    assert f"checked against account {account} on {world.sandbox.url}" in text


def test_the_command_reads_the_sandbox_it_is_given(deh: Deh, world: World) -> None:  # noqa: F811
    world.login(hub("hungary"))
    run = deh("runbook", str(HUNGARY), "-e", "staging", "--sandbox-url", world.sandbox.url)
    assert run.code == 0 and run.err == ""
    assert "- [x] done: Register the WhatsApp sender +36705550101" in run.out
