"""Text-to-speech: which Twilio <Say> voice speaks a language, from the project's recorded list."""

from __future__ import annotations

import datetime
import json
import re
from importlib import resources
from typing import Any

import pytest

from deh_deploy.i18n import TtsVoice, language, tts_voice, tts_voices


def _data() -> dict[str, Any]:
    text = resources.files("deh_deploy").joinpath("data/tts_voices.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@pytest.mark.parametrize(
    ("tag", "say_language", "voice"),
    [
        ("hu", "hu-HU", "Google.hu-HU-Standard-A"),
        ("uk", "uk-UA", "Google.uk-UA-Standard-A"),
        ("ru", "ru-RU", "Google.ru-RU-Standard-A"),
        ("ar", "ar-XA", "Google.ar-XA-Standard-A"),
        ("en-GB", "en-GB", "Google.en-GB-Standard-A"),
        ("pt-BR", "pt-BR", "Polly.Camila"),
    ],
)
def test_a_language_twilio_speaks_has_a_voice(tag: str, say_language: str, voice: str) -> None:
    found = tts_voice(tag)
    assert found is not None
    assert (found.language, found.voice, found.verified) == (say_language, voice, True)


@pytest.mark.parametrize(
    ("tag", "entry"),
    [
        ("uk-UA", "uk"),  # a regional tag finds the language's entry
        ("ar-JO", "ar"),
        ("hu-HU", "hu"),
        ("es-CO", "es-419"),  # through CLDR's parent locale, Latin American Spanish
        ("es-MX", "es-MX"),  # a regional entry of its own wins
        ("pt-AO", "pt"),
        ("zh-Hant-HK", "zh-Hant"),
        ("UK", "uk"),
    ],
)
def test_a_tag_falls_back_to_the_closest_entry(tag: str, entry: str) -> None:
    found = tts_voice(tag)
    assert found is not None and found.tag == entry


@pytest.mark.parametrize("tag", ["mn", "mn-MN", "sr-Latn", "zh-HK", "so"])
def test_a_language_without_a_voice_in_its_script_has_none(tag: str) -> None:
    assert tts_voice(tag) is None


def test_a_bad_tag_is_refused_as_in_language() -> None:
    with pytest.raises(ValueError, match=r"^unknown language tag 'english';"):
        tts_voice("english")


def test_the_list_records_where_and_when_it_was_read() -> None:
    data = _data()
    assert data["source"].startswith("https://www.twilio.com/docs/voice/twiml/say")
    datetime.date.fromisoformat(data["read_on"])
    assert "verified_means" in data


@pytest.mark.slow
def test_every_entry_is_a_known_language_with_a_well_formed_voice() -> None:
    voices = _data()["voices"]
    for tag, entry in voices.items():
        assert language(tag).tag == tag, tag
        assert set(entry) == {"language", "voice", "verified"}, tag
        assert isinstance(entry["verified"], bool), tag
        assert re.fullmatch(r"[a-z]{2,3}-[A-Z]{2}", entry["language"]), tag
        google = re.fullmatch(
            r"Google\.([a-z]{2,3}-[A-Z]{2})-(Standard|Wavenet|Neural2)-[A-Z]", entry["voice"]
        )
        polly = re.fullmatch(r"Polly\.[A-Z][a-z]+", entry["voice"])
        assert google or polly, (tag, entry["voice"])
        if google:
            assert google.group(1) == entry["language"], tag


def test_the_helpdesks_common_languages_are_covered_and_mongolian_is_not() -> None:
    voices = tts_voices()
    for tag in ["en", "en-GB", "hu", "uk", "ru", "ar", "fr", "es", "de", "pl", "ro", "pt", "it", "nl", "tr"]:
        assert voices[tag].verified, tag
    assert not any(language(tag).tag.startswith("mn") for tag in voices)


def test_tts_voices_is_a_copy_callers_cannot_spoil() -> None:
    voices = tts_voices()
    voices.pop("hu")
    assert tts_voice("hu") == TtsVoice("hu", "hu-HU", "Google.hu-HU-Standard-A", True)
