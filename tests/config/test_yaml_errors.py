"""YAML syntax errors explained at their first cause, with the path of keys that leads to it: forms the Hungary
fixtures in ``negative/`` do not show."""

from __future__ import annotations

import pytest

from deh_deploy.config.loader import loads


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            'a: "He said "yes" to it"\n',
            't.yaml:1:13: $.a: a double quote (") inside a text in double quotes ends the text early; write it'
            ' as \\" or put the whole text in single quotes',
        ),
        (
            "a: 'it''s fine'\nb: 'don't'\n",
            "t.yaml:2:8: $.b: an apostrophe (') inside a text in single quotes ends the text early; write it"
            " twice ('') or put the whole text in double quotes",
        ),
        (
            "a: 'never closed\n",
            "t.yaml:1:4: $.a: the text opened with ' here is not closed on this line; end it with ' (without"
            " it, the text runs on into the lines below)",
        ),
        (
            'path: "C:\\data"\n',
            "t.yaml:1:10: $.path: a backslash in a text in double quotes starts an escape such as \\n or \\u2068;"
            " write \\\\ for a backslash, or put the text in single quotes",
        ),
        (
            "a:\n  b: 1\n    c: 2\n",
            "t.yaml:3:5: $.a.b.c: wrong indentation: this line is indented by 4 spaces, line 2 above it by 2"
            " spaces; keys that belong together start in the same column",
        ),
        (
            "a:\n  - x\n  b: 1\n",
            "t.yaml:3:3: $.a.b: wrong indentation: this line is not a list item, but the lines above it at this"
            " indentation are (they start with -); start it with '- ', or indent it like the key above the list",
        ),
        (
            "a: {x: 1\nb: 1\n",
            "t.yaml:1:4: $.a: the mapping opened with { here is not closed; end it with } on its line (put a"
            " text with a comma or a colon in quotes)",
        ),
        (
            "a:\n\t- x\n",
            "t.yaml:2:1: $.a: a tab in the indentation: YAML indents with spaces only; replace the tab with spaces",
        ),
        (
            "a: 1\n  b: 2\n",
            "t.yaml:2:3: $.a.b: wrong indentation: this line is indented by 2 spaces, line 1 above it by 0"
            " spaces; keys that belong together start in the same column",
        ),
        (
            'a:\n  - "one\n  - "two"\n',
            't.yaml:2:5: $.a: the text opened with " here is not closed on this line; end it with " (without'
            " it, the text runs on into the lines below)",
        ),
        (
            "hosts:\n  - name: x\n    address: [1\n",
            "t.yaml:3:14: $.hosts: the list opened with [ here is not closed; end it with ] on its line (put a"
            " text with a comma or a colon in quotes)",
        ),
        ("a: *nowhere\n", "t.yaml:1:4: $.a: invalid YAML: found undefined alias"),  # the parser's words
    ],
)
def test_a_syntax_error_is_one_line_at_its_first_cause(text: str, line: str) -> None:
    loaded = loads(text, name="t.yaml")
    assert [d.format() for d in loaded.diagnostics] == [line]
