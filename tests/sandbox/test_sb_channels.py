"""Messaging services and pools (21712, 21714), Conversations addresses, Flex configuration and flows."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from deh_deploy.sandbox import RunningSandbox
from tests.sandbox.helpers import ACCOUNT


def buy_mobile(client: Client, n: int = 0) -> str:
    return str(client.api.v2010.account.incoming_phone_numbers.create(phone_number=f"+4477001234{n:02d}").sid)


def test_messaging_services_crud(client: Client) -> None:
    services = client.messaging.v1.services
    svc = services.create(
        friendly_name="DEH hu", inbound_request_url="https://example.org/in", sticky_sender=False
    )
    assert svc.sid.startswith("MG") and svc.sticky_sender is False and svc.validity_period == 14400
    assert services(svc.sid).update(smart_encoding=False).smart_encoding is False
    assert [s.sid for s in services.list()] == [svc.sid]
    assert services(svc.sid).delete() is True


def test_a_number_joins_one_pool_only(client: Client) -> None:
    one = client.messaging.v1.services.create(friendly_name="one")
    two = client.messaging.v1.services.create(friendly_name="two")
    pn = buy_mobile(client)
    joined = client.messaging.v1.services(one.sid).phone_numbers.create(phone_number_sid=pn)
    assert (joined.sid, joined.phone_number, joined.country_code) == (pn, "+447700123400", "GB")
    assert joined.capabilities == ["Voice", "SMS"]
    with pytest.raises(TwilioRestException) as exc:
        client.messaging.v1.services(two.sid).phone_numbers.create(phone_number_sid=pn)
    assert (exc.value.status, exc.value.code) == (400, 21712)
    assert client.messaging.v1.services(one.sid).phone_numbers(pn).delete() is True
    assert client.messaging.v1.services(two.sid).phone_numbers.create(phone_number_sid=pn).sid == pn


def test_a_voice_only_number_cannot_join_and_a_released_one_leaves(
    sandbox: RunningSandbox, client: Client
) -> None:
    svc = client.messaging.v1.services.create(friendly_name="pool")
    landline = {"phone_number": "+3612345698", "capabilities": {"voice": True, "sms": False}}
    (landline_sid,) = sandbox.seed(ACCOUNT, incoming_numbers=[landline])["incoming_numbers"]
    with pytest.raises(TwilioRestException) as exc:
        client.messaging.v1.services(svc.sid).phone_numbers.create(phone_number_sid=landline_sid)
    assert exc.value.code == 21715
    pn = buy_mobile(client, 1)
    client.messaging.v1.services(svc.sid).phone_numbers.create(phone_number_sid=pn)
    client.api.v2010.account.incoming_phone_numbers(pn).delete()
    assert client.messaging.v1.services(svc.sid).phone_numbers.list() == []


@pytest.mark.slow
def test_a_pool_holds_at_most_400_numbers(sandbox: RunningSandbox, client: Client) -> None:
    numbers = [{"phone_number": f"+1415666{i:04d}", "iso_country": "US"} for i in range(401)]
    sids = sandbox.seed(ACCOUNT, incoming_numbers=numbers)["incoming_numbers"]
    svc = client.messaging.v1.services.create(friendly_name="big")
    pool = client.messaging.v1.services(svc.sid).phone_numbers
    for sid in sids[:400]:
        pool.create(phone_number_sid=sid)
    with pytest.raises(TwilioRestException) as exc:
        pool.create(phone_number_sid=sids[400])
    assert (exc.value.status, exc.value.code) == (400, 21714)
    assert len(pool.list(page_size=1000)) == 400


def test_conversation_addresses_with_auto_creation(client: Client) -> None:
    flow = "FW" + "4" * 32
    addresses = client.conversations.v1.address_configurations
    made = addresses.create(
        type="whatsapp",
        address="whatsapp:+36201234500",
        friendly_name="DEH hu WhatsApp",
        auto_creation_enabled=True,
        auto_creation_type="studio",
        auto_creation_studio_flow_sid=flow,
        auto_creation_webhook_filters=["onMessageAdded", "onConversationUpdated"],
    )
    assert made.sid.startswith("IG")
    assert made.auto_creation["studio_flow_sid"] == flow
    assert made.auto_creation["webhook_filters"] == ["onMessageAdded", "onConversationUpdated"]
    assert addresses("whatsapp:+36201234500").fetch().sid == made.sid
    with pytest.raises(TwilioRestException) as exc:
        addresses.create(type="whatsapp", address="whatsapp:+36201234500")
    assert exc.value.status == 409
    addresses.create(type="sms", address="+36201234500")
    assert [a.type for a in addresses.list(type="sms")] == ["sms"]
    updated = addresses(made.sid).update(auto_creation_enabled=False)
    assert updated.auto_creation["enabled"] is False and updated.auto_creation["type"] == "studio"
    assert addresses(made.sid).delete() is True


def test_flex_configuration_points_at_the_default_workspace(client: Client) -> None:
    config = client.flex_api.v1.configuration().fetch()
    (ws,) = client.taskrouter.v1.workspaces.list()
    assert config.taskrouter_workspace_sid == ws.sid and config.account_sid == ACCOUNT
    assert config.chat_service_instance_sid.startswith("IS")
    body = {"ui_attributes": {"colorTheme": {"baseName": "FlexLight"}}}
    reply = client.request(
        "POST",
        "https://flex-api.twilio.com/v1/Configuration",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    assert reply.status_code == 200
    assert client.flex_api.v1.configuration().fetch().ui_attributes == {
        "colorTheme": {"baseName": "FlexLight"}
    }


def test_flex_flows_and_web_channels(client: Client) -> None:
    chat = client.flex_api.v1.configuration().fetch().chat_service_instance_sid
    flows = client.flex_api.v1.flex_flow
    studio_flow = "FW" + "5" * 32
    flow = flows.create(
        friendly_name="DEH hu webchat",
        chat_service_sid=chat,
        channel_type="web",
        integration_type="studio",
        integration_flow_sid=studio_flow,
    )
    assert flow.sid.startswith("FO") and flow.integration["flow_sid"] == studio_flow and flow.enabled is True
    assert flows(flow.sid).update(enabled=False).enabled is False
    assert [f.sid for f in flows.list(friendly_name="DEH hu webchat")] == [flow.sid]
    channels = client.flex_api.v1.web_channel
    web = channels.create(
        flex_flow_sid=flow.sid,
        identity="visitor-1",
        customer_friendly_name="Visitor",
        chat_friendly_name="Chat",
    )
    assert web.flex_flow_sid == flow.sid
    assert channels(web.sid).update(chat_status="inactive").sid == web.sid
    assert [c.sid for c in channels.list()] == [web.sid]
    with pytest.raises(TwilioRestException):
        channels.create(
            flex_flow_sid="FO" + "0" * 32, identity="x", customer_friendly_name="x", chat_friendly_name="x"
        )
    assert channels(web.sid).delete() is True
    assert flows(flow.sid).delete() is True


@pytest.mark.parametrize(
    ("type_", "address"),
    [
        ("whatsapp", "+36201234500"),
        ("messenger", "104857600123456"),
        ("sms", "whatsapp:+36201234500"),
        ("sms", "36201234500"),
    ],
)
def test_an_address_without_the_form_of_its_type_is_refused(client: Client, type_: str, address: str) -> None:
    with pytest.raises(TwilioRestException) as exc:
        client.conversations.v1.address_configurations.create(type=type_, address=address)
    assert (exc.value.status, exc.value.code) == (400, 20001)
    assert f"Address {address} is not a valid {type_} address" in exc.value.msg
    assert client.conversations.v1.address_configurations.list() == []


def test_studio_auto_creation_without_a_flow_is_refused(client: Client) -> None:
    addresses = client.conversations.v1.address_configurations
    with pytest.raises(TwilioRestException) as exc:
        addresses.create(
            type="sms", address="+36201234500", auto_creation_enabled=True, auto_creation_type="studio"
        )
    assert (exc.value.status, exc.value.code) == (400, 45763)
    assert "Auto create studio flow SID missing" in exc.value.msg
    assert "AutoCreation.StudioFlowSid is required" in exc.value.msg
    made = addresses.create(
        type="sms",
        address="+36201234500",
        auto_creation_enabled=True,
        auto_creation_type="studio",
        auto_creation_studio_flow_sid="FW" + "6" * 32,
    )
    with pytest.raises(TwilioRestException) as exc:
        addresses(made.sid).update(auto_creation_studio_flow_sid="")
    assert (exc.value.status, exc.value.code) == (400, 45763)
    assert addresses(made.sid).fetch().auto_creation["studio_flow_sid"] == "FW" + "6" * 32


def test_a_number_webhook_set_empty_is_cleared(client: Client) -> None:
    numbers = client.api.v2010.account.incoming_phone_numbers
    sid = buy_mobile(client)
    assert numbers(sid).update(sms_url="https://example.org/sms").sms_url == "https://example.org/sms"
    assert numbers(sid).update(sms_url="").sms_url is None
    assert numbers(sid).fetch().sms_url is None


def test_the_senders_api_lists_registered_whatsapp_senders_by_channel(
    sandbox: RunningSandbox, client: Client
) -> None:
    sandbox.seed(
        ACCOUNT,
        senders=[
            {"sender_id": "whatsapp:+36705550101"},
            {"sender_id": "whatsapp:+36705550102", "status": "OFFLINE"},
        ],
    )
    senders = client.messaging.v2.channels_senders
    listed = {x.sender_id: x.status for x in senders.list(channel="whatsapp")}
    assert listed == {"whatsapp:+36705550101": "ONLINE", "whatsapp:+36705550102": "OFFLINE"}
    assert senders.list(channel="rcs") == []
    (first,) = [x for x in senders.list(channel="whatsapp") if x.status == "ONLINE"]
    assert first.sid.startswith("XE") and senders(first.sid).fetch().sender_id == "whatsapp:+36705550101"


def test_a_messenger_address_needs_its_facebook_page_connected_in_the_console(
    sandbox: RunningSandbox, client: Client
) -> None:
    addresses = client.conversations.v1.address_configurations
    with pytest.raises(TwilioRestException) as exc:
        addresses.create(type="messenger", address="messenger:104857600123456")
    assert (exc.value.status, exc.value.code) == (400, 20001)
    assert "Facebook Page 104857600123456 is not connected to this account" in exc.value.msg
    sandbox.seed(ACCOUNT, facebook_pages=["104857600123456"])
    made = addresses.create(type="messenger", address="messenger:104857600123456")
    assert addresses(made.sid).fetch().address == "messenger:104857600123456"


def test_auto_creation_without_a_type_is_refused(client: Client) -> None:
    with pytest.raises(TwilioRestException) as exc:
        client.conversations.v1.address_configurations.create(
            type="whatsapp", address="whatsapp:+36201234500", auto_creation_enabled=True
        )
    assert (exc.value.status, exc.value.code) == (400, 45762)
    assert exc.value.msg == (
        "Unable to create record: Failed to validate address configuration. Auto create type is empty or invalid."
    )
    assert client.conversations.v1.address_configurations.list() == []


@pytest.mark.parametrize("flow", ["${ref:studio.flow/messaging.sid}", "FW123", "WW" + "6" * 32])
def test_studio_auto_creation_with_what_is_not_a_flow_sid_is_refused(client: Client, flow: str) -> None:
    with pytest.raises(TwilioRestException) as exc:
        client.conversations.v1.address_configurations.create(
            type="messenger",
            address="messenger:104857600123456",
            auto_creation_enabled=True,
            auto_creation_type="studio",
            auto_creation_studio_flow_sid=flow,
        )
    assert (exc.value.status, exc.value.code) == (400, 20001)
    assert exc.value.msg == (
        f"Unable to create record: Invalid AutoCreation.StudioFlowSid: {flow} is not a Studio flow SID (FW…)"
    )
