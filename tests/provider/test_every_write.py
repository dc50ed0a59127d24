"""The plan holds every write apply makes: what refers to a resource that will be replaced is an update whose fields
show "(known after apply)", and what lived inside the replaced resource is created again with it, so one reviewed
plan converges in one run."""

from __future__ import annotations

import json
from typing import Any

from deh_deploy.deploy import apply_hub, plan_hub
from tests.provider.conftest import World, hub


def replace_environment_by_hand(client: Any) -> None:
    """The environment, made again with another domain suffix and its variables copied over: the config's suffix
    then differs, and an environment cannot be changed in place."""
    service = client.serverless.v1.services("deh-hungary-staging")
    old = next(e for e in service.environments.list() if e.unique_name == "staging")
    variables = [(v.key, v.value) for v in service.environments(old.sid).variables.list()]
    service.environments(old.sid).delete()
    made = service.environments.create(unique_name="staging", domain_suffix="old")
    for key, value in variables:
        service.environments(made.sid).variables.create(key=key, value=value)


def test_what_refers_to_a_replaced_resource_is_in_the_plan_and_converges_in_one_run(world: World) -> None:
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        replace_environment_by_hand(conn.client)
        plan = plan_hub(h, "staging", conn)
        writes = {c.id: c for c in plan.writes}
        environment = writes["serverless.environment/staging"]
        assert (environment.action, environment.note) == ("update", "replace")
        children = [
            rid for rid in writes if rid.startswith(("serverless.variable/", "serverless.deployment/"))
        ]
        assert children and all(writes[rid].action == "create" for rid in children), "they go with it"
        flows = [writes[rid] for rid in ("studio.flow/voice", "studio.flow/messaging")]
        assert all(c.action == "update" for c in flows)
        assert all("(known after apply)" in json.dumps(c.fields[0].new) for c in flows)
        text = plan.render("text")
        assert "~ update studio.flow voice" in text
        assert text.count("values known after apply") == 2
        result = apply_hub(h, "staging", conn)
        assert sorted(rid for rid, _ in result.outcome.done) == sorted(writes)
        assert plan_hub(h, "staging", conn).empty, "one run"
        service = conn.client.serverless.v1.services("deh-hungary-staging")
        domain = next(e.domain_name for e in service.environments.list())
        voice = next(f for f in conn.client.studio.v2.flows.list() if f.friendly_name.endswith("voice"))
        definition = json.dumps(conn.client.studio.v2.flows(voice.sid).fetch().definition)
    assert f"https://{domain}/hours" in definition
