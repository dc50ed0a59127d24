"""Changes are small value objects with a JSON form and a fixed order; Keep sits beside them; a destroy plan is
checked for what cannot be had back, not for its share of deletions."""

from __future__ import annotations

from typing import Any

import pytest

from deh_deploy.changes import Create, Delete, FieldChange, Keep, Live, Update
from deh_deploy.errors import SafetyError
from deh_deploy.plan import Plan
from deh_deploy.render.desired import Resource

NEW = Resource("fake.board", "main", {"friendly_name": "DEH hungary staging board", "colour": "red"})
LIVE = Live("fake.board", "main", "BD01", {"friendly_name": "DEH hungary staging board", "colour": "blue"})


def test_each_change_has_its_json_form_and_its_place() -> None:
    entries: list[Any] = [
        Create(NEW, note="BUY a thing", purchase="a thing"),
        Update(LIVE, NEW, (FieldChange("colour", "blue", "red"),), replace=True),
        Delete(LIVE),
        Keep(LIVE, "kept on purpose"),
    ]
    assert [e.as_json() for e in entries] == [
        {
            "action": "create",
            "kind": "fake.board",
            "key": "main",
            "attrs": dict(NEW.attrs),
            "note": "BUY a thing",
        },
        {
            "action": "update",
            "kind": "fake.board",
            "key": "main",
            "sid": "BD01",
            "fields": [{"name": "colour", "old": "blue", "new": "red", "detail": ""}],
            "note": "replace",
        },
        {"action": "delete", "kind": "fake.board", "key": "main", "sid": "BD01"},
        {"action": "keep", "kind": "fake.board", "key": "main", "sid": "BD01", "note": "kept on purpose"},
    ]
    assert [e.ORDER for e in entries] == [0, 1, 2, 3]
    assert [e.purchase for e in entries[:3]] == ["a thing", None, None]


def destroying(count: int, *, guarded: bool) -> Plan:
    deletes = tuple(
        Delete(Live("fake.board", f"b{i}", f"BD{i:02}", {}), guarded=guarded) for i in range(count)
    )
    return Plan("hungary", "staging", "AC00", deletes, count, purpose="destroy")


def test_destroy_deletes_every_owned_resource_without_force() -> None:
    destroying(40, guarded=False).check_destroy(release_numbers=False, confirm_slug=None)


def test_destroy_releases_numbers_only_with_the_flag_and_the_slug_typed_back() -> None:
    plan = destroying(1, guarded=True)
    with pytest.raises(SafetyError, match=r"would release fake\.board/b0, .*--release-numbers required"):
        plan.check_destroy(release_numbers=False, confirm_slug=None)
    with pytest.raises(SafetyError, match="--confirm hungary"):
        plan.check_destroy(release_numbers=True, confirm_slug="hungry")
    plan.check_destroy(release_numbers=True, confirm_slug="hungary")


def test_apply_never_releases_what_is_guarded() -> None:
    with pytest.raises(SafetyError, match="apply never releases numbers or senders"):
        destroying(1, guarded=True).check_safety(force=True, allow_purchase=True)


def test_an_empty_destroy_plan_says_so() -> None:
    text = destroying(0, guarded=False).render("text")
    assert (
        text.splitlines()[1]
        == "Nothing to delete: the hub owns nothing on the account, or only what is kept."
    )


def test_a_plan_with_no_changes_still_shows_what_it_keeps_on_purpose() -> None:
    plan = Plan(
        "hungary", "staging", "AC1", (), 1, (Keep(LIVE, "v1 approved and in use; v2 pending approval"),)
    )
    assert plan.empty
    assert plan.render("text").splitlines() == [
        "hungary/staging (AC1): 0 to create, 0 to update, 0 to delete",
        "= keep   fake.board main (BD01)  [v1 approved and in use; v2 pending approval]",
        "No changes: the account matches the config.",
    ]
    assert plan.render("markdown").splitlines()[2:] == [
        "No changes: the account matches the config.",
        "",
        "| | action | resource | details |",
        "|---|---|---|---|",
        "| = | keep | `fake.board main` | v1 approved and in use; v2 pending approval |",
    ]
