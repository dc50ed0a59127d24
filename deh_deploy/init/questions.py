"""The questions ``deh init`` asks in a terminal, in order, each with its default from the answers before it and
its check. The CLI asks them; each answer is checked as it is given, so a language written as ``Turkish`` is
refused at once, with ``tr`` offered in its place, instead of after the last question.

A question whose answer was given as an option (the country as the argument, ``--languages``, …) is not asked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from deh_deploy.errors import AnswerError
from deh_deploy.init import answers

__all__ = ["QUESTIONS", "Question", "check_answer"]


@dataclass(frozen=True)
class Question:
    key: str  # the name init_country's option has
    prompt: str
    default: Callable[[Mapping[str, str]], str]  # from the answers so far (the country is always among them)


def _default_holidays(given: Mapping[str, str]) -> str:
    return "yes" if answers.has_holiday_calendar(given["country"]) else "no"


QUESTIONS: tuple[Question, ...] = (
    Question("country", "Country (ISO code such as MD, or its English name)", lambda given: ""),
    Question("name", "Name of the National Society", lambda given: answers.default_society_name(given["country"])),
    Question("slug", "Short name for the folder and Twilio resources", lambda given: answers.default_slug(given["country"])),
    Question("timezone", "Time zone of the opening hours (IANA name)", lambda given: answers.default_timezone(given["country"])),
    Question("languages", "Languages as BCP-47 tags, comma-separated; the first is the default", lambda given: answers.default_languages(given["country"])),
    Question("holidays", "Close on the country's public holidays? (yes/no)", _default_holidays),
)  # fmt: skip


def check_answer(key: str, text: str, *, given: Mapping[str, str], output_dir: Path) -> str:
    """The answer as init_country takes it (``Moldova`` → ``MD``), or :class:`AnswerError` with what was most
    likely meant. The slug is also refused when its folder exists, as init would refuse it at the end."""
    text = text.strip()
    if key == "country":
        return answers.check_country(text)
    if key == "name":
        return answers.check_name(text)
    if key == "slug":
        slug = answers.check_slug(text)
        if (output_dir / slug).exists():
            raise AnswerError(f"{output_dir / slug} already exists; choose another short name")
        return slug
    if key == "timezone":
        return answers.check_timezone(text)
    if key == "languages":
        return ",".join(lang.tag for lang in answers.check_languages([text]))
    if key == "holidays":
        wanted = answers.check_yes_no(text)
        if wanted and not answers.has_holiday_calendar(given["country"]):
            raise AnswerError(
                f"the holidays library has no calendar for {given['country']}: answer no, and list the "
                "public holidays under hours.closures",
                suggestion="no",
            )
        return "yes" if wanted else "no"
    raise KeyError(key)
