"""Language tags in the model: canonical casing everywhere, whatever casing the config used."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from deh_deploy.config import load_hub

from .hubcase import Replace


def test_the_model_names_each_language_in_its_canonical_casing(make_hub: Callable[..., Path]) -> None:
    folder = make_hub(
        replace=(
            Replace("hub.yaml", "\nlanguages: [uk, ru, hu]\n", "\nlanguages: [uk, ru, hu-hu]\n"),
            Replace("hub.yaml", "  hu: translations/hu.yaml\n", "  hu-HU: translations/hu.yaml\n"),
            Replace("hub.yaml", "      languages: [uk, ru, hu]\n", "      languages: [uk, ru, hu-hU]\n", 3),
        )
    )
    hub = load_hub(folder)
    assert hub.languages == ("uk", "ru", "hu-HU")
    assert list(hub.texts) == ["uk", "ru", "hu-HU"] and hub.texts["hu-HU"].language == "hu-HU"
    assert {q.languages for q in hub.routing.queues.values()} == {("uk", "ru", "hu-HU")}


def test_texts_under_a_tag_that_is_no_language_are_left_out(make_hub: Callable[..., Path]) -> None:
    folder = make_hub(
        replace=(
            Replace("hub.yaml", "  hu: translations/hu.yaml\n", "  hu: translations/hu.yaml\n  qqq: {}\n"),
        )
    )
    hub = load_hub(folder)  # a warning only: texts for 'qqq', which is not in languages
    assert list(hub.texts) == ["uk", "ru", "hu"]
