"""YAML syntax errors in a trainer's words: what is wrong, where it really is, and how to fix it.

The parser reports where it gave up, in its own terms ("did not find expected key"), often lines after the cause:
an unclosed quote swallows the next line, an apostrophe ends a single-quoted text early, a colon turns text into a
key. :func:`explain` looks at the text and the tokens read before the error to find the first cause, and says it
in one line at that cause's line and column. What it does not recognise keeps the parser's own words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["Explained", "explain"]

_KEY_LINE = re.compile(r"[ \t]*(- |[^\s#:'\"-][^:#]*:(\s|$))")  # a line that starts with "key:" or "- "
_CLIP = 50


@dataclass(frozen=True)
class Explained:
    line: int  # 1-based
    col: int
    message: str


def key_path(text: str, line: int) -> tuple[str, ...]:
    """The keys leading to ``line`` (1-based), read from the indentation of the lines above it: its own key when
    it starts with one, then each less indented ``key:`` line above. A broken file has no parse to ask, and the
    path says where a trainer is in terms they wrote. Inside a list it names the list, whose index the lines do
    not say; a tab counts as 8 columns, as editors show it."""
    lines = text.split("\n")[: max(line, 0)]
    path: list[str] = []
    limit: int | None = None
    for number in range(len(lines) - 1, -1, -1):
        written = lines[number].expandtabs(8)
        stripped = written.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(written) - len(stripped)
        if limit is not None and indent >= limit:
            continue
        if stripped.startswith("- ") or stripped == "-":
            path, limit = [], indent  # what is inside the item needs its index: name the list instead
            continue
        key = _KEY.match(stripped)
        if key is None:
            if limit is None:
                limit = indent
            continue
        path.append(key.group(1).strip("'\""))
        limit = indent
        if indent == 0:
            break
    return tuple(reversed(path))


_KEY = re.compile(r"""("[^"]*"|'[^']*'|[^\s#:'"][^:#]*?)\s*:(\s|$)""")


def explain(text: str, exc: yaml.MarkedYAMLError, *, loader: type[Any]) -> Explained:
    """The first cause of a syntax error, in plain words with the fix, at its own line and column."""
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Explained(0, 0, f"invalid YAML: {exc.problem or exc.context or 'invalid YAML'}")
    problem = str(exc.problem or "").strip()
    context = str(exc.context or "")
    at = Explained(mark.line + 1, mark.column + 1, f"invalid YAML: {problem or context or 'invalid YAML'}")
    tab = _tab(text, mark.index, mark.line)
    if tab is not None:
        return Explained(mark.line + 1, tab + 1, _TAB)
    if "unknown escape" in problem or "expected escape sequence" in problem:
        return Explained(mark.line + 1, mark.column + 1, _ESCAPE)
    if "quoted scalar" in context and exc.context_mark is not None:
        start = exc.context_mark
        quote = text[start.index]
        return Explained(start.line + 1, start.column + 1, _unclosed(quote))
    last = _last_scalar(text, mark.index, loader=loader)
    if last is not None and last.style in ("'", '"'):
        found = _quote_problem(text, last, mark)
        if found is not None:
            return found
    if problem.startswith("mapping values are not allowed"):
        if last is not None and not last.style and last.start_mark.line == mark.line:
            return Explained(mark.line + 1, mark.column + 1, _colon(text, last.start_mark.index))
        return _indentation(text, mark.line)
    if "expected '-' indicator" in problem:
        return Explained(mark.line + 1, mark.column + 1, _NOT_AN_ITEM)
    if problem.startswith("did not find expected key"):
        return _indentation(text, mark.line)
    if problem.startswith(("did not find expected ',' or ']'", "did not find expected ',' or '}'")):
        opened = exc.context_mark or mark
        close = "]" if problem.endswith("']'") else "}"
        return Explained(opened.line + 1, opened.column + 1, _unclosed_flow(text[opened.index], close))
    return at


_NOT_AN_ITEM = (
    "wrong indentation: this line is not a list item, but the lines above it at this indentation are (they"
    " start with -); start it with '- ', or indent it like the key above the list"
)
_TAB = "a tab in the indentation: YAML indents with spaces only; replace the tab with spaces"
_ESCAPE = (
    "a backslash in a text in double quotes starts an escape such as \\n or \\u2068; write \\\\ for a"
    " backslash, or put the text in single quotes"
)


def _tab(text: str, index: int, line: int) -> int | None:
    """The column (0-based) of a tab in the leading whitespace of the error's line, if the error is there."""
    start = text.rfind("\n", 0, index) + 1
    indent = re.match(r"[ \t]*", text[start:])
    assert indent is not None
    if "\t" in indent.group() and index <= start + indent.end():
        return indent.group().index("\t")
    return None


def _last_scalar(text: str, index: int, *, loader: type[Any]) -> yaml.ScalarToken | None:
    """The last scalar the scanner read before ``index`` (the scanner reads on past a parse error)."""
    last: yaml.ScalarToken | None = None
    try:
        for token in yaml.scan(text, Loader=loader):
            if token.start_mark.index >= index:
                break
            if isinstance(token, yaml.ScalarToken):
                last = token
    except yaml.YAMLError:
        pass
    return last


def _quote_problem(text: str, token: yaml.ScalarToken, mark: Any) -> Explained | None:
    """A quoted text that ended too early (a quote inside it) or too late (its closing quote is missing)."""
    quote = text[token.start_mark.index]
    start, end = token.start_mark, token.end_mark
    if start.line < end.line:
        written = text[start.index : end.index]
        continued = written.split("\n")[1:]
        if any(_KEY_LINE.match(line) for line in continued):
            return Explained(start.line + 1, start.column + 1, _unclosed(quote))
        return None
    between = text[end.index : mark.index]
    if end.line == mark.line and not between.strip() and text[mark.index : mark.index + 1] not in ("#", ""):
        inner = "an apostrophe (')" if quote == "'" else 'a double quote (")'
        fix = (
            "write it twice ('') or put the whole text in double quotes"
            if quote == "'"
            else 'write it as \\" or put the whole text in single quotes'
        )
        return Explained(
            end.line + 1, end.column, f"{inner} inside a text in {_QUOTES[quote]} ends the text early; {fix}"
        )
    return None


_QUOTES = {"'": "single quotes", '"': "double quotes"}


def _unclosed(quote: str) -> str:
    return (
        f"the text opened with {quote} here is not closed on this line; end it with {quote} (without it, the"
        " text runs on into the lines below)"
    )


def _unclosed_flow(opener: str, close: str) -> str:
    what = "list" if close == "]" else "mapping"
    return (
        f"the {what} opened with {opener} here is not closed; end it with {close} on its line (put a text"
        " with a comma or a colon in quotes)"
    )


def _colon(text: str, start: int) -> str:
    """An unquoted text with ``: `` in it: YAML reads a new key there."""
    end = text.find("\n", start)
    value = text[start : end if end >= 0 else len(text)].rstrip()
    value = re.sub(r"\s+#.*$", "", value)
    quoted = json.dumps(value, ensure_ascii=False)
    shown = quoted if len(quoted) <= _CLIP else quoted[: _CLIP - 2] + '…"'
    return (
        f"a colon and a space inside a text without quotes starts a new key; put the text in quotes: {shown}"
    )


def _indentation(text: str, line: int) -> Explained:
    """A line indented by a number of spaces that matches no mapping above it."""
    lines = text.split("\n")
    here = lines[line] if line < len(lines) else ""
    indent = len(here) - len(here.lstrip(" "))
    above = next(
        (
            (n, lines[n])
            for n in range(min(line, len(lines)) - 1, -1, -1)
            if lines[n].strip() and not lines[n].lstrip().startswith("#")
        ),
        None,
    )
    if above is None:
        return Explained(line + 1, indent + 1, "wrong indentation: the first key of the file starts its line")
    n, previous = above
    other = len(previous) - len(previous.lstrip(" "))
    return Explained(
        line + 1,
        indent + 1,
        f"wrong indentation: this line is indented by {_spaces(indent)}, line {n + 1} above it by"
        f" {_spaces(other)}; keys that belong together start in the same column",
    )


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"
