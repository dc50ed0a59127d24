"""``deh test --sweep``: invariants over every channel × language × topic × half hour of a week and the
public holidays of the year.

The full sweep of the example countries runs in CI (``deh test --sweep``); here it runs on small hubs cut from
Hungary's example, and the judging of single conversations (``sweep._one``) on the real hubs.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from deh_deploy.config import load_hub
from deh_deploy.config.model import ChannelName, HubConfig
from deh_deploy.hours import is_open
from deh_deploy.hours.calendar import public_holidays
from deh_deploy.render import render_hub
from deh_deploy.simulate.flow import compile_flow
from deh_deploy.simulate.hub import HubSimulator, offline
from deh_deploy.simulate.sweep import SweepReport, _one, hours_fields_seen, instants, language_lines, sweep

from .conftest import SLUGS
from .minihub import small_hub

WEEK = date(2027, 1, 11)  # a Monday; no public holiday in Hungary that week
YEAR_START = date(2027, 1, 1)


def judge(
    sim: HubSimulator,
    *,
    channel: ChannelName,
    at: datetime,
    lang: str,
    topic: str,
    open_now: bool,
    reference: HubConfig | None = None,
    hours_fail: bool = False,
    report: SweepReport | None = None,
) -> SweepReport:
    """One conversation judged by the sweep, against the texts and recordings of ``reference`` (default: the
    simulated hub itself)."""
    hub = reference or sim.hub
    audio = {
        lang: set(hub.texts[lang].audio.values()) | set(hub.texts[lang].answer_audio.values())
        for lang in hub.languages
    }
    report = report if report is not None else SweepReport()
    _one(
        sim,
        report,
        channel,
        at,
        hub.languages.index(lang) + 1,
        lang,
        topic,
        open_now,
        language_lines(hub),
        audio,
        hours_fail=hours_fail,
    )
    return report


def test_a_sound_small_hub_sweeps_clean(tmp_path: Path) -> None:
    hub = load_hub(small_hub(tmp_path / "small"))

    report = sweep(hub, env="staging", week_of=WEEK)

    assert report.violations == []
    assert report.violation_count == 0
    # 2 channels × 2 languages × (2 topics + an invalid choice) every half hour of the week, then the hours
    # function failing once per channel and language
    assert report.conversations == 7 * 48 * 2 * 2 * 3 + 2 * 2
    assert set(report.ends) == {"agent", "self_service", "voicemail", "after_hours"}


def test_the_sweep_covers_the_week_and_every_public_holiday(hubs: dict[str, HubConfig]) -> None:
    hub = hubs["hungary"]
    assert hub.hours.holidays is not None
    holidays = public_holidays(hub.hours.holidays, [2027])

    at = instants(hub, year=2027, week_of=WEEK + timedelta(days=2))

    assert at[0] == datetime(2027, 1, 1)  # New Year's Day sorts first
    assert datetime(2027, 1, 11) in at and datetime(2027, 1, 17, 23, 30) in at
    assert datetime(2027, 1, 10, 23, 30) not in at and datetime(2027, 1, 18) not in at
    assert {d.date() for d in at} == {WEEK + timedelta(days=i) for i in range(7)} | set(holidays)
    assert len(at) == 48 * (7 + len(holidays))


def test_a_function_answering_from_other_hours_is_reported(tmp_path: Path) -> None:
    """The Function came from an older hub.yaml: it opens on Monday at 10:00, the published hours at 08:00."""
    published = load_hub(small_hub(tmp_path / "published"))
    deployed = HubSimulator(
        load_hub(small_hub(tmp_path / "deployed", weekly={"mon": ["10:00-16:00"], "tue": ["08:00-16:00"]})),
        env="staging",
        today=YEAR_START,
    )
    schedule = HubSimulator(published, env="staging", today=YEAR_START).schedule(2027)
    zone = ZoneInfo(published.timezone)
    report = SweepReport()
    disagree = []
    for at in instants(published, year=2027, week_of=WEEK)[: 2 * 48]:
        local = at.replace(tzinfo=zone)
        open_now = is_open(schedule, local).open
        if open_now != is_open(deployed.schedule(2027), local).open:
            disagree.append(
                f"sms uk topic 1 at {local.isoformat(timespec='minutes')}: open, but ended with after_hours"
            )
        judge(
            deployed,
            channel="sms",
            at=local,
            lang="uk",
            topic="1",
            open_now=open_now,
            reference=published,
            report=report,
        )

    assert disagree == [
        f"sms uk topic 1 at 2027-01-11T{t}+01:00: open, but ended with after_hours"
        for t in ("08:00", "08:30", "09:00", "09:30")
    ]
    assert report.violations == disagree
    assert report.conversations == 2 * 48


def _swap_welcome(lang: str, texts: dict[str, Any]) -> None:
    if lang == "uk":
        texts["messages"]["welcome"] = "Üdvözöljük! Ez a Magyar Vöröskereszt ügyfélszolgálata."


def test_a_hungarian_line_in_the_ukrainian_flow_is_reported(tmp_path: Path) -> None:
    sound = load_hub(small_hub(tmp_path / "sound"))
    broken = HubSimulator(
        load_hub(small_hub(tmp_path / "broken", translate=_swap_welcome)), env="staging", today=YEAR_START
    )
    at = datetime(2027, 1, 12, 10, 0, tzinfo=ZoneInfo(sound.timezone))

    report = judge(broken, channel="sms", at=at, lang="uk", topic="1", open_now=True, reference=sound)

    hu_welcome = sound.texts["hu"].messages["welcome"]
    assert report.violations == [
        f"sms uk topic 1 at 2027-01-12T10:00+01:00: {hu_welcome!r} is not uk text (it is hu)"
    ]


def test_the_sweep_reports_a_hungarian_line_in_the_ukrainian_translation(tmp_path: Path) -> None:
    broken = load_hub(small_hub(tmp_path / "broken", channels=("sms",), translate=_swap_welcome))

    report = sweep(broken, env="staging", week_of=WEEK)

    assert report.violation_count > 0
    assert any("is configured as uk text and also as hu: one is misplaced" in v for v in report.violations), (
        report.violations
    )


def _without_after_hours_message(sim: HubSimulator, lang: str) -> None:
    """The voice flow, broken: the closed path goes straight to the voicemail prompt, skipping the promise."""
    desired = render_hub(sim.hub, env=sim.env, today=sim.today)
    definition = offline(desired.documents["flows/voice.json"], sim.hub.slug, sim.env)
    for state in definition["states"]:
        for transition in state["transitions"]:
            if transition["next"] == f"closed_{lang}":
                transition["next"] = f"vm_prompt_{lang}"
    sim.flows["voice"] = compile_flow(definition)


def test_a_closed_call_without_the_promise_is_reported(hubs: dict[str, HubConfig]) -> None:
    sim = HubSimulator(hubs["hungary"], env="staging", today=YEAR_START)
    _without_after_hours_message(sim, "hu")
    at = datetime(2027, 1, 12, 21, 0, tzinfo=sim.zone)

    report = judge(sim, channel="voice", at=at, lang="hu", topic="1", open_now=False)

    assert report.violations == [
        "voice hu topic 1 at 2027-01-12T21:00+01:00: closed without giving the promise"
    ]


def test_a_closed_english_call_in_mongolia_without_the_promise_is_reported(
    hubs: dict[str, HubConfig],
) -> None:
    sim = HubSimulator(hubs["mongolia"], env="staging", today=YEAR_START)
    _without_after_hours_message(sim, "en")
    at = datetime(2027, 1, 12, 21, 0, tzinfo=sim.zone)

    report = judge(sim, channel="voice", at=at, lang="en", topic="1", open_now=False)

    assert report.violations == [
        "voice en topic 1 at 2027-01-12T21:00+08:00: closed without giving the promise"
    ]


@pytest.mark.parametrize("slug", SLUGS)
def test_the_real_hubs_fail_closed_when_the_hours_function_fails(
    slug: str, hubs: dict[str, HubConfig]
) -> None:
    hub = hubs[slug]
    sim = HubSimulator(hub, env="staging", today=YEAR_START)
    at = datetime(2027, 1, 12, 10, 0, tzinfo=sim.zone)  # a Tuesday morning: every example hub is open
    assert is_open(sim.schedule(2027), at).open
    choices = [str(i) for i in range(1, len(hub.topics) + 1)] + ["9"]
    failing, answering = SweepReport(), SweepReport()

    for channel in hub.channels.enabled:
        for lang in hub.languages:
            for topic in choices:
                judge(
                    sim,
                    channel=channel,
                    at=at,
                    lang=lang,
                    topic=topic,
                    open_now=True,
                    hours_fail=True,
                    report=failing,
                )
                judge(sim, channel=channel, at=at, lang=lang, topic=topic, open_now=True, report=answering)

    assert failing.violations == []
    assert failing.conversations == len(hub.channels.enabled) * len(hub.languages) * len(choices)
    voicemail = len(hub.languages) * len(choices)
    assert dict(failing.ends) == {"voicemail": voicemail, "after_hours": failing.conversations - voicemail}
    assert answering.violations == []
    assert set(answering.ends) <= {"agent", "self_service"}


# -- cost by distinct behaviour ----------------------------------------------------------------------------------
def _everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("deh_deploy.simulate.sweep.MAX_LISTED", 10**9)


def _same(grouped: SweepReport, exhaustive: SweepReport) -> None:
    assert grouped.violations == exhaustive.violations
    assert grouped.violation_count == exhaustive.violation_count
    assert grouped.ends == exhaustive.ends
    assert grouped.conversations == exhaustive.conversations == exhaustive.runs
    assert grouped.runs < exhaustive.runs


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param("sound", marks=pytest.mark.slow),
        pytest.param("hungarian line in ukrainian", marks=pytest.mark.slow),
        "closed without the promise",
    ],
)
def test_the_grouped_sweep_finds_exactly_what_the_exhaustive_one_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    _everything(monkeypatch)
    translate = _swap_welcome if broken == "hungarian line in ukrainian" else None
    hub = load_hub(small_hub(tmp_path / "hub", channels=("voice", "sms"), translate=translate))

    def simulator() -> HubSimulator:
        sim = HubSimulator(hub, env="staging", today=YEAR_START)
        if broken == "closed without the promise":
            _without_after_hours_message(sim, "uk")
        return sim

    grouped = sweep(hub, env="staging", week_of=WEEK, simulator=simulator())
    exhaustive = sweep(hub, env="staging", week_of=WEEK, simulator=simulator(), grouped=False)

    _same(grouped, exhaustive)
    assert (grouped.violation_count == 0) == (broken == "sound")


@pytest.mark.slow
def test_two_processes_give_the_report_of_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _everything(monkeypatch)
    hub = load_hub(small_hub(tmp_path / "broken", channels=("sms",), translate=_swap_welcome))

    one = sweep(hub, env="staging", week_of=WEEK, processes=1, grouped=False)
    two = sweep(hub, env="staging", week_of=WEEK, processes=2, grouped=False)

    assert two.processes == 2 and one.processes == 1
    assert (two.violations, two.violation_count, two.ends, two.conversations) == (
        one.violations,
        one.violation_count,
        one.ends,
        one.conversations,
    )
    assert one.violation_count > 0


def test_the_report_says_how_many_behaviours_cover_how_many_instants(hubs: dict[str, HubConfig]) -> None:
    hub = hubs["hungary"]
    report = sweep(hub, env="staging", week_of=WEEK)

    moments = instants(hub, year=WEEK.year, week_of=WEEK)
    paths = len(hub.channels.enabled) * len(hub.languages) * (len(hub.topics) + 1)
    failing = len(hub.channels.enabled) * len(hub.languages)
    assert report.instants == len(moments)
    assert report.behaviours == 2  # the flows read only whether it is open
    assert report.runs == report.behaviours * paths + failing
    assert report.conversations == len(moments) * paths + failing


def test_flows_that_read_the_whole_hours_answer_are_run_at_every_instant() -> None:
    def flow(say: str) -> dict[str, Any]:
        hours = {"name": "hours_uk", "type": "run-function", "properties": {"url": "https://x.twil.io/hours"}}
        return {"states": [hours, {"name": "say", "type": "say-play", "properties": {"say": say}}]}

    assert hours_fields_seen({"voice": flow("{{widgets.hours_uk.parsed.open}}")}) == ("open",)
    assert hours_fields_seen({"voice": flow("It is {{widgets.hours_uk.parsed.local_time}}")}) == (
        "local_time",
    )
    assert hours_fields_seen({"voice": flow("{{widgets.hours_uk.body}}")}) is None
