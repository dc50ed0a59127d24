"""The project's own placeholders: {digit}, {topic}, {promise} — substituted, never evaluated."""

from __future__ import annotations

from deh_deploy.textchecks import fill, placeholders


def test_placeholders_are_single_braced_identifiers() -> None:
    text = "Press {digit} for {topic}. We answer {promise}. {digit} again."
    assert placeholders(text) == {"digit", "topic", "promise"}


def test_template_syntax_and_non_identifiers_are_not_placeholders() -> None:
    text = "{{ 7*7 }} {{digit}} {% if x %} {1} { topic } {a-b} {{{topic}}} {}"
    assert placeholders(text) == set()


def test_underscores_and_digits_after_the_first_letter_are_allowed() -> None:
    assert placeholders("{_x} {topic_2} {2topic}") == {"_x", "topic_2"}


def test_fill_substitutes_known_values() -> None:
    assert fill("Press {digit} for {topic}.", digit="1", topic="food aid") == "Press 1 for food aid."


def test_fill_leaves_everything_else_exactly_as_written() -> None:
    text = "{{ 7*7 }} {% x %} {other} {{digit}} {digit} ${digit} {{{digit}}}"
    assert fill(text, digit="3") == "{{ 7*7 }} {% x %} {other} {{digit}} 3 $3 {{{digit}}}"


def test_values_are_inserted_literally_and_not_filled_again() -> None:
    assert fill("{topic} / {digit}", topic="{digit} {{ 7*7 }}", digit="1") == "{digit} {{ 7*7 }} / 1"


def test_a_placeholder_without_a_value_stays() -> None:
    assert fill("Press {digit} for {topic}.", digit="2") == "Press 2 for {topic}."
