"""``deh test COUNTRY...``: each country's scenarios run offline; PASS/FAIL per scenario, exit 1 on any
failure, and a malformed scenario file is one ``file:line:col: $.path: message`` line, never a traceback."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from deh_deploy.config.model import HubConfig
from deh_deploy.textchecks import fill

from .conftest import COUNTRIES, SLUGS, Deh
from .minihub import small_hub

BAD = Path(__file__).with_name("bad_scenarios")
RESULT = re.compile(r"^(PASS|FAIL) (?P<file>\S+):(?P<line>[1-9][0-9]*): (?P<name>.+)$")


@pytest.mark.parametrize(  # the quick loop runs Hungary's; the full suite every country's
    "slug", [s if s == "hungary" else pytest.param(s, marks=pytest.mark.slow) for s in SLUGS]
)
def test_every_example_country_passes_its_scenarios(
    deh: Deh, slug: str, scenarios: dict[str, list[object]]
) -> None:
    run = deh("test", COUNTRIES / slug)

    assert run.code == 0, "\n".join(run.out + run.err)
    results = [line for line in run.out if RESULT.match(line)]
    assert len(results) == len(scenarios[slug])
    assert all(line.startswith("PASS ") for line in results)
    assert run.out[-1] == f"{slug}: {len(results)} passed, 0 failed"


@pytest.mark.slow
def test_all_three_countries_in_one_run(deh: Deh) -> None:
    run = deh("test", *(COUNTRIES / slug for slug in SLUGS))

    assert run.code == 0
    summaries = [line for line in run.out if not RESULT.match(line)]
    assert [s.split(":")[0] for s in summaries] == list(SLUGS)
    assert all(s.endswith(" passed, 0 failed") for s in summaries)


WRONG = """\
scenarios:
  - name: "Hungarian caller on Monday at 10:00 reaches a colleague"
    channel: voice
    at: "2027-01-11T10:00"
    press: ["3", "3"]
    expect: {end: agent, language: hu, task: {topic: housing}}
  - name: "Saturday caller reaches a colleague (wrong: the hub is closed)"
    channel: voice
    at: "2027-01-16T10:00"
    press: ["3", "3"]
    expect:
      end: agent
      task: {topic: housing}
      says: ["Kapcsoljuk kollégánkat"]
"""


def test_a_wrong_expectation_fails_with_a_readable_line(deh: Deh, country: Callable[[str], Path]) -> None:
    folder = country("hungary")
    (folder / "scenarios" / "wrong.yaml").write_text(WRONG, encoding="utf-8")

    run = deh("test", folder)

    assert run.code == 1
    assert run.out == [
        "PASS hungary/scenarios/wrong.yaml:2: Hungarian caller on Monday at 10:00 reaches a colleague",
        "FAIL hungary/scenarios/wrong.yaml:7: Saturday caller reaches a colleague (wrong: the hub is closed)",
        "     expected to end with agent, ended with voicemail",
        "     expected task topic='housing', got None",
        "     expected 'Kapcsoljuk kollégánkat' in the transcript",
        "hungary: 1 passed, 1 failed",
    ]
    assert not run.logged


def test_verbose_shows_the_transcript_of_a_failed_scenario(
    deh: Deh, country: Callable[[str], Path], hubs: dict[str, HubConfig]
) -> None:
    folder = country("hungary")
    (folder / "scenarios" / "wrong.yaml").write_text(WRONG, encoding="utf-8")
    hu = hubs["hungary"].texts["hu"].messages

    run = deh("test", "--verbose", folder)

    transcript = [line.removeprefix("       | ") for line in run.out if line.startswith("       | ")]
    after = fill(hu["after_hours"], promise=hu["promise"])
    assert transcript[1:4] == [
        "person: presses 3",
        f"hub says [hu-HU]: {after}",
        f"hub says [hu-HU]: {hu['voicemail_prompt']}",
    ]
    assert run.out.index(
        "FAIL hungary/scenarios/wrong.yaml:7: Saturday caller reaches a colleague (wrong: the hub is closed)"
    ) < run.out.index(f"       | hub says [hu-HU]: {after}")


def _directives(path: Path) -> dict[str, str]:
    """A case's header lines after ``# error:``: ``# xfail: why``, and how the file is placed when it is not
    plain text: ``# make: fifo`` or ``folder``, ``# link: <target>`` (a symbolic link, relative to the
    scenarios folder), ``# outside: <text>`` (a link to a file with this text outside the country folder),
    ``# encoding: utf-16``."""
    found: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[1:]:
        key, sep, value = line.removeprefix("# ").partition(": ")
        if (
            not line.startswith("# ")
            or not sep
            or key not in ("xfail", "make", "link", "outside", "encoding")
        ):
            break
        found[key] = value
    return found


def _place(fixture: Path, target: Path) -> None:
    """The case's file at ``target``, made as its header says."""
    how = _directives(fixture)
    text = fixture.read_text(encoding="utf-8")
    if "outside" in how:
        secret = target.parents[2] / "secret.env"
        secret.write_text(how["outside"] + "\n", encoding="utf-8")
        target.symlink_to(secret)
    elif "link" in how:
        target.symlink_to(how["link"])
    elif how.get("make") == "fifo":
        os.mkfifo(target)
    elif how.get("make") == "folder":
        target.mkdir()
    else:
        target.write_bytes(text.encode(how.get("encoding", "utf-8")))


