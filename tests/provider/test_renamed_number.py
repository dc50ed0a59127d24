"""A number the hub bought is known by the SID its deployment record keeps: renamed in the console, it is
re-adopted (its name restored), never bought again."""

from __future__ import annotations

from deh_deploy.changes import Update
from deh_deploy.deploy import apply_hub, plan_hub
from tests.provider.conftest import World, hub


def test_a_renamed_number_is_re_adopted_not_bought_again(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        assert not apply_hub(h, "staging", conn, allow_purchase=True).outcome.failed
        numbers = conn.client.api.v2010.account.incoming_phone_numbers
        bought = {n.sid: n.friendly_name for n in numbers.list()}
        assert bought
        for sid in bought:
            numbers(sid).update(friendly_name="Helpline (do not touch)")
    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
    assert not any(c.purchase for c in plan.writes), plan.render("text")
    renames = [c for c in plan.writes if c.kind == "phone.number"]
    assert renames and all(isinstance(c, Update) and c.note.startswith("re-adopted:") for c in renames)
    assert "re-adopted: bought by this hub as +" in plan.render("text")
    with world.connect(h) as conn:
        assert not apply_hub(h, "staging", conn, allow_purchase=True).outcome.failed
        after = {n.sid: n.friendly_name for n in conn.client.api.v2010.account.incoming_phone_numbers.list()}
    assert after == bought, "the same numbers, their names restored; none bought"
    with world.connect(h) as conn:
        assert plan_hub(h, "staging", conn).empty
