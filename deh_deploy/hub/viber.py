"""Viber's REST bot API, called directly: the callback signature, ``send_message``, ``set_webhook``, and what a
Viber message becomes on the Conversations side (and back).

A callback is signed with ``X-Viber-Content-Signature``: the hex HMAC-SHA256 of the raw body, keyed with the bot's
token. It is checked on the bytes as they arrived (re-serialised JSON would not hash the same), in constant time.
Viber's API is a handful of JSON endpoints; the ``viberbot`` package that wraps them is unmaintained, so the
requests are made here with ``requests`` (a session per bridge: one TLS connection kept open).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from deh_deploy.errors import HubError
from deh_deploy.hub.signatures import json_object

API = "https://chatapi.viber.com/pa"
SIGNATURE_HEADER = "x-viber-content-signature"
# The callbacks asked for besides ``message`` (always sent): delivery receipts are not wanted (one per reply).
EVENT_TYPES = ("failed", "subscribed", "unsubscribed", "conversation_started")
MAX_TEXT = 7000  # Viber's limit on a text message
MAX_SENDER_NAME = 28
TIMEOUT = 10.0  # seconds; the worker retries a reply that failed


class ViberError(HubError):
    """Viber refused a request (its ``status`` is not 0) or could not be reached."""


def signature(token: str, body: bytes) -> str:
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


def verified(token: str, body: bytes, header: str | None) -> dict[str, Any] | None:
    """The callback's JSON when its signature holds; ``None`` for a forged, unsigned or tampered one."""
    # bytes: compare_digest refuses a str with a non-ASCII character (a forged header) with TypeError
    if not header or not hmac.compare_digest(
        signature(token, body).encode(), header.strip().lower().encode()
    ):
        return None
    try:
        return json_object(body.decode("utf-8"))
    except UnicodeDecodeError:
        return None


@dataclass
class ViberApi:
    """The bot's side of Viber's REST API. ``base_url`` is Viber's own unless a test double stands in."""

    token: str = field(repr=False)
    bot_name: str
    base_url: str = API
    timeout: float = TIMEOUT
    session: requests.Session = field(default_factory=requests.Session, repr=False)

    def _call(self, method: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        try:
            response = self.session.post(
                f"{self.base_url.rstrip('/')}/{method}",
                data=json.dumps(payload, ensure_ascii=False).encode(),
                headers={"X-Viber-Auth-Token": self.token, "Content-Type": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise ViberError(f"Viber's {method} could not be reached: {type(exc).__name__}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code != 200 or not isinstance(answer, dict):
            raise ViberError(f"Viber's {method} answered HTTP {response.status_code}")
        if answer.get("status") != 0:
            message = str(answer.get("status_message") or "no message")[:120]
            raise ViberError(f"Viber's {method} refused: status {answer.get('status')} ({message})")
        return answer

    def send(self, receiver: str, message: Mapping[str, Any]) -> str:
        """Send one message (``type`` and its fields) to a subscriber; Viber's message token."""
        payload = {"receiver": receiver, "sender": {"name": self.bot_name[:MAX_SENDER_NAME]}, **message}
        return str(self._call("send_message", payload).get("message_token", ""))

    def webhook(self) -> str:
        """The URL the bot calls now (``get_account_info``'s ``webhook``; empty when none is set)."""
        return str(self._call("get_account_info", {}).get("webhook") or "")

    def set_webhook(self, url: str) -> dict[str, Any]:
        """Point the bot at ``url``; Viber calls it at once (event ``webhook``) and expects a 200. An empty
        ``url`` removes the webhook."""
        return self._call(
            "set_webhook",
            {"url": url, "event_types": list(EVENT_TYPES), "send_name": False, "send_photo": False},
        )


# -- a Viber message on the Conversations side ------------------------------------------------------------
CARRIED = ("text", "picture", "video", "file", "url")


@dataclass(frozen=True)
class Inbound:
    """What a person's Viber message becomes in the conversation: its text, and the media link beside it."""

    type: str
    body: str
    media_url: str | None = None
    file_name: str | None = None

    @property
    def carried(self) -> bool:
        return self.type in CARRIED

    def attributes(self) -> str:
        viber: dict[str, Any] = {"type": self.type}
        if self.media_url:
            viber["media_url"] = self.media_url
        if self.file_name:
            viber["file_name"] = self.file_name
        return json.dumps({"channel": "viber", "viber": viber}, ensure_ascii=False, separators=(",", ":"))


def inbound(message: Mapping[str, Any]) -> Inbound:
    """A callback's ``message`` as text for the conversation. A picture, video or file keeps its caption or
    name and adds its link (Viber's media links are plain HTTPS, readable by the agent); a link is its text."""
    kind = str(message.get("type") or "")
    text = str(message.get("text") or "")
    media = str(message.get("media") or "") or None
    if kind == "text":
        return Inbound(kind, text)
    if kind == "url":
        return Inbound(kind, media or text)
    if kind in ("picture", "video", "file"):
        name = str(message.get("file_name") or "") or None
        caption = text or name or ""
        body = f"{caption}\n{media}" if caption and media else (media or caption)
        return Inbound(kind, body, media, name)
    return Inbound(kind or "unknown", "")


def outbound(body: str, media: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """A Conversations message (its text and its media, each with a link) as Viber messages: a picture for
    an image, a file for anything else, then the text (cut at Viber's limit)."""
    out: list[dict[str, Any]] = []
    for item in media:
        url = str(item.get("url") or "")
        if not url:
            continue
        content_type = str(item.get("content_type") or "")
        if content_type.startswith("image/"):
            out.append({"type": "picture", "text": "", "media": url})
        else:
            name = str(item.get("filename") or "file")[:255]
            out.append({"type": "file", "media": url, "size": int(item.get("size") or 0), "file_name": name})
    if body.strip():
        out.append({"type": "text", "text": body[:MAX_TEXT]})
    return out


# What cannot be carried, told to the person in their language (the hub's languages; English otherwise).
NOT_CARRIED = {
    "en": "Sorry, we cannot receive stickers, locations or contacts here. Please write to us in words, "
    "or send a picture or a file.",
    "uk": "Вибачте, ми не можемо отримати тут стікери, геолокацію чи контакти. Будь ласка, напишіть нам "
    "словами або надішліть фото чи файл.",
    "ru": "Извините, мы не можем получить здесь стикеры, геолокацию или контакты. Пожалуйста, напишите нам "
    "словами или отправьте фото или файл.",
    "hu": "Elnézést, itt nem tudunk matricát, helyadatot vagy névjegyet fogadni. Kérjük, írjon nekünk "
    "szavakkal, vagy küldjön képet vagy fájlt.",
    "ar": "عذرًا، لا يمكننا استلام الملصقات أو المواقع أو جهات الاتصال هنا. يرجى الكتابة إلينا بالكلمات "
    "أو إرسال صورة أو ملف.",
    "mn": "Уучлаарай, бид энд стикер, байршил, холбоо барих хаяг хүлээн авах боломжгүй. Бидэнд үгээр "
    "бичнэ үү, эсвэл зураг, файл илгээнэ үү.",
}


def language_for(viber_language: str | None, languages: Sequence[str]) -> str:
    """The hub's language nearest the person's Viber language (``uk``, ``ru-RU``…), else the hub's first."""
    wanted = (viber_language or "").replace("_", "-").split("-")[0].lower()
    for language in languages:
        if language.split("-")[0].lower() == wanted:
            return language
    return languages[0] if languages else "en"


def not_carried_note(language: str) -> str:
    return NOT_CARRIED.get(language.split("-")[0].lower(), NOT_CARRIED["en"])
