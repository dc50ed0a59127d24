"""How configured texts are put together into what a person reads: one definition for render and validation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from deh_deploy.textchecks import fill


def language_menu(choices: Sequence[str]) -> list[str]:
    """Each language's ``language_choice`` line with its digit, in menu order."""
    return [fill(text, digit=str(i)) for i, text in enumerate(choices, start=1)]


def topic_menu(messages: Mapping[str, str], titles: Sequence[str]) -> str:
    """The topic menu: its intro line, then one ``topic_option`` line per topic."""
    lines = [messages["topic_menu"]]
    lines += [
        fill(messages["topic_option"], digit=str(i), topic=title) for i, title in enumerate(titles, start=1)
    ]
    return "\n".join(lines)


def after_hours(messages: Mapping[str, str]) -> str:
    return fill(messages["after_hours"], promise=messages["promise"])


def welcome_and_menu(messages: Mapping[str, str], titles: Sequence[str]) -> str:
    """What a messaging contact reads once the hub is open: the welcome, then the topic menu."""
    return messages["welcome"] + "\n" + topic_menu(messages, titles)
