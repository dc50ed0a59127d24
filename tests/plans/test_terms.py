"""The plan in the config's terms, one test per kind of change: the config before (what the account holds) and
after (the edit) are both rendered and read alike, as plan reads the account, and the whole lines are compared."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from deh_deploy.config import load_hub
from deh_deploy.render import render_hub
from deh_deploy.terms import Terms, View, diff

ROOT = Path(__file__).resolve().parent.parent.parent
HUNGARY = ROOT / "country_configs" / "hungary"
Edits = dict[str, list[tuple["str | re.Pattern[str]", str]]]


def view(folder: Path) -> View:
    return {r.id: r.attrs for r in render_hub(load_hub(folder), env="staging").resources}


def edited(tmp_path: Path, edits: Edits) -> Path:
    folder = tmp_path / "hungary"
    shutil.copytree(HUNGARY, folder)
    for name, replacements in edits.items():
        path = folder / name
        text = path.read_text(encoding="utf-8")
        for old, new in replacements:
            if isinstance(old, re.Pattern):
                text, count = old.subn(new, text)
                assert count, old
                continue
            assert old in text, old
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    return folder


def terms(tmp_path: Path, *, before: Edits | None = None, after: Edits | None = None) -> Terms:
    """The change from Hungary with ``before`` applied (live) to Hungary with ``after`` applied (desired)."""
    live = view(edited(tmp_path / "live", before or {}))
    desired = view(edited(tmp_path / "desired", after or {}))
    return diff(desired, live, ())


def lines(t: Terms) -> list[str]:
    return [c.line() for c in t.changes]


WITHOUT_HU: Edits = {
    "hub.yaml": [
        ("languages: [uk, ru, hu]\ntranslations", "languages: [uk, ru]\ntranslations"),
        ("  hu: translations/hu.yaml\n", ""),
        ("      languages: [uk, ru, hu]", "      languages: [uk, ru]"),  # every queue
    ]
}
WITHOUT_HOUSING: Edits = {
    "hub.yaml": [("  housing:\n    queue: general\n    feedback: request\n    agent: true\n", "")],
    **{
        f"translations/{lang}.yaml": [(re.compile(r'\n  housing:\n    title: "[^"]*"'), "")]
        for lang in ("uk", "ru", "hu")
    },
}


def test_an_edited_text_is_the_message_and_its_language_with_the_old_and_new_wording(tmp_path: Path) -> None:
    t = terms(tmp_path, after={"translations/uk.yaml": [("Вітаємо! Це", "Привіт! Це")]})
    assert lines(t) == [
        'welcome (uk): "Вітаємо! Це довідкова служба Угорського Червоного Хреста." → '
        '"Привіт! Це довідкова служба Угорського Червоного Хреста."'
    ]
    assert t.changes[0].old is not None and t.changes[0].old.sources == {
        "studio.flow/voice",
        "studio.flow/messaging",
    }


def test_edited_hours_are_the_day_and_its_shifts(tmp_path: Path) -> None:
    t = terms(tmp_path, after={"hub.yaml": [('wed: ["08:00-12:00", "13:00-18:00"]', 'wed: ["09:00-13:00"]')]})
    assert lines(t) == ["hours wed: 08:00-12:00, 13:00-18:00 → 09:00-13:00"]


def test_a_day_opened_and_a_closure_added_are_told_as_such(tmp_path: Path) -> None:
    t = terms(
        tmp_path,
        after={
            "hub.yaml": [
                (
                    '    fri: ["08:00-14:00", "20:00-02:00"]\n',
                    '    fri: ["08:00-14:00", "20:00-02:00"]\n    sat: ["10:00-14:00"]\n',
                ),
                (
                    '    - {date: "2026-12-24", reason: Christmas Eve}\n',
                    '    - {date: "2026-12-24", reason: Christmas Eve}\n    - {date: "2026-11-02", reason: Staff day}\n',
                ),
            ]
        },
    )
    assert lines(t) == ["hours sat: closed → 10:00-14:00", "closure 2026-11-02 added"]


def test_public_holidays_turned_off_and_a_closure_removed(tmp_path: Path) -> None:
    t = terms(
        tmp_path,
        after={
            "hub.yaml": [
                ("  public_holidays:\n    observed: true\n", ""),
                ('    - {date: "2026-12-24", reason: Christmas Eve}\n', ""),
            ]
        },
    )
    assert lines(t) == ["closure 2026-12-24 removed", "public holidays: HU → none"]


def test_a_topic_added_is_one_line_whatever_its_texts_and_menus(tmp_path: Path) -> None:
    assert lines(terms(tmp_path, before=WITHOUT_HOUSING)) == ["topic housing added"]


def test_a_topic_removed_is_one_line(tmp_path: Path) -> None:
    assert lines(terms(tmp_path, after=WITHOUT_HOUSING)) == ["topic housing removed"]


def test_a_topic_moved_to_another_queue_names_both(tmp_path: Path) -> None:
    t = terms(
        tmp_path, after={"hub.yaml": [("  housing:\n    queue: general", "  housing:\n    queue: cva")]}
    )
    assert lines(t) == ["topic housing: queue general → queue cva"]


def test_a_language_added_is_one_line_for_all_its_texts(tmp_path: Path) -> None:
    assert lines(terms(tmp_path, before=WITHOUT_HU)) == ["language hu added"]


def test_a_channel_added_is_its_name(tmp_path: Path) -> None:
    t = terms(tmp_path, before={"hub.yaml": [("  whatsapp: {}\n", "")]})
    assert lines(t) == ["channel whatsapp added"]
    assert t.changes[0].new is not None and t.changes[0].new.sources == {"conversations.address/whatsapp"}


@pytest.mark.parametrize(
    ("switch", "expected"), [("closed_now: true", ["closed_now: false → true"]), ("closed_now: false", [])]
)
def test_the_emergency_switch(tmp_path: Path, switch: str, expected: list[str]) -> None:
    assert lines(terms(tmp_path, after={"hub.yaml": [("closed_now: false", switch)]})) == expected


def test_the_same_config_changes_nothing(tmp_path: Path) -> None:
    t = terms(tmp_path)
    assert (t.changes, t.others, t.unrecorded) == ((), (), ())
