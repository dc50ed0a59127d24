"""plan / apply / destroy against the sandbox, through the real twilio SDK."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest

from deh_deploy.deploy import apply_hub, destroy_hub, plan_hub
from deh_deploy.errors import CredentialsError, PlanError, SafetyError
from deh_deploy.providers.connect import Connection
from deh_deploy.providers.kinds import KINDS
from tests.provider.conftest import COUNTRIES, World, hub


@pytest.mark.parametrize(
    "country", [c if c == "hungary" else pytest.param(c, marks=pytest.mark.slow) for c in COUNTRIES]
)
def test_first_apply_converges_in_one_run_and_the_second_writes_nothing(world: World, country: str) -> None:
    h = hub(country)
    world.login(h)
    with world.connect(h) as conn:
        first = apply_hub(h, "staging", conn, allow_purchase=True)
    assert not first.outcome.failed
    assert len(first.outcome.done) == len(first.plan.writes) > 10
    with world.connect(h) as conn:
        again = plan_hub(h, "staging", conn)
    assert again.empty, again.render("text")
    world.sandbox.clear_requests()
    with world.connect(h) as conn:
        second = apply_hub(h, "staging", conn, allow_purchase=True)
    assert second.outcome.done == []
    assert second.writes == 0
    log = world.sandbox.requests()
    assert {entry["method"] for entry in log} == {"GET"}
    flows = [e for e in log if re.search(r"/v2/Flows/FW[0-9a-f]{32}$", str(e["path"]))]
    lists = Counter(
        f"{e['product']}{e['path']}"
        for e in log
        if e not in flows
        and not str(e["path"]).endswith(f"/Accounts/{h.environment('staging').account_sid}.json")
    )
    assert len(flows) == 2, "one read per flow"
    assert max(lists.values()) == 1, lists
    assert len(lists) <= len(KINDS), "at most one list per resource kind"
    assert len(log) == 1 + len(lists) + len(flows), "and the account check"


@pytest.mark.slow  # a second first apply; the converging one checks the flows
def test_first_apply_feeds_the_serverless_domain_into_the_flows(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        flows = {
            f.friendly_name: conn.client.studio.v2.flows(f.sid).fetch()
            for f in conn.client.studio.v2.flows.list()
        }
        envs = conn.client.serverless.v1.services("deh-hungary-staging").environments.list()
    domain = envs[0].domain_name
    voice = flows["DEH hungary staging voice"].definition
    text = json.dumps(voice)
    assert f"https://{domain}/hours" in text
    assert "${ref:" not in text
    assert flows["DEH hungary staging voice"].status == "published"


def test_plan_names_the_purchase_and_apply_refuses_it_without_consent(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
        assert "BUY a local number in HU, matching +361" in plan.render("text")
        with pytest.raises(SafetyError, match="--allow-purchase required"):
            apply_hub(h, "staging", conn)
        numbers = conn.client.api.v2010.account.incoming_phone_numbers.list()
    assert numbers == []


def test_a_flow_edited_in_the_console_shows_up_as_drift_with_its_widgets(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        flow = next(f for f in conn.client.studio.v2.flows.list() if f.friendly_name.endswith("voice"))
        definition = conn.client.studio.v2.flows(flow.sid).fetch().definition
        for state in definition["states"]:
            if state["name"] == "welcome_uk":
                state["properties"]["say"] = "Changed by hand in the console"
            state["properties"]["offset"] = {"x": 999, "y": 999}  # layout only: not drift
        conn.client.studio.v2.flows(flow.sid).update(status="published", definition=definition)
        plan = plan_hub(h, "staging", conn)
    assert [c.id for c in plan.writes] == ["studio.flow/voice"]
    change = plan.writes[0]
    assert change.fields[0].detail == "widgets changed: welcome_uk"
    assert "widgets changed: welcome_uk" in plan.render("markdown")


def test_production_adopts_the_number_bought_by_hand_and_never_buys(world: World) -> None:
    h = hub("hungary")
    token = world.login(h, "production")
    account = h.environment("production").account_sid
    world.sandbox.seed(
        account, incoming_numbers=[{"phone_number": "+3617005000", "friendly_name": "Bought by hand"}]
    )
    assert token
    with world.connect(h, "production") as conn:
        plan = plan_hub(h, "production", conn)
        assert not any(c.purchase for c in plan.writes)
        assert not any(c.kind == "phone.number" for c in plan.writes), "the adopted number keeps its name"
        route = next(c for c in plan.writes if c.kind == "phone.route")
        assert route.action == "update"
        # calls go to the voice flow; messages reach Studio through the number's Conversations address, so its
        # "a message comes in" webhook stays blank
        assert [f.name for f in route.fields] == ["voice_url"]
        apply_hub(h, "production", conn)
        numbers = conn.client.api.v2010.account.incoming_phone_numbers.list()
    assert [(n.phone_number, n.friendly_name) for n in numbers] == [("+3617005000", "Bought by hand")]
    assert numbers[0].voice_url.startswith("https://webhooks.twilio.com/")


def test_an_adopted_number_missing_from_the_account_stops_the_plan(world: World) -> None:
    h = hub("hungary")
    world.login(h, "production")
    with (
        world.connect(h, "production") as conn,
        pytest.raises(PlanError, match=r"\+3617005000.*not on account"),
    ):
        plan_hub(h, "production", conn)


def test_apply_refuses_credentials_of_another_account(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    h = hub("hungary")
    world.login(h)
    other = "AC" + "ab" * 16
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", other)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", world.sandbox.ensure_account(other))
    with world.connect(h) as conn, pytest.raises(CredentialsError, match="cannot use account AC5f1e"):
        apply_hub(h, "staging", conn, allow_purchase=True)


def test_without_credentials_one_line_names_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    from deh_deploy.providers.connect import connect

    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    h = hub("hungary")
    with pytest.raises(CredentialsError) as caught, connect(h.environment("staging")):
        pass
    assert str(caught.value) == (
        "no Twilio credentials for staging: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN "
        "(or TWILIO_API_KEY and TWILIO_API_SECRET), or use --sandbox"
    )


def test_destroy_keeps_numbers_unless_released_with_the_slug_typed_back(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        destroy_hub(h, "staging", conn)
        left = plan_hub(h, "staging", conn)
        numbers = conn.client.api.v2010.account.incoming_phone_numbers.list()
        assert len(numbers) == 1
        assert conn.client.studio.v2.flows.list() == []
        assert conn.client.serverless.v1.services.list() == []
        assert {c.kind for c in left.writes if c.action == "create"} >= {"studio.flow", "serverless.service"}
        with pytest.raises(SafetyError, match="--confirm hungary"):
            destroy_hub(h, "staging", conn, release_numbers=True, confirm_slug="hungry")
        destroy_hub(h, "staging", conn, release_numbers=True, confirm_slug="hungary")
        assert conn.client.api.v2010.account.incoming_phone_numbers.list() == []
        workspaces = conn.client.taskrouter.v1.workspaces.list()
    assert [w.friendly_name for w in workspaces] == ["Flex Task Assignment"], "the adopted workspace stays"


@pytest.mark.slow  # the CLI's saved-plan test covers the quick loop
def test_a_saved_plan_is_applied_only_while_it_still_holds(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        saved = plan_hub(h, "staging", conn).to_json()
        tampered = saved.replace('"create"', '"delete"', 1)
        with pytest.raises(PlanError, match="modified after it was written"):
            apply_hub(h, "staging", conn, saved_plan=tampered, allow_purchase=True)
        apply_hub(h, "staging", conn, saved_plan=saved, allow_purchase=True)
        with pytest.raises(PlanError, match="changed since the plan was saved"):
            apply_hub(h, "staging", conn, saved_plan=saved, allow_purchase=True)


def test_changing_many_owned_resources_needs_force(world: World) -> None:
    from dataclasses import replace

    h = hub("hungary")
    world.applied(h)
    queues = {k: replace(q, name=q.name + " (new)") for k, q in h.routing.queues.items()}
    texts = {
        lang: replace(
            t,
            messages={**t.messages, "welcome": "Changed"},
            templates={"callback": t.templates["callback"].replace("{{1}}", "{{1}},")},
        )
        for lang, t in h.texts.items()
    }
    changed = replace(
        h,
        routing=replace(h.routing, queues=queues),
        texts=texts,
        raw_hours={**h.raw_hours, "closed_now": True},
        service=replace(h.service, public_url={"staging": "https://deh-moved.voroskereszt.hu"}),
    )
    with world.connect(h) as conn:
        plan = plan_hub(changed, "staging", conn)
        touched = plan.counts()["update"] + plan.counts()["delete"]
        assert touched / plan.owned > 0.3 and plan.owned >= 10
        with pytest.raises(
            SafetyError,
            match=r"\d+ of \d+ \(\d+%\) would be updated or deleted, above the 30% "
            r"limit; force required",
        ):
            apply_hub(changed, "staging", conn)
        apply_hub(changed, "staging", conn, force=True)
        assert plan_hub(changed, "staging", conn).empty


def test_renaming_a_queue_renames_it_and_keeps_its_sid(world: World) -> None:
    from dataclasses import replace

    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        before = {q.friendly_name: q.sid for q in _queues(conn)}
    queues = {**h.routing.queues, "cva": replace(h.routing.queues["cva"], name="Cash assistance")}
    renamed = replace(h, routing=replace(h.routing, queues=queues))
    with world.connect(h) as conn:
        plan = plan_hub(renamed, "staging", conn)
        assert [(c.action, c.id) for c in plan.writes] == [("update", "taskrouter.queue/cva")]
        assert plan.writes[0].fields[0].new == "DEH hungary staging cva: Cash assistance"
        apply_hub(renamed, "staging", conn)
        after = {q.friendly_name: q.sid for q in _queues(conn)}
        assert plan_hub(renamed, "staging", conn).empty
    assert (
        after["DEH hungary staging cva: Cash assistance"]
        == before["DEH hungary staging cva: Cash and voucher assistance"]
    )


def _queues(conn: Connection) -> list[Any]:
    client = conn.client
    workspace = next(
        w for w in client.taskrouter.v1.workspaces.list() if w.friendly_name == "Flex Task Assignment"
    )
    return list(client.taskrouter.v1.workspaces(workspace.sid).task_queues.list())


def test_release_numbers_never_releases_an_adopted_number_whatever_its_name(world: World) -> None:
    h = hub("hungary")
    world.login(h, "production")
    account = h.environment("production").account_sid
    world.sandbox.seed(
        account, incoming_numbers=[{"phone_number": "+3617005000", "friendly_name": "DEH Hungary hotline"}]
    )
    with world.connect(h, "production") as conn:
        apply_hub(h, "production", conn)
        changes = destroy_hub(h, "production", conn, release_numbers=True, confirm_slug="hungary")
        numbers = conn.client.api.v2010.account.incoming_phone_numbers.list()
    assert ("keep", "phone.number/main") in [(c.action, c.id) for c in changes]
    assert [n.phone_number for n in numbers] == ["+3617005000"]
