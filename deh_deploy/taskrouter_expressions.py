"""TaskRouter's expression language: a tokenizer and a recursive-descent parser to a small syntax tree.

Queues' ``TargetWorkers`` and a workflow's filter and target expressions are written in it. Twilio refuses a
queue or workflow whose expression does not parse, so the sandbox parses them as Twilio does and ``deh validate``
parses the rendered ones before anything reaches Twilio. Standard library only: the sandbox and the validator
import it.

The grammar, from Twilio's "TaskRouter expression syntax" page (twilio.com/docs/taskrouter/expression-syntax) and
the workflow configuration pages, with the operators' spellings the docs and Twilio's changelog use::

    expression  := disjunction END
    disjunction := conjunction (("OR" | "||") conjunction)*
    conjunction := term (("AND" | "&&") term)*
    term        := "(" disjunction ")" | operand operator operand
    operator    := "==" | "=" | "!=" | ">" | ">=" | "<" | "<=" | "IN" | "NOT IN" | "HAS" | "->" | "CONTAINS" | "*>"
    operand     := STRING | NUMBER | "true" | "false" | "null" | KEY | "[" (constant ("," constant)*)? "]"
    KEY         := NAME ("." NAME | "[" DIGITS "]")*          (``task.``/``worker.``/``taskrouter.`` are keys too)

Strings are single- or double-quoted; numbers integers or decimals; keywords are case-insensitive (the changelog
writes ``activity_name in [...]`` and ``contains``). Scalar operators compare two scalars, never an array
literal; ``IN``/``NOT IN`` want an array (a literal or a key) on the right, ``HAS`` one on the left. "Hyphens
are not supported" (the docs): a key may not hold one; inside a quoted string one is text (the DEH convention's
``language*uk-ua`` skills are quoted strings). There is no ``NOT`` on its own and no bare key as a condition:
``1 == 1`` is how every worker is matched.
"""

from __future__ import annotations

import functools
import re
from typing import Literal as TypingLiteral
from typing import NamedTuple

from deh_deploy.errors import DehError

Scalar = str | int | float | bool | None
Op = TypingLiteral["==", "!=", ">", ">=", "<", "<=", "IN", "NOT IN", "HAS", "CONTAINS"]
SCALAR_OPS = frozenset({"==", "!=", ">", ">=", "<", "<="})
ALIASES = {"=": "==", "->": "HAS", "*>": "CONTAINS"}


class ExpressionError(DehError):
    """An expression that does not parse; ``offset`` is where, counted in characters from 0."""

    def __init__(self, message: str, *, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset

    def __str__(self) -> str:
        return f"{self.message} at character {self.offset + 1}"


class _Node:
    """An immutable syntax-tree node compared by type and fields. Plain slotted classes, not dataclasses: the
    module is imported by ``deh validate``, and a dataclass costs about a millisecond to define."""

    __slots__: tuple[str, ...] = ()

    def __init__(self, *values: object) -> None:
        for name, value in zip(self.__slots__, values, strict=True):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _fields(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._fields()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self._fields()))})"


class Constant(_Node):
    __slots__ = ("value",)
    value: Scalar

    def __init__(self, value: Scalar) -> None:
        super().__init__(value)


class Key(_Node):
    __slots__ = ("path",)
    path: tuple[str | int, ...]  # names and array indices: ``object.array[2]`` is ("object", "array", 2)

    def __init__(self, path: tuple[str | int, ...]) -> None:
        super().__init__(path)

    def __str__(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out


class Array(_Node):
    __slots__ = ("items",)
    items: tuple[Scalar, ...]

    def __init__(self, items: tuple[Scalar, ...]) -> None:
        super().__init__(items)


Operand = Constant | Key | Array


class Comparison(_Node):
    __slots__ = ("left", "op", "right")
    left: Operand
    op: Op
    right: Operand

    def __init__(self, left: Operand, op: Op, right: Operand) -> None:
        super().__init__(left, op, right)


class Logical(_Node):
    __slots__ = ("op", "terms")
    op: TypingLiteral["AND", "OR"]
    terms: tuple[Expression, ...]

    def __init__(self, op: TypingLiteral["AND", "OR"], terms: tuple[Expression, ...]) -> None:
        super().__init__(op, terms)


Expression = Comparison | Logical

_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<string>"[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*')
      | (?P<number>-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?![A-Za-z_]))
      | (?P<op>==|!=|>=|<=|->|\*>|&&|\|\||[=<>()\[\],.])
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)
_KEYWORDS = frozenset({"AND", "OR", "IN", "NOT", "HAS", "CONTAINS", "TRUE", "FALSE", "NULL"})


class _Tok(NamedTuple):
    kind: str  # string, number, op, name, keyword, end
    text: str
    at: int


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    at = 0
    while at < len(text):
        m = _TOKEN.match(text, at)
        if m is None:
            why = ": TaskRouter supports hyphens only inside quoted strings" if text[at] == "-" else ""
            raise ExpressionError(f"unexpected {text[at]!r}{why}", offset=at)
        kind = m.lastgroup or ""
        if kind != "space":
            word = m.group()
            if kind == "name" and word.upper() in _KEYWORDS:
                out.append(_Tok("keyword", word.upper(), at))
            else:
                out.append(_Tok(kind, word, at))
        at = m.end()
    out.append(_Tok("end", "", len(text)))
    return out


def _unquote(token: str) -> str:
    return re.sub(r"\\(.)", r"\1", token[1:-1])


