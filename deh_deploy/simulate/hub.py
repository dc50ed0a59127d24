"""A whole hub, offline: its rendered flows run by the interpreter, its hours Function answered by the same schedule
logic the Function uses, its callback Function recording the task that keeps the promise to answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from deh_deploy import channels
from deh_deploy.config.model import ChannelName, HubConfig
from deh_deploy.errors import UsageError
from deh_deploy.hours import compile_schedule, is_open, prepare_schedule
from deh_deploy.render import render_hub
from deh_deploy.render.refs import Ref, fill
from deh_deploy.render.serverless import schedule_years
from deh_deploy.simulate.compiled import CompiledFlow
from deh_deploy.simulate.engine import Conversation, Run
from deh_deploy.simulate.flow import compile_flow
from deh_deploy.simulate.model import (
    CallContext,
    FunctionResult,
    Input,
    Message,
    Play,
    Press,
    Received,
    Record,
    Say,
    Send,
    Silence,
    Speak,
)

End = Literal["agent", "voicemail", "self_service", "after_hours", "unfinished"]
ENDS: tuple[End, ...] = ("agent", "voicemail", "self_service", "after_hours")


@dataclass(frozen=True)
class Outcome:
    end: End
    language: str | None
    task: Mapping[str, Any] | None  # the Flex task (agent) or the callback task (voicemail, after hours)
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "end": self.end,
            "language": self.language,
            "task": dict(self.task) if self.task else None,
            "detail": self.detail,
        }


@dataclass
class Script:
    """What the person does, consumed in order by the kind of input each prompt wants."""

    presses: list[str] = field(default_factory=list)
    sends: list[str] = field(default_factory=list)
    says: list[str] = field(default_factory=list)
    record_seconds: int = 20

    def unused(self, channel: ChannelName) -> str | None:
        """What was given and never asked for, once the conversation is over, as the line that says so: an
        option the conversation had no use for is a mistake in the script, not something to pass over."""
        voice = channels.get(channel).flow == "voice"
        for option, values, fits in (
            ("--press", self.presses, voice),
            ("--say", self.says, voice),
            ("--send", self.sends, not voice),
        ):
            if not values:
                continue
            more = f" (and {len(values) - 1} more)" if len(values) > 1 else ""
            why = (
                "the conversation ended before a prompt asked for it"
                if fits
                else f"{channel} takes {'--press and --say' if voice else '--send'}"
            )
            return f"{option} {values[0]!r} was not used{more}: {why}"
        return None

    def next_for(self, kinds: Sequence[str]) -> Input:
        if "recording" in kinds:
            return Record(self.record_seconds, "")
        if "keys" in kinds and self.presses:
            return Press(self.presses.pop(0))
        if "speech" in kinds and self.says:
            return Speak(self.says.pop(0))
        if "text" in kinds and self.sends:
            return Send(self.sends.pop(0))
        return Silence()


class HubSimulator:
    def __init__(self, hub: HubConfig, *, env: str, today: date | None = None) -> None:
        self.hub = hub
        self.env = env
        desired = render_hub(hub, env=env, today=today)
        # The flow definitions as Twilio would run them (offline: references filled with stand-ins).
        self.definitions: dict[str, Any] = {
            name: offline(desired.documents[f"flows/{name}.json"], hub.slug, env)
            for name in ("voice", "messaging")
            if f"flows/{name}.json" in desired.documents
        }
        self.flows: dict[str, CompiledFlow] = {
            name: compile_flow(definition) for name, definition in self.definitions.items()
        }
        self.zone = ZoneInfo(hub.timezone)
        self.today = today or date.today()
        self._schedules: dict[int, Any] = {}
        self._senders: dict[str, str] = {}

    def schedule(self, year: int) -> Any:
        """The compiled schedule the Function would read, for the years a render in ``year`` compiles."""
        if year not in self._schedules:
            years = schedule_years(date(year, 1, 1))
            self._schedules[year] = prepare_schedule(
                compile_schedule(self.hub.hours, timezone=self.hub.timezone, years=years)
            )
        return self._schedules[year]

    def functions(
        self, at: datetime, *, hours_fail: bool = False, tasks: list[dict[str, Any]]
    ) -> dict[str, Any]:
        def hours(_params: Mapping[str, str], _ctx: CallContext) -> FunctionResult:
            if hours_fail:
                raise RuntimeError("the hours function is down")
            status = is_open(self.schedule(at.year), at)  # as a render made in that year would compile it
            return FunctionResult(
                200, {"open": status.open, "reason": status.reason, "local_time": status.local_time}
            )

        def callback(params: Mapping[str, str], _ctx: CallContext) -> FunctionResult:
            task = {
                "type": "callback",
                "reason": "voicemail" if params.get("type") == "voicemail" else "after_hours",
                **{k: v for k, v in params.items() if k != "type"},
                "queue": self.hub.routing.callback_queue,
            }
            tasks.append(task)
            return FunctionResult(200, {"task_sid": f"WT{len(tasks):032x}"})

        return {"/hours": hours, "/callback": callback}

    def sender(self, channel: ChannelName) -> str:
        """``default_from`` for ``channel``, worked out once: phonenumbers takes longer than a conversation."""
        found = self._senders.get(channel)
        if found is None:
            found = self._senders[channel] = default_from(self.hub.country, channel)
        return found

    def local(self, at: datetime) -> datetime:
        return at.replace(tzinfo=self.zone) if at.tzinfo is None else at

    def status(self, at: datetime) -> tuple[datetime, bool, str]:
        """The hub's local time at ``at``, whether it is open, and the hours Function's reason (``open``,
        ``outside_hours``, ``holiday: <name>``, ``closure: <reason>``, ``closed_now``…)."""
        local = self.local(at).astimezone(self.zone)
        status = is_open(self.schedule(local.year), local)
        return local, status.open, status.reason

    def run(
        self,
        *,
        channel: ChannelName,
        at: datetime,
        script: Script,
        from_: str | None = None,
        hours_fail: bool = False,
        max_steps: int = 500,
        on_output: Callable[[str], None] | None = None,
    ) -> tuple[Conversation, Outcome]:
        if channel not in self.hub.channels.enabled:
            raise UsageError(
                f"{self.hub.slug} has no {channel} channel (enabled: {', '.join(self.hub.channels.enabled)})"
            )
        at = self.local(at)
        tasks: list[dict[str, Any]] = []
        definition = channels.get(channel)
        run = Run(
            self.flows[definition.flow],
            functions=self.functions(at, hours_fail=hours_fail, tasks=tasks),
            max_steps=max_steps,
        )
        sender = from_ or self.sender(channel)
        trigger = definition.trigger
        if trigger == "incomingCall":
            conv = run.start(trigger=trigger, trigger_data={"From": sender, "To": "hub", "CallSid": "CA0"})
        else:
            first = script.sends.pop(0) if script.sends else "Hello"
            if trigger == "incomingMessage":
                data = {"From": sender, "To": "hub", "Body": first}
            else:  # as Conversations gives the author: with the channel's prefix, written or not in --from
                author = definition.prefix + sender.removeprefix(definition.prefix)
                data = {"Author": author, "Body": first, "ConversationSid": "CH0"}
            conv = run.start(trigger=trigger, trigger_data=data)
            conv.opening = first
        shown = 0
        while True:
            if on_output is not None:  # interactive: show each step before asking for the next input
                lines = transcript_lines(conv)
                for line in lines[shown:]:
                    on_output(line)
                shown = len(lines)
            if conv.waiting is None:
                break
            kinds = (conv.waiting.kind, *conv.waiting.accepts)
            conv.send(script.next_for(kinds))
        return conv, outcome(conv, tasks)


def offline(document: Any, slug: str, env: str) -> Any:
    """A rendered document with the references apply would fill filled with stand-ins: the sandbox-style domain,
    placeholder SIDs. Configured text is left as it is, as apply leaves it."""

    def stand_in(r: Ref) -> str:
        if r.attr == "domain_name":
            return f"deh-{slug}-{env}-0000-{env}.twil.io"
        return f"{r.kind}:{r.key}"

    return fill(document, stand_in)


def default_from(country: str, channel: str) -> str:
    """Who contacts the hub unless ``--from`` says: the channel's own sender form, else an example mobile
    number of the Society's country."""
    import phonenumbers

    sender = channels.get(channel).sender
    if sender is not None:
        return sender
    example = phonenumbers.example_number_for_type(country, phonenumbers.PhoneNumberType.MOBILE)
    return (
        phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        if example
        else "+10000000000"
    )


