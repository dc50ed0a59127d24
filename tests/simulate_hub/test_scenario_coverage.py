"""What the example countries' scenarios must cover: "every language, every channel, opening and closing
edges, a public holiday, an overnight shift and voicemail", and the rest a trainer relies on. That the
scenarios pass is ``test_deh_test``'s job; these tests say which situations they must show."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise
from typing import Any

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.hours.calendar import public_holidays
from deh_deploy.hours.model import MINUTES_PER_DAY, Shift
from deh_deploy.textchecks import fill

from .conftest import SLUGS

Spec = dict[str, Any]
OPEN_ENDS = ("agent", "self_service")
CLOSED_ENDS = ("voicemail", "after_hours")

pytestmark = pytest.mark.parametrize("slug", SLUGS)


def _at(spec: Spec) -> datetime:
    return datetime.fromisoformat(spec["at"]).replace(tzinfo=None)


def _minute(spec: Spec) -> int:
    at = _at(spec)
    return at.hour * 60 + at.minute


def _is_open(spec: Spec) -> bool:
    return bool(spec["expect"].get("end") in OPEN_ENDS)


def _is_closed(spec: Spec) -> bool:
    return bool(spec["expect"].get("end") in CLOSED_ENDS)


def _on(specs: list[Spec], weekday: int, minute: int) -> list[Spec]:
    return [s for s in specs if _at(s).weekday() == weekday and _minute(s) == minute]


def _day_shifts(hub: HubConfig) -> Iterator[tuple[int, Shift]]:
    for weekday, shifts in enumerate(hub.hours.weekly):
        for shift in shifts:
            yield weekday, shift


def _texts(hub: HubConfig, lang: str) -> list[str]:
    t = hub.texts[lang]
    m = t.messages
    return [
        *m.values(),
        fill(m["after_hours"], promise=m["promise"]),
        *t.titles.values(),
        *t.answers.values(),
        *(
            fill(m["topic_option"], digit=str(i), topic=t.titles[topic.id])
            for i, topic in enumerate(hub.topics, start=1)
        ),
        *(fill(m["language_choice"], digit=str(i)) for i in range(1, len(hub.languages) + 1)),
    ]


def test_every_language_is_heard_on_the_phone_and_read_in_messages(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    for lang in hubs[slug].languages:
        chosen = [s for s in scenarios[slug] if s["expect"].get("language") == lang]
        assert any(s["channel"] == "voice" for s in chosen), f"no {lang} call"
        assert any(s["channel"] != "voice" for s in chosen), f"no {lang} message"


def test_every_enabled_channel_is_used(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    assert {s["channel"] for s in scenarios[slug]} == set(hubs[slug].channels.enabled)


def test_every_way_a_conversation_can_end(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    hub = hubs[slug]
    answers_alone = any(t.self_service and not t.agent for t in hub.topics)
    expected = {"agent", "voicemail", "after_hours"} | ({"self_service"} if answers_alone else set())
    assert {s["expect"]["end"] for s in scenarios[slug]} == expected


def test_the_minute_before_opening_the_opening_minute_the_last_open_minute_and_the_closing_minute(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    specs = scenarios[slug]
    opening = [
        (w, s)
        for w, s in _day_shifts(hubs[slug])
        if any(map(_is_closed, _on(specs, w, s.start - 1))) and any(map(_is_open, _on(specs, w, s.start)))
    ]
    closing = [
        (w, s)
        for w, s in _day_shifts(hubs[slug])
        if not s.overnight
        and any(map(_is_open, _on(specs, w, s.end - 1)))
        and any(map(_is_closed, _on(specs, w, s.end)))
    ]
    assert opening, "no scenarios at 1 minute before and at the opening minute of a shift"
    assert closing, "no scenarios at the last open minute and at the closing minute of a shift"


def test_the_break_of_a_split_shift(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    gaps = [
        (w, a.end, b.start)
        for w, shifts in enumerate(hubs[slug].hours.weekly)
        for a, b in pairwise(shifts)
        if a.end < b.start
    ]
    assert gaps, "every example hub has a split shift"
    assert any(
        _at(s).weekday() == w and start <= _minute(s) < end and _is_closed(s)
        for w, start, end in gaps
        for s in scenarios[slug]
    )


def test_a_public_holiday_on_a_working_day_is_closed(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    hub = hubs[slug]
    assert hub.hours.holidays is not None
    holidays = public_holidays(hub.hours.holidays, [2026, 2027])
    on_holidays = [
        s
        for s in scenarios[slug]
        if _at(s).date() in holidays
        and any(shift.start <= _minute(s) < shift.end for shift in hub.hours.weekly[_at(s).weekday()])
    ]
    assert on_holidays, "no scenario during working hours on a public holiday"
    assert all(map(_is_closed, on_holidays))


def test_an_overnight_shift_is_open_after_midnight_and_closes_on_time(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    overnight = [(w, s.end - MINUTES_PER_DAY) for w, s in _day_shifts(hubs[slug]) if s.overnight]
    if not overnight:
        pytest.skip(f"{slug} has no overnight shift")
    for weekday, carry in overnight:
        after = [s for s in scenarios[slug] if _at(s).weekday() == (weekday + 1) % 7]
        assert any(_minute(s) < carry and _is_open(s) for s in after), "no open scenario after midnight"
        assert any(_minute(s) == carry and _is_closed(s) for s in after), (
            "no scenario as the night shift ends"
        )


def test_every_day_without_shifts_is_closed(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    weekly = hubs[slug].hours.weekly
    for weekday, shifts in enumerate(weekly):
        if shifts:
            continue
        carry = max((s.end - MINUTES_PER_DAY for s in weekly[weekday - 1] if s.overnight), default=0)
        daytime = [s for s in scenarios[slug] if _at(s).weekday() == weekday and _minute(s) >= carry]
        assert daytime and all(map(_is_closed, daytime)), f"weekday {weekday}"


def test_voicemail_leaves_a_callback_task_in_every_language(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    for lang in hubs[slug].languages:
        assert any(
            s["channel"] == "voice"
            and s["expect"]["end"] == "voicemail"
            and {"reason": "voicemail", "language": lang}.items() <= s["expect"].get("task", {}).items()
            for s in scenarios[slug]
        ), lang


def test_an_after_hours_message_leaves_a_callback_task_in_every_language(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    for lang in hubs[slug].languages:
        assert any(
            s["channel"] != "voice"
            and s["expect"]["end"] == "after_hours"
            and {"reason": "after_hours", "language": lang, "channel": s["channel"]}.items()
            <= s["expect"].get("task", {}).items()
            for s in scenarios[slug]
        ), lang


def test_self_service_answers_in_every_language(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    hub = hubs[slug]
    for lang in hub.languages:
        t = hub.texts[lang]
        said = [needle for s in scenarios[slug] for needle in s["expect"].get("says", [])]
        assert any(needle in answer for needle in said for answer in t.answers.values()) or any(
            needle == f"hub plays: {url}" for needle in said for url in t.answer_audio.values()
        ), lang


def test_every_sensitive_topic_is_flagged(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    for topic in (t for t in hubs[slug].topics if t.sensitive):
        assert any(
            {"topic": topic.id, "sensitive": "true"}.items() <= s["expect"].get("task", {}).items()
            for s in scenarios[slug]
        ), topic.id


def test_an_invalid_choice_on_the_phone_and_in_messages(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    hub = hubs[slug]
    apologies = {hub.texts[lang].messages["invalid_choice"] for lang in hub.languages}
    invalid = [
        s
        for s in scenarios[slug]
        if s["expect"].get("task", {}).get("topic") == "unspecified"
        and apologies & set(s["expect"].get("says", []))
    ]
    assert {s["channel"] == "voice" for s in invalid} == {True, False}


def test_silence_at_the_language_menu_chooses_the_default_language(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    silent = [
        s
        for s in scenarios[slug]
        if (s["channel"] == "voice" and not s.get("press"))
        or (s["channel"] != "voice" and len(s.get("send", [])) <= 1)
    ]
    assert {s["channel"] == "voice" for s in silent} == {True, False}
    assert {s["expect"]["language"] for s in silent} == {hubs[slug].languages[0]}


def test_the_hours_function_failing_takes_the_closed_path_with_the_promise(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    hub = hubs[slug]
    failing = [s for s in scenarios[slug] if s.get("hours_fail")]
    assert {s["channel"] == "voice" for s in failing} == {True, False}
    for s in failing:
        lang = s["expect"]["language"]
        promise = [hub.texts[lang].messages["promise"]]
        if s["channel"] == "voice" and "after_hours" in hub.texts[lang].audio:
            promise = [f"hub plays: {hub.texts[lang].audio['after_hours']}"]
        assert _is_closed(s)
        assert any(p in needle for p in promise for needle in s["expect"]["says"]), s["name"]


def test_every_recording_is_heard(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    hub = hubs[slug]
    said = {
        needle for s in scenarios[slug] if s["channel"] == "voice" for needle in s["expect"].get("says", [])
    }
    for lang in hub.languages:
        for url in [*hub.texts[lang].audio.values(), *hub.texts[lang].answer_audio.values()]:
            assert f"hub plays: {url}" in said, url


def test_expected_texts_are_the_hub_s_own(
    slug: str, hubs: dict[str, HubConfig], scenarios: dict[str, list[Spec]]
) -> None:
    hub = hubs[slug]
    texts = [text for lang in hub.languages for text in _texts(hub, lang)]
    for s in scenarios[slug]:
        for needle in [*s["expect"].get("says", []), *s["expect"].get("not_says", [])]:
            if needle.startswith("hub plays: "):
                assert any(
                    needle == f"hub plays: {url}"
                    for t in hub.texts.values()
                    for url in [*t.audio.values(), *t.answer_audio.values()]
                ), needle
                continue
            if needle.startswith("person: "):
                continue
            text = needle.split("]: ", 1)[1] if needle.startswith("hub says [") else needle
            assert any(text in t for t in texts), f"{s['name']}: {needle!r} is none of the hub's texts"


def test_names_are_unique_and_dates_fall_in_the_years_the_schedule_compiles(
    slug: str, scenarios: dict[str, list[Spec]]
) -> None:
    names = [s["name"] for s in scenarios[slug]]
    assert len(names) == len(set(names))
    assert {_at(s).year for s in scenarios[slug]} <= {2026, 2027}
