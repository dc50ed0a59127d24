"""TaskRouter's expression grammar: what Twilio's docs write parses, what they rule out does not."""

from __future__ import annotations

import pytest

from deh_deploy.taskrouter_expressions import (
    Array,
    Comparison,
    Constant,
    ExpressionError,
    Key,
    Logical,
    keys,
    parse,
    problem,
)

VALID = [
    # twilio.com/docs/taskrouter/expression-syntax, "Expression Structure" and its examples
    "(skills HAS 'support') AND (languages HAS 'english')",
    "customer_value == 'Gold' AND type == 'ticket'",
    "1 == 1",
    "1==1",
    "0 != 1",
    '"apple" != "orange"',
    "key > 1",
    'object.param != "apple"',
    'language IN ["en", "es"]',
    "(condition_a == true) OR (condition_b == true)",
    '(language == "en" OR language == "fr") AND skill_rating >= 5.1',
    'object.array[2] == "c"',
    # the time-of-day page: a single '=' and lower-case-insensitive keywords
    "taskrouter.dayOfWeek = 'Sat' AND taskrouter.currentTime > 1100",
    "taskrouter.dayOfWeek IN ['Mon', 'Tue', 'THU'] AND taskrouter.currentTime < 1730",
    # Twilio's changelog (Worker-list API): lower-case operators
    "activity_name in ['ABC', 'XYZ']",
    "activity_name contains 'MNO'",
    # workflow target expressions with task. and worker. keys, && and ||
    "task.language IN worker.languages && worker.channel.chat.assigned_tasks == 0",
    "task.targetSid == worker.sid || worker.sid != task.ignoreAgent",
    'skill_rating <= 3 AND team NOT IN ["a", "b"]',
    "skills -> 'support'",
    "name *> 'smith'",
    # expressions in public Flex workflow and queue configurations
    "1==0",
    "(roles HAS 'agent' OR roles HAS 'supervisor')",
    "routing.skills HAS 'KHP English'",
    "worker.sid NOT IN task.excluded_workers",
    "(task.caller!=worker.contact_uri) and (worker.sid NOT IN task.rejectedWorkers)",
    'team_name == "Blue Team" AND department_name == "Sales" AND routing.skills HAS "spanish"',
    # what deh-deploy renders (DEH skills hold hyphens inside quoted strings)
    'routing.skills HAS "language*uk-ua" AND routing.skills HAS "project*everyone"',
    '(routing.skills HAS "language*hu-hu" OR routing.skills HAS "language*en-us") AND routing.skills HAS "comm*sms"',
    'queue == "cva" AND language == "uk" AND channel == "whatsapp"',
]

INVALID = [
    ("", "empty expression at character 1"),
    ("skills HAS", "expected a constant, a key or an array, found the end at character 11"),
    (
        "skills 'support'",
        "expected a comparison operator (==, !=, >, <, >=, <=, IN, NOT IN, HAS, CONTAINS), "
        "found \"'support'\" at character 8",
    ),
    ("(a == 1", "expected ')', found the end at character 8"),
    ("a == 1)", "expected AND, OR or the end, found ')' at character 7"),
    ("a == 1 AND", "expected a constant, a key or an array, found the end at character 11"),
    ("a == 1 b == 2", "expected AND, OR or the end, found 'b' at character 8"),
    (
        "skills",
        "expected a comparison operator (==, !=, >, <, >=, <=, IN, NOT IN, HAS, CONTAINS), found the end "
        "at character 7",
    ),
    ("NOT a == 1", "expected a constant, a key or an array, found 'NOT' at character 1"),
    ("a NOT HAS 'x'", "expected IN after NOT, found 'HAS' at character 7"),
    (
        "first-name == 'x'",
        "unexpected '-': TaskRouter supports hyphens only inside quoted strings at character 6",
    ),
    ('skills HAS "unterminated', "unexpected '\"' at character 12"),
    ("a == 'x' ; b == 1", "unexpected ';' at character 10"),
    ("language IN 'en'", "IN wants a value on the left and an array on the right at character 1"),
    ('["a"] == ["a"]', "== compares scalars, not an array at character 1"),
    ("'support' HAS skills", "HAS wants an array on the left and a value on the right at character 1"),
    ("a == [1, ]", "expected a string, a number, true, false or null, found ']' at character 10"),
    ("object.array[x] == 1", "expected an array index, found 'x' at character 14"),
    ("a.  == 1", "expected a key name after '.', found '==' at character 5"),
]


@pytest.mark.parametrize("text", VALID)
def test_what_twilios_docs_write_parses(text: str) -> None:
    assert problem(text) is None
    assert parse(text) == parse(text)  # deterministic trees


@pytest.mark.parametrize(("text", "message"), INVALID)
def test_what_does_not_parse_says_what_was_expected_and_where(text: str, message: str) -> None:
    with pytest.raises(ExpressionError) as exc:
        parse(text)
    assert str(exc.value) == message
    assert problem(text) == message


def test_the_tree_holds_precedence_keys_and_constants() -> None:
    tree = parse('a == 1 OR b.c[0] HAS "x" AND d IN [1, 2.5, true, null]')
    assert tree == Logical(
        "OR",
        (
            Comparison(Key(("a",)), "==", Constant(1)),
            Logical(
                "AND",
                (
                    Comparison(Key(("b", "c", 0)), "HAS", Constant("x")),
                    Comparison(Key(("d",)), "IN", Array((1, 2.5, True, None))),
                ),
            ),
        ),
    )
    assert [str(k) for k in keys(tree)] == ["a", "b.c[0]", "d"]


def test_aliases_mean_the_operator_they_stand_for() -> None:
    assert parse("a = 1") == parse("a == 1")
    assert parse("s -> 'x'") == parse("s HAS 'x'")
    assert parse("s *> 'x'") == parse("s CONTAINS 'x'")
    assert parse("a == 1 && b == 2 || c == 3") == parse("(a == 1 AND b == 2) OR c == 3")


def test_a_quoted_quote_is_text() -> None:
    assert parse(r"name == 'O\'Brien'") == Comparison(Key(("name",)), "==", Constant("O'Brien"))


def test_a_value_that_is_not_a_string_is_no_expression() -> None:
    assert problem(None) == "an expression must be a string"
