"""Diagnostics (``deh validate``, ``deh init``): one line each, a JSON list, or GitHub workflow annotations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from deh_deploy.reporters import Format
from deh_deploy.reporters.base import Reporter

if TYPE_CHECKING:
    from deh_deploy.diagnostics import Diagnostic


class DiagnosticReporter(Reporter):
    """Writes the diagnostics on stdout, then the counts on stderr (so that stdout stays machine-readable)."""

    def report(self, diagnostics: Sequence[Diagnostic], *, files: int) -> None:
        self.diagnostics(diagnostics)
        errors = sum(d.severity == "error" for d in diagnostics)
        warnings = sum(d.severity == "warning" for d in diagnostics)
        drafts = len(diagnostics) - errors - warnings
        allowed = f", {drafts} placeholder{'s' * (drafts != 1)} (allowed: not ready)" if drafts else ""
        self.note(
            f"{files} config{'s' * (files != 1)}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}{allowed}"
        )

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        raise NotImplementedError


class TextDiagnostics(DiagnosticReporter):
    """``file:line:col: $.path: message``, the diagnostic's own one-line form."""

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        for d in diagnostics:
            self.line(d.format())


class JsonDiagnostics(DiagnosticReporter):
    """One JSON list of every diagnostic with its severity; ``[]`` when the configs are valid."""

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        import json

        self.line(json.dumps([d.as_json() for d in diagnostics], indent=2, ensure_ascii=False))


class GithubDiagnostics(DiagnosticReporter):
    """GitHub workflow commands, which GitHub shows as annotations on the lines of the pull request."""

    def diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        for d in diagnostics:
            self.line(annotation(d))


def annotation(d: Diagnostic) -> str:
    """``::error file=…,line=…,col=…::message`` (``::notice`` for a placeholder allowed by ``ready: false``). A whole-file problem (line 0) is put on the first line. GitHub's
    escaping: in the message ``%``, CR and LF; in a property (the file name) also ``:`` and ``,``, which would
    otherwise end it — so a file named with a newline or a comma cannot add lines or properties of its own."""
    level = {"error": "error", "warning": "warning", "placeholder": "notice"}[d.severity]
    msg = _escape(f"{d.path}: {d.message}")
    file = _escape(d.file).replace(":", "%3A").replace(",", "%2C")
    return f"::{level} file={file},line={max(d.line, 1)},col={max(d.col, 1)}::{msg}"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


DIAGNOSTICS: dict[Format, type[DiagnosticReporter]] = {
    Format.text: TextDiagnostics,
    Format.json: JsonDiagnostics,
    Format.github: GithubDiagnostics,
}
