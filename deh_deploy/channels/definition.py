"""What one channel is, as every layer needs to know it: frozen values, no behaviour.

A definition is data so that config, render, simulate, sandbox and the CLI can all read it without importing
each other, and so that a new channel is one value in one table (see ``deh_deploy.channels``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Protocol

    class Settings(Protocol):
        """A channel's settings as the model keeps them, read from its validated ``channels.<name>``."""

        @classmethod
        def read(cls, data: Mapping[str, Any]) -> Settings: ...


ChannelName: TypeAlias = str
"""A channel's name as the config, the scenarios and ``--channel`` write it: a key of the channel table."""

Carrier = Literal["number", "conversations", "flex-webchat", "hub-bridge"]
"""How a person's message or call reaches the hub.

``number``: natively, through a capability of a phone number (voice, sms). ``conversations``: natively, through
a Twilio Conversations address of the channel's type, made from an environment's prerequisite (WhatsApp,
Messenger). ``flex-webchat``: Webchat 3 on the Society's site, through a Conversations address of type ``chat``. ``hub-bridge``: Twilio has no such
channel; the hub service carries it into Conversations with the channel's address prefix (Viber).
"""

# What Twilio offers to carry a channel on; a definition picks from these, and the sandbox emulates them.
ADDRESS_TYPES = ("sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat")
"""The types of Twilio Conversations addresses."""
TASK_CHANNELS = (
    ("default", "Default"),
    ("voice", "Voice"),
    ("chat", "Programmable Chat"),
    ("sms", "SMS"),
    ("video", "Video"),
    ("email", "Email"),
)
"""The task channels every TaskRouter workspace starts with (unique and friendly name): render adopts the ones
the channels use, so a channel's task channel must be one of them."""

FlowName = Literal["voice", "messaging"]
Trigger = Literal["incomingCall", "incomingMessage", "incomingConversationMessage"]
JSON: TypeAlias = dict[str, Any]


@dataclass(frozen=True)
class NumberSettings:
    """Settings of a channel a phone number carries: which of the environment's numbers it uses."""

    number: str


@dataclass(frozen=True, eq=False)
class Prerequisite:
    """A key each environment must set before the channel can run there (the WhatsApp sender, the page id).

    ``schema`` is the key's property in the published schema's ``$defs.environment``. ``phone``: the value is a
    phone number that must be valid in the Society's country, which a pattern cannot say.
    """

    key: str
    schema: JSON
    phone: bool = False


@dataclass(frozen=True)
class Limits:
    """How long one message may be on the channel, for the rules' warnings.

    ``segments_key`` names the channel setting that caps the SMS segments of a text (``max_segments``), with
    ``default_segments`` when it is left out. ``max_chars`` is what the channel takes in one message; a channel
    that counts segments needs none, its segments bind first.
    """

    max_chars: int | None = None
    segments_key: str | None = None
    default_segments: int = 3


@dataclass(frozen=True, eq=False)
class Channel:
    """Everything about one channel, in one place. Compared and hashed by identity: it is a table entry.

    - ``schema``: the ``channels.<name>`` object of the published schema, with descriptions and examples.
    - ``carrier`` and ``flow``: how a contact reaches the hub, and which Studio flow serves it.
    - ``capability`` (carrier ``number``): the phone-number capability; without an ``address_type`` the number
      routes its ``<capability>_url`` to the channel's flow (voice).
    - ``address_type``: the Conversations address a person's messages enter by. On a number (SMS) the address is
      the number; with carrier ``conversations`` it is the prerequisite ``address_from``, after ``prefix``; for web
      chat, a name of the hub's.
    - ``prefix``: how Twilio writes a sender of this channel (``whatsapp:+36…``). ``recognised_by``: what in a
      sender tells the messaging flow it is this channel when the prefix does not (``+`` for SMS); the one
      messaging channel with neither is the flow's fallback.
    - ``task_channel``: the TaskRouter task channel of its Flex tasks.
    - ``limits``: how long a message may be. ``needs``: what each environment must set for it.
    - ``sender``: the simulator's default ``--from``; None for an example mobile number of the country.
    - ``settings``: the type the model reads the channel's settings into; None keeps them as written.
    - ``suggestion``: what the comment of a new hub (``deh init``) offers to turn it on; None for a channel the
      country template writes itself.
    """

    name: ChannelName
    schema: JSON
    carrier: Carrier
    flow: FlowName = "messaging"
    capability: str | None = None
    address_type: str | None = None
    address_from: str | None = None
    prefix: str = ""
    recognised_by: str = ""
    task_channel: str = "chat"
    limits: Limits = Limits()
    sender: str | None = None
    needs: tuple[Prerequisite, ...] = ()
    settings: type[Settings] | None = None
    suggestion: str | None = "{}"

    @property
    def mark(self) -> str:
        """What the messaging flow looks for in a sender's address; empty for the fallback channel."""
        return self.recognised_by or self.prefix

    @property
    def trigger(self) -> Trigger:
        """The Studio trigger a person's first contact fires."""
        if self.capability == "voice":
            return "incomingCall"
        # Every messaging channel enters through a Conversations address or a conversation the hub bridges.
        return "incomingConversationMessage"
