"""The case builder edits YAML text in place, so the lines the cases expect stay where Hungary has them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from .hubcase import HUNGARY, Case, Replace, build_hub, delete_key, set_value

TEXT = """\
# a comment
a:
  b: 1
  c: [x, y]
  d:
    e: "two"
    f: {g: 3}
h: last
"""


def _changed_lines(before: str, after: str) -> list[int]:
    old, new = before.splitlines(), after.splitlines()
    assert len(old) == len(new)
    return [n for n, (x, y) in enumerate(zip(old, new, strict=True), start=1) if x != y]


def test_a_scalar_patch_changes_only_its_own_line() -> None:
    after = set_value(TEXT, ["a", "d", "e"], "zwei")
    assert _changed_lines(TEXT, after) == [6]
    assert yaml.safe_load(after)["a"]["d"]["e"] == "zwei"


def test_a_list_item_and_a_flow_value_can_be_patched() -> None:
    after = set_value(set_value(TEXT, ["a", "c", "1"], "z"), ["a", "d", "f", "g"], [1, 2])
    assert _changed_lines(TEXT, after) == [4, 7]
    assert yaml.safe_load(after)["a"]["c"] == ["x", "z"]
    assert yaml.safe_load(after)["a"]["d"]["f"] == {"g": [1, 2]}


def test_a_block_mapping_is_replaced_by_one_flow_line() -> None:
    after = set_value(TEXT, ["a", "d"], {"k": "v"})
    assert yaml.safe_load(after) == {"a": {"b": 1, "c": ["x", "y"], "d": {"k": "v"}}, "h": "last"}
    assert after.splitlines()[-1] == "h: last"


def test_a_new_key_is_added_to_its_mapping() -> None:
    block = set_value(TEXT, ["a", "n"], "new")
    flow = set_value(TEXT, ["a", "d", "f", "n"], 4)
    assert yaml.safe_load(block)["a"]["n"] == "new"
    assert yaml.safe_load(flow)["a"]["d"]["f"] == {"g": 3, "n": 4}
    assert _changed_lines(TEXT, flow) == [7]


def test_delete_removes_exactly_the_key_and_its_value() -> None:
    assert yaml.safe_load(delete_key(TEXT, ["a", "d"])) == {"a": {"b": 1, "c": ["x", "y"]}, "h": "last"}
    assert yaml.safe_load(delete_key(TEXT, ["a", "b"]))["a"] == {
        "c": ["x", "y"],
        "d": {"e": "two", "f": {"g": 3}},
    }


def test_a_missing_path_is_an_error_of_the_case() -> None:
    with pytest.raises(ValueError, match="does not exist"):
        set_value(TEXT, ["a", "zz", "y"], 1)


def test_a_patch_through_translations_edits_the_included_file(tmp_path: Path) -> None:
    case = Case("c", "", "", {"translations.uk.messages.welcome": "Привіт"}, (), (), ())
    folder = build_hub(case, tmp_path)
    assert (folder / "hub.yaml").read_bytes() == (HUNGARY / "hub.yaml").read_bytes()
    before = (HUNGARY / "translations" / "uk.yaml").read_text(encoding="utf-8")
    after = (folder / "translations" / "uk.yaml").read_text(encoding="utf-8")
    assert len(_changed_lines(before, after)) == 1
    assert yaml.safe_load(after)["messages"]["welcome"] == "Привіт"


def test_a_text_replacement_must_match_as_often_as_the_case_says(tmp_path: Path) -> None:
    case = Case("c", "", "", {}, (), (Replace("hub.yaml", "[uk, ru, hu]", "[uk]"),), ())
    with pytest.raises(ValueError, match="occurs 4 times"):
        build_hub(case, tmp_path)
