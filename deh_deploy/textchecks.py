"""Checks on message text: mixed text direction, WhatsApp template variables, the project's placeholders, and
characters a person cannot see."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Hidden",
    "check_bidi",
    "check_whatsapp_variables",
    "describe",
    "fill",
    "hidden_characters",
    "placeholders",
]

# --- text direction -------------------------------------------------------------------------------------

_MARKS = frozenset("\u200e\u200f\u061c")  # LRM, RLM, ALM
_OPENERS = frozenset("\u202a\u202b\u202d\u202e\u2066\u2067\u2068")  # LRE RLE LRO RLO LRI RLI FSI
_CLOSERS = frozenset("\u202c\u2069")  # PDF PDI
_CONTROLS = _MARKS | _OPENERS | _CLOSERS
_LTR = frozenset({"L"})
_RTL = frozenset({"R", "AL"})
# A phone-like number: "+" and digits, or digit groups joined by spaces, dots, dashes or slashes.
_PHONE_LIKE = re.compile(r"\+[0-9][0-9 .\-/]*[0-9]|[0-9]+(?:[ .\-/][0-9]+)+|\+[0-9]")
_NAMES = {"ltr": "left-to-right", "rtl": "right-to-left"}


def _strong(char: str) -> str | None:
    bidi = unicodedata.bidirectional(char)
    return "ltr" if bidi in _LTR else "rtl" if bidi in _RTL else None


def _isolated(text: str) -> list[bool]:
    """For each character: whether it sits inside an isolate, embedding or override (or is a control)."""
    depth, inside = 0, []
    for char in text:
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(depth - 1, 0)
        inside.append(depth > 0 or char in _CONTROLS)
    return inside


def _marked(text: str, start: int, end: int) -> bool:
    """A directional mark or isolate control right before or right after text[start:end]."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return bool(before and before in _CONTROLS) or bool(after and after in _CONTROLS)


def _runs(text: str, direction: str, inside: list[bool]) -> list[tuple[int, int]]:
    """Spans from a strong character of ``direction`` to the last one before the other direction starts."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    last = 0
    for i, char in enumerate(text):
        strong = _strong(char)
        if inside[i] or (strong is not None and strong != direction):
            if start is not None:
                runs.append((start, last + 1))
                start = None
            continue
        if strong == direction:
            start = i if start is None else start
            last = i
    if start is not None:
        runs.append((start, last + 1))
    return runs


def _neighbour(text: str, index: int, step: int, inside: list[bool]) -> str | None:
    i = index
    while 0 <= i < len(text):
        if not inside[i]:
            strong = _strong(text[i])
            if strong is not None:
                return strong
        i += step
    return None


def _numbers_by_rtl(text: str, inside: list[bool]) -> list[tuple[int, int]]:
    """Phone-like numbers whose nearest strong neighbour on either side is right-to-left text."""
    spans = []
    for match in _PHONE_LIKE.finditer(text):
        start, end = match.span()
        if any(inside[start:end]):
            continue
        sides = (_neighbour(text, start - 1, -1, inside), _neighbour(text, end, 1, inside))
        if "rtl" in sides:
            spans.append((start, end))
    return spans


def has_rtl(text: str) -> bool:
    """Whether any character of the text is strongly right-to-left (bidi class R or AL)."""
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def check_bidi(text: str, *, direction: Literal["ltr", "rtl"]) -> str | None:
    """The first run of opposite-direction text that has no direction mark or isolate around it, or None.

    In a right-to-left language that is a run of Latin (strong left-to-right) text, or a phone-like number
    next to right-to-left text; in a left-to-right language, a run of right-to-left text.
    """
    other: Literal["ltr", "rtl"] = "ltr" if direction == "rtl" else "rtl"
    inside = _isolated(text)
    present = {_strong(c) for c, hidden in zip(text, inside, strict=True) if not hidden}
    if direction not in present:
        return None
    spans = _runs(text, other, inside)
    if direction == "rtl":
        spans += _numbers_by_rtl(text, inside)
    offending = sorted(span for span in spans if not _marked(text, *span))
    if not offending:
        return None
    start, end = offending[0]
    return (
        f"mixes {_NAMES[direction]} and {_NAMES[other]} text without direction marks near"
        f" {text[start:end]!r}; {isolate_advice(text[start:end])}"
    )


def isolate_advice(run: str) -> str:
    """How to wrap ``run`` in the first-strong isolates U+2068…U+2069 in YAML: the escapes, which only a text in
    double quotes reads, so that the file shows what is there."""
    return f'wrap it in the isolates U+2068…U+2069, typed in double quotes as "\\u2068{run}\\u2069"'


# --- WhatsApp template variables ------------------------------------------------------------------------

_VARIABLE = re.compile(r"(?<!\{)\{\{([1-9][0-9]*)\}\}(?!\})")
_BRACED = re.compile(r"\{+[^{}\n]{0,40}\}+|\{+|\}+")
_BLANK = re.compile(r"\s*")
_EXAMPLE = "{{1}}, {{2}}, …"


def _var(number: int) -> str:
    return "{{" + str(number) + "}}"


def _malformed(token: str) -> str:
    inner = token.strip("{} \t")
    if inner.isdigit() and int(inner) == 0:
        return f"{token!r} is not allowed; variables start at {_var(1)}"
    if inner.isdigit():
        return f"{token!r} is malformed; write {_var(int(inner))}"
    if not inner:
        return f"{token!r} is a stray brace; WhatsApp variables are written {_EXAMPLE}"
    return f"{token!r} is malformed; WhatsApp variables are numbered {_EXAMPLE}"


def check_whatsapp_variables(body: str, samples: Mapping[str, str] | None) -> list[str]:
    """Every problem with the ``{{n}}`` variables of a WhatsApp template body, one message each.

    Variables are ``{{1}}`` … ``{{k}}`` without gaps; the body may not start or end with one, two may not
    stand next to each other (nothing but blanks between them), and with ``samples`` each needs a value.
    """
    problems: list[str] = []
    variables = list(_VARIABLE.finditer(body))
    masked = _VARIABLE.sub(lambda m: "\n" * len(m.group(0)), body)
    problems += [_malformed(m.group(0)) for m in _BRACED.finditer(masked)]

    numbers = sorted({int(m.group(1)) for m in variables})
    highest = numbers[-1] if numbers else 0
    for missing in sorted(set(range(1, highest + 1)) - set(numbers)):
        problems.append(
            f"{_var(missing)} is missing: number the variables {_var(1)} to {_var(highest)} without gaps"
        )
    if variables and variables[0].start() == len(body) - len(body.lstrip()):
        problems.append(f"the body starts with {variables[0].group(0)}; put text before the first variable")
    if variables and variables[-1].end() == len(body.rstrip()):
        problems.append(f"the body ends with {variables[-1].group(0)}; put text after the last variable")
    for left, right in itertools.pairwise(variables):
        if _BLANK.fullmatch(body, left.end(), right.start()):
            problems.append(
                f"{left.group(0)} and {right.group(0)} are next to each other; put words between them"
            )
    if samples is not None:
        for number in numbers:
            value = samples.get(str(number))
            if value is None or not value.strip():
                problems.append(f"{_var(number)} has no sample value; WhatsApp needs one for every variable")
        for key in samples:
            if not (key.isdigit() and int(key) in numbers):
                problems.append(f"sample {key!r} belongs to no variable in the body")
    return problems


# --- the project's own placeholders ---------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


def placeholders(text: str) -> set[str]:
    """Names written ``{name}`` (single braces) in ``text``; ``{{...}}`` and ``{% ... %}`` are not ours."""
    return {match.group(1) for match in _PLACEHOLDER.finditer(text)}


def fill(text: str, **values: str) -> str:
    """``text`` with each ``{name}`` given in ``values`` replaced once, literally; nothing else changes."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        return values[name] if name in values else match.group(0)

    return _PLACEHOLDER.sub(substitute, text)


