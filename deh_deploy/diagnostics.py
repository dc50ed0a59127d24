"""Diagnostics: one problem, pointing into the YAML that caused it."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """``file:line:col: $.path: message``. Lines and columns are 1-based; 0 means unknown."""

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

    def github(self) -> str:
        level = "warning" if self.severity == "warning" else "error"
        msg = f"{self.path}: {self.message}".replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{level} file={self.file},line={max(self.line, 1)},col={max(self.col, 1)}::{msg}"

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def dumps(diagnostics: list[Diagnostic]) -> str:
    return json.dumps([d.as_json() for d in diagnostics], indent=2, ensure_ascii=False)
