"""The Plan: what apply (or destroy) would do, its safety checks, and its printable and savable forms."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from deh_deploy.changes import Change, Delete, Entry, Keep, hides_unknown, public
from deh_deploy.errors import PlanError, SafetyError
from deh_deploy.render.desired import canonical_json
from deh_deploy.render.refs import shown_form

Format = Literal["text", "markdown", "json"]
# The saved form's version. 2: references are {"$ref": …} values, no longer "${ref:…}" inside strings; and the
# version is written. A plan saved in another form is refused as such, before its checksum is compared.
PLAN_FORMAT = 2
Purpose = Literal["apply", "destroy"]
EMPTY: dict[Purpose, str] = {
    "apply": "No changes: the account matches the config.",
    "destroy": "Nothing to delete: the hub owns nothing on the account, or only what is kept.",
}


@dataclass(frozen=True)
class Plan:
    """What apply (or destroy) would do: its changes in the order they are shown, then what it keeps on purpose.

    ``owned`` counts the owned resources found on the account, the base of the safety share. A destroy plan
    (``purpose``) holds deletes only, and is checked by :meth:`check_destroy`."""

    slug: str
    env: str
    account_sid: str
    changes: tuple[Change, ...]
    owned: int
    keeps: tuple[Keep, ...] = ()
    purpose: Purpose = "apply"

    # Safety like octodns: too large a share of owned resources changed at once needs --force.
    UPDATE_PCT_THRESHOLD: ClassVar[float] = 0.3
    MIN_EXISTING: ClassVar[int] = 10

    @property
    def writes(self) -> tuple[Change, ...]:
        return self.changes

    @property
    def entries(self) -> tuple[Entry, ...]:
        return (*self.changes, *self.keeps)

    @property
    def empty(self) -> bool:
        return not self.changes

    def counts(self) -> dict[str, int]:
        out = {"create": 0, "update": 0, "delete": 0}
        for c in self.changes:
            out[c.action] += 1
        return out

    def check_safety(
        self,
        *,
        force: bool,
        allow_purchase: bool,
        threshold: float | None = None,
        min_existing: int | None = None,
    ) -> None:
        """Apply's safety: too large a share of owned resources updated or deleted at once needs ``force``; a
        purchase needs consent; a number or a sender is never released by apply, whatever the flags."""
        limit = self.UPDATE_PCT_THRESHOLD if threshold is None else threshold
        floor = self.MIN_EXISTING if min_existing is None else min_existing
        counts = self.counts()
        touched = counts["update"] + counts["delete"]
        if not force and self.owned >= floor and self.owned and touched / self.owned > limit:
            raise SafetyError(
                f"{self.slug}/{self.env}: too many changes to owned resources: {touched} of {self.owned} "
                f"({touched / self.owned:.0%}) would be updated or deleted, above the {limit:.0%} limit; "
                "force required"
            )
        buys = [c for c in self.changes if c.purchase]
        if buys and not allow_purchase:
            what = ", ".join(f"{c.key} ({c.purchase})" for c in buys)
            raise SafetyError(
                f"{self.slug}/{self.env}: apply would buy phone numbers, which bills the account at "
                f"once: {what}; --allow-purchase required"
            )
        released = _guarded(self)
        if released:
            raise SafetyError(
                f"{self.slug}/{self.env}: apply never releases numbers or senders ({released}); "
                "deh destroy --release-numbers does"
            )

    def check_destroy(self, *, release_numbers: bool, confirm_slug: str | None) -> None:
        """Destroy's safety: what cannot be had back (numbers, senders) goes only with ``release_numbers`` and the
        Society's slug typed back.

        The share threshold of :meth:`check_safety` does not apply: deleting every owned resource is what destroy
        is for, so its share is always all of them. The threshold guards apply against deleting by accident."""
        check_release(self.slug, release_numbers=release_numbers, confirm_slug=confirm_slug)
        released = _guarded(self)
        if released and not release_numbers:
            raise SafetyError(
                f"{self.slug}/{self.env}: destroy would release {released}, usually gone for good; "
                "--release-numbers required"
            )

    # -- serialised forms ------------------------------------------------------------------------------------------
    def as_json(self) -> dict[str, Any]:
        body = {
            "format": PLAN_FORMAT,
            "slug": self.slug,
            "env": self.env,
            "account_sid": self.account_sid,
            "changes": [e.as_json() for e in self.entries],
        }
        return {**body, "checksum": checksum(body)}

    def to_json(self) -> str:
        return canonical_json(self.as_json())

    def render(self, fmt: Format) -> str:
        if fmt == "json":
            return self.to_json().rstrip("\n")
        return _markdown(self) if fmt == "markdown" else _text(self)


def check_release(slug: str, *, release_numbers: bool, confirm_slug: str | None) -> None:
    """Releasing numbers is confirmed by typing the Society's slug back; checked before anything is read."""
    if release_numbers and confirm_slug != slug:
        raise SafetyError(f"releasing numbers needs the slug typed back: --confirm {slug}")


