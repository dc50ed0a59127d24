"""`deh init` → `deh validate` → render: what init writes validates with warnings only, each one a placeholder
the Society must fill in, and renders for staging as it stands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from deh_deploy.config import load_hub, validate
from deh_deploy.config.model import MESSAGE_KEYS, VOICE_PROMPTS
from deh_deploy.diagnostics import Diagnostic
from deh_deploy.render import render_hub

from .conftest import init, read_hub, strings

FIRST_LINE = "# yaml-language-server: $schema=../../schemas/hub.schema.json"
PLACEHOLDER_SID = "the all-zero account SID: fill in the Society's Twilio account"


@dataclass(frozen=True)
class Country:
    code: str
    languages: str
    slug: str
    timezone: str
    open_days: tuple[str, ...]
    recorded: tuple[str, ...]  # languages Twilio cannot speak


COUNTRIES = [
    Country("HU", "uk,ru,hu", "hungary", "Europe/Budapest", ("mon", "tue", "wed", "thu", "fri"), ()),
    Country("MN", "mn,en", "mongolia", "Asia/Ulaanbaatar", ("mon", "tue", "wed", "thu", "fri"), ("mn",)),
    # Jordan's weekend is Friday and Saturday.
    Country("JO", "ar,en", "jordan", "Asia/Amman", ("mon", "tue", "wed", "thu", "sun"), ()),
]


@dataclass(frozen=True)
class Generated:
    country: Country
    output_dir: Path
    folder: Path
    data: dict[str, Any]
    diagnostics: list[Diagnostic]


@pytest.fixture(scope="module", params=COUNTRIES, ids=[c.code for c in COUNTRIES])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    country: Country = request.param
    output_dir = tmp_path_factory.mktemp(country.code) / "country_configs"
    folder = init(output_dir, country=country.code, languages=[country.languages])
    return Generated(country, output_dir, folder, read_hub(folder), validate(folder / "hub.yaml")[1])


def test_writes_hub_and_one_translation_file_per_language(generated: Generated) -> None:
    tags = generated.country.languages.split(",")
    assert generated.folder == generated.output_dir / generated.country.slug
    assert sorted(p.name for p in generated.output_dir.iterdir()) == [generated.country.slug]
    written = sorted(str(p.relative_to(generated.folder)) for p in generated.folder.rglob("*") if p.is_file())
    assert written == sorted(
        ["hub.yaml", "scenarios/starter.yaml", *(f"translations/{tag}.yaml" for tag in tags)]
    )
    hub_text = (generated.folder / "hub.yaml").read_text(encoding="utf-8")
    assert hub_text.splitlines()[0] == FIRST_LINE
    assert generated.data["translations"].keys() == set(tags)
    assert generated.data["languages"] == tags


def test_validates_with_zero_errors(generated: Generated) -> None:
    assert [d.format() for d in generated.diagnostics if d.severity == "error"] == []


def test_every_diagnostic_is_a_placeholder_allowed_while_drafting_and_every_placeholder_is_one(
    generated: Generated,
) -> None:
    """Each environment is written ``ready: false``: the country can be merged while it is drafted, and CI's
    ``--strict`` lists every placeholder as one without failing."""
    marked = {path for path, text in strings(generated.data) if "FILL IN" in text}
    sids = {"$.environments.staging.account_sid", "$.environments.production.account_sid"}
    assert {d.severity for d in generated.diagnostics} == {"placeholder"}
    assert sorted(d.path for d in generated.diagnostics) == sorted(marked | sids)
    assert {d.path for d in generated.diagnostics if d.message.startswith(PLACEHOLDER_SID)} == sids
    assert [generated.data["environments"][env]["ready"] for env in ("staging", "production")] == [
        False,
        False,
    ]


def test_each_language_has_every_message_and_topic_text_to_fill_in(generated: Generated) -> None:
    for lang, texts in generated.data["translations"].items():
        assert set(texts["messages"]) == set(MESSAGE_KEYS)
        name = {
            "uk": "Ukrainian",
            "ru": "Russian",
            "hu": "Hungarian",
            "mn": "Mongolian",
            "en": "English",
            "ar": "Arabic",
        }[lang]
        assert texts["messages"]["welcome"] == f"FILL IN ({name}): Welcome to our helpdesk!"
        assert "{digit}" in texts["messages"]["language_choice"]
        assert "{promise}" in texts["messages"]["after_hours"]
        assert texts["messages"]["topic_option"] == "{digit} - {topic}"
        assert set(texts["topics"]) == {"general_information", "feedback"}
        assert "answer" in texts["topics"]["general_information"]
        assert "answer" not in texts["topics"]["feedback"]


def test_languages_twilio_cannot_speak_get_recorded_audio_to_fill_in(generated: Generated) -> None:
    for lang, texts in generated.data["translations"].items():
        if lang not in generated.country.recorded:
            assert "audio" not in texts
            continue
        audio = dict(texts["audio"])
        answers = audio.pop("answers")
        assert set(audio) == set(VOICE_PROMPTS)
        assert set(answers) == {"general_information"}
        for url in [*audio.values(), *answers.values()]:
            assert re.match(r"^https://FILL IN\.invalid/audio/", url)


def test_settings_derived_from_the_country(generated: Generated) -> None:
    data, country = generated.data, generated.country
    assert data["slug"] == country.slug
    assert data["society"]["country"] == country.code
    assert data["timezone"] == country.timezone
    assert tuple(data["hours"]["weekly"]) == country.open_days
    assert set(map(tuple, data["hours"]["weekly"].values())) == {("09:00-17:00",)}
    assert data["hours"]["public_holidays"] == {"observed": True}


def test_the_default_helpdesk(generated: Generated) -> None:
    data = generated.data
    assert set(data["channels"]) == {"voice", "sms", "webchat"}
    assert data["routing"]["queues"] == {"general": {"name": "General", "languages": data["languages"]}}
    assert data["routing"]["default_queue"] == data["routing"]["callback_queue"] == "general"
    assert data["topics"]["general_information"]["self_service"] is True
    assert data["topics"]["general_information"]["agent"] is True
    assert data["topics"]["feedback"]["feedback"] == "complaint"
    assert data["topics"]["feedback"]["sensitive"] is True
    for env in ("staging", "production"):
        assert data["environments"][env]["numbers"] == {"main": {"buy": {"type": "local"}}}


@pytest.mark.parametrize("env", ["staging", "production"])
def test_renders_as_written(generated: Generated, env: str) -> None:
    hub = load_hub(generated.folder / "hub.yaml", strict=False)
    desired = render_hub(hub, env=env, today=date(2026, 3, 2))
    flows = {r.key for r in desired.resources if r.kind == "studio.flow"}
    assert flows == {"voice", "messaging"}
    voice = desired.artifacts["flows/voice.json"]
    for lang in generated.country.recorded:
        assert f"https://FILL IN.invalid/audio/{lang}/welcome.mp3" in voice
