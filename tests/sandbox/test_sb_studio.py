"""Studio v2: flows CRUD with revisions, structural validation, FlowValidate errors, v2 pagination."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from deh_deploy.sandbox import RunningSandbox
from tests.sandbox.helpers import ACCOUNT


def definition(**extra: Any) -> dict[str, Any]:
    flow: dict[str, Any] = {
        "description": "DEH test",
        "flags": {"allow_concurrent_calls": True},
        "initial_state": "Trigger",
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "properties": {"offset": {"x": 0, "y": 0}},
                "transitions": [{"event": "incomingMessage", "next": "Agent"}, {"event": "incomingCall"}],
            },
            {
                "name": "Agent",
                "type": "send-to-flex",
                "properties": {"workflow": "WW" + "1" * 32, "channel": "TC" + "2" * 32, "priority": "0"},
                "transitions": [{"event": "callComplete"}, {"event": "failedToEnqueue", "next": ""}],
            },
        ],
    }
    flow.update(extra)
    return flow


def validation_errors(client: Client, flow: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(TwilioRestException) as exc:
        client.studio.v2.flow_validate.update(friendly_name="DEH check", status="draft", definition=flow)
    assert (exc.value.status, exc.value.code) == (400, 81022)
    assert exc.value.msg == "Unable to update record: Flow definition validation failed"
    errors: list[dict[str, str]] = exc.value.details["errors"]
    return errors


def test_a_flow_is_created_fetched_updated_with_revisions_and_deleted(client: Client) -> None:
    flows = client.studio.v2.flows
    flow = flows.create(
        friendly_name="DEH hu ivr", status="draft", definition=definition(), commit_message="first"
    )
    assert flow.sid.startswith("FW") and (flow.revision, flow.valid, flow.errors) == (1, True, [])
    assert flow.definition == definition()
    assert flow.webhook_url == f"https://webhooks.twilio.com/v1/Accounts/{ACCOUNT}/Flows/{flow.sid}"
    changed = definition(description="second")
    updated = flows(flow.sid).update(status="published", definition=changed, commit_message="second")
    assert (updated.revision, updated.status, updated.definition) == (2, "published", changed)
    assert [r.revision for r in flows(flow.sid).revisions.list(page_size=1)] == [2, 1]
    assert flows(flow.sid).revisions("1").fetch().definition == definition()
    assert flows(flow.sid).revisions("LatestPublished").fetch().revision == 2
    assert flows(flow.sid).delete() is True
    with pytest.raises(TwilioRestException) as exc:
        flows(flow.sid).fetch()
    assert exc.value.code == 20404


def test_flow_lists_page_with_absolute_urls_and_hide_definitions(client: Client) -> None:
    flows = client.studio.v2.flows
    made = [
        flows.create(friendly_name=f"DEH flow {i}", status="draft", definition=definition()).sid
        for i in range(3)
    ]
    page = flows.page(page_size=2)
    meta = page._payload["meta"]
    assert meta["key"] == "flows" and meta["next_page_url"].startswith("https://studio.twilio.com/v2/Flows?")
    assert all(r.definition is None for r in page)
    assert [f.sid for f in flows.list(page_size=2)] == made


def test_the_sdks_author_sid_is_ignored(client: Client) -> None:
    author = "US" + "3" * 32
    flow = client.studio.v2.flows.create(
        friendly_name="x", status="draft", definition=definition(), author_sid=author
    )
    assert flow.author_sid is None


def test_valid_definitions_pass_flow_validate(client: Client) -> None:
    assert client.studio.v2.flow_validate.update(
        friendly_name="ok", status="draft", definition=definition()
    ).valid


def test_validate_reports_envelope_errors(client: Client) -> None:
    flow = definition()
    del flow["flags"]
    flow["initial_state"] = "Nowhere"
    paths = {(e["property_path"], e["message"]) for e in validation_errors(client, flow)}
    assert paths == {
        ("#/flags", "object with boolean allow_concurrent_calls expected"),
        ("#/initial_state", "state 'Nowhere' does not exist"),
    }
    assert validation_errors(client, definition(states=[])) == [
        {"property_path": "#/states", "message": "array of 1 to 1000 states expected"}
    ]


def test_validate_reports_every_state_error(client: Client) -> None:
    flow = definition()
    states = flow["states"]
    states.append(copy.deepcopy(states[0]))  # duplicate name
    states[0]["transitions"][0]["next"] = "Ghost"
    states[1]["properties"].pop("channel")
    states[2]["type"] = "teleport"
    assert validation_errors(client, flow) == [
        {"property_path": "#/states/1/properties/channel", "message": "send-to-flex requires channel"},
        {"property_path": "#/states/2/type", "message": "unknown widget type 'teleport'"},
        {"property_path": "#/states/2/name", "message": "duplicate state name 'Trigger'"},
        {"property_path": "#/states/0/transitions/0/next", "message": "transition to unknown state 'Ghost'"},
    ]


def test_an_invalid_definition_is_stored_with_valid_false(client: Client) -> None:
    broken = definition(initial_state="Missing")
    flow = client.studio.v2.flows.create(friendly_name="broken", status="draft", definition=broken)
    assert flow.valid is False
    assert flow.errors == [{"property_path": "#/initial_state", "message": "state 'Missing' does not exist"}]
    fixed = client.studio.v2.flows(flow.sid).update(status="draft", definition=definition())
    assert (fixed.valid, fixed.errors, fixed.revision) == (True, [], 2)


def test_a_flow_edited_in_the_console_shows_a_new_definition(sandbox: RunningSandbox, client: Client) -> None:
    flow = client.studio.v2.flows.create(friendly_name="drift", status="published", definition=definition())
    edited = definition(description="edited by hand")
    sandbox.seed(ACCOUNT, flow_definitions=[{"sid": flow.sid, "definition": edited}])
    now = client.studio.v2.flows(flow.sid).fetch()
    assert (now.definition, now.revision) == (edited, 2)


def test_missing_required_fields_are_refused(client: Client) -> None:
    reply = client.request(
        "POST", "https://studio.twilio.com/v2/Flows", data={"FriendlyName": "x", "Status": "draft"}
    )
    assert reply.status_code == 400
    assert json.loads(reply.text)["message"] == "Missing required parameter Definition in the post body"


def test_validate_refuses_events_a_widget_does_not_have(client: Client) -> None:
    flow = definition()
    flow["states"][1]["transitions"].append({"event": "taskCreated", "next": ""})
    assert validation_errors(client, flow) == [
        {
            "property_path": "#/states/1/transitions/2/event",
            "message": "send-to-flex has no event 'taskCreated'; expected one of callComplete, callFailure, "
            "failedToEnqueue",
        }
    ]


def test_validate_refuses_missing_required_properties_and_wrong_json_types(client: Client) -> None:
    flow = definition()
    flow["states"][1]["properties"].update(priority=0, timeout=3600)
    flow["states"].append(
        {
            "name": "Ask",
            "type": "gather-input-on-call",
            "properties": {"say": "Press 1", "timeout": "5", "number_of_digits": 1, "stop_gather": "true"},
            "transitions": [{"event": "keypress"}, {"event": "timeout"}],
        }
    )
    flow["states"].append(
        {"name": "Pick", "type": "split-based-on", "properties": {}, "transitions": [{"event": "noMatch"}]}
    )
    assert validation_errors(client, flow) == [
        {"property_path": "#/states/1/properties/priority", "message": "integer found, string expected"},
        {"property_path": "#/states/1/properties/timeout", "message": "integer found, string expected"},
        {"property_path": "#/states/2/properties/timeout", "message": "string found, integer expected"},
        {"property_path": "#/states/2/properties/stop_gather", "message": "string found, boolean expected"},
        {"property_path": "#/states/3/properties/input", "message": "split-based-on requires input"},
    ]


def test_a_widget_without_a_known_event_list_accepts_any_event(client: Client) -> None:
    flow = definition()
    flow["states"][0]["transitions"][0]["next"] = "Relay"
    flow["states"].append(
        {
            "name": "Relay",
            "type": "run-conversation-relay",
            "properties": {"url": "wss://example.org/relay"},
            "transitions": [{"event": "sessionEnded"}],
        }
    )
    assert client.studio.v2.flow_validate.update(friendly_name="ok", status="draft", definition=flow).valid


def _with(flow: dict[str, Any], state: dict[str, Any]) -> dict[str, Any]:
    """``flow`` with ``state`` appended and reached from the trigger's call transition."""
    flow["states"][0]["transitions"][1]["next"] = state["name"]
    flow["states"].append(state)
    return flow


