"""WhatsApp templates are versioned, never destroyed to be edited: an edit of an approved template is a new version
submitted beside it, the approved one stays in use (the flows keep its SID) until the new one is approved, then
the flows switch and the superseded version goes; a version never approved, or rejected, is replaced at once."""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import pytest

from deh_deploy.changes import Delete, Live
from deh_deploy.config import load_hub
from deh_deploy.config.model import HubConfig
from deh_deploy.deploy import apply_hub, export_hub, plan_hub, read
from deh_deploy.errors import ProviderError
from deh_deploy.plan import Plan
from deh_deploy.providers.kinds.content import Arrangement, Version, arrange
from tests.provider.conftest import ROOT, World

UK = "translations/uk.yaml"
BODY = "Ми зателефонуємо вам сьогодні о {{2}}."
BASE = "deh7_hungary_staging_callback_uk"


class Hub:
    """Hungary's folder copied, so that a test can edit the Ukrainian callback template between applies."""

    def __init__(self, tmp_path: Path, *, whatsapp: bool = True) -> None:
        self.folder = tmp_path / "hungary"
        shutil.copytree(ROOT / "country_configs" / "hungary", self.folder)
        self.text = (self.folder / UK).read_text(encoding="utf-8")
        if not whatsapp:
            config = self.folder / "hub.yaml"
            text = config.read_text(encoding="utf-8")
            assert "\n  whatsapp: {}\n" in text
            config.write_text(text.replace("\n  whatsapp: {}\n", "\n"), encoding="utf-8")

    def edit(self, new_body: str) -> HubConfig:
        (self.folder / UK).write_text(self.text.replace(BODY, new_body), encoding="utf-8")
        return self.config

    @property
    def config(self) -> HubConfig:
        return load_hub(self.folder)


def uk_templates(world: World, h: HubConfig) -> dict[str, tuple[str, str]]:
    """The account's Ukrainian callback templates: name → (SID, approval status)."""
    with world.connect(h) as conn:
        listed = conn.client.content.v1.content_and_approvals.list()
    return {
        c.friendly_name: (c.sid, (c.approval_requests or {}).get("status") or "unsubmitted")
        for c in listed
        if c.friendly_name.startswith(BASE)
    }


def flow_template_sid(world: World, h: HubConfig) -> str:
    """The SID the live messaging flow's Ukrainian callback carries."""
    with world.connect(h) as conn:
        flow = next(f for f in conn.client.studio.v2.flows.list() if f.friendly_name.endswith(" messaging"))
        definition = conn.client.studio.v2.flows(flow.sid).fetch().definition
    state = next(s for s in definition["states"] if s["name"] == "callback_uk")
    params = {p["key"]: p["value"] for p in state["properties"]["parameters"]}
    return str(params["template_callback"])


