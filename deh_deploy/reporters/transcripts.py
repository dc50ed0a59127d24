"""``deh simulate``: what the person hears, reads and does, then how the conversation ended; or all of it as
JSON for machines."""

from __future__ import annotations

from typing import TYPE_CHECKING

from deh_deploy.reporters import Format
from deh_deploy.reporters.base import Reporter

if TYPE_CHECKING:
    from deh_deploy.simulate.engine import Conversation
    from deh_deploy.simulate.hub import Outcome


class TranscriptReporter(Reporter):
    def report(self, conv: Conversation, outcome: Outcome) -> None:
        """A scripted conversation, once it is over."""
        raise NotImplementedError

    def step(self, line: str) -> None:
        """One transcript line of an interactive conversation, shown before the person is asked again."""
        self.line(line)

    def outcome(self, outcome: Outcome) -> None:
        """``end: agent`` and the task it left, after the transcript."""
        self.line(f"end: {outcome.end}" + (f" ({outcome.detail})" if outcome.detail else ""))
        if outcome.task:
            self.line("task: " + ", ".join(f"{k}={v}" for k, v in sorted(outcome.task.items())))


class TextTranscript(TranscriptReporter):
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


TRANSCRIPTS: dict[Format, type[TranscriptReporter]] = {
    Format.text: TextTranscript,
    Format.json: JsonTranscript,
}