# --- characters a person cannot see ---------------------------------------------------------------------

# Format characters a message may hold: the direction marks and isolates check_bidi recommends, and the
# zero-width (non-)joiners that Persian, Indic scripts and emoji sequences need.
MESSAGE_FORMATTING = frozenset("\u200e\u200f\u061c\u2066\u2067\u2068\u2069\u200c\u200d")
_CONTROL_NAMES = {
    0x00: "NUL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0A: "LINE FEED", 0x0B: "LINE TABULATION",
    0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE",
}  # fmt: skip


@dataclass(frozen=True)
class Hidden:
    """The first character of a kind a person cannot see in a text, and how many of that kind the text has."""

    index: int
    char: str
    kind: Literal["control", "invisible"]
    count: int


def _kind(char: str) -> Literal["control", "invisible"] | None:
    category = unicodedata.category(char)
    if category in ("Cc", "Cs", "Zl", "Zp"):  # controls, lone surrogates, line and paragraph separators
        return "control"
    if category == "Cf":
        return "invisible"
    return None


def hidden_characters(text: str, *, allowed: frozenset[str] = frozenset()) -> list[Hidden]:
    """Control characters and invisible formatting characters in ``text`` (those in ``allowed`` apart): the
    first of each kind, with the count of that kind. Cheap for ordinary text, which has neither."""
    if text.isprintable():
        return []
    first: dict[Literal["control", "invisible"], int] = {}
    counts: dict[Literal["control", "invisible"], int] = {}
    for index, char in enumerate(text):
        if char in allowed or char.isprintable():
            continue
        kind = _kind(char)
        if kind is not None:
            first.setdefault(kind, index)
            counts[kind] = counts.get(kind, 0) + 1
    return [
        Hidden(index, text[index], kind, counts[kind])
        for index, kind in sorted((i, k) for k, i in first.items())
    ]


def describe(char: str) -> str:
    """``U+200B (ZERO WIDTH SPACE)``."""
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "a control character")
    return f"U+{ord(char):04X} ({name})"
