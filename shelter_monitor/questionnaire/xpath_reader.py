"""XPath of an XLSForm's `relevant` and `constraint` read back into the condition language: the subset that
xpath.py writes, and what a person editing the form is likely to write in it.

    expr       := and_expr ("or" and_expr)*
    and_expr   := unary ("and" unary)*
    unary      := "not(" expr ")" | "(" expr ")" | "true()" | "false()" | "selected(" value "," string ")"
                | value (= != < <= > >=) value
    value      := ${code} | . | number(value) | date(value) | coalesce(value, number) | count-selected(value)
                | string-length(value) | today() | 'text' | number | value (+ value)*

The known-value guards xpath.py adds (`${X} != ''` beside a comparison reading X) are dropped, and `not(not(P))`
is P: for `relevant` (shown when definitely true) and `constraint` (broken when definitely false) the condition
read back behaves as the one compiled. Values are typed by the question they are compared with: `'yes'` against
a yes/no question is true, a number against a number question is a number.
"""
import re
from collections.abc import Mapping, Sequence
from typing import Any

from shelter_monitor.questionnaire.conditions import referenced_codes
from shelter_monitor.questionnaire.model import NUMBER_TYPES
from shelter_monitor.questionnaire.xpath import PART_SEPARATOR

TOKEN = re.compile(r"\s*(?:(?P<ref>\$\{[^}]+\})|(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")"
                   r"|(?P<op><=|>=|!=|=|<|>|\+)|(?P<punct>[(),]|\.(?![\w]))|(?P<name>[A-Za-z][\w.-]*))")
