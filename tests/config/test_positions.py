"""Every diagnostic points into the file that holds the offending key or value: its line and column (1-based,
counted in characters), found here by searching the file's text, independently of the loader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import Deh
from .hubcase import Replace

MakeHub = Callable[..., Path]


def where(file: Path, needle: str, *, after: str = "") -> str:
    """``file:line:col`` of the first ``needle`` (after the first ``after``), as the CLI shows it."""
    text = file.read_text(encoding="utf-8")
    index = text.index(needle, text.index(after) if after else 0)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"{file.relative_to(Path.cwd())}:{line}:{col}"


def test_a_value_in_a_translation_file_is_reported_in_that_file_at_the_value(
    make_hub: MakeHub, deh: Deh
) -> None:
    hub = make_hub(patch={"translations.ru.messages.welcome": "Здравствуйте, {name}!"})
    result = deh("validate", hub)
    at = where(hub / "translations" / "ru.yaml", '"Здравствуйте, {name}!"')
    assert result.out == [f"{at}: $.translations.ru.messages.welcome: unknown placeholder {{name}}"]


def test_an_unknown_key_in_a_translation_file_is_reported_at_the_key(make_hub: MakeHub, deh: Deh) -> None:
    hub = make_hub(patch={"translations.uk.messages.welcom": "Привіт"})
    result = deh("validate", hub)
    at = where(hub / "translations" / "uk.yaml", "welcom:")
    assert result.out == [
        f"{at}: $.translations.uk.messages.welcom: unknown key 'welcom'; did you mean 'welcome'?"
    ]


def test_a_list_item_is_reported_at_the_item(make_hub: MakeHub, deh: Deh) -> None:
    hub = make_hub(patch={"hours.weekly.tue": ["08:00-16:00", "09:00-10:00"]})
    result = deh("validate", hub)
    at = where(hub / "hub.yaml", '"09:00-10:00"', after="tue:")
    assert result.out == [
        f'{at}: $.hours.weekly.tue[1]: "09:00-10:00" overlaps "08:00-16:00" (weekly.tue[0])'
    ]


def test_columns_count_characters_not_bytes(make_hub: MakeHub, deh: Deh) -> None:
    """A duplicate key after Cyrillic text on its line: counting bytes would put the column too far right."""
    hub = make_hub(
        replace=(Replace("translations/uk.yaml", '    title: "Житло"', '    {title: "Житло", title: "Ж"}'),)
    )
    text = (hub / "translations" / "uk.yaml").read_text(encoding="utf-8")
    assert '{title: "Житло", title: "Ж"}' in text
    result = deh("validate", hub)
    at = where(hub / "translations" / "uk.yaml", 'title: "Ж"')
    assert len(result.out) == 1
    assert result.out[0].startswith(f"{at}: ")
    assert result.out[0].endswith("duplicate key 'title' (first defined at line 22)")


def test_a_file_level_problem_of_a_translation_file_names_that_file(make_hub: MakeHub, deh: Deh) -> None:
    hub = make_hub()
    (hub / "translations" / "uk.yaml").write_bytes(b'messages:\n  welcome: "\xff"\n')
    result = deh("validate", hub)
    assert result.code == 1
    assert len(result.out) == 1
    assert result.out[0].startswith("hub/translations/uk.yaml:2:13: ")
    assert result.out[0].endswith(": file is not UTF-8 (byte 0xff)")


def test_a_file_level_problem_of_a_translation_file_has_the_hubs_json_path(
    make_hub: MakeHub, deh: Deh
) -> None:
    hub = make_hub()
    (hub / "translations" / "uk.yaml").write_bytes(b"")
    result = deh("validate", hub)
    assert result.out == ["hub/translations/uk.yaml:1:1: $.translations.uk: file is empty"]


def test_a_reference_to_a_missing_translation_file_points_at_the_reference(
    make_hub: MakeHub, deh: Deh
) -> None:
    hub = make_hub()
    (hub / "translations" / "ru.yaml").unlink()
    result = deh("validate", hub)
    at = where(hub / "hub.yaml", "translations/ru.yaml")
    assert result.out == [f"{at}: $.translations.ru: translation file 'translations/ru.yaml' does not exist"]


def test_paths_are_shown_relative_to_the_working_directory(
    make_hub: MakeHub, deh: Deh, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub = make_hub(patch={"routing.default_queue": "main"})
    monkeypatch.chdir(hub / "translations")
    result = deh("validate", hub.resolve())
    assert len(result.out) == 1
    assert result.out[0].startswith("../hub.yaml:")
