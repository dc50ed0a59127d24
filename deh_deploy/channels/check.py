"""The checks a channel definition must pass before it joins the table: what the layers reading the table rely on."""

from __future__ import annotations

import re
from collections.abc import Iterator

from deh_deploy.channels.definition import ADDRESS_TYPES, TASK_CHANNELS, Channel, NumberSettings
from deh_deploy.channels.webchat import WebChat

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def problems(c: Channel, others: tuple[Channel, ...]) -> Iterator[str]:
    """What would make the layers that read the table misbehave, said when the definition is registered."""
    if not NAME.match(c.name):
        yield "a name is lowercase letters, digits and _, starting with a letter"
    if any(o.name == c.name for o in others):
        yield "already registered"
    if not c.schema.get("description"):
        yield "its schema needs a description"
    if c.address_type is not None and c.address_type not in ADDRESS_TYPES:
        yield f"Twilio has no Conversations address type {c.address_type!r}"
    if c.task_channel not in (unique for unique, _ in TASK_CHANNELS):
        yield f"a Flex workspace has no task channel {c.task_channel!r} to adopt"
    needs = [p.key for p in c.needs]
    if c.carrier == "number" and not (c.capability and c.settings and issubclass(c.settings, NumberSettings)):
        yield "a number carries it: say its capability and give settings with the number"
    if c.carrier == "conversations" and not (c.address_type and c.prefix and c.address_from in needs):
        yield "Conversations carries it: say its address type, prefix and the prerequisite holding the address"
    if c.carrier == "flex-webchat" and not (c.settings and issubclass(c.settings, WebChat)):
        yield "Flex web chat carries it: give it web chat settings (the allowed origins)"
    if c.carrier == "hub-bridge" and not c.prefix:
        yield "the hub service bridges it: say the prefix its senders get"
    taken = {p.key for o in others for p in o.needs}
    if clash := sorted(taken.intersection(needs)):
        yield f"prerequisite {', '.join(clash)} belongs to another channel"
    if c.flow != "messaging":
        return
    served = [o for o in others if o.flow == "messaging"]
    if not c.mark and any(not o.mark for o in served):
        yield "the messaging flow already has a fallback channel; give a prefix or recognised_by"
    if any(o.task_channel != c.task_channel for o in served):
        yield f"the messaging flow hands every channel to Flex on the {served[0].task_channel} task channel"
