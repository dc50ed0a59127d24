"""References on a real account (the sandbox): configured text that reads like one reaches Twilio as written and the
next apply is a no-op; a flow that refers to another is created after it, with its real SID."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.apply import execute
from deh_deploy.config import load_hub
from deh_deploy.deploy import apply_hub, plan_hub
from deh_deploy.errors import UnresolvedReference
from deh_deploy.providers.planner import resolved_artifacts
from deh_deploy.providers.twilio import TwilioProvider
from deh_deploy.render import render_hub
from deh_deploy.render.desired import Desired, ref, resource
from tests.provider.conftest import ROOT, World, hub

LOOKALIKE = "${ref:serverless.environment/staging.domain_name} ${ref:studio.flow/voice.sid}"


def _flow(conn: Any, name: str) -> dict[str, Any]:
    flows = {f.friendly_name: f.sid for f in conn.client.studio.v2.flows.list()}
    definition: dict[str, Any] = (
        conn.client.studio.v2.flows(flows[f"DEH hungary staging {name}"]).fetch().definition
    )
    return definition


def test_configured_text_reading_like_a_reference_is_sent_as_written_and_reapplies_as_nothing(
    world: World, tmp_path: Path
) -> None:
    folder = tmp_path / "hungary"
    shutil.copytree(ROOT / "country_configs" / "hungary", folder)
    hu = folder / "translations" / "hu.yaml"
    hu.write_text(hu.read_text(encoding="utf-8").replace("Üdvözöljük!", LOOKALIKE), encoding="utf-8")
    h = load_hub(folder)
    world.login(h)
    with world.connect(h) as conn:
        assert not apply_hub(h, "staging", conn, allow_purchase=True).outcome.failed
        welcome = next(s for s in _flow(conn, "voice")["states"] if s["name"] == "welcome_hu")
        assert welcome["properties"]["say"].startswith(LOOKALIKE + " Ez a Magyar"), "said as written"
        again = plan_hub(h, "staging", conn)
    assert again.empty, again.render("text")


def _voice_refers_to_messaging(desired: Desired) -> Desired:
    """The hub as rendered, its voice flow holding the messaging flow's SID in a flow variable."""
    voice = desired.by_id()["studio.flow/voice"]
    attrs = copy.deepcopy(dict(voice.attrs))
    contact = next(s for s in attrs["definition"]["states"] if s["type"] == "set-variables")
    contact["properties"]["variables"].append(
        {"key": "messaging", "value": ref("studio.flow", "messaging", "sid")}
    )
    desired.resources[desired.resources.index(voice)] = resource("studio.flow", "voice", attrs)
    return desired


def test_a_flow_that_refers_to_another_is_created_after_it_with_its_sid(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    account = h.environment("staging").account_sid
    with world.connect(h) as conn:
        provider = TwilioProvider(conn.client, account_sid=account, slug="hungary", env="staging")
        desired = _voice_refers_to_messaging(render_hub(h, env="staging"))
        outcome = execute(provider, provider.plan(desired, provider.read(desired)))
        assert not outcome.failed, outcome.failed
        done = [rid for rid, _ in outcome.done]
        assert done.index("studio.flow/messaging") < done.index("studio.flow/voice")
        messaging_sid = provider.ctx.live["studio.flow/messaging"].sid
        variables = [
            v
            for s in _flow(conn, "voice")["states"]
            if s["type"] == "set-variables"
            for v in s["properties"]["variables"]
        ]
        assert {"key": "messaging", "value": messaging_sid} in variables
        assert provider.plan(desired, provider.read(desired)).empty


@pytest.mark.slow  # an export after an apply
def test_the_rendered_artifacts_in_their_final_form_hold_what_the_account_has(world: World) -> None:
    """One function maps the rendered artifacts and the live records to what Twilio holds: the flow file so
    filled in is the definition on the account, and nothing but references was changed."""
    h = hub("hungary")
    world.applied(h)
    with world.connect(h) as conn:
        provider = TwilioProvider(
            conn.client, account_sid=h.environment("staging").account_sid, slug="hungary", env="staging"
        )
        desired = render_hub(h, env="staging")
        final = resolved_artifacts(desired, provider.read(desired).live)
        live = _flow(conn, "voice")
    assert json.loads(final["flows/voice.json"]) == live
    assert "$ref" not in final["flows/voice.json"] and "$join" not in final["taskrouter/workflow.json"]
    assert final["functions/hours.js"] == desired.artifacts["functions/hours.js"]
    with pytest.raises(UnresolvedReference):
        resolved_artifacts(desired, {})
    assert (
        "(known after apply)"
        in resolved_artifacts(desired, {}, unknown="(known after apply)")["flows/voice.json"]
    )
