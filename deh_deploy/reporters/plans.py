"""Plans (``deh plan``, and the plan ``deh apply`` shows): text, markdown for a pull request, or the JSON that
``--out`` saves. For now each form is the plan's own ``Plan.render``; the reporters are where it will move."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from deh_deploy.reporters import Format
from deh_deploy.reporters.base import Reporter

if TYPE_CHECKING:
    from deh_deploy.plan import Plan


class PlanReporter(Reporter):
    form: ClassVar[Literal["text", "markdown", "json"]] = "text"

    def report(self, plan: Plan) -> None:
        self.line(plan.render(self.form))

    def saved(self, path: Path, plan: Plan) -> None:
        self.note(f"plan saved to {path} (checksum {plan.as_json()['checksum'][:12]})")


class TextPlan(PlanReporter):
    form = "text"


class MarkdownPlan(PlanReporter):
    form = "markdown"


class JsonPlan(PlanReporter):
    form = "json"


PLANS: dict[Format, type[PlanReporter]] = {
    Format.text: TextPlan,
    Format.markdown: MarkdownPlan,
    Format.json: JsonPlan,
}