def decide(world: World, h: HubConfig, sids: list[str], status: str) -> None:
    """WhatsApp's answer, through the sandbox's admin API over HTTP (its token, a JSON body)."""
    body = {
        "account": h.environment("staging").account_sid,
        "content_approvals": [{"sid": sid, "status": status} for sid in sids],
    }
    request = urllib.request.Request(
        f"{world.sandbox.url}/_sandbox/seed",
        data=json.dumps(body).encode(),
        headers={**world.sandbox.admin_headers(), "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200


def approve_all(world: World, h: HubConfig) -> None:
    with world.connect(h) as conn:
        sids = [c.sid for c in conn.client.content.v1.contents.list()]
    decide(world, h, sids, "approved")


def keep_notes(plan: Plan) -> list[str]:
    return [k.note for k in plan.keeps if k.id.startswith("content.template/callback.uk")]


def no_op(world: World, h: HubConfig) -> Plan:
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
        assert plan.empty, plan.render("text")
        assert apply_hub(h, "staging", conn).writes == 0
    return plan


@pytest.fixture
def edited(tmp_path: Path, world: World) -> Hub:
    """Hungary applied, and every template's first version approved."""
    hub = Hub(tmp_path)
    world.login(hub.config)
    with world.connect(hub.config) as conn:
        assert not apply_hub(hub.config, "staging", conn, allow_purchase=True).outcome.failed
    approve_all(world, hub.config)
    no_op(world, hub.config)
    return hub


@pytest.mark.slow  # a hub applied to the sandbox, more than a second of CPU
def test_an_edit_of_an_approved_template_is_a_new_version_and_the_approved_one_stays_in_use(
    world: World, edited: Hub
) -> None:
    v1 = uk_templates(world, edited.config)[BASE][0]
    h = edited.edit("Ми зателефонуємо вам о {{2}}.")
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
    assert [(c.action, c.id) for c in plan.changes] == [("create", "content.template/callback.uk@v2")]
    assert keep_notes(plan) == [
        "template callback_uk: v1 approved and in use; v2 submitted for approval by this apply"
    ]
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn)
    live = uk_templates(world, h)
    assert live == {BASE: (v1, "approved"), f"{BASE}_v2": (live[f"{BASE}_v2"][0], "received")}
    assert flow_template_sid(world, h) == v1, "the flows keep the approved version"
    with world.connect(h) as conn:
        exported = export_hub(h, "staging", conn)
    assert exported.pending == 0
    assert v1 in exported.files["flows/messaging.json"]
    assert live[f"{BASE}_v2"][0] not in exported.files["flows/messaging.json"]
    again = no_op(world, h)
    assert keep_notes(again) == ["template callback_uk: v1 approved and in use; v2 pending approval"]
    shown = again.render("text").splitlines()
    assert shown[-1] == "No changes: the account matches the config."
    assert (
        f"= keep   content.template callback.uk ({v1})  "
        "[template callback_uk: v1 approved and in use; v2 pending approval]"
    ) in shown, "an empty plan still says which version is in use and which waits"


@pytest.mark.slow  # a hub applied to the sandbox, more than a second of CPU
def test_once_the_new_version_is_approved_the_flows_switch_and_then_the_old_one_goes(
    world: World, edited: Hub
) -> None:
    h = edited.edit("Ми зателефонуємо вам о {{2}}.")
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn)
    v1, v2 = uk_templates(world, h)[BASE][0], uk_templates(world, h)[f"{BASE}_v2"][0]
    decide(world, h, [v2], "approved")
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
        assert [(c.action, c.id) for c in plan.changes] == [
            ("update", "studio.flow/messaging"),
            ("delete", "content.template/callback.uk@v1"),
        ]
        world.sandbox.clear_requests()
        apply_hub(h, "staging", conn)
    writes = [
        (e["method"], str(e["path"])) for e in world.sandbox.requests() if e["method"] in ("POST", "DELETE")
    ]
    flow_write = next(i for i, (m, p) in enumerate(writes) if m == "POST" and p.startswith("/v2/Flows/FW"))
    deleted = writes.index(("DELETE", f"/v1/Content/{v1}"))
    assert flow_write < deleted, "the flows no longer refer to v1 when it is deleted"
    assert uk_templates(world, h) == {f"{BASE}_v2": (v2, "approved")}
    assert flow_template_sid(world, h) == v2
    assert keep_notes(no_op(world, h)) == ["template callback_uk: v2 approved and in use"]


@pytest.mark.slow  # a hub applied to the sandbox, more than a second of CPU
def test_a_version_still_in_use_is_never_deleted(world: World, edited: Hub) -> None:
    h = edited.edit("Ми зателефонуємо вам о {{2}}.")
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn)
        v1 = uk_templates(world, h)[BASE][0]
        reading = read(h, "staging", conn)
        superseded = Live("content.template", "callback.uk@v1", v1, {}, True, {"version": 1})
        with pytest.raises(ProviderError, match=rf"not deleted: {v1} is still used by studio.flow/messaging"):
            reading.provider.apply(Delete(superseded))
    assert uk_templates(world, h)[BASE] == (v1, "approved")


@pytest.mark.slow  # a hub applied to the sandbox, more than a second of CPU
def test_a_version_never_approved_is_replaced_at_once(world: World, tmp_path: Path) -> None:
    hub = Hub(tmp_path)
    world.login(hub.config)
    with world.connect(hub.config) as conn:
        apply_hub(hub.config, "staging", conn, allow_purchase=True)  # v1 submitted, not yet approved
    v1 = uk_templates(world, hub.config)[BASE][0]
    h = hub.edit("Ми зателефонуємо вам о {{2}}.")
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
        assert [(c.action, c.id) for c in plan.changes] == [
            ("create", "content.template/callback.uk"),
            ("update", "studio.flow/messaging"),
            ("delete", "content.template/callback.uk@v1"),
        ]
        apply_hub(h, "staging", conn)
    live = uk_templates(world, h)
    assert list(live) == [f"{BASE}_v2"], "a submitted name is never used again, even for a replacement"
    assert v1 not in {sid for sid, _ in live.values()}
    assert flow_template_sid(world, h) == live[f"{BASE}_v2"][0]
    assert keep_notes(no_op(world, h)) == [
        "template callback_uk: v2 in use, WhatsApp approval received (no version approved yet)"
    ]