def _bad_cases() -> list[object]:
    cases: list[object] = []
    for path in sorted(BAD.glob("*.yaml")):
        header = path.read_text(encoding="utf-8").splitlines()
        expected = header[0].removeprefix("# error: ")
        xfail = [_directives(path)["xfail"]] if "xfail" in _directives(path) else []
        marks = [pytest.mark.xfail(strict=True, reason=xfail[0])] if xfail else []
        cases.append(pytest.param(path, expected, id=path.stem, marks=marks))
    return cases


@pytest.mark.parametrize(("path", "expected"), _bad_cases())
def test_a_malformed_scenario_file_is_one_line_pointing_into_it(
    deh: Deh, country: Callable[[str], Path], path: Path, expected: str
) -> None:
    folder = country("hungary")
    _place(path, folder / "scenarios" / path.name)

    run = deh("test", folder)

    assert run.code == 1
    assert not run.logged
    assert run.out == []
    where = f"hungary/scenarios/{path.name}:"
    if expected.endswith(" …"):
        assert len(run.err) == 2 and run.err[0].startswith(where + expected.removesuffix(" …")), run.err
    else:
        assert run.err[0] == where + expected
    assert run.err[1:] == ["deh: 1 problem(s) in the config"]
    assert not any("Traceback" in line for line in run.err)


def test_problems_in_several_files_are_all_reported(deh: Deh, country: Callable[[str], Path]) -> None:
    folder = country("hungary")
    for name in ("unknown_end.yaml", "misspelt_key.yaml"):
        (folder / "scenarios" / name).write_text((BAD / name).read_text(encoding="utf-8"), encoding="utf-8")

    run = deh("test", folder)

    assert run.code == 1
    assert [line.split(":")[0] for line in run.err[:-1]] == [
        "hungary/scenarios/misspelt_key.yaml",
        "hungary/scenarios/unknown_end.yaml",
    ]
    assert run.err[-1] == "deh: 2 problem(s) in the config"


def test_a_scenario_on_a_channel_the_hub_lacks_points_at_its_channel(
    deh: Deh, country: Callable[[str], Path]
) -> None:
    folder = country("mongolia")
    (folder / "scenarios" / "whatsapp.yaml").write_text(
        'scenarios:\n  - name: "WhatsApp message"\n    channel: whatsapp\n    at: "2027-01-12T10:00"\n'
        "    expect: {end: agent}\n",
        encoding="utf-8",
    )

    run = deh("test", folder)

    assert run.code == 1
    assert run.err[0].startswith("mongolia/scenarios/whatsapp.yaml:3:14: $.scenarios[0].channel: ")
    assert "whatsapp" in run.err[0]


def _first_tuesday_of_june(year: int) -> date:
    day = date(year, 6, 1)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def test_a_scenario_keeps_passing_whatever_the_year_the_suite_runs(deh: Deh, tmp_path: Path) -> None:
    folder = small_hub(tmp_path / "hungary")  # no public holidays: every Tuesday 08:00-16:00 is open
    (folder / "scenarios").mkdir()
    day = _first_tuesday_of_june(date.today().year - 1)
    (folder / "scenarios" / "last_year.yaml").write_text(
        f'scenarios:\n  - name: "Tuesday morning of last year"\n    channel: sms\n    at: "{day}T10:30"\n'
        '    send: ["Hello", "1", "1"]\n    expect: {end: agent}\n',
        encoding="utf-8",
    )

    run = deh("test", folder)

    assert run.out[-1] == "hungary: 1 passed, 0 failed", run.out


def test_a_hub_without_scenarios_says_nothing_was_tested_and_fails(deh: Deh, tmp_path: Path) -> None:
    folder = small_hub(tmp_path / "small")

    run = deh("test", folder)

    assert run.code == 1
    assert run.out == [
        f"hungary: nothing was tested: there are no scenarios in {folder / 'scenarios'} (*.yaml)"
    ]


def test_sweep_option_prints_its_tally(deh: Deh, tmp_path: Path) -> None:
    folder = small_hub(tmp_path / "small", languages=("uk",), channels=("sms",), topics=("housing",))

    run = deh("test", "--sweep", folder)

    assert run.code == 0
    assert run.out[0] == f"hungary: no scenarios in {folder / 'scenarios'} (*.yaml); the sweep alone was run"
    tally = re.fullmatch(
        r"hungary: sweep of (\d+) conversations in [0-9.]+ s \(\d+/s; (\d+) run, one per path and distinct hours "
        r"answer: (\d+) answer\(s\) over (\d+) instants\): (.+); 0 violation\(s\)",
        run.out[1],
    )
    assert tally is not None, run.out
    # every half hour of a week, the one topic and an invalid choice, plus the hours function failing once
    assert int(tally[1]) == 7 * 48 * 2 + 1
    assert (int(tally[2]), int(tally[3]), int(tally[4])) == (2 * 2 + 1, 2, 7 * 48)  # open and closed
    assert dict(part.split(" ") for part in tally[5].split(", ")).keys() == {"agent", "after_hours"}
