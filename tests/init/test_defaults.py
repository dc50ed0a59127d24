"""Defaults from the country (CLDR through babel): slug, time zone, languages, working days, holidays."""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import available_timezones

import pytest
from babel import Locale
from babel.core import get_global

from deh_deploy import i18n
from deh_deploy.config import validate
from deh_deploy.init import answers

from .conftest import init, read_hub

SLUG = re.compile(r"^[a-z][a-z0-9-]{1,23}$")  # schemas/hub.schema.json
NOT_COUNTRIES = {"EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}
COUNTRIES = sorted(
    code
    for code in map(str, Locale("en").territories)
    if re.fullmatch(r"[A-Z]{2}", code) and code not in NOT_COUNTRIES
)


def test_every_country_has_a_valid_and_unique_slug() -> None:
    slugs = {code: answers.default_slug(code) for code in COUNTRIES}
    assert [code for code, slug in slugs.items() if not SLUG.match(slug)] == []
    assert len(set(slugs.values())) == len(slugs)


@pytest.mark.parametrize(
    ("country", "slug"),
    [
        ("HU", "hungary"),
        ("US", "united-states"),
        ("CI", "cote-divoire"),
        ("BA", "bosnia-herzegovina"),
        ("MM", "myanmar"),
        ("HM", "heard-island-mcdonald"),
        ("hu", "hungary"),
    ],
)
def test_slug_is_the_english_name_in_ascii(country: str, slug: str) -> None:
    assert answers.default_slug(country) == slug


@pytest.mark.slow
def test_every_country_with_a_cldr_zone_gets_one_of_its_own() -> None:
    zones = get_global("territory_zones")
    for code in COUNTRIES:
        timezone = answers.default_timezone(code)
        assert timezone in available_timezones()
        assert timezone in zones.get(code, ["UTC"])


@pytest.mark.parametrize(
    ("country", "timezone"),
    [
        ("MN", "Asia/Ulaanbaatar"),
        ("US", "America/New_York"),
        ("RU", "Europe/Moscow"),
        ("AU", "Australia/Sydney"),
        ("BR", "America/Sao_Paulo"),
        ("UA", "Europe/Kyiv"),
        ("ES", "Europe/Madrid"),
        ("XK", "UTC"),
    ],
)
def test_a_country_with_several_zones_gets_its_capitals(country: str, timezone: str) -> None:
    assert answers.default_timezone(country) == timezone


@pytest.mark.slow
def test_default_languages_are_official_ones_deh_deploy_knows() -> None:
    for code in COUNTRIES:
        tags = answers.default_languages(code).split(",")
        assert 1 <= len(tags) <= 3
        for tag in tags:
            i18n.language(tag)
    assert answers.default_languages("HU") == "hu"
    assert answers.default_languages("BE") == "nl,fr,de"


@pytest.mark.parametrize(
    ("country", "days", "weekend"),
    [
        ("HU", ("mon", "tue", "wed", "thu", "fri"), "Saturday–Sunday"),
        ("JO", ("mon", "tue", "wed", "thu", "sun"), "Friday–Saturday"),
        ("IR", ("mon", "tue", "wed", "thu", "sat", "sun"), "Friday"),
        ("BD", ("mon", "tue", "wed", "thu", "sun"), "Friday–Saturday"),
        ("BN", ("mon", "tue", "wed", "thu", "sat"), "Friday and Sunday"),
        ("IN", ("mon", "tue", "wed", "thu", "fri", "sat"), "Sunday"),
    ],
)
def test_working_days_are_those_outside_the_weekend(
    country: str, days: tuple[str, ...], weekend: str
) -> None:
    assert answers.working_days(country) == (days, weekend)


def test_without_a_known_zone_the_hub_says_to_fill_it_in(tmp_path: Path) -> None:
    folder = init(tmp_path, country="XK", languages=["sq"])
    lines = (folder / "hub.yaml").read_text(encoding="utf-8").splitlines()
    at = lines.index("timezone: UTC")
    assert lines[at - 1].startswith("# FILL IN: CLDR knows no time zone for Kosovo;")
    assert [d.format() for d in validate(folder / "hub.yaml")[1] if d.severity == "error"] == []


def test_a_country_with_several_zones_says_which_one_it_chose(tmp_path: Path) -> None:
    folder = init(tmp_path, country="MN", languages=["mn"])
    lines = (folder / "hub.yaml").read_text(encoding="utf-8").splitlines()
    at = lines.index("timezone: Asia/Ulaanbaatar")
    assert (
        lines[at - 1]
        == "# Mongolia has several time zones (Asia/Ulaanbaatar, Asia/Hovd); the hours use this one"
    )


def test_a_chosen_timezone_and_name_are_written_as_given(tmp_path: Path) -> None:
    folder = init(tmp_path, country="MN", name='Mongolian "Red Cross" Society', timezone="Asia/Hovd")
    data = read_hub(folder)
    assert data["timezone"] == "Asia/Hovd"
    assert data["society"]["name"] == 'Mongolian "Red Cross" Society'
    header = (folder / "translations" / "mn.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert header == '# монгол (Mongolian): texts of the Mongolian "Red Cross" Society helpdesk.'


def test_holidays_off_leaves_the_calendar_out(tmp_path: Path) -> None:
    folder = init(tmp_path, country="HU", holidays=False)
    assert "public_holidays" not in read_hub(folder)["hours"]
    assert [d.format() for d in validate(folder / "hub.yaml")[1] if d.severity == "error"] == []


@pytest.mark.slow
def test_every_country_validates_with_only_placeholders(tmp_path: Path) -> None:
    for code in COUNTRIES:
        folder = init(tmp_path, country=code)  # raises ConfigError on any validation error
        assert folder.name == answers.default_slug(code)
        others = [d.format() for d in validate(folder / "hub.yaml")[1] if d.severity != "placeholder"]
        assert others == []


@pytest.mark.slow
def test_where_cldr_and_the_holidays_library_disagree_the_calendars_own_weekend_wins() -> None:
    """Every country whose holidays calendar states a weekend of its own gets that weekend (Bangladesh's
    Friday–Saturday, not CLDR's Saturday–Sunday); one that keeps the library's default keeps CLDR's (Libya's
    Friday–Saturday, India's Sunday)."""
    import holidays

    disagreeing = []
    for country in sorted(c for c in holidays.list_supported_countries() if len(c) == 2 and c != "UK"):
        calendar = type(holidays.country_holidays(country))
        own = any("weekend" in vars(c) for c in calendar.__mro__ if c is not holidays.HolidayBase)
        days, source = answers.weekend(country)
        if own:
            assert (days, source) == (frozenset(calendar.weekend), "the holidays library"), country
            if days != _cldr_weekend(country):
                disagreeing.append(country)
        else:
            assert (days, source) == (_cldr_weekend(country), "CLDR"), country
    assert {"BD", "BN", "AF", "MR", "MV", "DJ"} <= set(disagreeing)


def _cldr_weekend(country: str) -> frozenset[int]:
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    likely = get_global("likely_subtags").get(f"und_{country}")
    try:
        locale = Locale.parse(str(likely)) if likely else None
    except UnknownLocaleError:
        locale = None
    start, end = (int(locale.weekend_start), int(locale.weekend_end)) if locale else (5, 6)
    return frozenset((start + i) % 7 for i in range((end - start) % 7 + 1))
