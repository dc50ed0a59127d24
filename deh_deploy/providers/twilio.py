"""The Twilio provider: ``populate`` reads what is live, ``plan`` diffs it against the desired hub, and the
executor in :mod:`deh_deploy.apply` calls :meth:`TwilioProvider.apply_one` per resource.

Ownership: a live resource is ours when its name carries the hub's prefix (``DEH <slug> <env> …``,
``deh-<slug>-<env>``), or when it lives inside a parent we own. Nothing else is ever changed or deleted; things the
config names (the Flex workspace, its task channels, an adopted number) are adopted, never deleted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from deh_deploy.errors import CredentialsError, PlanError, ProviderError
from deh_deploy.plan import GUARDED_KINDS, Change, FieldChange, Live, Plan
from deh_deploy.providers.errors import provider_error, reason
from deh_deploy.providers.kinds import BY_NAME, KINDS, Ctx, Kind, submit_approval
from deh_deploy.render.desired import REF, Desired, Resource
from deh_deploy.render.names import owns

UNKNOWN = "(known after apply)"
READERS = 16  # concurrent reads while populating (a level has up to 9 lists, with the account check)
# Children of these parents are ours whatever their names.
OWNED_BY_PARENT = frozenset(
    {
        "serverless.environment",
        "serverless.function",
        "serverless.asset",
        "serverless.variable",
        "serverless.deployment",
        "messaging.service_number",
    }
)


class TwilioProvider:
    def __init__(self, client: Client, *, account_sid: str, slug: str, env: str, desired: Desired) -> None:
        self.ctx = Ctx(
            client=client, account_sid=account_sid, slug=slug, env=env, artifacts=desired.artifacts
        )
        self.desired = desired
        self.orphans: dict[str, Live] = {}
        self._lock = threading.Lock()

    # -- reading --------------------------------------------------------------------------------------------------
    def check_account(self) -> None:
        self.check_account_of(self.ctx.client, account_sid=self.ctx.account_sid, env=self.ctx.env)

    @staticmethod
    def check_account_of(client: Client, *, account_sid: str, env: str) -> None:
        """Before anything else: the credentials must belong to the account the config names."""
        try:
            account = client.api.v2010.accounts(account_sid).fetch()
        except TwilioException as exc:
            if getattr(exc, "status", None) not in (401, 403, 404):
                raise ProviderError(f"cannot check account {account_sid}: {reason(exc)}") from None
            raise CredentialsError(
                f"cannot use account {account_sid} with these credentials "
                f"({reason(exc)}); the config names it for {env}"
            ) from None
        if account.sid != account_sid:
            raise CredentialsError(
                f"the credentials belong to {account.sid}, not {account_sid} which the config names for {env}"
            )

    def populate(self, *, check_account: bool = True, render: Callable[[], Desired] | None = None) -> None:
        """Read every kind once and match live records to desired resources: kinds whose parents are known are
        read together, a level at a time (parents first), with the account check alongside the first level.

        Given ``render``, the desired hub is rendered while the first reads are on their way."""
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            account = pool.submit(self.check_account) if check_account else None
            by_kind: dict[str, list[Resource]] | None = None
            for level in _levels():
                wanted = [k for k in level if self._readable(k, by_kind)]
                lists = {k.name: pool.submit(self._list, k) for k in wanted}
                if by_kind is None:
                    if render is not None:
                        self.desired = render()
                        self.ctx.artifacts = self.desired.artifacts
                    by_kind = {}
                    for r in self.desired.resources:
                        by_kind.setdefault(r.kind, []).append(r)
                if account is not None:
                    account.result()  # credentials first: nothing is matched for the wrong account
                    account = None
                for kind in wanted:
                    self._match(kind, by_kind.get(kind.name, []), lists[kind.name].result())

    def _readable(self, kind: Kind, by_kind: Mapping[str, list[Resource]] | None) -> bool:
        parent = kind.parent.format(env=self.ctx.env) if kind.parent else None
        if parent and parent not in self.ctx.live:
            return False  # the parent does not exist yet: nothing to list
        if by_kind is None:  # not rendered yet: read it, in case
            return True
        return not (kind.name not in by_kind and kind.name not in OWNED_BY_PARENT and kind.adopt_only)

    def _list(self, kind: Kind) -> list[tuple[str, Mapping[str, Any], dict[str, Any]]]:
        try:
            return list(kind.list(self.ctx))
        except TwilioException as exc:
            raise ProviderError(f"cannot read {kind.name}: {reason(exc)}") from None

    def _match(
        self,
        kind: Kind,
        desired: list[Resource],
        records: list[tuple[str, Mapping[str, Any], dict[str, Any]]],
    ) -> None:
        taken: set[str] = set()
        for r in desired:
            wanted = set(kind.identity(resolve(r.attrs, self.ctx.live)))
            for sid, attrs, extra in records:
                if sid not in taken and wanted & set(kind.identity(attrs)):
                    taken.add(sid)
                    self.ctx.live[r.id] = Live(kind.name, r.key, sid, attrs, not kind.adopt_only, extra)
                    break
        for sid, attrs, extra in records:
            if sid in taken:
                continue
            name = str(attrs.get("friendly_name") or attrs.get("unique_name") or "")
            ours = kind.name in OWNED_BY_PARENT or owns(self.ctx.slug, self.ctx.env, name)
            if ours and not kind.adopt_only:
                key = next(iter(kind.identity(attrs)), sid)
                self.orphans[f"{kind.name}/{key}"] = Live(kind.name, key, sid, attrs, True, extra)

    # -- planning -------------------------------------------------------------------------------------------------
    def plan(self) -> Plan:
        changes: list[Change] = []
        for r in self.desired.resources:
            kind = BY_NAME[r.kind]
            live = self.ctx.live.get(r.id)
            attrs = resolve(r.attrs, self.ctx.live, unknown=UNKNOWN)
            if live is None:
                if r.kind == "phone.number" and r.attrs.get("adopt"):
                    raise PlanError(
                        f"number {r.attrs['adopt']} (numbers.{r.key}) is not on account "
                        f"{self.ctx.account_sid}; buy it by hand first, or use buy: in the config"
                    )
                note = "adopt: not found, will be created" if kind.adopt_only else ""
                if r.kind == "phone.number":
                    from deh_deploy.plan import describe_purchase

                    note = f"BUY a {describe_purchase(Change('create', r.kind, r.key, new=r))}"
                changes.append(Change("create", r.kind, r.key, new=r, note=note))
                continue
            fields = kind.diff(live, attrs)
            if fields:
                replace = kind.replace_on_update or kind.update is None
                changes.append(
                    Change(
                        "update",
                        r.kind,
                        r.key,
                        new=r,
                        existing=live,
                        fields=fields,
                        note="replace" if replace else "",
                    )
                )
            elif r.kind == "content.template" and r.attrs.get("whatsapp_approval"):
                status = live.extra.get("approval_status", "unsubmitted")
                if status == "unsubmitted":  # created, but its approval request was lost: submit it now
                    fields = (FieldChange("whatsapp_approval", status, "submitted"),)
                    changes.append(Change("update", r.kind, r.key, new=r, existing=live, fields=fields))
                else:
                    note = f"WhatsApp approval: {status}"
                    changes.append(Change("keep", r.kind, r.key, existing=live, note=note))
        for orphan in sorted(
            self.orphans.values(), key=lambda o: (KINDS.index(BY_NAME[o.kind]), o.key), reverse=True
        ):
            if orphan.kind in GUARDED_KINDS:
                changes.append(
                    Change(
                        "keep",
                        orphan.kind,
                        orphan.key,
                        existing=orphan,
                        note="not in the config; numbers and senders are never released by apply",
                    )
                )
            else:
                changes.append(Change("delete", orphan.kind, orphan.key, existing=orphan))
        changes.sort(key=lambda c: (Change.ORDER[c.action], _kind_order(c.kind, c.action), c.key))
        owned = sum(1 for live in self.ctx.live.values() if live.owned) + len(self.orphans)
        return Plan(self.ctx.slug, self.ctx.env, self.ctx.account_sid, tuple(changes), owned)

    # -- writing --------------------------------------------------------------------------------------------------
    def apply_one(self, r: Resource, change: Change | None, *, changed_deps: bool) -> str | None:
        """Make one desired resource so; returns what was done ("create", "update", "replace") or None."""
        kind = BY_NAME[r.kind]
        with self._lock:
            live = self.ctx.live.get(r.id)
            attrs = resolve(r.attrs, self.ctx.live)
        if live is not None and change is None and not changed_deps:
            return None
        if live is not None and not kind.diff(live, attrs):
            return self._submit_approval(live, attrs)
        try:
            if live is None:
                sid, got, extra = kind.create(self.ctx, attrs)
                done = "create"
            elif kind.update is not None and not kind.replace_on_update:
                sid, got, extra = kind.update(self.ctx, live, attrs)
                done = "update"
            else:
                if kind.delete is not None:
                    kind.delete(self.ctx, live)
                sid, got, extra = kind.create(self.ctx, attrs)
                done = "replace"
        except Exception as exc:  # a lost answer or a refusal: the next run re-reads
            translated = provider_error(exc, subject=r.id)
            if translated is None:
                raise
            raise translated from None
        with self._lock:
            self.ctx.live[r.id] = Live(r.kind, r.key, sid, got, not kind.adopt_only, extra)
        return done

    def prefetches(self, plan: Plan) -> list[Kind]:
        """Kinds with a create in the plan that need a read first, which can be made at once."""
        kinds = {BY_NAME[c.kind] for c in plan.changes if c.action == "create"}
        return [k for k in KINDS if k in kinds and k.prefetch is not None]

    def _submit_approval(self, live: Live, attrs: Mapping[str, Any]) -> str | None:
        """A template with nothing else to change may still owe WhatsApp its approval request."""
        approval = attrs.get("whatsapp_approval")
        if (
            live.kind != "content.template"
            or not approval
            or live.extra.get("approval_status") != "unsubmitted"
        ):
            return None
        try:
            status = submit_approval(self.ctx, live.sid, approval)
        except TwilioException as exc:
            raise ProviderError(f"{live.id}: {reason(exc)}") from None
        updated = Live(
            live.kind, live.key, live.sid, live.attrs, live.owned, {**live.extra, "approval_status": status}
        )
        with self._lock:
            self.ctx.live[live.id] = updated
        return "update"

    def delete_one(self, live: Live) -> None:
        kind = BY_NAME[live.kind]
        if kind.delete is None:
            return
        try:
            kind.delete(self.ctx, live)
        except TwilioException as exc:
            if getattr(exc, "status", None) == 404:
                return  # already gone: the goal is reached
            raise ProviderError(f"{live.id}: {reason(exc)}") from None


def _levels() -> list[list[Kind]]:
    """KINDS grouped so that each kind comes a level after its parent."""
    depth: dict[str, int] = {}
    for kind in KINDS:
        parent = kind.parent.split("/", 1)[0] if kind.parent else None
        depth[kind.name] = depth[parent] + 1 if parent else 0
    return [[k for k in KINDS if depth[k.name] == d] for d in range(max(depth.values()) + 1)]


def _kind_order(kind: str, action: str) -> int:
    index = KINDS.index(BY_NAME[kind])
    return -index if action == "delete" else index


def resolve(value: Any, live: Mapping[str, Live], *, unknown: str | None = None) -> Any:
    """Replace ``${ref:kind/key.attr}`` with the live value; ``unknown`` (or the token itself) where not yet known."""
    if isinstance(value, str):
        if "${ref:" not in value:
            return value

        def one(m: Any) -> str:
            target = live.get(f"{m['kind']}/{m['key']}")
            if target is None:
                return unknown or m.group(0)
            got = target.sid if m["attr"] == "sid" else target.extra.get(m["attr"])
            return str(got) if got is not None else (unknown or m.group(0))

        return REF.sub(one, value)
    if isinstance(value, Mapping):
        return {k: resolve(v, live, unknown=unknown) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [resolve(v, live, unknown=unknown) for v in value]
    return value
