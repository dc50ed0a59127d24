"""Adding a resource kind needs only its module: a made-up product, kept in a dict and registered by this test alone,
is read, planned, applied and destroyed by the unchanged core (provider, planner, executor), parents first and
children first where it matters."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator

import pytest

from deh_deploy.apply import execute
from deh_deploy.changes import Live
from deh_deploy.plan import Plan
from deh_deploy.providers.kinds import REGISTRY, Ctx, Kind, Record
from deh_deploy.providers.kinds.base import Attrs
from deh_deploy.providers.twilio import TwilioProvider
from deh_deploy.render.desired import Desired, ref, resource
from tests.provider.conftest import World, hub

BOARDS: dict[str, dict[str, object]] = {}
CARDS: dict[str, dict[str, object]] = {}
SIDS = itertools.count(1)


def new_sid(prefix: str) -> str:
    return f"{prefix}{next(SIDS):032x}"


class Board(Kind):
    """A top-level record, known by its friendly name, that refuses to go while it has cards."""

    name = "fake.board"
    compared = ("colour",)

    def list(self, ctx: Ctx) -> Iterable[Record]:
        return [Record(sid, dict(attrs)) for sid, attrs in BOARDS.items()]

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        sid = new_sid("BD")
        BOARDS[sid] = {"friendly_name": attrs["friendly_name"], "colour": attrs["colour"]}
        return Record(sid, dict(BOARDS[sid]))

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        BOARDS[live.sid]["colour"] = attrs["colour"]
        return Record(live.sid, dict(BOARDS[live.sid]))

    def delete(self, ctx: Ctx, live: Live) -> None:
        if any(card["board_sid"] == live.sid for card in CARDS.values()):
            raise RuntimeError("the board still has cards")
        del BOARDS[live.sid]


class Card(Kind):
    """A child of the board: listed once the board is known, written with the board's SID."""

    name = "fake.card"
    compared = ("text",)
    parent = "fake.board/main"

    def list(self, ctx: Ctx) -> Iterable[Record]:
        board = ctx.sid("fake.board/main")
        return [Record(sid, dict(a)) for sid, a in CARDS.items() if a["board_sid"] == board]

    def create(self, ctx: Ctx, attrs: Attrs) -> Record:
        sid = new_sid("CD")
        CARDS[sid] = dict(attrs)
        return Record(sid, dict(attrs))

    def update(self, ctx: Ctx, live: Live, attrs: Attrs) -> Record:
        CARDS[live.sid]["text"] = attrs["text"]
        return Record(live.sid, dict(CARDS[live.sid]))

    def delete(self, ctx: Ctx, live: Live) -> None:
        del CARDS[live.sid]


@pytest.fixture(autouse=True)
def fake_product() -> Iterator[None]:
    REGISTRY.register(Board)
    REGISTRY.register(Card)
    try:
        yield
    finally:
        REGISTRY.unregister(Card.name)
        REGISTRY.unregister(Board.name)
        BOARDS.clear()
        CARDS.clear()


def board_and_cards(cards: dict[str, str]) -> Desired:
    desired = Desired("hungary", "staging")
    desired.add(
        resource("fake.board", "main", {"friendly_name": "DEH hungary staging board", "colour": "red"})
    )
    for key, text in cards.items():
        attrs = {
            "friendly_name": f"DEH hungary staging card {key}",
            "text": text,
            "board_sid": ref("fake.board", "main", "sid"),
        }
        desired.add(resource("fake.card", key, attrs))
    return desired


def plan_for(provider: TwilioProvider, desired: Desired) -> Plan:
    return provider.plan(desired, provider.read(desired))


def test_a_kind_registered_by_its_module_alone_is_read_planned_applied_and_destroyed(world: World) -> None:
    h = hub("hungary")
    world.login(h)
    account = h.environment("staging").account_sid
    with world.connect(h) as conn:
        provider = TwilioProvider(conn.client, account_sid=account, slug="hungary", env="staging")
        desired = board_and_cards({"a": "Call us", "b": "Write to us"})

        first = plan_for(provider, desired)
        assert [(c.action, c.id) for c in first.changes] == [
            ("create", "fake.board/main"),
            ("create", "fake.card/a"),
            ("create", "fake.card/b"),
        ]
        assert "+ create fake.card a" in first.render("text").splitlines()
        done = execute(provider, first)
        assert not done.failed
        board = next(iter(BOARDS))
        assert sorted(str(c["text"]) for c in CARDS.values() if c["board_sid"] == board) == [
            "Call us",
            "Write to us",
        ]
        assert plan_for(provider, desired).empty

        changed = board_and_cards({"a": "Call us today"})
        second = plan_for(provider, changed)
        assert [(c.action, c.id) for c in second.changes] == [
            ("update", "fake.card/a"),
            ("delete", "fake.card/DEH hungary staging card b"),
        ]
        assert not execute(provider, second).failed
        assert [c["text"] for c in CARDS.values()] == ["Call us today"]
        assert plan_for(provider, changed).empty

        destroy = provider.destroy_plan(changed, provider.read(changed), release_numbers=False)
        assert destroy.counts() == {"create": 0, "update": 0, "delete": 2}
        outcome = execute(provider, destroy)
    assert not outcome.failed, outcome.failed
    assert [rid for rid, _ in outcome.done] == ["fake.card/a", "fake.board/main"], "children first"
    assert BOARDS == {} and CARDS == {}


def test_a_kind_registers_after_its_parent_and_once() -> None:
    class Orphan(Kind):
        name = "fake.orphan"
        parent = "fake.nowhere/main"

    with pytest.raises(ValueError, match=r"registers before its parent fake\.nowhere"):
        REGISTRY.register(Orphan)
    with pytest.raises(ValueError, match=r"fake\.board is registered already"):
        REGISTRY.register(Board)


def test_read_levels_and_destroy_order_come_from_the_parent_graph() -> None:
    levels = [[k.name for k in level] for level in REGISTRY.read_levels()]
    assert levels[0][-1] == "fake.board" and levels[1][-1] == "fake.card"
    order = [k.name for k in REGISTRY.destroy_order()]
    assert order.index("fake.card") < order.index("fake.board")
    assert all(REGISTRY.depth(a) >= REGISTRY.depth(b) for a, b in itertools.pairwise(order))
