"""Numbers and Conversations addresses (SMS, WhatsApp, Messenger, web chat): where people reach the flows."""

from __future__ import annotations

from deh_deploy.channels.definition import Channel
from deh_deploy.channels.webchat import WebChat
from deh_deploy.config.model import HubConfig
from deh_deploy.names import friendly
from deh_deploy.render.desired import Desired, Ref, Resource, ref, resource

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
        sids = {
            "bundle_sid": spec.bundle_sid,
            "address_sid": spec.address_sid,
            "bundle_sid_env": spec.bundle_sid_env,
            "address_sid_env": spec.address_sid_env,
        }
        attrs.update({key: value for key, value in sids.items() if value})
        attrs["capabilities"] = sorted(uses.get(num_id, ()))
        desired.add(resource("phone.number", num_id, attrs))
        # Pointing the number at the flows is a step of its own: bought early, routed once the hub is live. A
        # channel entering by a Conversations address (SMS) leaves its webhook blank, once that address is live.
        route: dict[str, object] = {"phone_number_sid": ref("phone.number", num_id, "sid")}
        after: tuple[str, ...] = live_after
        for channel, settings in on_number:
            if settings.number != num_id:
                continue
            if channel.address_type:
                route[f"{channel.capability}_url"] = None
                address_ref = ref("phone.number", num_id, "phone_number")
                desired.add(_address(hub, env, channel, address_ref, after=live_after))
                after = (*after, f"conversations.address/{channel.name}")
            else:
                route[f"{channel.capability}_url"] = ref("studio.flow", channel.flow, "webhook_url")
        if len(route) > 1:
            desired.add(resource("phone.route", num_id, route, after=after))

    for channel in ch.carried_by("conversations"):
        prefixed = f"{channel.prefix}{e.prerequisites.get(str(channel.address_from))}"
        desired.add(_address(hub, env, channel, prefixed, after=live_after))
    for channel in ch.carried_by("flex-webchat"):
        chat = ch.settings[channel.name]
        assert isinstance(chat, WebChat)  # the table allows flex-webchat only with web chat settings
        # Twilio's API sets no deployment key and no allowed origins: plan names that console step.
        console = {"deployment_key": True, "allowed_origins": list(chat.allowed_origins)}
        name = friendly(hub.slug, env, channel.name)
        desired.add(_address(hub, env, channel, name, after=live_after, console=console))


def _address(
    hub: HubConfig,
    env: str,
    channel: Channel,
    address: str | Ref,
    *,
    after: tuple[str, ...],
    console: dict[str, object] | None = None,
) -> Resource:
    """The Conversations address a channel's messages enter by: Studio auto-creation starts the messaging flow
    from its ``incomingConversationMessage`` trigger. ``console``: what only the console sets on it."""
    attrs: dict[str, object] = {
        "type": channel.address_type,
        "address": address,
        "friendly_name": friendly(hub.slug, env, channel.name),
        "auto_creation": {
            "enabled": True,
            "type": "studio",
            "studio_flow_sid": ref("studio.flow", channel.flow, "sid"),
            "webhook_filters": ["onMessageAdded"],
        },
    }
    if console is not None:
        attrs["console"] = console
    return resource("conversations.address", channel.name, attrs, after=after)
