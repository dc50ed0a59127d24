"""Plans (``deh plan``, and the plan ``deh apply`` shows): text, markdown for a pull request, or the JSON that
``--out`` saves. Given the plan in the config's terms (:class:`deh_deploy.terms.Terms`), the text and the markdown
say first what a person changed, each change with the resources it touches beneath, then every resource change;
the JSON holds them as ``config`` beside the plan."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Literal

from deh_deploy.reporters import Format
from deh_deploy.reporters.base import Reporter

if TYPE_CHECKING:
    from deh_deploy.changes import Entry
    from deh_deploy.plan import Plan
    from deh_deploy.terms import Terms

HEADING = "What changed in the config:"
UNRECORDED = (
    "hours: the account holds no record of them yet (a hub applied by an earlier deh): this apply records "
    "them, and later plans tell their changes"
)
UNTOLD = "changes no config edit explains (drift on the account, or deh's own):"


class PlanReporter(Reporter):
    form: ClassVar[Literal["text", "markdown", "json"]] = "text"

    def report(self, plan: Plan, terms: Terms | None = None) -> None:
        self.line(self.render(plan, terms))

    def render(self, plan: Plan, terms: Terms | None) -> str:
        return plan.render(self.form)

    def saved(self, path: Path, plan: Plan) -> None:
        self.note(f"plan saved to {path} (checksum {plan.as_json()['checksum'][:12]})")


def told(terms: Terms | None) -> bool:
    return terms is not None and bool(terms.changes or terms.unrecorded)


def resource(e: Entry) -> str:
    from deh_deploy.plan import SYMBOL

    return f"{SYMBOL[e.action]} {e.action} {e.kind} {e.key}"


class TextPlan(PlanReporter):
    form = "text"

    def render(self, plan: Plan, terms: Terms | None) -> str:
        summary, *rest = plan.render("text").splitlines()
        if terms is None or not told(terms):
            return "\n".join([summary, *rest])
        lines = [summary, HEADING]
        for change in terms.changes:
            lines.append(f"  {change.line()}")
            lines.extend(f"      {resource(e)}" for e in change.affected)
        if terms.unrecorded:
            lines.append(f"  {UNRECORDED}")
        if terms.others:
            lines.append(f"  {UNTOLD} {', '.join(resource(e) for e in terms.others)}")
        return "\n".join([*lines, "What apply does on the account:", *rest])


class MarkdownPlan(PlanReporter):
    form = "markdown"

    def render(self, plan: Plan, terms: Terms | None) -> str:
        heading, *rest = plan.render("markdown").splitlines()
        if terms is None or not told(terms):
            return "\n".join([heading, *rest])
        lines = [heading, "", "**What changed in the config**", ""]
        for change in terms.changes:
            lines.append(f"- {_escape(change.line())}")
            lines.extend(f"  - `{resource(e)}`" for e in change.affected)
        if terms.unrecorded:
            lines.append(f"- {UNRECORDED}")
        if terms.others:
            lines.append(f"- {UNTOLD} " + ", ".join(f"`{resource(e)}`" for e in terms.others))
        return "\n".join([*lines, "", "**What apply does on the account**", *rest])


class JsonPlan(PlanReporter):
    form = "json"

    def render(self, plan: Plan, terms: Terms | None) -> str:
        if terms is None:
            return plan.render("json")
        from deh_deploy.terms import Review

        return Review(plan, terms).to_json().rstrip("\n")


def _escape(text: str) -> str:
    """Markdown that shows a config's text as written: what GitHub would read as markup is escaped."""
    for char in "\\`*<>[]":
        text = text.replace(char, "\\" + char)
    return text


PLANS: dict[Format, type[PlanReporter]] = {
    Format.text: TextPlan,
    Format.markdown: MarkdownPlan,
    Format.json: JsonPlan,
}