def test_validate_refuses_what_is_not_a_sid_where_studio_wants_one(client: Client) -> None:
    flow = definition()
    flow["states"][1]["properties"].update(workflow="${ref:taskrouter.workflow/hub.sid}", channel="voice")
    _with(
        flow,
        {
            "name": "Hours",
            "type": "run-function",
            "properties": {
                "url": "https://deh-1234.twil.io/hours",
                "service_sid": "ZS" + "a" * 32,
                "environment_sid": "ZE" + "A" * 32,  # SIDs are lower-case hexadecimal
                "function_sid": "ZS" + "b" * 32,  # the service's prefix where the function's is wanted
            },
            "transitions": [{"event": "success"}, {"event": "fail"}],
        },
    )
    assert validation_errors(client, flow) == [
        {
            "property_path": "#/states/1/properties/workflow",
            "message": "does not match the regex pattern ^WW[0-9a-f]{32}$",
        },
        {
            "property_path": "#/states/1/properties/channel",
            "message": "does not match the regex pattern ^TC[0-9a-f]{32}$",
        },
        {
            "property_path": "#/states/2/properties/environment_sid",
            "message": "does not match the regex pattern ^ZE[0-9a-f]{32}$",
        },
        {
            "property_path": "#/states/2/properties/function_sid",
            "message": "does not match the regex pattern ^ZH[0-9a-f]{32}$",
        },
    ]


