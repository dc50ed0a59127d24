"""The loader: YAML text → plain data with a position for every key and value; problems become diagnostics."""

from __future__ import annotations

from pathlib import Path

import pytest

from deh_deploy.config.loader import MAX_BYTES, MAX_DEPTH, format_path, iter_paths, load, loads
from deh_deploy.diagnostics import Diagnostic


def _one(text: str) -> str:
    loaded = loads(text, name="f.yaml")
    assert loaded.data is None
    assert len(loaded.diagnostics) == 1
    return loaded.diagnostics[0].format()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("country: NO", "NO"),  # Norway, not false (YAML 1.1 booleans are plain strings here)
        ("x: on", "on"),
        ("x: yes", "yes"),
        ("x: 17:00", "17:00"),  # not a sexagesimal 1020
        ("x: 2026-12-24", "2026-12-24"),  # a date stays its text
        ("x: 1_000", "1_000"),
        ("x: true", True),
        ("x: False", False),
        ("x: 42", 42),
        ("x: -7", -7),
        pytest.param(
            "x: 0o17",
            15,
        ),
        ("x: 0x1F", 31),
        ("x: 2.5", 2.5),
        ("x: ~", None),
        ("x: null", None),
        ('x: "08"', "08"),
    ],
)
def test_scalars_follow_the_yaml_1_2_core_schema(text: str, value: object) -> None:
    loaded = loads(text, name="f.yaml")
    assert loaded.diagnostics == []
    assert next(iter(loaded.data.values())) == value


def test_keys_and_values_have_their_own_positions() -> None:
    loaded = loads("# top\na:\n  b: [x, {c: 1}]\n", name="f.yaml")
    assert loaded.positions.key[("a",)] == ("f.yaml", 2, 1)
    assert loaded.positions.key[("a", "b")] == ("f.yaml", 3, 3)
    assert loaded.positions.value[("a", "b")] == ("f.yaml", 3, 6)
    assert loaded.positions.value[("a", "b", 1)] == ("f.yaml", 3, 10)
    assert loaded.positions.value[("a", "b", 1, "c")] == ("f.yaml", 3, 14)


def test_locate_walks_up_to_the_nearest_known_position() -> None:
    loaded = loads("a:\n  b: 1\n", name="f.yaml")
    assert loaded.positions.locate(("a", "b", "missing")) == ("f.yaml", 2, 6)
    assert loaded.positions.locate(("a", "b"), prefer_key=True) == ("f.yaml", 2, 3)


def test_a_duplicate_key_is_an_error_at_the_second_key_naming_the_first() -> None:
    assert (
        _one("a:\n  b: 1\n  c: 2\n  b: 3\n")
        == "f.yaml:4:3: $.a.b: duplicate key 'b' (first defined at line 2)"
    )


def test_merge_keys_are_refused() -> None:
    assert _one("base: &b {x: 1}\nother:\n  <<: *b\n") == (
        "f.yaml:3:3: $.other: merge keys (<<) are not supported; write the keys out"
    )


def test_a_key_must_be_a_plain_string() -> None:
    assert _one("? [a, b]\n: 1\n") == "f.yaml:1:3: $: a mapping key must be a plain string"


@pytest.mark.parametrize(
    "tag", ["!!python/object/apply:os.system", "!!python/name:os.system", "!custom", "!!binary"]
)
def test_tags_other_than_plain_types_are_refused(tag: str) -> None:
    assert _one(f"a:\n  b: {tag} x\n") == (
        f"f.yaml:2:6: $.a.b: tag {tag} is not allowed; use plain YAML values"
    )


def test_a_harmless_alias_is_expanded() -> None:
    loaded = loads("a: &x [1, 2]\nb: *x\n", name="f.yaml")
    assert loaded.diagnostics == []
    assert loaded.data == {"a": [1, 2], "b": [1, 2]}


def test_nesting_deeper_than_the_limit_is_refused_where_it_starts() -> None:
    text = "{a: " * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1)
    assert _one(text) == f"f.yaml:1:{4 * MAX_DEPTH + 1}: $: nesting deeper than {MAX_DEPTH} levels"


def test_nesting_at_the_limit_is_fine() -> None:
    text = "{a: " * MAX_DEPTH + "1" + "}" * MAX_DEPTH
    assert loads(text, name="f.yaml").diagnostics == []


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    file = tmp_path / "f.yaml"
    file.write_bytes("\ufeffa: 1\n".encode())
    loaded = load(file, name="f.yaml")
    assert (loaded.data, loaded.positions.value[("a",)]) == ({"a": 1}, ("f.yaml", 1, 4))


def test_windows_line_endings_keep_line_numbers(tmp_path: Path) -> None:
    file = tmp_path / "f.yaml"
    file.write_bytes(b"a: 1\r\nb: 2\r\nb: 3\r\n")
    assert [d.format() for d in load(file, name="f.yaml").diagnostics] == [
        "f.yaml:3:1: $.b: duplicate key 'b' (first defined at line 2)"
    ]


def test_a_file_of_exactly_the_size_limit_is_read_and_one_byte_more_is_not(tmp_path: Path) -> None:
    body = b"a: 1\n"
    file = tmp_path / "f.yaml"
    file.write_bytes(body + b"#" * (MAX_BYTES - len(body) - 1) + b"\n")
    assert load(file, name="f.yaml").data == {"a": 1}
    file.write_bytes(body + b"#" * (MAX_BYTES - len(body)) + b"\n")
    assert load(file, name="f.yaml").diagnostics == [
        Diagnostic("f.yaml", 0, 0, "$", f"file is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,} bytes")
    ]


def test_the_position_of_a_bad_byte_is_its_line_and_column(tmp_path: Path) -> None:
    file = tmp_path / "f.yaml"
    file.write_bytes("a: 1\nname: Vöröskereszt \xe9\n".encode()[:-3] + b"\xe9\n")
    text = "name: Vöröskereszt "
    assert [d.format() for d in load(file, name="f.yaml").diagnostics] == [
        f"f.yaml:2:{len(text.encode('utf-8')) + 1}: $: file is not UTF-8 (byte 0xe9)"
    ]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ((), "$"),
        (("topics", "cva", "queue"), "$.topics.cva.queue"),
        (("hours", "weekly", "mon", 0), "$.hours.weekly.mon[0]"),
        (("templates", "callback", "samples", "1"), "$.templates.callback.samples.1"),
        (("translations", "pt-BR"), "$.translations.pt-BR"),
        (("a b",), "$['a b']"),
    ],
)
def test_json_paths_are_written_the_jsonpath_way(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text


def test_iter_paths_visits_every_value_depth_first() -> None:
    assert list(iter_paths({"a": [1, {"b": 2}]})) == [
        ((), {"a": [1, {"b": 2}]}),
        (("a",), [1, {"b": 2}]),
        (("a", 0), 1),
        (("a", 1), {"b": 2}),
        (("a", 1, "b"), 2),
    ]
