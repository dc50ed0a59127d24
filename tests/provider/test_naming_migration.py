"""A hub deployed under the old template names keeps its templates (and their approval) under the new names, and
another hub's templates on the same account are never claimed."""

from __future__ import annotations

import pytest

from deh_deploy import legacy_names
from deh_deploy.changes import Delete
from deh_deploy.deploy import apply_hub, destroy_hub, plan_hub, read
from deh_deploy.names import template_name
from deh_deploy.providers.kinds import REGISTRY
from deh_deploy.render import content
from tests.provider.conftest import World, hub


def templates(world: World, h: object) -> dict[str, str]:
    with world.connect(h) as conn:  # type: ignore[arg-type]
        return {c.friendly_name: c.sid for c in conn.client.content.v1.contents.list()}


def test_templates_made_under_the_old_names_are_kept_not_made_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = hub("hungary")
    world.login(h)
    with monkeypatch.context() as m:
        m.setattr(content, "template_name", legacy_names.template_name)
        with world.connect(h) as conn:
            assert not apply_hub(h, "staging", conn, allow_purchase=True).outcome.failed
    before = templates(world, h)
    assert before and all(name.startswith("deh_hungary_staging_") for name in before)
    with world.connect(h) as conn:
        again = plan_hub(h, "staging", conn)
    assert again.empty, again.render("text")
    with world.connect(h) as conn:
        assert apply_hub(h, "staging", conn, allow_purchase=True).writes == 0
    assert templates(world, h) == before


def test_another_hubs_templates_on_the_account_are_left_alone(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        from twilio.rest.content.v1.content import ContentList

        for name in (
            legacy_names.template_name("hungary-staging", "production", "welcome", "hu"),
            template_name("hungary-staging", "production", "welcome", "hu"),
        ):
            body = {"friendly_name": name, "language": "hu", "types": {"twilio/text": {"body": "x"}}}
            conn.client.content.v1.contents.create(ContentList.ContentCreateRequest(body))
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
    assert not [c for c in plan.changes if isinstance(c, Delete)], plan.render("text")


@pytest.mark.slow  # destroy after a migration: two applies and a destroy
def test_destroy_after_the_migration_leaves_only_what_destroy_keeps(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    h = hub("hungary")
    world.login(h)
    with monkeypatch.context() as m:
        m.setattr(content, "template_name", legacy_names.template_name)
        with world.connect(h) as conn:
            apply_hub(h, "staging", conn, allow_purchase=True)
    with world.connect(h) as conn:
        apply_hub(h, "staging", conn, allow_purchase=True)
        destroy_hub(h, "staging", conn)
        assert conn.client.content.v1.contents.list() == [], "templates under the old names went too"
        left = read(h, "staging", conn).inventory
    kinds = {live.kind for live in left.live.values() if live.owned} | {o.kind for o in left.orphans.values()}
    leaks = {k for k in kinds if not (REGISTRY[k].guarded or not REGISTRY[k].deletable)}
    assert leaks == set(), "only numbers, senders and their routes stay"
