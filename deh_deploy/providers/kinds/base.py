"""What a resource kind is, and the one registry kinds join.

A kind is one class in the module of its Twilio product: how its records are listed, told apart, compared, created,
updated and deleted, and the rules that come with it (guarded, adopted only, replaced rather than updated, owned
through its parent, bought). The core (the provider, plan, apply) asks the registry and names no kind, so adding a
kind is adding its class, registered with :func:`register`.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

from deh_deploy.changes import Change, FieldChange, Keep, Live
from deh_deploy.render.desired import Resource

if TYPE_CHECKING:
    from twilio.rest import Client

Attrs = Mapping[str, Any]
# What the plan says of an owned guarded record the config no longer names.
KEPT_BY_APPLY = "not in the config; numbers and senders are never released by apply"


class Record(NamedTuple):
    """One record as listed or written: its SID, its attributes in the desired shape, and the values others refer
    to (a domain, a webhook URL) or the plan reads (an approval status)."""

    sid: str
    attrs: Attrs
    extra: Mapping[str, Any] = {}


class Versions(NamedTuple):
    """How a kind that keeps versions of one resource (a message template) plans it: ``current``, the version the
    resource is after apply, whose SID what refers to it takes (None: a create among ``changes`` makes it); and the
    changes and notes that get there, each other version under a key of its own (``callback.uk@v2``)."""

    current: Live | None
    changes: tuple[Change, ...] = ()
    keeps: tuple[Keep, ...] = ()


@dataclass
class Ctx:
    """What a kind works with: the SDK client, the hub, and what is live so far. Children find their parents' SIDs
    in ``live``, and apply records there what it writes, so that later writes resolve their references."""

    client: Client
    account_sid: str
    slug: str
    env: str
    live: dict[str, Live] = field(default_factory=dict)
    artifacts: Mapping[str, str] = field(default_factory=dict)
    sleep: Callable[[float], None] = time.sleep
    reads: dict[str, list[Any] | Exception] = field(default_factory=dict)
    reads_lock: threading.Lock = field(default_factory=threading.Lock)
    _fetching: dict[str, threading.Lock] = field(default_factory=dict, repr=False)
    # The checks of creates (Kind.missing) the read sent early, by resource id: plan takes their answers.
    checks: dict[str, Future[str]] = field(default_factory=dict)
    # The rendered hub (or its future), for a kind whose reading needs what the config says (Viber's token).
    rendered: Any = None

    def wanted(self, kind: str) -> list[Resource]:
        """The desired resources of ``kind``."""
        hub = self.rendered.result() if isinstance(self.rendered, Future) else self.rendered
        return [r for r in hub.resources if r.kind == kind] if hub is not None else []

    def sid(self, resource_id: str) -> str | None:
        found = self.live.get(resource_id)
        return found.sid if found else None

    def shared(self, key: str, fetch: Callable[[], Iterable[Any]]) -> list[Any]:
        """One list serving two kinds within a read (numbers and their routes, variables and the deployment).
        Each list has a lock of its own, held while it is fetched: the second kind waits for the first's answer,
        and no other list waits for it (one lock for every list put the numbers a round trip behind the services
        and the Flex configuration another behind the numbers)."""
        with self.reads_lock:
            claim = self._fetching.setdefault(key, threading.Lock())
        with claim:
            if key not in self.reads:
                try:
                    self.reads[key] = list(fetch())
                except (
                    Exception
                ) as exc:  # the second kind gets the same failure, not a second round of retries
                    self.reads[key] = exc
            got = self.reads[key]
        if isinstance(got, Exception):
            raise got
        return got


def canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


class Kind:
    """One resource kind. A subclass states its rules in the class attributes and overrides the methods that talk
    to Twilio; the defaults are the common case."""

    name: ClassVar[str]
    # The desired attribute a record is known by; override identity() for more than one.
    identified_by: ClassVar[str] = "friendly_name"
    # Compared between the config and the account; other attributes are written but never drift.
    compared: ClassVar[tuple[str, ...]] = ()
    # The resource id ("{env}": the environment) whose live existence listing needs: read a level after it.
    parent: ClassVar[str | None] = None
    # Records are ours because their parent is, whatever their names; they go when it goes.
    owned_by_parent: ClassVar[bool] = False
    # Money or identity (numbers, senders): never deleted by apply, by destroy only with --release-numbers.
    guarded: ClassVar[bool] = False
    # Never deleted, and created only when missing: adopted, then configured.
    adopt_only: ClassVar[bool] = False
    # Immutable on Twilio: an update is a delete and a create.
    replace_on_update: ClassVar[bool] = False
    updatable: ClassVar[bool] = True
    deletable: ClassVar[bool] = True
    # Creates need a read first (prefetch), which apply makes as soon as it starts.
    prefetches: ClassVar[bool] = False
    # A create or update ends with settle(), a write only the next plan reads (a record of what was done): what
    # waits for the resource starts beside it. Nothing may refer to the attributes of a kind that settles.
    settles: ClassVar[bool] = False
    # SDK attribute paths from the client, loaded with the connection (providers.connect.load_sdk).
    products: ClassVar[tuple[str, ...]] = ()
    # What destroy says when it keeps a guarded record.
    kept_note: ClassVar[str] = "kept"
    # What apply's plan says when it deletes an owned record the config no longer has (what replaced it).
    retired_note: ClassVar[str] = ""
    # Points Twilio at the hub service: apply writes it only while the service answers healthy.
    wiring: ClassVar[bool] = False

    # -- talking to Twilio ------------------------------------------------------------------------------------------
    def list(self, ctx: Ctx) -> Iterable[Record]:
        raise NotImplementedError(f"{self.name} cannot be listed")

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        raise NotImplementedError(f"{self.name} cannot be created")

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        raise NotImplementedError(f"{self.name} is not updated in place")

    def delete(self, ctx: Ctx, live: Live) -> None:
        raise NotImplementedError(f"{self.name} is not deleted")

    def prefetch(self, ctx: Ctx) -> None:
        """A read that creates need, made up front (see ``prefetches``)."""

    def settle(self, ctx: Ctx, live: Live | None, attrs: Attrs) -> Record:
        """The last write of a create (``live`` None) or an update, made once the resource serves what waits for
        it (see ``settles``)."""
        raise NotImplementedError(f"{self.name} does not settle")

    # -- matching and comparing -------------------------------------------------------------------------------------
    def identity(self, attrs: Attrs) -> tuple[str, ...]:
        """The identities of desired attributes or of a live record: they match when they share one."""
        value = attrs.get(self.identified_by)
        return (str(value),) if value else ()

    def canonical(self, name: str, value: Any) -> Any:
        """A value as compared: layout-only parts left out."""
        return value

    def detail(self, name: str, old: Any, new: Any) -> str:
        """What changed inside a big value, in a few words, from the canonical forms."""
        return ""

    def diff(self, live: Live, attrs: Attrs) -> tuple[FieldChange, ...]:
        out = []
        for name in self.compared:
            if name not in attrs:
                continue
            old, new = self.canonical(name, live.attrs.get(name)), self.canonical(name, attrs[name])
            if canon(old) != canon(new):
                out.append(FieldChange(name, live.attrs.get(name), attrs[name], self.detail(name, old, new)))
        return tuple(out)

    def owed(self, resource: Resource, live: Live) -> tuple[FieldChange, ...]:
        """Work a record whose attributes match still owes (an approval request that was lost)."""
        return ()

    def versions(self, resource: Resource, live: Live) -> Versions | None:
        """For a kind whose live record holds versions: the plan of ``resource`` among them (see
        :class:`Versions`), asked instead of :meth:`diff` when the resource is on the account. None: one record."""
        return None

    def replaces(self, fields: tuple[FieldChange, ...]) -> bool:
        """Whether these changes need a delete and a create."""
        return self.replace_on_update or not self.updatable

    # -- what plan and destroy say ----------------------------------------------------------------------------------
    def missing(self, ctx: Ctx, resource: Resource) -> str:
        """The note of a create; raises PlanError when the resource must exist already, or when what Twilio needs
        first is not there (reads only). It reads the resource and the account, never ``ctx.live``: the read asks
        it as soon as the resource's kind is listed and the resource not found, beside the rest of the read, and
        plan takes the answer (or the PlanError) if it does create the resource."""
        return "adopt: not found, will be created" if self.adopt_only else ""

    def recover(self, ctx: Ctx, resource: Resource, taken: Collection[str]) -> tuple[Record, str] | None:
        """A record the hub made for ``resource`` that its name no longer finds (renamed in the console), with
        the note that says so; ``taken``: SIDs already matched. Asked before planning a create."""
        return None

    def purchase(self, resource: Resource) -> str | None:
        """What creating it buys ("local number in HU"), when it bills the account."""
        return None

    def kept(self, resource: Resource, live: Live) -> str | None:
        """A note for a record that matches the config but is worth showing (an approval still pending)."""
        return None

    def unlisted(self, live: Live) -> str | None:
        """A note when an owned record the config no longer names is kept rather than deleted by apply."""
        return KEPT_BY_APPLY if self.guarded else None

    def destroyed(self, ctx: Ctx, live: Live, resource: Resource | None, *, release: bool) -> str | None:
        """A note when destroy keeps ``live`` (``resource``: what the config says of it, if anything)."""
        return self.kept_note if self.guarded and not release else None

    @property
    def goes_with_parent(self) -> bool:
        """Destroy does not delete it on its own: its parent takes it along, or Twilio has no delete for it."""
        return self.owned_by_parent or not self.deletable


KindClass = TypeVar("KindClass", bound=type[Kind])


class Registry:
    """Kinds by name, in the order they registered: the order plans list them in. Each registers after its parent,
    so that order is also parents first."""

    def __init__(self) -> None:
        self._kinds: dict[str, Kind] = {}

    def register(self, cls: KindClass) -> KindClass:
        kind = cls()
        if kind.name in self._kinds:
            raise ValueError(f"resource kind {kind.name} is registered already")
        parent = parent_kind(kind)
        if parent is not None and parent not in self._kinds:
            raise ValueError(f"resource kind {kind.name} registers before its parent {parent}")
        self._kinds[kind.name] = kind
        return cls

    def unregister(self, name: str) -> None:
        """For a kind registered for a while only (a test's)."""
        self._kinds.pop(name, None)

    def __getitem__(self, name: str) -> Kind:
        return self._kinds[name]

    def __iter__(self) -> Iterator[Kind]:
        return iter(tuple(self._kinds.values()))

    def __len__(self) -> int:
        return len(self._kinds)

    def rank(self, name: str) -> int:
        return list(self._kinds).index(name)

    def depth(self, name: str) -> int:
        parent = parent_kind(self._kinds[name])
        return 0 if parent is None else self.depth(parent) + 1

    def read_levels(self) -> list[list[Kind]]:
        """Kinds grouped so that each comes a level after its parent; within a level, in registration order."""
        depths = {k.name: self.depth(k.name) for k in self}
        top = max(depths.values(), default=-1)
        return [[k for k in self if depths[k.name] == d] for d in range(top + 1)]

    def destroy_order(self) -> list[Kind]:
        """Children first: the deepest level first, each level in reverse registration order."""
        return sorted(self, key=lambda k: (-self.depth(k.name), -self.rank(k.name)))

    def products(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p for k in self for p in k.products))


def parent_kind(kind: Kind) -> str | None:
    return kind.parent.split("/", 1)[0] if kind.parent else None


REGISTRY = Registry()
register = REGISTRY.register
