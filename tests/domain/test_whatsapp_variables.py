"""WhatsApp template variables: {{1}}…{{k}}, no gaps, not at the ends, not adjacent, each with a sample."""

from __future__ import annotations

import pytest

from deh_deploy.textchecks import check_whatsapp_variables


@pytest.mark.parametrize(
    ("body", "samples"),
    [
        ("Hello {{1}}, your case {{2}} is open.", {"1": "Anna", "2": "C-17"}),
        ("Hello {{1}}, your case {{2}} is open.", None),
        ("Hello {{1}} and again {{1}}.", {"1": "Anna"}),
        ("No variables at all.", None),
        ("No variables at all.", {}),
        ("Dear {{2}}, about {{1}}: thanks.", {"1": "x", "2": "y"}),
    ],
)
def test_a_well_formed_body_has_no_problems(body: str, samples: dict[str, str] | None) -> None:
    assert check_whatsapp_variables(body, samples) == []


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        (
            "Hi {{ name }} there",
            ["'{{ name }}' is malformed; WhatsApp variables are numbered {{1}}, {{2}}, …"],
        ),
        ("Hi {{name}} there", ["'{{name}}' is malformed; WhatsApp variables are numbered {{1}}, {{2}}, …"]),
        ("Hi {{ 1 }} there", ["'{{ 1 }}' is malformed; write {{1}}"]),
        ("Hi {1} there", ["'{1}' is malformed; write {{1}}"]),
        ("Hi {{1} there", ["'{{1}' is malformed; write {{1}}"]),
        ("Hi {1}} there", ["'{1}}' is malformed; write {{1}}"]),
        ("Hi {{{1}}} there", ["'{{{1}}}' is malformed; write {{1}}"]),
        ("Hi {{01}} there", ["'{{01}}' is malformed; write {{1}}"]),
        ("Hi {{0}} there", ["'{{0}}' is not allowed; variables start at {{1}}"]),
        ("Hi {{1}} there } now", ["'}' is a stray brace; WhatsApp variables are written {{1}}, {{2}}, …"]),
        ("Hi {{1}} there {{ now", ["'{{' is a stray brace; WhatsApp variables are written {{1}}, {{2}}, …"]),
    ],
)
def test_malformed_braces_are_named_one_by_one(body: str, problems: list[str]) -> None:
    assert check_whatsapp_variables(body, None) == problems


def test_gaps_in_the_numbering_are_each_reported() -> None:
    assert check_whatsapp_variables("Hi {{1}}, see {{4}} now", None) == [
        "{{2}} is missing: number the variables {{1}} to {{4}} without gaps",
        "{{3}} is missing: number the variables {{1}} to {{4}} without gaps",
    ]


def test_numbering_must_start_at_one() -> None:
    assert check_whatsapp_variables("Hi {{2}} there", None) == [
        "{{1}} is missing: number the variables {{1}} to {{2}} without gaps"
    ]


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ("{{1}}, welcome", ["the body starts with {{1}}; put text before the first variable"]),
        ("  {{1}}, welcome", ["the body starts with {{1}}; put text before the first variable"]),
        ("Welcome {{1}}", ["the body ends with {{1}}; put text after the last variable"]),
        ("Welcome {{1}}\n", ["the body ends with {{1}}; put text after the last variable"]),
        (
            "{{1}}",
            [
                "the body starts with {{1}}; put text before the first variable",
                "the body ends with {{1}}; put text after the last variable",
            ],
        ),
    ],
)
def test_the_body_may_not_start_or_end_with_a_variable(body: str, problems: list[str]) -> None:
    assert check_whatsapp_variables(body, None) == problems


@pytest.mark.parametrize(
    ("body", "problems"),
    [
        ("Hi {{1}}{{2}} there", ["{{1}} and {{2}} are next to each other; put words between them"]),
        ("Hi {{1}} {{2}} there", ["{{1}} and {{2}} are next to each other; put words between them"]),
        ("Hi {{1}}, {{2}} there", []),
    ],
)
def test_two_variables_may_not_stand_next_to_each_other(body: str, problems: list[str]) -> None:
    assert check_whatsapp_variables(body, None) == problems


def test_every_variable_needs_a_sample_and_every_sample_a_variable() -> None:
    body = "Hi {{1}}, case {{2}}, team {{3}}."
    assert check_whatsapp_variables(body, {"1": "Anna", "3": "  ", "4": "extra"}) == [
        "{{2}} has no sample value; WhatsApp needs one for every variable",
        "{{3}} has no sample value; WhatsApp needs one for every variable",
        "sample '4' belongs to no variable in the body",
    ]


def test_several_problems_are_all_reported_in_order() -> None:
    assert check_whatsapp_variables("{{1}} {{3}} and {name}", {}) == [
        "'{name}' is malformed; WhatsApp variables are numbered {{1}}, {{2}}, …",
        "{{2}} is missing: number the variables {{1}} to {{3}} without gaps",
        "the body starts with {{1}}; put text before the first variable",
        "{{1}} and {{3}} are next to each other; put words between them",
        "{{1}} has no sample value; WhatsApp needs one for every variable",
        "{{3}} has no sample value; WhatsApp needs one for every variable",
    ]
