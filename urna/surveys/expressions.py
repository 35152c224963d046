"""A small, safe subset of the XLSForm expression language, for ``relevant`` and ``constraint``.

What ODK and KoboToolbox users write: ``${q} = 'x'``, ``${q} != 'x'``, ``selected(${q}, 'x')``,
``count-selected(${q}) >= 2``, ``${n} > 3``, ``. >= 18 and . <= 120`` (``.`` is the answer being
checked), ``not(...)``, ``and``, ``or``, parentheses, numbers and quoted strings; ``string-length``
too. Parsed by a recursive-descent parser into tuples and evaluated by walking them: no ``eval``,
no attribute access, nothing but these forms. Anything else is an ``ExpressionError`` at import
time, so a form that cannot be followed is refused before anyone answers it.

Values follow XPath's loose typing: an unanswered question is the empty string; two values
compare as numbers when both read as numbers, else as strings; a comparison with an empty
value is false (so ``${n} > 3`` is false until ``n`` is answered).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

TOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[A-Za-z_][\w.-]*\})|(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")"
    r"|(?P<op>!=|>=|<=|=|>|<|\(|\)|,)|(?P<word>[A-Za-z][\w-]*)|(?P<dot>\.))"
)
COMPARISONS = {"=", "!=", ">", ">=", "<", "<="}
FUNCTIONS = {"selected": 2, "count-selected": 1, "not": 1, "string-length": 1}


class ExpressionError(ValueError):
    pass


def _tokens(text: str) -> list[tuple[str, str]]:
    out, position = [], 0
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"unexpected {text[position : position + 10]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        position = match.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.i = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token[0] == "end" or (value is not None and token[1] != value):
            raise ExpressionError(f"expected {value or 'a value'}, found {token[1] or 'the end'}")
        self.i += 1
        return token

    def parse(self) -> tuple:
        tree = self.disjunction()
        if self.peek()[0] != "end":
            raise ExpressionError(f"unexpected {self.peek()[1]!r}")
        return tree

    def disjunction(self) -> tuple:
        tree = self.conjunction()
        while self.peek() == ("word", "or"):
            self.take()
            tree = ("or", tree, self.conjunction())
        return tree

    def conjunction(self) -> tuple:
        tree = self.comparison()
        while self.peek() == ("word", "and"):
            self.take()
            tree = ("and", tree, self.comparison())
        return tree

    def comparison(self) -> tuple:
        tree = self.operand()
        if self.peek()[0] == "op" and self.peek()[1] in COMPARISONS:
            operator = self.take()[1]
            tree = ("cmp", operator, tree, self.operand())
        return tree

    def operand(self) -> tuple:
        kind, value = self.take()
        if kind == "ref":
            return ("ref", value[2:-1])
        if kind == "num":
            return ("lit", value)
        if kind == "str":
            return ("lit", value[1:-1])
        if kind == "dot":
            return ("dot",)
        if kind == "op" and value == "(":
            tree = self.disjunction()
            self.take(")")
            return tree
        if kind == "word" and value in FUNCTIONS and self.peek() == ("op", "("):
            return self.call(value)
        if kind == "word" and value in {"true", "false"} and self.peek() == ("op", "("):
            self.take("(")
            self.take(")")
            return ("lit", value == "true")
        raise ExpressionError(f"unknown {value!r}")

    def call(self, name: str) -> tuple:
        self.take("(")
        args = [self.disjunction()]
        while self.peek() == ("op", ","):
            self.take()
            args.append(self.disjunction())
        self.take(")")
        if len(args) != FUNCTIONS[name]:
            raise ExpressionError(f"{name}() takes {FUNCTIONS[name]} arguments")
        return ("call", name, *args)


@lru_cache(maxsize=4096)
def parse(text: str) -> tuple | None:
    """The tree of an expression (None for an empty one); raises ExpressionError."""
    if not text or not text.strip():
        return None
    return _Parser(_tokens(text)).parse()


def references(text: str) -> set[str]:
    """The question names an expression reads."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, tuple):
            if node and node[0] == "ref":
                found.add(node[1])
            for child in node[1:]:
                walk(child)

    walk(parse(text))
    return found


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _compare(operator: str, left: Any, right: Any) -> bool:
    if left in ("", None) or right in ("", None):
        # XPath: an empty value equals only the empty string, and orders with nothing.
        if operator in {"=", "!="}:
            same = _as_text(left) == _as_text(right)
            return same if operator == "=" else not same
        return False
    a, b = _number(left), _number(right)
    if a is None or b is None:
        a, b = _as_text(left), _as_text(right)
    return {
        "=": a == b,
        "!=": a != b,
        ">": a > b,
        ">=": a >= b,
        "<": a < b,
        "<=": a <= b,
    }[operator]


def _truth(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    number = _number(value)
    if number is not None:
        return number != 0
    return bool(_as_text(value))


def _evaluate(node: tuple, answers: Mapping[str, Any], current: Any) -> Any:
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "ref":
        return answers.get(node[1], "")
    if kind == "dot":
        return "" if current is None else current
    if kind == "and":
        return _truth(_evaluate(node[1], answers, current)) and _truth(
            _evaluate(node[2], answers, current)
        )
    if kind == "or":
        return _truth(_evaluate(node[1], answers, current)) or _truth(
            _evaluate(node[2], answers, current)
        )
    if kind == "cmp":
        left = _evaluate(node[2], answers, current)
        return _compare(node[1], left, _evaluate(node[3], answers, current))
    name, args = node[1], [_evaluate(arg, answers, current) for arg in node[2:]]
    if name == "not":
        return not _truth(args[0])
    if name == "selected":
        chosen = args[0] if isinstance(args[0], list) else _as_text(args[0]).split()
        return _as_text(args[1]) in [str(c) for c in chosen]
    if name == "count-selected":
        return len(args[0]) if isinstance(args[0], list) else len(_as_text(args[0]).split())
    return len(_as_text(args[0]))  # string-length


def evaluate(text: str, answers: Mapping[str, Any], current: Any = None) -> bool:
    """Whether an expression holds for the answers so far (an empty expression always does)."""
    tree = parse(text)
    return True if tree is None else _truth(_evaluate(tree, answers, current))


def bounds(text: str) -> tuple[float | None, float | None]:
    """``. >= a and . <= b`` (either side optional): the (min, max) a constraint states, so a
    number question shows and checks its range; (None, None) for any other shape."""
    tree = parse(text)
    low = high = None
    parts = [tree]
    while parts:
        node = parts.pop()
        if node is None:
            continue
        if node[0] == "and":
            parts += [node[1], node[2]]
        elif node[0] == "cmp" and node[2] == ("dot",) and node[3][0] == "lit":
            value = _number(node[3][1])
            if node[1] in {">=", ">"}:
                low = value
            elif node[1] in {"<=", "<"}:
                high = value
    return low, high
