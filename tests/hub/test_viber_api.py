"""What a Viber message becomes on either side, the signature, and which language a person is answered in."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from deh_deploy.hub import viber

TOKEN = "4453b6ac12345678-e02d1b1f3c5a9e7b"


def test_a_callback_is_verified_on_its_raw_bytes_in_constant_time() -> None:
    body = json.dumps(
        {"event": "message", "message_token": 1, "text": "Дякую ✓"}, ensure_ascii=False
    ).encode()
    good = hmac.new(TOKEN.encode(), body, hashlib.sha256).hexdigest()
    assert viber.verified(TOKEN, body, good) == json.loads(body)
    assert viber.verified(TOKEN, body, good.upper()) == json.loads(body), "hex digits in either case"
    assert viber.verified(TOKEN, body, None) is None
    assert viber.verified(TOKEN, body, "") is None
    assert viber.verified(TOKEN, body + b" ", good) is None
    assert viber.verified(TOKEN, b"[1, 2]", viber.signature(TOKEN, b"[1, 2]")) is None, "not a callback"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("uk", "uk"), ("ru-RU", "ru"), ("hu_HU", "hu"), ("de", "uk"), (None, "uk"), ("", "uk")],
)
def test_the_person_is_answered_in_the_hubs_language_nearest_theirs(
    language: str | None, expected: str
) -> None:
    assert viber.language_for(language, ("uk", "ru", "hu")) == expected


def test_every_hub_language_of_the_examples_has_its_note() -> None:
    assert {"uk", "ru", "hu", "mn", "ar", "en"} <= set(viber.NOT_CARRIED)
    assert viber.not_carried_note("ar-JO") == viber.NOT_CARRIED["ar"]
    assert viber.not_carried_note("pt-BR") == viber.NOT_CARRIED["en"]


def test_what_a_persons_message_becomes_in_the_conversation() -> None:
    assert viber.inbound({"type": "text", "text": "hi"}) == viber.Inbound("text", "hi")
    assert viber.inbound({"type": "url", "media": "https://example.org/a"}).body == "https://example.org/a"
    file = viber.inbound(
        {"type": "file", "media": "https://dl.viber.com/f.pdf", "file_name": "f.pdf", "size": 9}
    )
    assert (file.body, file.carried) == ("f.pdf\nhttps://dl.viber.com/f.pdf", True)
    for kind in ("sticker", "location", "contact", "rich_media"):
        assert not viber.inbound({"type": kind}).carried


def test_what_an_agents_message_becomes_on_viber() -> None:
    media: list[dict[str, Any]] = [
        {
            "url": "https://media.us1.twilio.com/ME1/a.png",
            "content_type": "image/png",
            "filename": "a.png",
            "size": 5,
        },
        {
            "url": "https://media.us1.twilio.com/ME2/b.pdf",
            "content_type": "application/pdf",
            "filename": "b.pdf",
            "size": 7,
        },
        {"url": None, "content_type": "image/png"},
    ]
    assert viber.outbound("x" * 7100, media) == [
        {"type": "picture", "text": "", "media": "https://media.us1.twilio.com/ME1/a.png"},
        {"type": "file", "media": "https://media.us1.twilio.com/ME2/b.pdf", "size": 7, "file_name": "b.pdf"},
        {"type": "text", "text": "x" * 7000},
    ]
    assert viber.outbound("   ") == []
