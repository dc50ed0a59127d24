"""A hub applied by the version before Conversations messaging migrates on its next apply.

The old resources are made here with the SDK, in the shapes that version wrote: the number's ``sms_url`` on the
messaging flow, a Messaging Service with ``UseInboundWebhookOnNumber`` holding the number, and web chat as a
legacy FlexFlow on the Flex chat service; it made no SMS or chat address."""

from __future__ import annotations

from typing import Any

from twilio.rest import Client

from deh_deploy.deploy import apply_hub, plan_hub
from tests.provider.conftest import World, hub


def _as_the_landed_version_left_it(client: Client) -> dict[str, str]:
    """Turn a hub applied today back into what the landed version made; the SIDs that must survive."""
    addresses = client.conversations.v1.address_configurations
    for address in addresses.list():
        if address.type in ("sms", "chat"):
            addresses(address.sid).delete()
    (number,) = client.api.v2010.account.incoming_phone_numbers.list()
    flow = next(f for f in client.studio.v2.flows.list() if f.friendly_name.endswith(" messaging"))
    client.api.v2010.account.incoming_phone_numbers(number.sid).update(sms_url=flow.webhook_url)
    services = client.messaging.v1.services
    service = services(services.create(friendly_name="DEH hungary staging messaging").sid).update(
        use_inbound_webhook_on_number=True
    )
    services(service.sid).phone_numbers.create(phone_number_sid=number.sid)
    chat_service = client.flex_api.v1.configuration().fetch().chat_service_instance_sid
    legacy = client.flex_api.v1.flex_flow.create(
        friendly_name="DEH hungary staging webchat",
        chat_service_sid=chat_service,
        channel_type="web",
        integration_type="studio",
        integration_flow_sid=flow.sid,
        enabled=True,
        contact_identity="webchat",
    )
    templates = sorted(c.sid for c in client.content.v1.contents.list())
    return {
        "number": number.sid,
        "service": service.sid,
        "legacy": legacy.sid,
        "templates": ",".join(templates),
    }


def _writes(log: list[dict[str, Any]]) -> list[str]:
    return [f"{e['method']} {e['product']}{e['path']}" for e in log if e["method"] != "GET"]


def test_a_hub_of_the_landed_version_moves_to_conversations_losing_nothing(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    with world.connect(h) as conn:
        assert not apply_hub(h, "staging", conn, allow_purchase=True).outcome.failed
        old = _as_the_landed_version_left_it(conn.client)

    with world.connect(h) as conn:
        plan = plan_hub(h, "staging", conn)
    moves = {(c.action, c.kind, c.key) for c in plan.writes}
    assert moves >= {
        ("create", "conversations.address", "sms"),
        ("create", "conversations.address", "webchat"),
        ("update", "phone.route", "main"),
        ("delete", "messaging.service", "DEH hungary staging messaging"),
        ("delete", "flex.flow", "DEH hungary staging webchat"),
    }, plan.render("text")
    assert not any(c.purchase for c in plan.writes)
    assert not any(c.kind == "phone.number" for c in plan.writes)

    world.sandbox.clear_requests()
    with world.connect(h) as conn:
        done = apply_hub(h, "staging", conn, allow_purchase=True)
        client = conn.client
        assert not done.outcome.failed
        writes = _writes(world.sandbox.requests())
        (number,) = client.api.v2010.account.incoming_phone_numbers.list()
        assert number.sid == old["number"] and not number.sms_url and number.voice_url
        sms = client.conversations.v1.address_configurations(number.phone_number).fetch()
        assert sms.type == "sms" and sms.auto_creation["studio_flow_sid"]
        assert client.messaging.v1.services.list() == []
        assert client.flex_api.v1.flex_flow.list() == []
        assert ",".join(sorted(c.sid for c in client.content.v1.contents.list())) == old["templates"]

    def first(fragment: str) -> int:
        return next(i for i, w in enumerate(writes) if fragment in w)

    # The new ways in are live before the old ones close.
    made = first("POST conversations/v1/Configuration/Addresses")
    assert made < first(
        f"POST api/2010-04-01/Accounts/{h.environment('staging').account_sid}/IncomingPhoneNumbers/"
    )
    assert made < first(f"DELETE messaging/v1/Services/{old['service']}")
    assert max(i for i, w in enumerate(writes) if "Configuration/Addresses" in w) < first(
        f"DELETE flex-api/v1/FlexFlows/{old['legacy']}"
    )
    with world.connect(h) as conn:
        assert plan_hub(h, "staging", conn).empty
