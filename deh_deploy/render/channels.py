"""Numbers, the Messaging Service, Conversations addresses and Flex web chat: where people reach the flows."""

from __future__ import annotations

from deh_deploy.channels.webchat import WebChat
from deh_deploy.config.model import HubConfig
from deh_deploy.names import friendly
from deh_deploy.render.desired import Desired, ref, resource

VOICE_FLOW = "voice"
MESSAGING_FLOW = "messaging"


def render_channels(hub: HubConfig, env: str, desired: Desired) -> None:
    """Each enabled channel's entry point, by how Twilio carries it (see ``deh_deploy.channels``)."""
    e = hub.environment(env)
    ch = hub.channels
    # Entry points (numbers, sender addresses, web chat) open last: only once the functions the flows call are live.
    live_after = (f"serverless.deployment/{env}",)
    on_number = ch.numbers()
    uses: dict[str, set[str]] = {}
    for channel, settings in on_number:
        uses.setdefault(settings.number, set()).add(str(channel.capability))
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
        for channel, settings in on_number:
            if settings.number == num_id:
                route[f"{channel.capability}_url"] = ref("studio.flow", channel.flow, "webhook_url")
        if len(route) > 1:
            desired.add(resource("phone.route", num_id, route, after=live_after))

    texted = [settings.number for channel, settings in on_number if channel.capability == "sms"]
    if texted:
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
    for number in texted:
        desired.add(
            resource(
                "messaging.service_number",
                number,
                {
                    "service_sid": ref("messaging.service", "hub", "sid"),
                    "phone_number_sid": ref("phone.number", number, "sid"),
                },
            )
        )
    flow_sid = ref("studio.flow", MESSAGING_FLOW, "sid")
    for channel in ch.carried_by("conversations"):
        desired.add(
            resource(
                "conversations.address",
                channel.name,
                {
                    "type": channel.address_type,
                    "address": f"{channel.prefix}{e.prerequisites.get(str(channel.address_from))}",
                    "friendly_name": friendly(hub.slug, env, channel.name),
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
    for channel in ch.carried_by("flex-webchat"):
        chat = ch.settings[channel.name]
        assert isinstance(chat, WebChat)  # the table allows flex-webchat only with web chat settings
        desired.add(
            resource(
                "flex.flow",
                channel.name,
                {
                    "friendly_name": friendly(hub.slug, env, channel.name),
                    "channel_type": "web",
                    "integration_type": "studio",
                    "integration": {"flow_sid": flow_sid},
                    "enabled": True,
                    "contact_identity": channel.name,
                    "allowed_origins": list(chat.allowed_origins),
                },
                after=live_after,
            )
        )
