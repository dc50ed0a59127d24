"""Secrets by reference: read from the environment by name, and scrubbed from everything we print or log."""

from __future__ import annotations

import os
import re

_KNOWN: set[str] = set()
_MIN_LEN = 6  # shorter values would redact ordinary words
# Twilio-shaped secrets in any text (an auth token is 32 hex; an API secret 32 alphanumerics).
# SIDs are 34 characters (prefix + 32 hex), so they are left alone.
_TOKENISH = re.compile(r"(?<![A-Za-z0-9])(?:[0-9a-f]{32}|[A-Za-z0-9]{32})(?![A-Za-z0-9])")


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
    """Replace every registered secret, and anything shaped like a Twilio token, with ``***``."""
    for secret in sorted(_KNOWN, key=len, reverse=True):
        text = text.replace(secret, "***")
    return _TOKENISH.sub("***", text)
