"""The Twilio provider: :meth:`TwilioProvider.read` what is live, :meth:`~TwilioProvider.plan` the diff against the
desired hub (or :meth:`~TwilioProvider.destroy_plan` everything it owns), and :meth:`~TwilioProvider.apply` one
planned change at a time for the executor in :mod:`deh_deploy.apply`.

Ownership: a live resource is ours when its name carries the hub's prefix (``DEH <slug> <env> …``,
``deh-<slug>-<env>``), or when it lives inside a parent we own. Nothing else is ever changed or deleted; things the
config names (the Flex workspace, its task channels, an adopted number) are adopted, never deleted. What each kind
reads, compares and guards is its own (:mod:`deh_deploy.providers.kinds`): this module names no kind.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any

from twilio.base.exceptions import TwilioException
from twilio.rest import Client

from deh_deploy.changes import UNKNOWN, Change, Create, Delete, Live, Settling, Update
from deh_deploy.errors import CredentialsError, ProviderError, UnresolvedReference
from deh_deploy.names import owns
from deh_deploy.plan import Plan
from deh_deploy.providers import planner
from deh_deploy.providers.errors import provider_error, reason, status_of
from deh_deploy.providers.kinds import REGISTRY, Ctx, Kind, Record
from deh_deploy.providers.planner import Inventory, parent_id, resolve
from deh_deploy.render.desired import Desired, Resource
from deh_deploy.render.refs import refs_in

log = logging.getLogger(__name__)
READERS = 16  # concurrent reads (a level has up to 9 lists, with the account check)


class TwilioProvider:
    def __init__(self, client: Client, *, account_sid: str, slug: str, env: str) -> None:
        self.ctx = Ctx(client=client, account_sid=account_sid, slug=slug, env=env)
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

    def read(self, desired: Desired | Future[Desired], *, check_account: bool = True) -> Inventory:
        """Read every kind once and match its records to the desired resources: kinds whose parents are known are
        read together, a level at a time (parents first), with the account check alongside the first level.

        Given a future, the hub renders while the first reads are on their way; it is waited for to match them.
        The inventory is also where apply records what it writes, so that later writes resolve references."""
        inventory = Inventory()
        records: dict[str, list[Record]] = {}
        self.ctx.live, self.ctx.reads, self.ctx.checks = inventory.live, {}, {}
        self.ctx.rendered = desired
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            account = pool.submit(self.check_account) if check_account else None
            wanted: dict[str, list[Resource]] | None = None
            for level in REGISTRY.read_levels():
                readable = [k for k in level if self._readable(k, wanted)]
                lists = {k.name: pool.submit(self._list, k) for k in readable}
                if wanted is None:
                    hub = desired.result() if isinstance(desired, Future) else desired
                    self.ctx.artifacts = hub.artifacts
                    wanted = {}
                    for r in hub.resources:
                        wanted.setdefault(r.kind, []).append(r)
                if account is not None:
                    account.result()  # credentials first: nothing is matched for the wrong account
                    account = None
                for kind in readable:
                    records[kind.name] = lists[kind.name].result()
                    self._match(kind, wanted.get(kind.name, []), records[kind.name], inventory)
                    self._check_early(pool, kind, wanted.get(kind.name, []), inventory)
        if wanted and self._recover(wanted, inventory):
            self._rematch(wanted, records, inventory)
        return inventory

    def _check_early(
        self, pool: ThreadPoolExecutor, kind: Kind, desired: list[Resource], inventory: Inventory
    ) -> None:
        """The check of each create the kind's list shows (a desired resource it did not find), sent now, beside
        the lists of the next level, for plan to take: checks before a purchase (the regulation, the bundle, the
        numbers on sale) and of a WhatsApp sender no longer wait, one after another, for the whole read. A resource
        found after all (a renamed number, by the hub's record) leaves its check unused."""
        for r in desired:
            if r.id not in inventory.live and r.id not in self.ctx.checks:
                self.ctx.checks[r.id] = pool.submit(kind.missing, self.ctx, r)

    def _recover(self, wanted: Mapping[str, list[Resource]], inventory: Inventory) -> bool:
        """Find what the hub made that its name no longer finds (a number renamed in the console), by what the
        hub recorded of it; known only once every kind is read, since the record is read last."""
        found = False
        for kind in REGISTRY:
            for r in wanted.get(kind.name, []):
                if r.id in inventory.live:
                    continue
                recovered = kind.recover(self.ctx, r, {live.sid for live in inventory.live.values()})
                if recovered is not None:
                    rec, inventory.reasons[r.id] = recovered
                    inventory.live[r.id] = Live(kind.name, r.key, rec.sid, rec.attrs, True, rec.extra)
                    found = True
        return found

    def _rematch(
        self, wanted: Mapping[str, list[Resource]], records: Mapping[str, list[Record]], inventory: Inventory
    ) -> None:
        """Match again, in reading order, every kind but those recovered: what refers to a recovered record (a
        number's route, its place in the Messaging Service) is known by its SID."""
        recovered = {inventory.live[rid].kind for rid in inventory.reasons}
        for level in REGISTRY.read_levels():
            for kind in level:
                if kind.name in recovered or kind.name not in records:
                    continue
                for r in wanted.get(kind.name, []):
                    inventory.live.pop(r.id, None)
                for key in [k for k, o in inventory.orphans.items() if o.kind == kind.name]:
                    del inventory.orphans[key]
                self._match(kind, wanted.get(kind.name, []), records[kind.name], inventory)

    def _readable(self, kind: Kind, wanted: Mapping[str, list[Resource]] | None) -> bool:
        parent = parent_id(kind, self.ctx.env)
        if parent and parent not in self.ctx.live:
            return False  # the parent does not exist yet: nothing to list
        if wanted is None:  # not rendered yet: read it, in case
            return True
        return not (kind.name not in wanted and not kind.owned_by_parent and kind.adopt_only)

    def _list(self, kind: Kind) -> list[Record]:
        try:
            return list(kind.list(self.ctx))
        except TwilioException as exc:
            raise ProviderError(f"cannot read {kind.name}: {reason(exc)}") from None

    def _match(
        self, kind: Kind, desired: list[Resource], records: list[Record], inventory: Inventory
    ) -> None:
        taken: set[str] = set()
        for r in desired:
            wanted = set(kind.identity(resolve(r.attrs, inventory.live, unknown=UNKNOWN)))
            for rec in records:
                if rec.sid not in taken and wanted & set(kind.identity(rec.attrs)):
                    taken.add(rec.sid)
                    inventory.live[r.id] = Live(
                        kind.name, r.key, rec.sid, rec.attrs, not kind.adopt_only, rec.extra
                    )
                    break
        for rec in records:
            if rec.sid in taken:
                continue
            name = str(rec.attrs.get("friendly_name") or rec.attrs.get("unique_name") or "")
            ours = kind.owned_by_parent or owns(self.ctx.slug, self.ctx.env, name)
            if ours and not kind.adopt_only:
                key = next(iter(kind.identity(rec.attrs)), rec.sid)
                inventory.orphans[f"{kind.name}/{key}"] = Live(
                    kind.name, key, rec.sid, rec.attrs, True, rec.extra
                )

    # -- planning -------------------------------------------------------------------------------------------------
    def plan(self, desired: Desired, inventory: Inventory) -> Plan:
        return planner.plan(self.ctx, desired, inventory)

    def destroy_plan(self, desired: Desired, inventory: Inventory, *, release_numbers: bool) -> Plan:
        return planner.destroy_plan(self.ctx, desired, inventory, release_numbers=release_numbers)

    # -- writing --------------------------------------------------------------------------------------------------
    def waits(self, plan: Plan) -> list[frozenset[int]]:
        """What each change waits for (:func:`planner.waits`); a plan that refers to the attributes of a kind
        that settles is refused, since what waits for such a resource starts before its last write."""
        for c in plan.changes:
            if isinstance(c, Delete):
                continue
            for r in refs_in(c.new.attrs):
                if any(k.name == r.kind and k.settles for k in REGISTRY):
                    raise ProviderError(
                        f"cannot order: {c.id} refers to {r}, which is known only once apply is done"
                    )
        return planner.waits(plan, self.ctx.env)

    def prefetches(self, plan: Plan) -> list[Callable[[], None]]:
        """Reads that the plan's creates need, which can be made at once."""
        created = {c.kind for c in plan.changes if isinstance(c, Create)}
        return [partial(k.prefetch, self.ctx) for k in REGISTRY if k.name in created and k.prefetches]

    def apply(self, change: Change) -> str | Settling:
        """Make one planned change on the account; returns what was done: create, update, replace or delete (with
        the rest to write, for a kind that settles)."""
        kind = REGISTRY[change.kind]
        if not isinstance(change, Delete):
            try:
                with self._lock:
                    attrs = resolve(change.new.attrs, self.ctx.live)
            except UnresolvedReference as exc:  # what it waits for is done, yet a value it gives is missing
                raise ProviderError(f"{change.id}: {exc}") from None
        try:
            if isinstance(change, Delete):
                return self._delete(kind, change.existing)
            if isinstance(change, Create):
                record, done = kind.create(self.ctx, attrs), "create"
            elif change.replace:
                if kind.deletable:
                    kind.delete(self.ctx, change.existing)
                record, done = kind.create(self.ctx, attrs), "replace"
            else:
                record, done = kind.update(self.ctx, change.existing, attrs), "update"
        except Exception as exc:  # a refusal, or an answer lost on the way: the next run reads again
            raise self._translated(exc, change) from None
        self._record(kind, change, record)
        log.debug("%s %s: done (%s)", done, change.id, record.sid)
        if kind.settles:
            existing = change.existing if isinstance(change, Update) and not change.replace else None
            return Settling(done, partial(self._settle, kind, change, existing, attrs))
        return done

    def _settle(self, kind: Kind, change: Change, existing: Live | None, attrs: Mapping[str, Any]) -> None:
        try:
            record = kind.settle(self.ctx, existing, attrs)
        except Exception as exc:
            raise self._translated(exc, change) from None
        self._record(kind, change, record)
        log.debug("settled %s (%s)", change.id, record.sid)

    def _record(self, kind: Kind, change: Change, record: Record) -> None:
        with self._lock:
            self.ctx.live[change.id] = Live(
                kind.name, change.key, record.sid, record.attrs, not kind.adopt_only, record.extra
            )

    @staticmethod
    def _translated(exc: Exception, change: Change) -> Exception:
        translated = provider_error(exc, subject=change.id)
        return exc if translated is None else translated

    def _delete(self, kind: Kind, live: Live) -> str:
        if not kind.deletable:
            log.debug("delete %s: nothing to delete on Twilio", live.id)
            return "delete"
        try:
            kind.delete(self.ctx, live)
        except Exception as exc:
            if status_of(exc) != 404:
                raise
            log.debug("delete %s (%s): already gone", live.id, live.sid)  # the goal is reached
            return "delete"
        log.debug("delete %s: done (%s)", live.id, live.sid)
        return "delete"
