"""``deh simulate``: what the person hears, reads and does, then how the conversation ended; or all of it as
JSON for machines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from deh_deploy.reporters import Format
from deh_deploy.reporters.base import Reporter

if TYPE_CHECKING:
    from datetime import datetime

    from deh_deploy.simulate.engine import Conversation
    from deh_deploy.simulate.hub import Outcome


class TranscriptReporter(Reporter):
    def report(self, conv: Conversation, outcome: Outcome) -> None:
        """A scripted conversation, once it is over."""
        raise NotImplementedError

    def instant(self, local: datetime, is_open: bool, reason: str, *, hours_fail: bool) -> None:
        """The instant a run without ``--at`` used (the clock's), and whether the hub is open then, and why not."""
        return None  # JSON has it in the hours Function's answer, in the trace

    def step(self, line: str) -> None:
        """One transcript line of an interactive conversation, shown before the person is asked again."""
        self.line(line)

    def outcome(self, outcome: Outcome) -> None:
        """``end: agent`` and the task it left, after the transcript."""
        self.line(f"end: {outcome.end}" + (f" ({outcome.detail})" if outcome.detail else ""))
        if outcome.task:
            self.line("task: " + ", ".join(f"{k}={v}" for k, v in sorted(outcome.task.items())))


class TextTranscript(TranscriptReporter):
    def instant(self, local: datetime, is_open: bool, reason: str, *, hours_fail: bool) -> None:
        state = "open" if is_open else f"closed: {_REASONS.get(reason, reason)}"
        failing = (
            " (--hours-fail: the hours Function fails, and the flow acts as closed)" if hours_fail else ""
        )
        self.line(f"now (no --at): {local:%A %Y-%m-%d %H:%M} in {local.tzinfo}; the hub is {state}{failing}")

    def report(self, conv: Conversation, outcome: Outcome) -> None:
        from deh_deploy.simulate.hub import transcript_lines

        for line in transcript_lines(conv):
            self.line(line)
        self.outcome(outcome)


class JsonTranscript(TranscriptReporter):
    """``{"transcript": …, "outcome": …}``: the conversation's own JSON form, with the trace of widgets."""

    def report(self, conv: Conversation, outcome: Outcome) -> None:
        import json

        self.line(
            json.dumps(
                {"transcript": conv.to_json(), "outcome": outcome.to_json()}, ensure_ascii=False, indent=2
            )
        )


# The hours Function's reasons, in words; "holiday: <name>" and "closure: <reason>" already are.
_REASONS = {
    "outside_hours": "outside hours",
    "closed_now": "closed_now is true (the emergency switch)",
    "outside_schedule_years": "outside the years the schedule covers",
}

TRANSCRIPTS: dict[Format, type[TranscriptReporter]] = {
    Format.text: TextTranscript,
    Format.json: JsonTranscript,
}