class _Parser:
    def __init__(self, text: str) -> None:
        self.toks = _tokens(text)
        self.i = 0

    @property
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def fail(self, expected: str) -> ExpressionError:
        tok = self.tok
        found = "the end" if tok.kind == "end" else repr(tok.text)
        return ExpressionError(f"expected {expected}, found {found}", offset=tok.at)

    def is_(self, *texts: str) -> bool:
        return self.tok.kind in ("op", "keyword") and self.tok.text in texts

    def expression(self) -> Expression:
        if self.tok.kind == "end":
            raise ExpressionError("empty expression", offset=0)
        expr = self.disjunction()
        if self.tok.kind != "end":
            raise self.fail("AND, OR or the end")
        return expr

    def disjunction(self) -> Expression:
        terms = [self.conjunction()]
        while self.is_("OR", "||"):
            self.take()
            terms.append(self.conjunction())
        return terms[0] if len(terms) == 1 else Logical("OR", tuple(terms))

    def conjunction(self) -> Expression:
        terms = [self.term()]
        while self.is_("AND", "&&"):
            self.take()
            terms.append(self.term())
        return terms[0] if len(terms) == 1 else Logical("AND", tuple(terms))

    def term(self) -> Expression:
        if self.is_("("):
            self.take()
            inner = self.disjunction()
            if not self.is_(")"):
                raise self.fail("')'")
            self.take()
            return inner
        start = self.tok.at
        left = self.operand()
        op = self.operator()
        right = self.operand()
        _check_sides(left, op, right, offset=start)
        return Comparison(left, op, right)

    def operator(self) -> Op:
        tok = self.tok
        if tok.kind in ("op", "keyword"):
            text = ALIASES.get(tok.text, tok.text)
            if text == "NOT":
                self.take()
                if not self.is_("IN"):
                    raise self.fail("IN after NOT")
                self.take()
                return "NOT IN"
            if text in SCALAR_OPS or text in ("IN", "HAS", "CONTAINS"):
                self.take()
                return text  # type: ignore[return-value]
        raise self.fail("a comparison operator (==, !=, >, <, >=, <=, IN, NOT IN, HAS, CONTAINS)")

    def constant(self) -> Scalar:
        tok = self.tok
        if tok.kind == "string":
            self.take()
            return _unquote(tok.text)
        if tok.kind == "number":
            self.take()
            return float(tok.text) if "." in tok.text else int(tok.text)
        if tok.kind == "keyword" and tok.text in ("TRUE", "FALSE", "NULL"):
            self.take()
            return {"TRUE": True, "FALSE": False, "NULL": None}[tok.text]
        raise self.fail("a string, a number, true, false or null")

    def operand(self) -> Operand:
        tok = self.tok
        if tok.kind == "name":
            return self.key()
        if self.is_("["):
            self.take()
            items: list[Scalar] = []
            if not self.is_("]"):
                items.append(self.constant())
                while self.is_(","):
                    self.take()
                    items.append(self.constant())
            if not self.is_("]"):
                raise self.fail("',' or ']'")
            self.take()
            return Array(tuple(items))
        if tok.kind in ("string", "number") or (
            tok.kind == "keyword" and tok.text in ("TRUE", "FALSE", "NULL")
        ):
            return Constant(self.constant())
        raise self.fail("a constant, a key or an array")

    def key(self) -> Key:
        path: list[str | int] = [self.take().text]
        while self.is_(".", "["):
            if self.take().text == ".":
                if self.tok.kind not in ("name", "keyword"):
                    raise self.fail("a key name after '.'")
                path.append(self.take().text)
            else:
                tok = self.tok
                if tok.kind != "number" or not tok.text.isdigit():
                    raise self.fail("an array index")
                self.take()
                path.append(int(tok.text))
                if not self.is_("]"):
                    raise self.fail("']'")
                self.take()
        return Key(tuple(path))


def _check_sides(left: Operand, op: Op, right: Operand, *, offset: int) -> None:
    """Which side of each operator may be an array literal (Twilio: scalar operators compare two scalars)."""
    if op in SCALAR_OPS or op == "CONTAINS":
        if isinstance(left, Array) or isinstance(right, Array):
            raise ExpressionError(f"{op} compares scalars, not an array", offset=offset)
    elif op in ("IN", "NOT IN"):
        if isinstance(left, Array) or isinstance(right, Constant):
            raise ExpressionError(f"{op} wants a value on the left and an array on the right", offset=offset)
    elif isinstance(left, Constant) or isinstance(right, Array):
        raise ExpressionError("HAS wants an array on the left and a value on the right", offset=offset)


def parse(text: str) -> Expression:
    """The syntax tree of a TaskRouter expression; raises ExpressionError where it does not parse."""
    return _Parser(text).expression()


def problem(text: object) -> str | None:
    """Why ``text`` is not a TaskRouter expression (one line), or None when it parses."""
    if not isinstance(text, str):
        return "an expression must be a string"
    return _problem(text)


@functools.lru_cache(maxsize=4096)
def _problem(text: str) -> str | None:
    # A workflow repeats its few expressions in many filters and targets, and validate checks many hubs in one
    # process: the answer depends on the text alone.
    try:
        parse(text)
    except ExpressionError as exc:
        return str(exc)
    return None


def keys(expr: Expression) -> list[Key]:
    """The JSON keys an expression reads, in order."""
    if isinstance(expr, Logical):
        return [k for term in expr.terms for k in keys(term)]
    return [side for side in (expr.left, expr.right) if isinstance(side, Key)]
