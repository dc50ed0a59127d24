"""``deh test --sweep``: invariants over every channel × language × topic × half hour of a week and the year's
holidays. Each conversation must

- end in one of the four ends (agent, voicemail, self-service answer, after-hours reply), never a dead end or loop;
- speak and write only the chosen language once it is chosen (text checked against the configured texts);
- agree with the opening hours: open → agent or self-service; closed → voicemail or after-hours reply, with the
  promise given;
- fail closed when the hours Function fails: the after-hours path, with the promise, never silently open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from deh_deploy import channels
from deh_deploy.config.model import ChannelName, HubConfig
from deh_deploy.hours import is_open
from deh_deploy.hours.calendar import public_holidays
from deh_deploy.i18n import tts_voice
from deh_deploy.simulate.hub import ENDS, HubSimulator, Script
from deh_deploy.simulate.model import Message, Play, Received, Say
from deh_deploy.textchecks import fill

MAX_LISTED = 20


@dataclass
class SweepReport:
    conversations: int = 0
    ends: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    violation_count: int = 0
    seconds: float = 0.0

    def add(self, message: str) -> None:
        self.violation_count += 1
        if len(self.violations) < MAX_LISTED:
            self.violations.append(message)


def instants(hub: HubConfig, *, year: int, week_of: date) -> list[datetime]:
    """Every half hour of the week starting on week_of's Monday, and of every public holiday of the year."""
    monday = week_of - timedelta(days=week_of.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    rule = hub.hours.holidays
    if rule is not None:
        days += sorted(public_holidays(rule, [year]))
    out = []
    for day in sorted(set(days)):
        start = datetime(day.year, day.month, day.day)
        out += [start + timedelta(minutes=30 * i) for i in range(48)]
    return out


def language_lines(hub: HubConfig) -> dict[str, set[str]]:
    """Every line a person can read or hear in each language (placeholders filled as the flows fill them)."""
    out: dict[str, set[str]] = {}
    for lang in hub.languages:
        t = hub.texts[lang]
        m = dict(t.messages)
        texts = [
            m[k]
            for k in (
                "welcome",
                "topic_menu",
                "invalid_choice",
                "voicemail_prompt",
                "voicemail_thanks",
                "queue_wait",
                "handoff",
                "thanks",
            )
        ]
        texts.append(fill(m["after_hours"], promise=m["promise"]))
        texts += [
            fill(m["topic_option"], digit=str(i), topic=t.titles[topic.id])
            for i, topic in enumerate(hub.topics, start=1)
        ]
        texts += list(t.answers.values())
        out[lang] = {line for text in texts for line in text.splitlines()}
    return out


def sweep(hub: HubConfig, *, env: str, year: int | None = None, week_of: date | None = None) -> SweepReport:
    import time

    started = time.perf_counter()
    today = week_of or date.today()
    sim = HubSimulator(hub, env=env, today=date(year or today.year, 1, 1))
    report = SweepReport()
    lines = language_lines(hub)
    audio = {
        lang: set(hub.texts[lang].audio.values()) | set(hub.texts[lang].answer_audio.values())
        for lang in hub.languages
    }
    schedule = sim.schedule(sim.today.year)
    choices = [str(i) for i in range(1, len(hub.topics) + 1)] + [
        "0"
    ]  # "0" is never a topic: the invalid choice
    for at in instants(hub, year=sim.today.year, week_of=today):
        local = sim.local(at)
        open_now = is_open(schedule, local).open
        for channel in hub.channels.enabled:
            for n, lang in enumerate(hub.languages, start=1):
                for topic in choices:
                    _one(
                        sim, report, channel, local, n, lang, topic, open_now, lines, audio, hours_fail=False
                    )
    for channel in hub.channels.enabled:  # the hours Function down: fail closed, in every language
        for n, lang in enumerate(hub.languages, start=1):
            _one(
                sim,
                report,
                channel,
                sim.local(datetime(sim.today.year, 6, 3, 11, 0)),
                n,
                lang,
                "1",
                False,
                lines,
                audio,
                hours_fail=True,
            )
    report.seconds = time.perf_counter() - started
    return report


def _one(
    sim: HubSimulator,
    report: SweepReport,
    channel: ChannelName,
    at: datetime,
    n: int,
    lang: str,
    topic: str,
    open_now: bool,
    lines: dict[str, set[str]],
    audio: dict[str, set[str]],
    *,
    hours_fail: bool,
) -> None:
    hub = sim.hub
    multi = len(hub.languages) > 1
    if channels.get(channel).flow == "voice":
        script = Script(presses=([str(n)] if multi else []) + [topic])
    else:
        script = Script(sends=["Hello", *([str(n)] if multi else []), topic])
    conv, outcome = sim.run(channel=channel, at=at, script=script, hours_fail=hours_fail)
    report.conversations += 1
    report.ends[outcome.end] += 1
    where = f"{channel} {lang} topic {topic} at {at.isoformat(timespec='minutes')}" + (
        " with the hours function failing" if hours_fail else ""
    )
    if outcome.end not in ENDS:
        report.add(f"{where}: no proper end ({outcome.detail})")
        return
    if outcome.language != lang:
        report.add(f"{where}: language {outcome.language}, chosen {lang}")
    closed_path = outcome.end in ("voicemail", "after_hours")
    if hours_fail or not open_now:
        if not closed_path:
            report.add(f"{where}: closed, but ended with {outcome.end}")
    elif closed_path:
        report.add(f"{where}: open, but ended with {outcome.end}")
    for problem in _languages(conv.transcript, lang, hub, lines, audio, multi):
        report.add(f"{where}: {problem}")
        break
    if closed_path:
        promise = hub.texts[lang].messages["promise"]
        heard = any(
            promise in (o.text if isinstance(o, Say) else o.body)
            for o in conv.transcript
            if isinstance(o, Say | Message)
        )
        recording = hub.texts[lang].audio.get("after_hours")
        played = recording is not None and any(
            isinstance(o, Play) and o.url == recording for o in conv.transcript
        )
        if not heard and not played:
            report.add(f"{where}: closed without giving the promise")


def _languages(
    transcript: Sequence[object],
    lang: str,
    hub: HubConfig,
    lines: dict[str, set[str]],
    audio: dict[str, set[str]],
    multi: bool,
) -> Iterator[str]:
    chosen = not multi
    voice = tts_voice(lang)
    for item in transcript:
        if isinstance(item, Received):
            chosen = True
            continue
        if not chosen:
            continue
        if isinstance(item, Say):
            if voice is not None and item.language != voice.language:
                yield f"spoken with {item.language}, not {voice.language}"
            text = item.text
        elif isinstance(item, Message):
            text = item.body
        elif isinstance(item, Play):
            if item.url not in audio[lang]:
                yield f"played {item.url}, which is not a {lang} recording"
            continue
        else:
            continue
        for line in text.splitlines():
            others = [other for other, known in lines.items() if other != lang and line in known]
            if line not in lines[lang]:
                yield f"{line!r} is not {lang} text" + (f" (it is {', '.join(others)})" if others else "")
            elif others:
                yield f"{line!r} is configured as {lang} text and also as {', '.join(others)}: one is misplaced"
