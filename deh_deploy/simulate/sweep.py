"""``deh test --sweep``: invariants over every channel × language × topic × half hour of a week and the year's
holidays. Each conversation must

- end in one of the four ends (agent, voicemail, self-service answer, after-hours reply), never a dead end or loop;
- speak and write only the chosen language once it is chosen (text checked against the configured texts);
- agree with the opening hours: open → agent or self-service; closed → voicemail or after-hours reply, with the
  promise given;
- fail closed when the hours Function fails: the after-hours path, with the promise, never silently open.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

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
    """``conversations`` counts every path at every instant, as if each had been run; ``runs`` the conversations
    actually run: one per path and distinct answer of the hours Function (``behaviours``), which is all the flows
    can see of time, over ``instants`` instants."""

    conversations: int = 0
    ends: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)
    violation_count: int = 0
    seconds: float = 0.0
    runs: int = 0
    behaviours: int = 0
    instants: int = 0
    processes: int = 1

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


AGREEMENT = None  # where a verdict's agreement with the opening hours goes: it depends on the instant
Verdict = tuple[str, list[str | None]]  # the end, and the problems found in order (AGREEMENT in its place)
Unit = tuple[
    ChannelName, int, str, str, datetime, bool
]  # channel, language number, language, choice, at, failing


def hours_fields_seen(definitions: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The fields of the hours Function's answer that the flows read (``widgets.<hours>.parsed.<field>``); None
    when a flow reads the answer whole (its body, or ``parsed`` itself), so that every field counts."""
    seen: set[str] = set()
    for definition in definitions.values():
        states = definition.get("states", [])
        names = [
            st["name"]
            for st in states
            if st.get("type") == "run-function"
            and str(st.get("properties", {}).get("url", "")).endswith("/hours")
        ]
        text = json.dumps(definition, ensure_ascii=False)
        for name in names:
            for m in re.finditer(rf"widgets\.{re.escape(name)}\.([A-Za-z_]+)(?:\.([A-Za-z_]+))?", text):
                if m[1] != "parsed" or m[2] is None:
                    return None
                seen.add(m[2])
    return tuple(sorted(seen))


def behaviours(
    sim: HubSimulator, moments: Sequence[datetime], fields: tuple[str, ...] | None
) -> dict[tuple[Any, ...], list[tuple[int, datetime, bool]]]:
    """Instants grouped by what the flows can see of the hours Function's answer at each: (index, local instant,
    open) per member, groups in the order of their first instant."""
    groups: dict[tuple[Any, ...], list[tuple[int, datetime, bool]]] = {}
    schedule = sim.schedule(sim.today.year)
    for i, at in enumerate(moments):
        local = sim.local(at)
        status = is_open(schedule, local)
        answer = {"open": status.open, "reason": status.reason, "local_time": status.local_time}
        key = tuple(answer.get(f) for f in fields) if fields is not None else tuple(sorted(answer.items()))
        groups.setdefault(key, []).append((i, local, status.open))
    return groups


