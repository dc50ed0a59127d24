"""The Flex skill list is merged, never replaced; a hub applied with the old skills moves its queues in place."""

from __future__ import annotations

from typing import Any

from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.render import skills
from tests.provider.conftest import World, hub


class _Body:
    def __init__(self, data: dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> dict[str, Any]:
        return self._data


def test_apply_adds_the_hubs_skills_and_keeps_the_ones_already_there(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    theirs = {"name": "team*north", "multivalue": False, "minimum": None, "maximum": None}
    with world.connect(h) as conn:
        conn.client.flex_api.v1.configuration().update(body=_Body({"taskrouter_skills": [theirs]}))
        plan = plan_hub(h, "staging", conn)
        assert "flex.skills/hub" in [c.id for c in plan.writes]
        apply_hub(h, "staging", conn, allow_purchase=True)
        listed = conn.client.flex_api.v1.configuration().fetch().taskrouter_skills
    names = [s["name"] for s in listed]
    assert names[0] == "team*north"
    assert set(skills.listed(h)) <= set(names)
    assert "language*uk-ua" in names and "comm*whatsapp" in names and "project*everyone" in names


def test_queues_of_a_hub_applied_with_bare_language_skills_are_repointed_in_place(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        ws = conn.client.taskrouter.v1.workspaces.list(friendly_name="Flex Task Assignment")[0]
        listed = conn.client.taskrouter.v1.workspaces(ws.sid).task_queues.list()
        queues = {q.friendly_name: q.sid for q in listed if q.friendly_name.startswith("DEH ")}
        for sid in queues.values():  # what the previous version wrote
            conn.client.taskrouter.v1.workspaces(ws.sid).task_queues(sid).update(
                target_workers='routing.skills HAS "language*uk"'
            )
        plan = plan_hub(h, "staging", conn)
        moved = [c for c in plan.writes if c.id.startswith("taskrouter.queue/")]
        assert len(moved) == len(queues) and all(c.action == "update" for c in moved)
        text = plan.render("text")
        assert "waiting tasks stay in the queue" in text and "language*uk-ua" in text
        apply_hub(h, "staging", conn, allow_purchase=True)
        listed = conn.client.taskrouter.v1.workspaces(ws.sid).task_queues.list()
        after = {q.friendly_name: q.sid for q in listed if q.friendly_name.startswith("DEH ")}
    assert after == queues, "the same queues, so their waiting tasks stay"