def test_validate_refuses_liquid_where_studio_reads_the_value_when_the_flow_is_saved(client: Client) -> None:
    flow = definition()
    flow["states"][1]["properties"]["workflow"] = "{{flow.variables.workflow}}"
    flow["states"][1]["properties"]["attributes"] = '{"name": "{{trigger.call.From}}"}'  # Liquid is fine here
    _with(
        flow,
        {
            "name": "Fetch",
            "type": "make-http-request",
            "properties": {
                "method": "{% if true %}POST{% endif %}",
                "content_type": "application/json;charset=utf-8",
                "url": "https://example.org/{{trigger.call.From}}",
            },
            "transitions": [{"event": "success"}, {"event": "failed"}],
        },
    )
    liquid = "Liquid is not allowed here: the value is read when the flow is saved"
    assert validation_errors(client, flow) == [
        {"property_path": "#/states/1/properties/workflow", "message": liquid},
        {"property_path": "#/states/2/properties/method", "message": liquid},
    ]


def test_validate_refuses_booleans_and_values_where_studio_wants_one_of_its_strings(client: Client) -> None:
    flow = _with(
        definition(),
        {
            "name": "Voicemail",
            "type": "record-voicemail",
            "properties": {"play_beep": True, "trim": "yes", "max_length": "120", "transcribe": "false"},
            "transitions": [{"event": "recordingComplete"}, {"event": "noAudio"}, {"event": "hangup"}],
        },
    )
    flow["states"][1]["properties"]["waitUrlMethod"] = "PUT"
    assert validation_errors(client, flow) == [
        {
            "property_path": "#/states/1/properties/waitUrlMethod",
            "message": "does not have a value in the enumeration [GET, POST]",
        },
        {"property_path": "#/states/2/properties/max_length", "message": "string found, integer expected"},
        {"property_path": "#/states/2/properties/transcribe", "message": "string found, boolean expected"},
        {"property_path": "#/states/2/properties/play_beep", "message": "boolean found, string expected"},
        {
            "property_path": "#/states/2/properties/trim",
            "message": "does not have a value in the enumeration [trim-silence, do-not-trim]",
        },
    ]


def test_a_flow_saved_with_a_placeholder_for_a_sid_is_stored_invalid(client: Client) -> None:
    flow = definition()
    flow["states"][1]["properties"]["channel"] = "${ref:taskrouter.task_channel/voice.sid}"
    made = client.studio.v2.flows.create(friendly_name="unresolved", status="draft", definition=flow)
    assert made.valid is False
    assert made.errors == [
        {
            "property_path": "#/states/1/properties/channel",
            "message": "does not match the regex pattern ^TC[0-9a-f]{32}$",
        }
    ]
