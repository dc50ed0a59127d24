"""Planning: the diff between the desired hub and what is live, as a Plan every write of which is in it; the plan
that destroys what the hub owns; and the order a plan's changes can run in. Every rule about a kind is asked of
the kind (:mod:`deh_deploy.providers.kinds`): this module names none."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

from deh_deploy.changes import UNKNOWN, Change, Create, Delete, Entry, Keep, Live, Update
from deh_deploy.errors import PlanError
from deh_deploy.plan import Plan, Purpose
from deh_deploy.providers.kinds import REGISTRY, Ctx, Kind
from deh_deploy.render.desired import Desired, Resource, canonical_json
from deh_deploy.render.refs import Ref, fill, refs_in

log = logging.getLogger(__name__)


@dataclass
class Inventory:
    """What is live: records matched to desired resources (by resource id), and the owned records that nothing
    desired matched."""

    live: dict[str, Live] = field(default_factory=dict)
    orphans: dict[str, Live] = field(default_factory=dict)
    reasons: dict[str, str] = field(
        default_factory=dict
    )  # resource id: why it was matched other than by name

    @property
    def owned(self) -> int:
        return sum(1 for live in self.live.values() if live.owned) + len(self.orphans)


def parent_id(kind: Kind, env: str) -> str | None:
    """The resource id of a kind's parent in this environment."""
    return kind.parent.format(env=env) if kind.parent else None


def plan(ctx: Ctx, desired: Desired, inventory: Inventory) -> Plan:
    """Every write that makes the account match the config. A resource that refers to one that will be created
    or replaced (a new SID, a new domain) gets an update whose fields show "(known after apply)", and the
    children of a replaced parent are created again with it: the reviewed, checksummed plan is all apply does."""
    fresh: set[str] = set()  # created or replaced: what others refer to is known only after apply
    unchecked: set[str] = set()  # creates of what is missing: their note is their kind's check
    changes: list[Change] = []
    keeps: list[Keep] = []
    for r in _in_dependency_order(desired.resources, ctx.env):
        kind = REGISTRY[r.kind]
        existing = inventory.live.get(r.id)
        if existing is not None and parent_id(kind, ctx.env) in fresh:
            existing = None  # it goes with its parent, and comes back with the new one
        if existing is None:
            changes.append(Create(r, purchase=kind.purchase(r)))  # its note once every check is answered
            unchecked.add(r.id)
            fresh.add(r.id)
            continue
        versions = kind.versions(r, existing)
        if versions is not None:
            changes.extend(versions.changes)
            keeps.extend(versions.keeps)
            if versions.current is None:
                fresh.add(r.id)
            else:  # what refers to the resource resolves to the version in use
                inventory.live[r.id] = versions.current
            continue
        attrs = resolve(r.attrs, inventory.live, unknown=UNKNOWN, fresh=fresh)
        fields = kind.diff(existing, attrs) or kind.owed(r, existing)
        if fields:
            update = Update(
                existing, r, fields, replace=kind.replaces(fields), reason=inventory.reasons.get(r.id, "")
            )
            changes.append(update)
            if update.replace:
                fresh.add(r.id)
            continue
        note = kind.kept(r, existing)
        if note:
            keeps.append(Keep(existing, note))
    for orphan in inventory.orphans.values():
        kind = REGISTRY[orphan.kind]
        note = kind.unlisted(orphan)
        if note:
            keeps.append(Keep(orphan, note))
        else:
            changes.append(Delete(orphan, guarded=kind.guarded, note=kind.retired_note))
    return _plan(ctx, "apply", _checked(ctx, changes, unchecked), keeps, inventory)


def _checked(ctx: Ctx, changes: list[Change], unchecked: Collection[str]) -> list[Change]:
    """Each create of a missing resource (``unchecked``) with its note, from its check (``Kind.missing``): the
    answer of the one the read sent early, else asked now, the checks left side by side; the first refusal in the
    plan's order is raised. A create a kind's versions planned (a template's next version) keeps its own note."""
    creates = [(i, c) for i, c in enumerate(changes) if isinstance(c, Create) and c.new.id in unchecked]
    left = [c.new for _, c in creates if c.new.id not in ctx.checks]
    asked: dict[str, Future[str]] = dict(ctx.checks)
    with ThreadPoolExecutor(max_workers=max(1, min(8, len(left)))) as pool:
        for r in left:
            asked[r.id] = pool.submit(REGISTRY[r.kind].missing, ctx, r)
        out = list(changes)
        for i, c in creates:
            out[i] = replace(c, note=asked[c.new.id].result())
    return out


def destroy_plan(ctx: Ctx, desired: Desired, inventory: Inventory, *, release_numbers: bool) -> Plan:
    """Everything the hub owns, deleted children first (a child that goes with its parent is left to it);
    numbers and senders are kept unless ``release_numbers``, and a number only if the hub bought it."""
    config = desired.by_id()
    changes: list[Change] = []
    keeps: list[Keep] = []
    for live in [*(x for x in inventory.live.values() if x.owned), *inventory.orphans.values()]:
        kind = REGISTRY[live.kind]
        note = kind.destroyed(ctx, live, config.get(live.id), release=release_numbers)
        if note:
            keeps.append(Keep(live, note))
        elif not kind.goes_with_parent:
            changes.append(Delete(live, guarded=kind.guarded))
    return _plan(ctx, "destroy", changes, keeps, inventory)