@pytest.mark.slow  # a hub applied to the sandbox, more than a second of CPU
def test_a_rejected_version_is_replaced_while_the_approved_one_stays_in_use(
    world: World, edited: Hub
) -> None:
    h = edited.edit("Ми зателефонуємо вам о {{2}}.")
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn)
    v1, v2 = uk_templates(world, h)[BASE][0], uk_templates(world, h)[f"{BASE}_v2"][0]
    decide(world, h, [v2], "rejected")
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
        assert [(c.action, c.id, c.note) for c in plan.changes] == [
            (
                "create",
                "content.template/callback.uk@v3",
                "v3 of template callback_uk, submitted for WhatsApp approval; v1 stays in use until it is approved",
            ),
            (
                "delete",
                "content.template/callback.uk@v2",
                "v2 of template callback_uk, rejected: replaced by v1",
            ),
        ]
        apply_hub(h, "staging", conn)
    assert {n: s for n, (_, s) in uk_templates(world, h).items()} == {
        BASE: "approved",
        f"{BASE}_v3": "received",
    }
    assert flow_template_sid(world, h) == v1
    no_op(world, h)


@pytest.mark.slow  # a hub applied to the sandbox, more than a second of CPU
def test_going_back_to_the_approved_text_drops_the_pending_version(world: World, edited: Hub) -> None:
    h = edited.edit("Ми зателефонуємо вам о {{2}}.")
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn)
    h = edited.edit(BODY)
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
        assert [(c.action, c.id) for c in plan.changes] == [("delete", "content.template/callback.uk@v2")]
        apply_hub(h, "staging", conn)
    assert list(uk_templates(world, h)) == [BASE]
    no_op(world, h)


@pytest.mark.slow  # a hub applied to the sandbox, more than a second of CPU
def test_without_whatsapp_an_edit_is_in_use_at_once(world: World, tmp_path: Path) -> None:
    hub = Hub(tmp_path, whatsapp=False)
    world.login(hub.config)
    with world.connect(hub.config) as conn:
        apply_hub(hub.config, "staging", conn, allow_purchase=True)
    assert {s for _, s in uk_templates(world, hub.config).values()} == {"unsubmitted"}
    h = hub.edit("Ми зателефонуємо вам о {{2}}.")
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
        assert [(c.action, c.id) for c in plan.changes] == [
            ("create", "content.template/callback.uk"),
            ("update", "studio.flow/messaging"),
            ("delete", "content.template/callback.uk@v1"),
        ]
        assert keep_notes(plan) == [], "no approval to wait for"
        apply_hub(h, "staging", conn)
    live = uk_templates(world, h)
    assert list(live) == [f"{BASE}_v2"]
    assert flow_template_sid(world, h) == live[f"{BASE}_v2"][0]
    no_op(world, h)


# -- the rule itself ----------------------------------------------------------------------------------------------
def v(number: int, status: str) -> Version:
    return Version(number, f"HX{number:032x}", f"t_v{number}", {}, status)


@pytest.mark.parametrize(
    ("versions", "same", "expected"),
    [
        ([v(1, "approved")], {1}, Arrangement(1)),
        ([v(1, "approved")], set(), Arrangement(1, new=2, pending=2)),
        ([v(1, "approved"), v(2, "received")], {2}, Arrangement(1, pending=2)),
        ([v(1, "approved"), v(2, "approved")], {2}, Arrangement(2, retire=(1,))),
        ([v(1, "approved"), v(2, "approved")], {1}, Arrangement(1, retire=(2,))),
        ([v(1, "approved"), v(2, "rejected")], {2}, Arrangement(1, new=3, pending=3, retire=(2,))),
        ([v(1, "approved"), v(2, "received")], set(), Arrangement(1, new=3, pending=3, retire=(2,))),
        ([v(1, "approved"), v(2, "unsubmitted")], {2}, Arrangement(1, submit=2, pending=2)),
        ([v(1, "received")], set(), Arrangement(None, new=2, retire=(1,))),
        ([v(1, "unsubmitted")], {1}, Arrangement(1, submit=1)),
        ([v(1, "rejected")], {1}, Arrangement(None, new=2, retire=(1,))),
    ],
)
def test_which_version_is_in_use_which_waits_and_which_goes(
    versions: list[Version], same: set[int], expected: Arrangement
) -> None:
    assert arrange(versions, frozenset(same), approval=True) == expected


def test_without_whatsapp_a_new_version_is_in_use_at_once() -> None:
    assert arrange([v(1, "unsubmitted")], frozenset(), approval=False) == Arrangement(
        None, new=2, retire=(1,)
    )
    assert arrange([v(1, "unsubmitted"), v(2, "unsubmitted")], frozenset({1}), approval=False) == Arrangement(
        1, retire=(2,)
    )
