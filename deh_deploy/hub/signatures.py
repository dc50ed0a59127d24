"""Twilio's ``X-Twilio-Signature``, checked with the SDK's ``RequestValidator`` against the public URL.

The URL is the configured public base URL plus the path and query the request arrived with: what Twilio signed,
not what a proxy in front of the service forwarded. A form body is checked as its parameters; a JSON body only
through the ``bodySHA256`` query parameter (its hash is signed with the URL), as Twilio signs JSON webhooks.
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit


class Form(dict[str, str]):
    """Form parameters (the last value of each), with every value kept for the signature."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__(pairs)
        self._all: dict[str, list[str]] = {}
        for key, value in pairs:
            self._all.setdefault(key, []).append(value)

    def getall(self, key: str) -> list[str]:
        return self._all[key]


class Verifier:
    def __init__(self, auth_token: str, public_url: str) -> None:
        from twilio.request_validator import RequestValidator

        self._validator = RequestValidator(auth_token)
        self._public_url = public_url.rstrip("/")
        self._portless = urlsplit(self._public_url).port is None

    def url(self, path: str, query: str) -> str:
        return self._public_url + path + (f"?{query}" if query else "")

    def verify(
        self, *, path: str, query: str, body: bytes, content_type: str, signature: str | None
    ) -> dict[str, Any] | None:
        """The request's parameters when its signature holds; ``None`` for a forged, unsigned or tampered one."""
        if not signature:
            return None
        url = self.url(path, query)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if content_type.split(";")[0].strip().lower() == "application/json":
            if "bodySHA256" not in parse_qs(query):
                return None
            if not self._validator.validate(url, text, signature):
                return None
            return json_object(text)
        form = Form(parse_qsl(text, keep_blank_values=True))
        if not self._holds(url, form, signature):
            return None
        return dict(form)

    def _holds(self, url: str, form: Form, signature: str) -> bool:
        """The SDK's ``validate`` computes two HMACs, for the URL with and without its port (Twilio has signed
        both ways). Where the public URL has no port, the first is the URL as configured: one HMAC (the SDK's
        ``compute_signature``) settles a genuine request, and only one that fails it pays for ``validate``."""
        if self._portless:
            expected: str = self._validator.compute_signature(url, form)
            if hmac.compare_digest(expected.encode(), signature.encode()):
                return True
        return bool(self._validator.validate(url, form, signature))


_SURROGATE = re.compile(r"\\u[dD][89abcdefABCDEF]")


def json_object(text: str) -> dict[str, Any] | None:
    """A JSON body's object, or ``None`` for anything else: not JSON, not an object, or a string holding a lone
    surrogate (``\\ud800``: JSON allows the escape, but it is not text, and no database stores it)."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser recurses
        return None
    if not isinstance(value, dict):
        return None
    if _SURROGATE.search(text):  # only then pay for the check (an escaped pair is an emoji, and fine)
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            return None
    return value


def sign(auth_token: str, url: str, params: dict[str, str]) -> str:
    """``X-Twilio-Signature`` for a form posted to ``url``, as Twilio computes it (the SDK's own algorithm): what
    ``deh simulate --hub`` sends, so its events pass the same check as Twilio's."""
    from twilio.request_validator import RequestValidator

    signature: str = RequestValidator(auth_token).compute_signature(url, params)
    return signature
