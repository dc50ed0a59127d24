"""The channel table: every channel a hub can offer, one definition each, in the order the config lists them.

The schema, the rules, the model, render, the simulator, the sandbox and the CLI read this table and keep no list
of their own. A built-in channel is its module beside this one (``voice.py`` defines ``CHANNEL``) and its name in
``BUILT_IN``; then ``python -m deh_deploy.channels --write-schema`` writes the published schemas. ``register``
adds a definition at run time, as a test's fake channel does; nothing else needs editing for it.

This is the bottom layer, and the CLI reads it at start-up: ``names()`` costs nothing, and the definitions (frozen
dataclasses, whose creation is what costs) are imported the first time one is asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deh_deploy.channels.definition import Channel, ChannelName

__all__ = ["BUILT_IN", "get", "messaging", "names", "register", "registered", "table", "unregister"]

BUILT_IN = ("voice", "sms", "whatsapp", "messenger", "viber", "webchat")
"""The built-in channels, in order; each is also the name of the module that defines it."""
NAME = r"^[a-z][a-z0-9_]{0,39}$"

_registered: dict[ChannelName, Channel] = {}  # at run time, after the built-in ones


@cache
def _built_in() -> dict[ChannelName, Channel]:
    table: dict[ChannelName, Channel] = {}
    for name in BUILT_IN:
        channel: Channel = import_module(f"{__name__}.{name}").CHANNEL
        problems = list(_problems(channel, tuple(table.values())))
        if channel.name != name or problems:
            raise ValueError(f"channel module {name!r}: " + "; ".join(problems or ["defines another name"]))
        table[name] = channel
    return table


def table() -> tuple[Channel, ...]:
    """Every channel, in order. The tuple doubles as a cache key: definitions hash by identity."""
    return (*_built_in().values(), *_registered.values())


def names() -> tuple[ChannelName, ...]:
    return (*BUILT_IN, *_registered)


def get(name: ChannelName) -> Channel:
    """A channel's definition. Raises KeyError for a name the table does not have."""
    return _registered[name] if name in _registered else _built_in()[name]


def messaging() -> tuple[Channel, ...]:
    """The channels the messaging flow serves, in order."""
    return tuple(c for c in table() if c.flow == "messaging")


def register(channel: Channel) -> Channel:
    """Add a channel at the end of the table. Raises ValueError when the definition does not hold together."""
    problems = list(_problems(channel, table()))
    if problems:
        raise ValueError(f"channel {channel.name!r}: " + "; ".join(problems))
    _registered[channel.name] = channel
    return channel


def unregister(name: ChannelName) -> None:
    """Remove a channel ``register`` added (built-in ones stay)."""
    del _registered[name]


@contextmanager
def registered(channel: Channel) -> Iterator[Channel]:
    """The table with one more channel for the duration of a block (a test's fake channel)."""
    register(channel)
    try:
        yield channel
    finally:
        unregister(channel.name)


def _problems(c: Channel, others: tuple[Channel, ...]) -> Iterator[str]:
    """What would make the layers that read the table misbehave, said when the definition is registered."""
    from deh_deploy.channels.definition import ADDRESS_TYPES, TASK_CHANNELS, NumberSettings
    from deh_deploy.channels.webchat import WebChat

    if not re.match(NAME, c.name):
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
