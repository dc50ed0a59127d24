"""Diagnostics: one problem, pointing into the YAML that caused it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """``file:line:col: $.path: message``. Lines and columns are 1-based; 0 means unknown.

    :meth:`format` is the diagnostic's own one-line form, used in errors; the output formats of ``deh validate``
    are reporters (:mod:`deh_deploy.reporters.diagnostics`)."""

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        where = f"{self.file}:{max(self.line, 1)}:{max(self.col, 1)}"
        tag = "warning: " if self.severity == "warning" else ""
        return f"{where}: {self.path}: {tag}{self.message}"

    def as_json(self) -> dict[str, object]:
        return asdict(self)