def outcome(conv: Conversation, tasks: list[dict[str, Any]]) -> Outcome:
    end = conv.ended
    variables = dict(end.variables) if end else {}
    language = variables.get("lang") or None
    if end is None:
        return Outcome("unfinished", language, None, "the conversation did not end")
    if end.reason == "flex" and end.task is not None:
        return Outcome("agent", language, dict(end.task.attributes))
    if end.reason == "error":
        return Outcome("unfinished", language, None, end.message)
    kind = variables.get("end")
    if kind in ("voicemail", "after_hours", "self_service"):
        return Outcome(kind, language, tasks[-1] if tasks else None)
    return Outcome("unfinished", language, None, f"ended at {end.widget} ({end.reason}) without an end")


def transcript_lines(conv: Conversation) -> list[str]:
    """What the person hears and reads, and what they did, one line each."""
    out = [f"person: writes {conv.opening!r}"] if conv.opening is not None else []
    for item in conv.transcript:
        if isinstance(item, Say):
            out.append(f"hub says [{item.language}]: {item.text}")
        elif isinstance(item, Play):
            out.append(f"hub plays: {item.url}")
        elif isinstance(item, Message):
            out.append(f"hub writes: {item.body}")
        elif isinstance(item, Received):
            out.append(f"person: {describe_input(item.input)}")
    return out


def describe_input(inp: Input) -> str:
    if isinstance(inp, Press):
        return f"presses {inp.digits}"
    if isinstance(inp, Send):
        return f"writes {inp.text!r}"
    if isinstance(inp, Speak):
        return f"says {inp.text!r}"
    if isinstance(inp, Record):
        return f"leaves a {inp.seconds} s voicemail"
    return type(inp).__name__.lower()