def sweep(
    hub: HubConfig,
    *,
    env: str,
    year: int | None = None,
    week_of: date | None = None,
    processes: int | None = None,
    grouped: bool = True,
    simulator: HubSimulator | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepReport:
    """Run every path once per distinct hours answer (``grouped``; or at every instant), on ``processes``
    processors (default: all of them when there is enough work), and judge it at every instant it stands for.
    The violations are the same, in the same order, as running every path at every instant. ``simulator``: the
    hub's, built for that year (tests pass one whose flows they broke). ``progress(done, total)`` hears how many
    conversations have run."""
    import time

    started = time.perf_counter()
    today = week_of or date.today()
    sim = simulator or HubSimulator(hub, env=env, today=date(year or today.year, 1, 1))
    report = SweepReport()
    moments = instants(hub, year=sim.today.year, week_of=today)
    fields = hours_fields_seen(sim.definitions)
    if grouped:
        groups = list(behaviours(sim, moments, fields).values())
    else:
        schedule = sim.schedule(sim.today.year)
        groups = [[(i, sim.local(at), is_open(schedule, sim.local(at)).open)] for i, at in enumerate(moments)]
    report.behaviours, report.instants = len(groups), len(moments)
    choices = [str(i) for i in range(1, len(hub.topics) + 1)] + [
        "0"
    ]  # "0" is never a topic: an invalid choice
    paths = [
        (channel, n, lang, topic)
        for channel in hub.channels.enabled
        for n, lang in enumerate(hub.languages, start=1)
        for topic in choices
    ]
    units: list[Unit] = [(*path, members[0][1], False) for members in groups for path in paths]
    failing_at = sim.local(datetime(sim.today.year, 6, 3, 11, 0))
    failing: list[Unit] = [
        (channel, n, lang, "1", failing_at, True)
        for channel in hub.channels.enabled
        for n, lang in enumerate(hub.languages, start=1)
    ]
    verdicts, report.processes = _run_all(sim, [*units, *failing], processes, progress)
    found: list[tuple[tuple[int, int, int], str]] = []
    for u, verdict in enumerate(verdicts[: len(units)]):
        members, p = groups[u // len(paths)], u % len(paths)
        channel, _n, lang, topic, _at, _ = units[u]
        for index, local, open_now in members:
            where = f"{channel} {lang} topic {topic} at {local.isoformat(timespec='minutes')}"
            for seq, problem in enumerate(_expand(verdict, open_now=open_now, hours_fail=False)):
                found.append(((index, p, seq), f"{where}: {problem}"))
        report.ends[verdict[0]] += len(members)
        report.conversations += len(members)
    found.sort(key=lambda item: item[0])
    for (channel, _n, lang, topic, at, _), verdict in zip(failing, verdicts[len(units) :], strict=True):
        where = f"{channel} {lang} topic {topic} at {at.isoformat(timespec='minutes')} with the hours function failing"
        found += [((0, 0, 0), f"{where}: {p}") for p in _expand(verdict, open_now=False, hours_fail=True)]
        report.ends[verdict[0]] += 1
        report.conversations += 1
    for _, message in found:
        report.add(message)
    report.runs = len(verdicts)
    report.seconds = time.perf_counter() - started
    return report


# The simulator, texts and recordings a worker process judges with: set before the pool forks.
_STATE: tuple[HubSimulator, dict[str, set[str]], dict[str, set[str]]] | None = None
MIN_PER_PROCESS = 400  # conversations; below that, starting processes costs more than it saves


PROGRESS_EVERY = 256  # conversations between two progress updates


def _run_all(
    sim: HubSimulator,
    units: Sequence[Unit],
    processes: int | None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Verdict], int]:
    global _STATE
    hub = sim.hub
    audio = {
        lang: set(hub.texts[lang].audio.values()) | set(hub.texts[lang].answer_audio.values())
        for lang in hub.languages
    }
    _STATE = (sim, language_lines(hub), audio)
    wanted = processes if processes is not None else min(os.cpu_count() or 1, len(units) // MIN_PER_PROCESS)
    try:
        if wanted <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return _collect(map(_verdict_of, units), len(units), progress), 1
        # fork: the workers start with the simulator built, and map keeps the units' order
        with ProcessPoolExecutor(wanted, mp_context=multiprocessing.get_context("fork")) as pool:
            chunk = max(1, len(units) // (wanted * 8))
            return _collect(pool.map(_verdict_of, units, chunksize=chunk), len(units), progress), wanted
    finally:
        _STATE = None


def _collect(
    verdicts: Iterator[Verdict], total: int, progress: Callable[[int, int], None] | None
) -> list[Verdict]:
    if progress is None:
        return list(verdicts)
    out: list[Verdict] = []
    for verdict in verdicts:
        out.append(verdict)
        if len(out) % PROGRESS_EVERY == 0:
            progress(len(out), total)
    progress(len(out), total)
    return out


def _verdict_of(unit: Unit) -> Verdict:
    assert _STATE is not None, "the sweep's state is set before its units run"
    sim, lines, audio = _STATE
    channel, n, lang, topic, at, hours_fail = unit
    return _verdict(sim, channel, at, n, lang, topic, lines, audio, hours_fail=hours_fail)


def _verdict(
    sim: HubSimulator,
    channel: ChannelName,
    at: datetime,
    n: int,
    lang: str,
    topic: str,
    lines: dict[str, set[str]],
    audio: dict[str, set[str]],
    *,
    hours_fail: bool,
) -> Verdict:
    """Run one conversation and list what is wrong with it, except its agreement with the opening hours, which
    depends on the instant it stands for (``AGREEMENT`` marks its place)."""
    hub = sim.hub
    multi = len(hub.languages) > 1
    if channels.get(channel).flow == "voice":
        script = Script(presses=([str(n)] if multi else []) + [topic])
    else:
        script = Script(sends=["Hello", *([str(n)] if multi else []), topic])
    conv, outcome = sim.run(channel=channel, at=at, script=script, hours_fail=hours_fail)
    if outcome.end not in ENDS:
        return outcome.end, [f"no proper end ({outcome.detail})"]
    problems: list[str | None] = []
    if outcome.language != lang:
        problems.append(f"language {outcome.language}, chosen {lang}")
    problems.append(AGREEMENT)
    problems += islice(_languages(conv.transcript, lang, hub, lines, audio, multi), 1)
    if outcome.end in ("voicemail", "after_hours"):
        promise = hub.texts[lang].messages["promise"]
        heard = any(
            promise in (o.text if isinstance(o, Say) else o.body)
            for o in conv.transcript
            if isinstance(o, (Say, Message))  # a tuple: a union would be built for every item
        )
        recording = hub.texts[lang].audio.get("after_hours")
        played = recording is not None and any(
            isinstance(o, Play) and o.url == recording for o in conv.transcript
        )
        if not heard and not played:
            problems.append("closed without giving the promise")
    return outcome.end, problems


def _expand(verdict: Verdict, *, open_now: bool, hours_fail: bool) -> Iterator[str]:
    """The problems of a verdict at one instant: its agreement with the hours filled in."""
    end, problems = verdict
    closed_path = end in ("voicemail", "after_hours")
    for problem in problems:
        if problem is not AGREEMENT:
            yield str(problem)
        elif (hours_fail or not open_now) and not closed_path:
            yield f"closed, but ended with {end}"
        elif not (hours_fail or not open_now) and closed_path:
            yield f"open, but ended with {end}"


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
    """One conversation at one instant, judged into ``report``."""
    verdict = _verdict(sim, channel, at, n, lang, topic, lines, audio, hours_fail=hours_fail)
    report.conversations += 1
    report.runs += 1
    report.ends[verdict[0]] += 1
    where = f"{channel} {lang} topic {topic} at {at.isoformat(timespec='minutes')}" + (
        " with the hours function failing" if hours_fail else ""
    )
    for problem in _expand(verdict, open_now=open_now, hours_fail=hours_fail):
        report.add(f"{where}: {problem}")


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