OPS = {"=": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
MIRROR = {"lt": "gt", "le": "ge", "gt": "lt", "ge": "le", "eq": "eq", "ne": "ne"}
BOOL_TEXT = {"yes": True, "no": False}
WRAPPERS = ("number", "date", "coalesce")


class XPathError(ValueError):
    """The expression is outside the subset read here; the message says where."""


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise XPathError(f"cannot read '{text[position:].strip()[:20]}'")
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Reader:
    def __init__(self, text: str, own_code: str | None, types: Mapping[str, str],
                 sources: Mapping[str, Sequence[str]]):
        self.tokens = _tokens(text)
        self.at = 0
        self.own_code = own_code
        self.types = types
        self.sources = sources

    def peek(self, value: str | None = None) -> bool:
        if self.at >= len(self.tokens):
            return False
        return value is None or self.tokens[self.at][1] == value

    def take(self, value: str | None = None) -> tuple[str, str]:
        if not self.peek(value):
            found = self.tokens[self.at][1] if self.at < len(self.tokens) else "the end"
            raise XPathError(f"expected '{value}', found '{found}'" if value else "unexpected end")
        self.at += 1
        return self.tokens[self.at - 1]

    def expression(self) -> dict:
        parts = [self.conjunction()]
        while self.peek("or"):
            self.take()
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else {"any": parts}

    def conjunction(self) -> dict:
        parts = [self.unary()]
        while self.peek("and"):
            self.take()
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else {"all": parts}

    def unary(self) -> dict:
        if self.peek("not") and self.tokens[self.at + 1:self.at + 2] == [("punct", "(")]:
            self.take()
            self.take("(")
            inner = self.expression()
            self.take(")")
            return {"not": inner}
        if self.peek("(") and not self._starts_value_group():
            self.take()
            inner = self.expression()
            self.take(")")
            return inner
        if self.peek("selected"):
            self.take()
            self.take("(")
            code = self.code(self.value())
            self.take(",")
            kind, text = self.take()
            if kind != "str":
                raise XPathError("selected() needs a choice value in quotes")
            self.take(")")
            return {"q": code, "has": text[1:-1]}
        left = self.value()
        if not self.peek() or self.tokens[self.at][1] not in OPS:
            raise XPathError("expected a comparison (= != < <= > >=)")
        op = OPS[self.take()[1]]
        return self.comparison(left, op, self.value())

    def _starts_value_group(self) -> bool:
        """A parenthesis that opens a sum, "(${a} + ${b}) > 3", rather than a condition."""
        depth, index = 0, self.at
        while index < len(self.tokens):
            value = self.tokens[index][1]
            depth += {"(": 1, ")": -1}.get(value, 0)
            if depth == 0:
                return index + 1 < len(self.tokens) and self.tokens[index + 1][1] in OPS
            if depth == 1 and value in ("and", "or") or (value in OPS and value != "+"):
                return False
            index += 1
        return False

    def value(self) -> Any:
        parts = [self.quotient()]
        while self.peek("+"):
            self.take()
            parts.append(self.quotient())
        if len(parts) == 1:
            return parts[0]
        if not all(isinstance(p, dict) and set(p) == {"q"} for p in parts):
            raise XPathError("only answers can be added up")
        return self.shares([p["q"] for p in parts]) or {"sum": [p["q"] for p in parts]}

    def quotient(self) -> Any:
        top = self.term()
        if not self.peek("div"):
            return top
        self.take()
        return {"ratio": [self.code(top), self.code(self.term())]}

    def shares(self, names: list[str]) -> dict | None:
        """Parts of one shares question added up ("I1.donor + I1.io"): its total, or the share of some sources."""
        owners = {name.split(PART_SEPARATOR, 1)[0] for name in names}
        if len(owners) != 1 or self.types.get(next(iter(owners))) != "shares":
            return None
        code = owners.pop()
        keys = [name.split(PART_SEPARATOR, 1)[1] for name in names]
        return {"total": code} if keys == list(self.sources.get(code, ())) else {"shares": code, "keys": keys}

    def term(self) -> Any:
        kind, text = self.take()
        if kind == "ref":
            return {"q": text[2:-1]}
        if text == ".":
            if self.own_code is None:
                raise XPathError("'.' (the answer itself) belongs in a constraint")
            return {"q": self.own_code}
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "str":
            return text[1:-1]
        if text == "(":
            inner = self.value()
            self.take(")")
            return inner
        if kind == "name" and self.peek("("):
            return self.call(text)
        raise XPathError(f"unexpected '{text}'")

    def call(self, name: str) -> Any:
        if name not in (*WRAPPERS, "today", "count-selected", "string-length"):
            raise XPathError(f"the function {name}() is not supported")
        self.take("(")
        if name == "today":
            self.take(")")
            return {"ctx": "today"}
        inner = self.value()
        if name == "coalesce":
            self.take(",")
            self.value()
        self.take(")")
        if name in WRAPPERS:
            return inner
        return {"count" if name == "count-selected" else "length": self.code(inner)}

    @staticmethod
    def code(value: Any) -> str:
        if not isinstance(value, dict) or set(value) != {"q"}:
            raise XPathError("expected an answer (${name} or .)")
        return value["q"]

    def comparison(self, left: Any, op: str, right: Any) -> dict:
        if not isinstance(left, dict):
            left, right, op = right, left, MIRROR[op]
        if not isinstance(left, dict):
            raise XPathError("a comparison needs an answer on one side")
        left = self.shares([left["q"]]) or left if set(left) == {"q"} else left
        if isinstance(right, dict) and set(right) == {"q"}:
            right = self.shares([right["q"]]) or right
        if "length" in left:
            raise XPathError("string-length() is a limit of the answer itself (write it as a constraint)")
        if right == "" and set(left) == {"q"} and op in ("eq", "ne"):
            return {"q": left["q"], "answered": op == "ne"}
        return {**left, op: self.typed(left, right)}

    def typed(self, left: dict, right: Any) -> Any:
        kind = self.types.get(left.get("q", ""))
        if kind == "bool" and right in BOOL_TEXT:
            return BOOL_TEXT[right]
        if kind in NUMBER_TYPES and isinstance(right, str):
            raise XPathError(f"{left['q']} is a number; compare it with a number")
        return right


def _simplified(condition: Any) -> Any:
    if not isinstance(condition, dict):
        return condition
    if "not" in condition:
        inner = _simplified(condition["not"])
        return inner["not"] if isinstance(inner, dict) and set(inner) == {"not"} else {"not": inner}
    for key in ("all", "any"):
        if key in condition:
            parts = [_simplified(p) for p in condition[key]]
            if key == "all":
                parts = _without_guards(parts)
            return parts[0] if len(parts) == 1 else {key: parts}
    return condition


def _without_guards(parts: list) -> list:
    """Drop the guards xpath.py writes beside a part reading the same question (`X answered`, any part of a
    shares question answered, a ratio's denominator not 0): that part is unknown there anyway."""
    read: set[str] = set()
    for part in parts:
        if not _guarded_codes(part):
            read |= referenced_codes(part) if not _ratio_guard(part) else set()
    divided = set().union(*(_denominators(p) for p in parts))
    return [p for p in parts if not ((_guarded_codes(p) and _guarded_codes(p) <= read)
                                     or (_ratio_guard(p) and p["q"] in divided))]


def _ratio_guard(part: Any) -> bool:
    return isinstance(part, dict) and set(part) == {"q", "ne"} and part["ne"] == 0 and part["ne"] is not False


def _denominators(condition: Any) -> set[str]:
    if isinstance(condition, dict):
        own = {condition["ratio"][1]} if "ratio" in condition else set()
        return own.union(*(_denominators(v) for v in condition.values()))
    if isinstance(condition, list):
        return set().union(*(_denominators(v) for v in condition))
    return set()


def _guarded_codes(part: Any) -> set[str]:
    """The questions a guard is about (their owner for the parts of a shares question); empty if no guard."""
    if not isinstance(part, dict):
        return set()
    if set(part) == {"q", "answered"} and part["answered"] is True:
        return {part["q"].split(PART_SEPARATOR, 1)[0]}
    if set(part) in ({"any"}, {"all"}):
        codes = [_guarded_codes(p) for p in part.get("any", part.get("all"))]
        return set().union(*codes) if all(codes) else set()
    return set()


def read_xpath(text: str, types: Mapping[str, str], sources: Mapping[str, Sequence[str]] | None = None,
               own_code: str | None = None) -> dict:
    """The condition an XPath expression says; `types` maps each question code to its type, `sources` each
    shares question to its sources, `own_code` is the question `.` stands for (in a constraint). Raises
    XPathError."""
    reader = _Reader(text, own_code, types, sources or {})
    condition = reader.expression()
    if reader.peek():
        raise XPathError(f"unexpected '{reader.tokens[reader.at][1]}'")
    return _simplified(condition)
