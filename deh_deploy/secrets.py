"""Secrets by reference: read from the environment by name, and scrubbed from everything we print or log."""

from __future__ import annotations

import os

_KNOWN: set[str] = set()
_MIN_LEN = 6  # shorter values would redact ordinary words


def register(value: str | None) -> None:
    """Remember a secret so that :func:`redact` removes it from any text."""
    if value and len(value) >= _MIN_LEN:
        _KNOWN.add(value)


def from_env(name: str) -> str | None:
    """The value of an environment variable that holds a secret; registered for redaction."""
    value = os.environ.get(name)
    register(value)
    return value


def redact(text: str) -> str:
    """Replace every registered secret with ``***``: the values of the variables the config names (and the
    sandbox's own tokens), by value. Never by shape: a topic title or a digest of 32 letters is not a secret, and
    masking it made printed plans differ from the plans they print."""
    for secret in sorted(_KNOWN, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
