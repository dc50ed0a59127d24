"""Numbers, the Messaging Service, Conversations addresses and Flex web chat: where people reach the flows."""

from __future__ import annotations

from deh_deploy.config.model import HubConfig
from deh_deploy.render.desired import Desired, ref, resource
from deh_deploy.render.names import friendly

VOICE_FLOW = "voice"
MESSAGING_FLOW = "messaging"


def render_channels(hub: HubConfig, env: str, desired: Desired) -> None:
    e = hub.environment(env)
    ch = hub.channels
    # Entry points (numbers, sender addresses, web chat) open last: only once the functions the flows call are live.
    live_after = (f"serverless.deployment/{env}",)
    uses: dict[str, set[str]] = {}
    if ch.voice:
        uses.setdefault(ch.voice.number, set()).add("voice")
    if ch.sms:
        uses.setdefault(ch.sms.number, set()).add("sms")
    for num_id, spec in sorted(e.numbers.items()):
        # A bought number carries our name; an adopted one keeps its own (it was bought by hand, and stays).
        attrs: dict[str, object] = {"country": spec.country, "type": spec.type}
        if spec.adopt:
            attrs["adopt"] = spec.adopt
        else:
            attrs["friendly_name"] = friendly(hub.slug, env, num_id)
            attrs["buy"] = {
                k: v for k, v in (("area_code", spec.area_code), ("contains", spec.contains)) if v
            }
        for key, value in (("bundle_sid", spec.bundle_sid), ("address_sid", spec.address_sid)):
            if value:
                attrs[key] = value
        attrs["capabilities"] = sorted(uses.get(num_id, ()))
        desired.add(resource("phone.number", num_id, attrs))
        # Pointing the number at the flows is a step of its own: bought early, routed once the hub is live.
        route: dict[str, object] = {"phone_number_sid": ref("phone.number", num_id, "sid")}
        if "voice" in uses.get(num_id, ()):
            route["voice_url"] = ref("studio.flow", VOICE_FLOW, "webhook_url")
        if "sms" in uses.get(num_id, ()):
            route["sms_url"] = ref("studio.flow", MESSAGING_FLOW, "webhook_url")
        if len(route) > 1:
            desired.add(resource("phone.route", num_id, route, after=live_after))

    if ch.sms:
        desired.add(
            resource(
                "messaging.service",
                "hub",
                {
                    "friendly_name": friendly(hub.slug, env, "messaging"),
                    "use_inbound_webhook_on_number": True,
                },
            )
        )
        desired.add(
            resource(
                "messaging.service_number",
                ch.sms.number,
                {
                    "service_sid": ref("messaging.service", "hub", "sid"),
                    "phone_number_sid": ref("phone.number", ch.sms.number, "sid"),
                },
            )
        )
    flow_sid = ref("studio.flow", MESSAGING_FLOW, "sid")
    for channel, address in (
        ("whatsapp", f"whatsapp:{e.whatsapp_sender}" if ch.whatsapp else None),
        ("messenger", f"messenger:{e.messenger_page_id}" if ch.messenger else None),
    ):
        if address:
            desired.add(
                resource(
                    "conversations.address",
                    channel,
                    {
                        "type": channel,
                        "address": address,
                        "friendly_name": friendly(hub.slug, env, channel),
                        "auto_creation": {
                            "enabled": True,
                            "type": "studio",
                            "studio_flow_sid": flow_sid,
                            "webhook_filters": ["onMessageAdded"],
                        },
                    },
                    after=live_after,
                )
            )
    if ch.webchat_origins is not None:
        desired.add(
            resource(
                "flex.flow",
                "webchat",
                {
                    "friendly_name": friendly(hub.slug, env, "webchat"),
                    "channel_type": "web",
                    "integration_type": "studio",
                    "integration": {"flow_sid": flow_sid},
                    "enabled": True,
                    "contact_identity": "webchat",
                    "allowed_origins": list(ch.webchat_origins),
                },
                after=live_after,
            )
        )
