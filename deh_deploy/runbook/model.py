"""The checklist's shape: sections of items, each done, to do, unknown (no account was read) or a plain note."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Status = Literal["done", "to do", "unknown", "note"]


@dataclass(frozen=True)
class Item:
    """One step: what to do, in a trainer's words, and ``detail`` (the text to read, what the account says)."""

    text: str
    status: Status = "note"
    detail: str = ""


@dataclass(frozen=True)
class Month:
    """A month of the calendar: its closed days with the reason a caller is told, and its reopened days."""

    first: date
    closed: tuple[tuple[date, str], ...]


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Item, ...] = ()
    intro: str = ""
    weekly: tuple[tuple[str, str], ...] = ()  # (day, shifts) for the hours section
    months: tuple[Month, ...] = ()


@dataclass(frozen=True)
class Account:
    """What the account says of the checks (by check id: ``number:main``, ``sender``, ``template:callback.uk``,
    ``skill:language*uk-ua``…), each a status and what was found; a check it holds nothing on is to do."""

    account_sid: str
    where: str
    checks: Mapping[str, tuple[Status, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Runbook:
    society: str
    slug: str
    env: str
    account_sid: str
    generated: date
    checked: str  # against what the statuses were read, or why they are unknown
    sections: tuple[Section, ...]

    def items(self) -> tuple[Item, ...]:
        return tuple(item for section in self.sections for item in section.items)