def check_destroy_consent(slug: str, env: str, *, yes: bool, confirm_slug: str | None, can_ask: bool) -> None:
    """Destroy takes away what callers rely on, so it is never run unasked: staging needs a yes (asked in a
    terminal, or ``--yes``), production the Society's slug typed back (asked in a terminal, or ``--confirm``).
    Checked before anything is read, so a refusal has touched nothing."""
    if confirm_slug is not None and confirm_slug != slug:
        raise SafetyError(f"the slug typed back is not {slug!r}: nothing was deleted")
    if env == "production" and confirm_slug is None and not can_ask:
        raise SafetyError(f"destroying production needs the slug typed back: --confirm {slug}")
    if env != "production" and not (yes or confirm_slug or can_ask):
        raise SafetyError("destroy asks before deleting anything: run it in a terminal, or pass --yes")


def _guarded(plan: Plan) -> str:
    return ", ".join(c.id for c in plan.changes if isinstance(c, Delete) and c.guarded)


def checksum(body: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()


def read_saved(saved_text: str) -> str:
    """The checksum a saved plan claims, once its form is this version's and its body matches it: what can be
    told of a plan file before anything is read from the account."""
    try:
        saved = json.loads(saved_text)
        body = {k: saved[k] for k in ("slug", "env", "account_sid", "changes")}
        claimed = saved["checksum"]
        written = saved.get("format", 1)  # format 1 wrote none
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PlanError(f"the saved plan is not a deh plan file ({exc})") from None
    if written != PLAN_FORMAT:
        known = (
            type(written) is int and 0 < written < 1000
        )  # what a file says is quoted only when it is short
        raise PlanError(
            f"the saved plan is in {f'plan format {written}' if known else 'another plan format'}, written by "
            f"another version of deh; this one reads format {PLAN_FORMAT}: run deh plan again"
        )
    if checksum({"format": written, **body}) != claimed:
        raise PlanError("the saved plan was modified after it was written (checksum mismatch)")
    return str(claimed)


def verify_saved(saved_text: str, current: Plan) -> None:
    """A saved plan pins what was reviewed: apply refuses when the plan now differs or the file was altered."""
    claimed = read_saved(saved_text)
    if claimed != current.as_json()["checksum"]:
        raise PlanError(
            "the live account or the config changed since the plan was saved; run deh plan again "
            f"(saved {claimed[:12]}, now {current.as_json()['checksum'][:12]})"
        )


SYMBOL = {"create": "+", "update": "~", "delete": "-", "keep": "="}


def _line(e: Entry) -> str:
    sid = f" ({e.sid})" if e.sid else ""
    note = f"  [{e.note}]" if e.note else ""
    return f"{SYMBOL[e.action]} {e.action:6} {e.kind} {e.key}{sid}{note}"


def _field_lines(e: Entry, indent: str) -> list[str]:
    out = []
    for f in e.fields:
        hidden = "values known after apply" if hides_unknown(f.new) else ""  # the digest would not say it
        said = "; ".join(x for x in (f.detail, hidden) if x)
        detail = f" ({said})" if said else ""
        out.append(f"{indent}{f.name}: {_short(f.old)} → {_short(f.new)}{detail}")
    return out


def _short(value: Any) -> str:
    text = json.dumps(public(value), ensure_ascii=False, sort_keys=True, default=shown_form)
    return text if len(text) <= 120 else text[:119] + "…"


def _summary(plan: Plan) -> str:
    c = plan.counts()
    return (
        f"{plan.slug}/{plan.env} ({plan.account_sid}): {c['create']} to create, {c['update']} to update, "
        f"{c['delete']} to delete"
    )


def _text(plan: Plan) -> str:
    if plan.empty:  # what is kept on purpose still shows (a template version awaiting approval)
        return "\n".join([_summary(plan), *(_line(k) for k in plan.keeps), EMPTY[plan.purpose]])
    lines = [_summary(plan)]
    for e in plan.entries:
        lines.append(_line(e))
        lines.extend(_field_lines(e, "      "))
    return "\n".join(lines)


def _markdown(plan: Plan) -> str:
    title = "deh plan" if plan.purpose == "apply" else f"deh {plan.purpose}"
    lines = [f"### {title}: {_summary(plan)}", ""]
    if plan.empty and not plan.keeps:
        return "\n".join([*lines, EMPTY[plan.purpose]])
    if plan.empty:
        lines[1:1] = ["", EMPTY[plan.purpose]]
    lines += ["| | action | resource | details |", "|---|---|---|---|"]
    for e in plan.entries:
        details = "<br>".join(x.strip().replace("|", "\\|") for x in _field_lines(e, "")) or e.note
        lines.append(f"| {SYMBOL[e.action]} | {e.action} | `{e.kind} {e.key}` | {details} |")
    return "\n".join(lines)
