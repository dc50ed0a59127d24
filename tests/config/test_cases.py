"""One fixture per failure mode: each ``negative/<case>.yaml`` is Hungary's hub with one thing changed, and
``deh validate`` must print exactly the case's lines. Dropping a file into ``negative/`` or ``positive/``
adds a test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deh_deploy.config.rules import RULES

from .conftest import Deh
from .hubcase import Case, build_hub, case_files, load_case

NEGATIVE = [load_case(p) for p in case_files("negative")]
POSITIVE = [load_case(p) for p in case_files("positive")]
NON_RULE_CHECKS = {"loader", "schema", "several"}


def _params(cases: list[Case]) -> list[object]:
    return [
        pytest.param(c, id=c.name, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)] if c.xfail else [])
        for c in cases
    ]


@pytest.mark.parametrize("case", _params(NEGATIVE))
def test_negative_case_prints_exactly_its_lines(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deh: Deh
) -> None:
    build_hub(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = deh("validate", case.name)
    assert result.out == list(case.expect)
    assert result.code == case.exit_code


@pytest.mark.slow  # the quick loop runs each case once, without --strict (the same lines, exit 1 either way)
@pytest.mark.parametrize("case", _params(NEGATIVE))
def test_negative_case_fails_under_strict(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deh: Deh
) -> None:
    build_hub(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = deh("validate", "--strict", case.name)
    assert result.out == list(case.expect)
    assert result.code == 1


@pytest.mark.parametrize("case", _params(POSITIVE))
def test_positive_case_is_clean_even_when_strict(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deh: Deh
) -> None:
    build_hub(case, tmp_path)
    monkeypatch.chdir(tmp_path)
    result = deh("validate", "--strict", case.name)
    assert (result.code, result.out) == (0, [])
    assert result.err == ["1 config: 0 errors, 0 warnings"]


def test_every_case_is_well_formed() -> None:
    known = {rule.__name__ for rule in RULES} | NON_RULE_CHECKS
    for case in NEGATIVE:
        assert case.expect, f"{case.name}: a negative case expects at least one line"
        assert all(line.startswith(f"{case.name}/") for line in case.expect), case.name
    for case in POSITIVE:
        assert not case.expect and not case.xfail, case.name
    for case in NEGATIVE + POSITIVE:
        assert case.rule in known, f"{case.name}: unknown rule {case.rule!r}"


def test_every_semantic_rule_has_a_negative_case() -> None:
    covered = {case.rule for case in NEGATIVE}
    missing = [rule.__name__ for rule in RULES if rule.__name__ not in covered]
    assert missing == []
