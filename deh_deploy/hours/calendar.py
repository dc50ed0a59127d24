"""Public holidays through the ``holidays`` library: names in English where the library has them."""

from __future__ import annotations

import ast
import importlib.util
import re
import warnings
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from deh_deploy.hours.model import HolidayRule

_NAME_SEPARATOR = "; "
_MAX_LISTED_SUBDIVISIONS = 30


class CalendarUnavailable(ValueError):
    """The ``holidays`` library has no calendar for a country or subdivision."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _language(entity: Any) -> str | None:
    """English if the entity is translated to it, else its own default (never the process locale)."""
    languages: tuple[str, ...] = tuple(getattr(entity, "supported_languages", ()) or ())
    if "en_US" in languages:
        return "en_US"
    english = sorted(code for code in languages if code.split("_")[0] == "en")
    if english:
        return english[0]
    default: str | None = getattr(entity, "default_language", None)
    return default


def _holidays() -> Any:
    import holidays  # about 25 ms: imported only when a calendar is built

    return holidays


def _entity(rule: HolidayRule, years: list[int], *, language: str | None = None) -> tuple[Any, list[str]]:
    """The library's calendar and any warnings it gave (a deprecated subdivision, say)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            entity = _holidays().country_holidays(
                rule.country, subdiv=rule.subdivision, years=years, observed=rule.observed, language=language
            )
        return entity, [str(item.message) for item in caught]
    except NotImplementedError:
        pass
    supported = _holidays().list_supported_countries()
    if rule.country not in supported:
        raise CalendarUnavailable(
            f'the holidays library has no calendar for country "{rule.country}"', field="country"
        )
    known = sorted(supported[rule.country])
    listed = ", ".join(known[:_MAX_LISTED_SUBDIVISIONS]) + (
        ", …" if len(known) > _MAX_LISTED_SUBDIVISIONS else ""
    )
    hint = f"; known: {listed}" if known else "; it has none"
    raise CalendarUnavailable(
        f'the holidays library has no subdivision "{rule.subdivision}" for country "{rule.country}"{hint}',
        field="subdivision",
    )


_CODE = re.compile(r"[A-Z]{2,3}")


@lru_cache(maxsize=1)
def registered_countries() -> frozenset[str]:
    """The country codes the installed ``holidays`` library has calendars for, read from its registry file
    (a literal table) without importing the library; imported the ordinary way if that file is not as expected."""
    try:
        spec = importlib.util.find_spec("holidays")
        folders = list(spec.submodule_search_locations or []) if spec else []
        tree = ast.parse((Path(folders[0]) / "registry.py").read_text(encoding="utf-8"))
        table = next(
            ast.literal_eval(node.value)
            for node in tree.body
            if isinstance(node, ast.AnnAssign | ast.Assign)
            and node.value is not None
            and "COUNTRIES"
            in {
                getattr(t, "id", None)
                for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
            }
        )
        return frozenset(code for names in table.values() for code in names[1:] if _CODE.fullmatch(code))
    except (OSError, SyntaxError, ValueError, StopIteration, TypeError, AttributeError, IndexError):
        return frozenset(_holidays().list_supported_countries())


def ensure_calendar(rule: HolidayRule) -> list[str]:
    """Raise ``CalendarUnavailable`` when the library lacks this calendar; return the library's warnings.

    A whole-country calendar is looked up in the library's registry, which is cheap; building an entity imports
    every country's module (about 70 ms), so that is done only when a subdivision must be checked.
    """
    if rule.subdivision is None and rule.country in registered_countries():
        return []
    return _entity(rule, [])[1]


def _substitution_pattern(entity: Any) -> re.Pattern[str] | None:
    """A bridge day the library moved from a weekend ("Day off (substituted from …)")."""
    label = getattr(entity, "substituted_label", None)
    if not getattr(entity, "has_substituted_holidays", False) or not label:
        return None
    text = str(entity.tr(label))
    parts = [re.escape(part) for part in text.split("%s")]
    return re.compile("^" + ".+".join(parts) + "$")


def public_holidays(rule: HolidayRule, years: Iterable[int]) -> dict[date, str]:
    """Holidays of ``years`` as ``{date: name}``; several names on one date are joined by "; ".

    ``observed=False`` drops the library's observed days and its substituted bridge days.
    """
    wanted = sorted(set(years))
    language = _language(_entity(rule, [])[0])
    entity = _entity(rule, wanted, language=language)[0]
    substituted = None if rule.observed else _substitution_pattern(entity)
    result: dict[date, str] = {}
    for day in sorted(entity.keys()):
        if day.year not in wanted:
            continue
        names = [name for name in entity.get_list(day) if substituted is None or not substituted.match(name)]
        if names:
            result[day] = _NAME_SEPARATOR.join(names)
    return result
