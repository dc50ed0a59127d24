"""Diagnostics: one problem, pointing into the YAML that caused it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

# "placeholder": a value still to fill in where the config allows one (an environment marked ``ready: false``);
# it never fails validation, not even ``--strict``, and plan, apply and destroy refuse it all the same.
Severity = Literal["error", "warning", "placeholder"]


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
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}: {self.path}: {tag}{self.message}"

    def as_json(self) -> dict[str, object]:
        return asdict(self)
