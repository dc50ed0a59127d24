"""``deh test``: each country's scenario results and sweep, as lines while they run or as one JSON document."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from deh_deploy.reporters import Format
from deh_deploy.reporters.base import Reporter

if TYPE_CHECKING:
    from deh_deploy.simulate.scenarios import Result, Suite
    from deh_deploy.simulate.sweep import SweepReport


class ResultReporter(Reporter):
    """Called once per country with its suite, then (with ``--sweep``) its sweep; :meth:`finish` at the end.
    ``verbose`` adds the transcripts of failed scenarios."""

    def __init__(self, *, verbose: bool = False) -> None:
        self.verbose = verbose

    def suite(self, slug: str, suite: Suite, *, folder: Path, required: bool) -> None:
        """``required``: a country without scenarios is a failure (no sweep was asked for instead)."""
        raise NotImplementedError

    def sweep(self, slug: str, report: SweepReport) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Called after the last country."""


class TextResults(ResultReporter):
    """A PASS/FAIL line per scenario with its failures, a count per country, the sweep's figures; each printed
    as soon as it is known, for a sweep takes seconds."""

    def suite(self, slug: str, suite: Suite, *, folder: Path, required: bool) -> None:
        if not suite.results:  # said in words, not as "0 passed, 0 failed"
            self.line(
                f"{slug}: nothing was tested: there are no scenarios in {folder} (*.yaml)"
                if required
                else f"{slug}: no scenarios in {folder} (*.yaml); the sweep alone was run"
            )
            return
        for r in suite.results:
            self.line(f"{'PASS' if r.passed else 'FAIL'} {r.file}:{r.line}: {r.name}")
            for failure in r.failures:
                self.line(f"     {failure}")
            if self.verbose and not r.passed:
                for line in r.transcript:
                    self.line(f"       | {line}")
        self.line(f"{slug}: {len(suite.results) - len(suite.failed)} passed, {len(suite.failed)} failed")

    def sweep(self, slug: str, report: SweepReport) -> None:
        ends = ", ".join(f"{k} {v}" for k, v in sorted(report.ends.items()))
        self.line(
            f"{slug}: sweep of {report.conversations} conversations in {report.seconds:.1f} s "
            f"({report.conversations / max(report.seconds, 1e-9):.0f}/s; {report.runs} run, one per path and "
            f"distinct hours answer: {report.behaviours} answer(s) over {report.instants} instants): {ends}; "
            f"{report.violation_count} violation(s)"
        )
        for v in report.violations:
            self.line(f"     {v}")


class JsonResults(ResultReporter):
    """``{"hubs": [{"slug", "passed", "failed", "scenarios": […], "sweep": {…}}]}``, written once at the end."""

    def __init__(self, *, verbose: bool = False) -> None:
        super().__init__(verbose=verbose)
        self.hubs: list[dict[str, Any]] = []

    def suite(self, slug: str, suite: Suite, *, folder: Path, required: bool) -> None:
        entry: dict[str, Any] = {
            "slug": slug,
            "passed": len(suite.results) - len(suite.failed),
            "failed": len(suite.failed),
            "scenarios": [self._result(r) for r in suite.results],
        }
        if not suite.results and required:
            entry["problem"] = f"no scenarios in {folder} (*.yaml)"
        self.hubs.append(entry)

    def _result(self, r: Result) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": r.file,
            "line": r.line,
            "name": r.name,
            "passed": r.passed,
            "failures": list(r.failures),
            "outcome": r.outcome.to_json() if r.outcome else None,
        }
        if self.verbose and not r.passed:
            out["transcript"] = list(r.transcript)
        return out

    def sweep(self, slug: str, report: SweepReport) -> None:
        self.hubs[-1]["sweep"] = {
            "conversations": report.conversations,
            "runs": report.runs,
            "behaviours": report.behaviours,
            "instants": report.instants,
            "processes": report.processes,
            "seconds": round(report.seconds, 3),
            "ends": dict(sorted(report.ends.items())),
            "violation_count": report.violation_count,
            "violations": list(report.violations),
        }

    def finish(self) -> None:
        import json

        self.line(json.dumps({"hubs": self.hubs}, ensure_ascii=False, indent=2))


RESULTS: dict[Format, type[ResultReporter]] = {Format.text: TextResults, Format.json: JsonResults}