def _plan(ctx: Ctx, purpose: Purpose, changes: list[Change], keeps: list[Keep], inventory: Inventory) -> Plan:
    changes.sort(key=_shown)
    keeps.sort(key=_shown)
    plan = Plan(
        ctx.slug,
        ctx.env,
        ctx.account_sid,
        tuple(changes),
        inventory.owned,
        tuple(keeps),
        purpose=purpose,
    )
    for entry in plan.entries:
        log.debug("%s plan: %s %s: %s", purpose, entry.action, entry.id, _why(entry, purpose))
    return plan


def _in_dependency_order(resources: list[Resource], env: str) -> list[Resource]:
    """Resources after what they refer to and their parents (render's order otherwise), so that the plan
    knows which values will change before it compares what refers to them."""
    by_id = {r.id: r for r in resources}
    seen: set[str] = set()
    out: list[Resource] = []

    def visit(r: Resource) -> None:
        if r.id in seen:
            return
        seen.add(r.id)
        for dep in (*r.depends_on, parent_id(REGISTRY[r.kind], env)):
            if dep in by_id:
                visit(by_id[dep])
        out.append(r)

    for r in resources:
        visit(r)
    return out


def waits(plan: Plan, env: str) -> list[frozenset[int]]:
    """What each change (by index) waits for. A create or update: the changes of what it refers to and of its
    parent. A delete: every create and update (they may stop referring to it), and the deletes of the kinds
    taken before its own, children first."""
    changes = plan.changes
    at: dict[str, list[int]] = {}
    for i, c in enumerate(changes):
        if not isinstance(c, Delete):
            at.setdefault(c.id, []).append(i)
    writes = frozenset(j for ids in at.values() for j in ids)
    step = {k.name: n for n, k in enumerate(REGISTRY.destroy_order())}
    out = []
    for i, c in enumerate(changes):
        if isinstance(c, Delete):
            before = (
                j for j, d in enumerate(changes) if isinstance(d, Delete) and step[d.kind] < step[c.kind]
            )
            out.append(writes | frozenset(before))
        else:
            deps = (*c.new.depends_on, parent_id(REGISTRY[c.kind], env))
            out.append(frozenset(j for d in deps if d for j in at.get(d, ()) if j != i))
    return out


def _shown(entry: Entry) -> tuple[int, int, str]:
    """The order plans list their entries in: creates, updates, deletes, keeps; by kind (parents first, deletes
    children first), then key."""
    rank = REGISTRY.rank(entry.kind)
    return entry.ORDER, -rank if isinstance(entry, Delete) else rank, entry.key


def _why(entry: Entry, purpose: Purpose) -> str:
    if isinstance(entry, Create):
        return "not on the account" + (f" ({entry.note})" if entry.note else "")
    if isinstance(entry, Update):
        names = ", ".join(f.name for f in entry.fields)
        return f"{names} differ" + (", replaced" if entry.replace else "")
    if isinstance(entry, Delete):
        why = "not in the config" if purpose == "apply" else "destroyed"
        return f"owned ({entry.sid}), {why}" + (", guarded" if entry.guarded else "")
    return f"{entry.note} ({entry.sid})"


def resolve(
    value: Any, live: Mapping[str, Live], *, unknown: str | None = None, fresh: Collection[str] = ()
) -> Any:
    """A rendered value (a resource's attributes, a flow definition) in its final form: each reference replaced
    by what the live record it names gives (its SID, its domain…), and nothing else changed. What is not live yet,
    or will be created or replaced (``fresh``), becomes ``unknown``; without ``unknown`` it is an
    :class:`~deh_deploy.errors.UnresolvedReference`. The one place references meet live values: plan, apply and
    the matching of records all go through it."""

    def lookup(r: Ref) -> str | None:
        target = None if r.target in fresh else live.get(r.target)
        if target is None:
            return None
        got = target.sid if r.attr == "sid" else target.extra.get(r.attr)
        return None if got is None else str(got)

    return fill(value, lookup, unknown=unknown)


def resolved_artifacts(
    desired: Desired, live: Mapping[str, Live], *, unknown: str | None = None
) -> dict[str, str]:
    """Every rendered artifact in its final form (flows and workflow with the account's real SIDs and domain), as
    the files ``deh render`` writes; ``unknown`` as in :func:`resolve`."""
    return {
        name: (
            canonical_json(resolve(desired.documents[name], live, unknown=unknown))
            if name in desired.documents
            else desired.artifacts[name]
        )
        for name in desired.artifacts
    }


def resolved(value: Any, live: Mapping[str, Live], *, subject: str) -> Any:
    """``value`` as apply writes it, every reference filled in by :func:`resolve`; a PlanError naming what is not on
    the account yet, so that nothing with a reference left in it is handed out as final (``subject``: what it is,
    for the message)."""
    left = sorted({r.target for r in refs_in(value) if resolve(r, live, unknown="") == ""})
    if left:
        raise PlanError(f"{subject}: not on the account yet: {', '.join(left)}; run deh apply first")
    return resolve(value, live)
