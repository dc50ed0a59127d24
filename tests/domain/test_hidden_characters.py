"""Characters a person cannot see: which ones are found, and where a diagnostic about one points."""

from __future__ import annotations

import pytest

from deh_deploy.config.loader import loads
from deh_deploy.textchecks import MESSAGE_FORMATTING, Hidden, describe, hidden_characters


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Plain text, ékezetes betűk, кирилиця, عربى", []),
        ("a\u00a0b", []),  # a no-break space is visible spacing
        ("a\x00b", [Hidden(1, "\x00", "control", 1)]),
        ("a\nb\nc", [Hidden(1, "\n", "control", 2)]),
        ("\u200bx\u200b", [Hidden(0, "\u200b", "invisible", 2)]),
        ("x\u202ey\x07", [Hidden(1, "\u202e", "invisible", 1), Hidden(3, "\x07", "control", 1)]),
        ("a\u2028b", [Hidden(1, "\u2028", "control", 1)]),
        ("\ud800", [Hidden(0, "\ud800", "control", 1)]),  # a lone surrogate, from a "\ud800" escape
    ],
)
def test_control_and_invisible_characters_are_found_first_of_each_kind(
    text: str, found: list[Hidden]
) -> None:
    assert hidden_characters(text) == found


def test_a_message_may_hold_direction_marks_isolates_and_joiners() -> None:
    text = "\u2066a\u2069 \u2067b\u2069 \u2068c\u2069 \u200e\u200f\u061c \u200c\u200d"
    assert hidden_characters(text, allowed=MESSAGE_FORMATTING) == []
    assert hidden_characters("a\u200bb", allowed=MESSAGE_FORMATTING) == [Hidden(1, "\u200b", "invisible", 1)]


def test_a_character_is_described_by_its_code_point_and_name() -> None:
    assert describe("\u200b") == "U+200B (ZERO WIDTH SPACE)"
    assert describe("\x00") == "U+0000 (NUL)"
    assert describe("\x01") == "U+0001 (a control character)"


@pytest.mark.parametrize(
    ("yaml_text", "index", "where"),
    [
        ('a: "x\\u200by"\n', 1, (1, 6)),  # an escape points at its backslash
        ('a: "x\\U0000200By"\n', 1, (1, 6)),
        ('a: "\\\\u200b \\u200b"\n', 7, (1, 13)),  # an escaped backslash is not an escape
        ("a: x\u200by\n", 1, (1, 5)),  # a plain scalar holds the character itself
        ("a: |\n  one\n  tw\u200bo\n", 6, (3, 5)),  # a block scalar, on its second line
        ('a: "x\\ay\\a"\n', 3, (1, 9)),  # the second of two: short escapes
        ("a: 'x\u200b'\n", 1, (1, 6)),
    ],
)
def test_a_character_is_located_where_it_is_written(
    yaml_text: str, index: int, where: tuple[int, int]
) -> None:
    loaded = loads(yaml_text, name="f.yaml")
    value = loaded.data["a"]
    assert loaded.positions.locate_char(("a",), value, index) == ("f.yaml", *where)
