"""The kinds of event the hub service receives, one module each, registered once.

A kind says where its webhook arrives (``path``), which provider id makes an event unique (``key``), which
fields are never stored (message text: ``minimise``), and how a stored event changes the feedback records
(``process``: True when applied, False when the event is not about a DEH contact and is kept as ignored).
The app and the inbox name no kind; a later provider (Viber) is one more module here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from deh_deploy.hub.records import Context

Params = Mapping[str, Any]


@dataclass(frozen=True)
class Kind:
    name: str
    provider: str
    path: str
    key: Callable[[Params], str | None]
    minimise: Callable[[Params], dict[str, Any]]
    process: Callable[[Connection, Params, Context], bool]


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.name in KINDS:
        raise ValueError(f"event kind {kind.name!r} registered twice")
    KINDS[kind.name] = kind
    return kind


def load() -> Mapping[str, Kind]:
    """Every kind, its module imported once."""
    from deh_deploy.hub.kinds import conversations, taskrouter, voicemail  # noqa: F401

    return KINDS


def without(params: Params, *names: str) -> dict[str, Any]:
    return {k: v for k, v in params.items() if k not in names}
