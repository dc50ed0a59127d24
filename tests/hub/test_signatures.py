"""``X-Twilio-Signature`` against the public URL: a genuine request holds whether Twilio signed the URL with its
port or without, and a forged or tampered one does not, also where the public URL names its port."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from deh_deploy.hub.signatures import Verifier

from .conftest import SECRETS

TOKEN = SECRETS["TWILIO_AUTH_TOKEN"]
PATH = "/twilio/taskrouter"
FORM = "application/x-www-form-urlencoded"
PARAMS = {"EventType": "task.created", "Sid": "EV" + "0" * 32, "TaskSid": "WT" + "1" * 32}


def check(public: str, signed_for: str, *, body: dict[str, str] = PARAMS, token: str = TOKEN) -> bool:
    signature = RequestValidator(token).compute_signature(signed_for + PATH, PARAMS)
    verified = Verifier(TOKEN, public).verify(
        path=PATH, query="", body=urlencode(body).encode(), content_type=FORM, signature=signature
    )
    return verified is not None


@pytest.mark.parametrize(
    ("public", "signed_for"),
    [
        ("https://hub.example.org", "https://hub.example.org"),
        ("https://hub.example.org", "https://hub.example.org:443"),
        ("https://hub.example.org:443", "https://hub.example.org:443"),
        ("https://hub.example.org:443", "https://hub.example.org"),
        ("https://hub.example.org:8443", "https://hub.example.org:8443"),
    ],
    ids=["no-port", "port-signed", "port-configured", "port-configured-unsigned", "other-port"],
)
def test_a_genuine_request_holds_with_or_without_the_port(public: str, signed_for: str) -> None:
    assert check(public, signed_for)


@pytest.mark.parametrize("public", ["https://hub.example.org", "https://hub.example.org:443"])
def test_a_forged_or_tampered_request_does_not_hold(public: str) -> None:
    assert not check(public, public, token="0" * 32)  # signed with another account's token
    assert not check(public, public, body={**PARAMS, "TaskSid": "WT" + "2" * 32})  # a value changed
    assert not check(public, "https://elsewhere.example.org")  # signed for another host


def test_a_signature_that_is_not_ascii_is_refused_not_raised() -> None:
    verified = Verifier(TOKEN, "https://hub.example.org").verify(
        path=PATH, query="", body=urlencode(PARAMS).encode(), content_type=FORM, signature="é" * 28
    )
    assert verified is None
