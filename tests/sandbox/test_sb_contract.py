"""The contract checker itself: it loads Twilio's specs and catches each kind of departure."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import requests
from twilio.rest import Client

from deh_deploy.sandbox import RunningSandbox
from tests.contract import SPEC_FILES, assert_log_matches_contract, check_entry, specs
from tests.sandbox.helpers import ACCOUNT


@pytest.fixture
def log(sandbox: RunningSandbox, token: str, client: Client) -> list[dict[str, Any]]:
    """A real exchange of each shape: a form create, a v2 list, a 2010 list, a JSON create, an error."""
    client.messaging.v1.services.create(friendly_name="DEH contract")
    client.studio.v2.flows.list()
    client.api.v2010.account.incoming_phone_numbers.list()
    content = {"language": "en", "types": {"twilio/text": {"body": "hi"}}}
    json_body = {"Content-Type": "application/json"}
    client.request("POST", "https://content.twilio.com/v1/Content", data=content, headers=json_body)
    client.request("GET", f"https://studio.twilio.com/v2/Flows/FW{'0' * 32}")
    entries = sandbox.requests()
    assert [e["status"] for e in entries] == [201, 200, 200, 201, 404]
    return copy.deepcopy(entries)


def test_all_ten_specs_load() -> None:
    assert set(specs()) == set(SPEC_FILES)


def test_real_exchanges_pass(log: list[dict[str, Any]]) -> None:
    assert_log_matches_contract(log)


def test_a_wrong_type_in_a_response_is_caught(log: list[dict[str, Any]]) -> None:
    log[0]["response"]["validity_period"] = "forever"
    with pytest.raises(AssertionError, match=r"POST messaging/v1/Services\?.*\n.*validity_period"):
        assert_log_matches_contract(log)


def test_a_bad_enum_in_a_2010_list_is_caught(sandbox: RunningSandbox, client: Client) -> None:
    client.api.v2010.account.incoming_phone_numbers.create(phone_number="+447700123400")
    entry = copy.deepcopy(sandbox.requests()[0])
    entry["response"]["voice_receive_mode"] = "telepathy"
    assert any("voice_receive_mode" in p for p in check_entry(entry))


def test_a_malformed_request_that_was_accepted_is_caught(log: list[dict[str, Any]]) -> None:
    log[0]["body"] += "&StickySender=maybe"
    assert any("Failed to cast value to boolean type: maybe" in p for p in check_entry(log[0]))


def test_json_bodies_are_validated(log: list[dict[str, Any]]) -> None:
    log[3]["body"] = '{"types": {"twilio/text": {"body": "hi"}}}'  # language is required
    assert any("language" in p for p in check_entry(log[3]))


def test_a_loopback_url_in_a_response_is_caught(sandbox: RunningSandbox, log: list[dict[str, Any]]) -> None:
    log[1]["response"]["meta"]["next_page_url"] = f"{sandbox.url}/studio/v2/Flows?Page=1"
    assert check_entry(log[1]) == [f"not a Twilio URL: {sandbox.url}/studio/v2/Flows?Page=1"]


def test_error_bodies_follow_the_hand_written_model(log: list[dict[str, Any]]) -> None:
    assert check_entry(log[4]) == []
    del log[4]["response"]["more_info"]
    assert check_entry(log[4]) == ["'more_info' is a required property"]


def test_uploads_follow_the_hand_written_model(sandbox: RunningSandbox, token: str, client: Client) -> None:
    svc = client.serverless.v1.services.create(unique_name="deh-c", friendly_name="c").sid
    fn = client.serverless.v1.services(svc).functions.create(friendly_name="f").sid
    url = f"{sandbox.url}/serverless-upload/v1/Services/{svc}/Functions/{fn}/Versions"
    reply = requests.post(url, data={"Path": "/f", "Visibility": "public"}, files={"Content": ("f.js", b"x")},
                          auth=(ACCOUNT, token), timeout=5)  # fmt: skip
    assert reply.status_code == 201
    entry = copy.deepcopy(sandbox.requests()[-1])
    assert check_entry(entry) == []
    entry["response"]["sid"] = "ZX" + "0" * 32
    assert check_entry(entry) == [f"'ZX{'0' * 32}' does not match '^ZN[0-9a-f]{{32}}$'"]
    short = requests.post(
        url, data={"Path": "/f"}, files={"Content": ("f.js", b"x")}, auth=(ACCOUNT, token), timeout=5
    )
    assert short.status_code == 400
    refused = copy.deepcopy(sandbox.requests()[-1])
    assert check_entry(refused) == []  # refusing an incomplete upload is the point
    refused.update(status=201, response=sandbox.requests()[-2]["response"])
    assert check_entry(refused) == [
        "multipart fields ['Content', 'Path'] != ['Content', 'Path', 'Visibility']"
    ]
