"""``deh apply`` and ``deh destroy`` as they run: the plan, one progress line per change, then what was done."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from deh_deploy.reporters.base import Reporter
from deh_deploy.reporters.plans import TextPlan

if TYPE_CHECKING:
    from deh_deploy.changes import Entry
    from deh_deploy.deploy import ApplyResult
    from deh_deploy.plan import Plan


class ApplyReporter(Reporter):
    """``[  n/N] create   kind/key``: N is the plan's number of writes, known once the plan is shown."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def planned(self, plan: Plan) -> None:
        self.total = len(plan.writes)
        TextPlan().report(plan)

    def progress(self, rid: str, what: str) -> None:
        self.done += 1
        self.line(f"[{self.done:>3}/{self.total}] {what:8} {rid}")

    def applied(self, result: ApplyResult, *, slug: str, env: str) -> None:
        counts = result.plan.counts()
        self.line(
            f"applied {slug}/{env}: {len(result.outcome.done)} change(s) ({counts['create']} create, "
            f"{counts['update']} update, {counts['delete']} delete); {result.requests} requests, "
            f"{result.writes} writes"
        )


class DestroyReporter(Reporter):
    """The plan of deletes first, then a line per deletion (and per thing kept)."""

    def planned(self, plan: Plan) -> None:
        TextPlan().report(plan)

    def progress(self, rid: str, what: str) -> None:
        self.line(f"{what:8} {rid}")

    def destroyed(self, changes: Sequence[Entry], *, slug: str, env: str) -> None:
        self.line(f"destroyed {sum(c.action == 'delete' for c in changes)} resource(s) of {slug}/{env}")
