"""References are values of their own: render puts them where a SID or a domain goes, apply fills exactly those
places, and text from the config is never read for them, whatever it says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deh_deploy.errors import RenderError, UnresolvedReference
from deh_deploy.render import check_references
from deh_deploy.render.desired import Resource, join, ref, resource
from deh_deploy.render.refs import Ref, fill, refs_in

from .conftest import HUNGARY, Deh, MakeHub, rendered
from .test_flows import flow, states

# What a Society might write in a message, by accident or not: it reads like a reference, and is text.
LOOKALIKE = "Hívjon ${ref:serverless.environment/staging.domain_name} ${ref:studio.flow/messaging.sid} ${ref:nope/x.sid}"


def test_configured_text_that_reads_like_a_reference_is_rendered_as_written(make_hub: MakeHub) -> None:
    folder = make_hub(edits={"translations/hu.yaml": {"Üdvözöljük!": LOOKALIKE}})
    desired = rendered(folder)
    welcome = states(flow(desired, "voice"))["welcome_hu"]["properties"]
    assert welcome["say"].startswith(LOOKALIKE + " Ez a Magyar")
    voice = desired.by_id()["studio.flow/voice"]
    plain = rendered(HUNGARY).by_id()["studio.flow/voice"]
    assert voice.depends_on == plain.depends_on, "text is no dependency: the voice flow waits for nothing new"
    assert not [r for r in refs_in(voice.attrs) if r.target in ("studio.flow/messaging", "nope/x")]


def test_only_the_places_render_marks_are_filled() -> None:
    value = {
        "say": "${ref:serverless.service/hub.sid}",
        "sid": ref("serverless.service", "hub", "sid"),
        "url": join("https://", ref("serverless.environment", "staging", "domain_name"), "/hours"),
        "list": [ref("serverless.service", "hub", "sid"), "${ref:serverless.service/hub.sid}"],
    }
    answers = {
        Ref("serverless.service", "hub", "sid"): "ZS1",
        Ref("serverless.environment", "staging", "domain_name"): "x.twil.io",
    }
    assert fill(value, answers.get) == {
        "say": "${ref:serverless.service/hub.sid}",
        "sid": "ZS1",
        "url": "https://x.twil.io/hours",
        "list": ["ZS1", "${ref:serverless.service/hub.sid}"],
    }


def test_a_reference_without_a_value_is_never_sent_as_it_is() -> None:
    with pytest.raises(UnresolvedReference, match=r"^serverless.service/hub.sid is not known yet$"):
        fill({"sid": ref("serverless.service", "hub", "sid")}, lambda r: None)
    assert fill([ref("serverless.service", "hub", "sid")], lambda r: None, unknown="?") == ["?"]


def test_a_joined_text_merges_its_literal_parts() -> None:
    url = join("https://", ref("serverless.environment", "staging", "domain_name"), "/callback")
    assert join(url, "?type=transcript").as_json() == {
        "$join": [
            "https://",
            {"$ref": "serverless.environment/staging.domain_name"},
            "/callback?type=transcript",
        ]
    }


def test_files_show_a_reference_as_an_object_no_configured_text_can_be() -> None:
    desired = rendered(HUNGARY)
    workflow = json.loads(desired.artifacts["taskrouter/workflow.json"])
    assert workflow["task_routing"]["default_filter"] == {"queue": {"$ref": "taskrouter.queue/general.sid"}}
    assert all("${ref:" not in text for text in desired.artifacts.values())


def _flows(voice_refers: bool, messaging_refers: bool) -> list[Resource]:
    def definition(other: str, refers: bool) -> dict[str, object]:
        return {
            "states": [{"name": "x", "properties": {"flow": ref("studio.flow", other, "sid")}}]
            if refers
            else []
        }

    return [
        resource("studio.flow", "voice", {"definition": definition("messaging", voice_refers)}),
        resource("studio.flow", "messaging", {"definition": definition("voice", messaging_refers)}),
    ]


def test_a_flow_that_refers_to_another_comes_after_it() -> None:
    voice, messaging = _flows(voice_refers=True, messaging_refers=False)
    check_references([voice, messaging])
    assert voice.depends_on == ("studio.flow/messaging",)


def test_flows_that_refer_to_each_other_are_refused_naming_both() -> None:
    with pytest.raises(RenderError) as exc:
        check_references(_flows(voice_refers=True, messaging_refers=True))
    assert str(exc.value) in {
        f"studio.flow/messaging, studio.flow/voice refer to each other ({cycle}): each needs the other's SID "
        "before it can be created, so none can be created first"
        for cycle in (
            "studio.flow/voice → studio.flow/messaging → studio.flow/voice",
            "studio.flow/messaging → studio.flow/voice → studio.flow/messaging",
        )
    }


def test_a_resource_that_refers_to_itself_is_refused() -> None:
    loop = resource("studio.flow", "voice", {"definition": {"me": ref("studio.flow", "voice", "sid")}})
    with pytest.raises(RenderError) as exc:
        check_references([loop])
    assert str(exc.value) == "studio.flow/voice refers to itself, whose SID is known only once it exists"


def test_a_reference_to_what_the_hub_does_not_declare_is_refused() -> None:
    stray = resource("taskrouter.workflow", "hub", {"queue": ref("taskrouter.queue", "gone", "sid")})
    with pytest.raises(RenderError) as exc:
        check_references([stray])
    assert str(exc.value) == (
        "taskrouter.workflow/hub refers to taskrouter.queue/gone, which the hub does not declare"
    )


def test_render_writes_configured_lookalikes_and_validate_passes_them(
    make_hub: MakeHub, deh: Deh, tmp_path: Path
) -> None:
    folder = make_hub(edits={"translations/hu.yaml": {"Üdvözöljük!": LOOKALIKE}})
    assert deh("validate", folder).code == 0
    assert deh("render", folder, "--env", "staging", "--out", tmp_path / "out").code == 0
    voice = json.loads((tmp_path / "out" / "flows" / "voice.json").read_text(encoding="utf-8"))
    assert any(LOOKALIKE in str(s["properties"].get("say", "")) for s in voice["states"])
