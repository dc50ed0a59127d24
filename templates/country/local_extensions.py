"""Jinja filters of the country template: the defaults and checks of ``deh_deploy.init``, and YAML quoting.

Cookiecutter imports this module from the template folder (``_extensions`` in cookiecutter.json), so a plain
``cookiecutter templates/country`` and ``deh init`` compute the same defaults.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Mapping
from typing import Any

from jinja2 import Environment
from jinja2.ext import Extension

from deh_deploy.init import answers as hub_answers

PLACEHOLDER = "FILL IN"


def check_answers(answers: Mapping[str, Any]) -> str:
    """Fail before any file is written when an answer is wrong (raises ``UsageError``)."""
    hub_answers.hub_facts(answers)
    return "yes"


def fill_in(source: str, language: hub_answers.LanguageFacts, limit: int = 1600) -> str:
    """A placeholder the rules report as a warning, carrying the English text to translate.

    The language's name is folded to ASCII ("Maori" for "Māori") so that placeholders stay in the GSM 7-bit
    alphabet and the SMS-length rule does not warn about text that is going to be replaced anyway.
    """
    text = f"{PLACEHOLDER} ({ascii_name(language)}): {source}"
    return text if len(text) <= limit else f"{PLACEHOLDER}: {source}"[:limit]


def ascii_name(language: hub_answers.LanguageFacts) -> str:
    return unicodedata.normalize("NFKD", language.english_name).encode("ascii", "ignore").decode()


def yaml_str(value: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML); non-ASCII text stays readable."""
    return json.dumps(value, ensure_ascii=False)


class CountryExtension(Extension):
    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.filters.update(
            default_society_name=hub_answers.default_society_name,
            default_slug=hub_answers.default_slug,
            default_timezone=hub_answers.default_timezone,
            default_languages=hub_answers.default_languages,
            check_answers=check_answers,
            hub_facts=hub_answers.hub_facts,
            fill_in=fill_in,
            ascii_name=ascii_name,
            yaml_str=yaml_str,
        )
