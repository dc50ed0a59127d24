"""The channel table: every channel a hub can offer, one definition each, in the order the config lists them.

The schema, the rules, the model, render, the simulator, the sandbox and the CLI read this table and keep no list
of their own. A built-in channel is its module beside this one (``voice.py`` defines ``CHANNEL``) and its name in
``BUILT_IN``; then ``python -m deh_deploy.channels --write-schema`` writes the published schemas. ``register``
adds a definition at run time, as a test's fake channel does; nothing else needs editing for it.

This is the bottom layer, and the CLI reads it at start-up: ``names()`` costs nothing, and the definitions (frozen
dataclasses, whose creation is what costs) are imported the first time one is asked for.
"""

from __future__ import annotations

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

_registered: dict[ChannelName, Channel] = {}  # at run time, after the built-in ones


@cache
def _built_in() -> dict[ChannelName, Channel]:
    table: dict[ChannelName, Channel] = {}
    for name in BUILT_IN:
        channel: Channel = import_module(f"{__name__}.{name}").CHANNEL
        problems = _problems(channel, tuple(table.values()))
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
    problems = _problems(channel, table())
    if problems:
        raise ValueError(f"channel {channel.name!r}: " + "; ".join(problems))
    _registered[channel.name] = channel
    return channel


def unregister(name: ChannelName) -> None:
    """Remove a channel ``register`` added (built-in ones stay)."""
    del _registered[name]


def _problems(channel: Channel, others: tuple[Channel, ...]) -> list[str]:
    from deh_deploy.channels.check import problems

    return list(problems(channel, others))


@contextmanager
def registered(channel: Channel) -> Iterator[Channel]:
    """The table with one more channel for the duration of a block (a test's fake channel)."""
    register(channel)
    try:
        yield channel
    finally:
        unregister(channel.name)
