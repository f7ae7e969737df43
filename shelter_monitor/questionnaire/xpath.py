"""Conditions compiled to XPath for XLSForm (ODK Collect, KoboCollect, Enketo): skip logic and checks offline.

The evaluator (conditions.py) is three-valued; an XPath expression is true or false. So every condition compiles
to two expressions: one true when the condition is definitely true, one true when it is definitely false (both
false while it is unknown). A question is relevant when its condition is definitely true (`relevant`, as the web
form shows it), and a check holds unless its condition is definitely false (`constraint`, as validation breaks
it). ODK treats a blank or non-relevant answer as the empty string, the evaluator as absent: both are unknown.

Values as the XForm holds them: a choice by its value, a yes/no question as `yes` / `no`, a multiple choice as
its values separated by spaces, a date as YYYY-MM-DD, a grid row as `CODE.row` and a share as `CODE.source`.
Numbers are read with number() and dates with date() (XPath 1.0 compares strings as numbers), so that Collect,
Enketo and an XPath 2.0 engine in compatibility mode all agree. The round's values (`ctx`) are written in as
literals from the context given, except `today`, which is ODK's today(); a round value the context lacks is
unknown. tests/questionnaire/test_xpath.py runs condition_cases.json through both and compares.
"""
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shelter_monitor.questionnaire.conditions import COMPARISONS, evaluate, referenced_codes
from shelter_monitor.questionnaire.model import NUMBER_TYPES, Definition

__all__ = ["BOOL_VALUES", "PART_SEPARATOR", "CompileError", "constraint", "part_name", "relevant", "truth"]

BOOL_VALUES = {True: "yes", False: "no"}
PART_SEPARATOR = "."  # as the export's columns: "E1.psych", "I1.donor"
TRUE, FALSE = "true()", "false()"
ORDERED = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_STRINGS = ("date", "text")  # what the evaluator holds as str: ordered against anything else, unknown


class CompileError(ValueError):
    """The condition has a shape that has no XPath equivalent here; the message names it."""


@dataclass(frozen=True)
class _Value:
    expr: str    # the value, meaningful only while `known` holds
    known: str   # true when the value is present
    kind: str    # "number", "date", "text", "bool", "list"
    literal: Any = None  # the Python value of a literal side


_UNKNOWN = _Value("''", FALSE, "unknown")  # a round value the context lacks


def part_name(code: str, part: str) -> str:
    """The field holding one grid row or one shares source: "E1.psych"."""
    return f"{code}{PART_SEPARATOR}{part}"


def _ref(name: str) -> str:
    return "${" + name + "}"


def _quote(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    raise CompileError(f"the text {text!r} holds both kinds of quotes")


def _and(*parts: str) -> str:
    if FALSE in parts:
        return FALSE
    kept = [p for p in parts if p != TRUE]
    if not kept:
        return TRUE
    return kept[0] if len(kept) == 1 else " and ".join(f"({p})" for p in kept)


def _or(*parts: str) -> str:
    if TRUE in parts:
        return TRUE
    kept = [p for p in parts if p != FALSE]
    if not kept:
        return FALSE
    return kept[0] if len(kept) == 1 else " or ".join(f"({p})" for p in kept)


def _not(part: str) -> str:
    return {TRUE: FALSE, FALSE: TRUE}.get(part, f"not({part})")


def _present(name: str) -> str:
    return f"{_ref(name)} != ''"


def _literal(value: Any) -> _Value:
    if isinstance(value, bool):
        return _Value(_quote(BOOL_VALUES[value]), TRUE, "bool", value)
    if isinstance(value, (int, float)):
        return _Value(repr(value), TRUE, "number", value)
    if isinstance(value, str):
        return _Value(_quote(value), TRUE, "text", value)
    raise CompileError(f"no XPath for the literal {value!r}")


def _question_value(code: str, definition: Definition) -> _Value:
    question = definition.question(code)
    name = _ref(code)
    if question.type in NUMBER_TYPES:
        return _Value(f"number({name})", _present(code), "number")
    if question.type == "date":
        return _Value(f"date({name})", _present(code), "date")
    if question.type == "bool":
        return _Value(name, _present(code), "bool")
    if question.type == "multi":
        return _Value(name, _present(code), "list")
    if question.type in ("single", "tri", "text"):
        return _Value(name, _present(code), "text")
    raise CompileError(f"{code}: a {question.type} answer cannot be compared as a whole")


def _shares_value(code: str, keys: list[str] | None, definition: Definition) -> _Value:
    question = definition.question(code)
    if question.type != "shares":
        raise CompileError(f"{code} is not a shares question")
    sources = question.choice_values()
    summed = [part_name(code, key) for key in (sources if keys is None else keys) if key in sources]
    expr = " + ".join(f"number(coalesce({_ref(name)}, 0))" for name in summed) or "0"
    return _Value(f"({expr})", _or(*(_present(part_name(code, s)) for s in sources)), "number")


def _operand(spec: Mapping[str, Any], definition: Definition, context: Mapping[str, Any]) -> _Value:
    if "q" in spec:
        return _question_value(spec["q"], definition)
    if "ctx" in spec:
        if spec["ctx"] == "today":
            return _Value("today()", TRUE, "date")
        value = context.get(spec["ctx"])
        return _UNKNOWN if value is None else _literal(value)
    if "sum" in spec:
        parts = [_question_value(code, definition) for code in spec["sum"]]
        return _Value("(" + " + ".join(p.expr for p in parts) + ")", _and(*(p.known for p in parts)), "number")
    if "total" in spec:
        return _shares_value(spec["total"], None, definition)
    if "shares" in spec:
        return _shares_value(spec["shares"], list(spec["keys"]), definition)
    if "count" in spec:
        code = spec["count"]
        return _Value(f"count-selected({_ref(code)})", _present(code), "number")
    if "ratio" in spec:
        top, bottom = (_question_value(code, definition) for code in spec["ratio"])
        return _Value(f"({top.expr} div {bottom.expr})", _and(top.known, bottom.known, f"{bottom.expr} != 0"),
                      "number")
    raise CompileError(f"no operand in {dict(spec)!r}")


def _side(side: Any, definition: Definition, context: Mapping[str, Any]) -> _Value:
    if isinstance(side, Mapping):
        return _operand(side, definition, context)
    return _literal(side)


def _as_date(value: _Value) -> _Value:
    """A text literal compared with a date is a date."""
    if value.kind == "text" and value.literal is not None:
        return _Value(f"date({value.expr})", value.known, "date", value.literal)
    return value


def _ordered(op: str, left: _Value, right: _Value) -> tuple[str, str]:
    if left.kind == "date" or right.kind == "date":
        left, right = _as_date(left), _as_date(right)
    if left.kind != right.kind:
        if (left.kind in _STRINGS) != (right.kind in _STRINGS):
            return FALSE, FALSE  # the evaluator never orders text against a number: unknown
        raise CompileError(f"cannot order a {left.kind} against a {right.kind}")
    if left.kind not in ("number", "date"):
        raise CompileError(f"cannot order {left.kind} values")
    known = _and(left.known, right.known)
    test = f"{left.expr} {ORDERED[op]} {right.expr}"
    return _and(known, test), _and(known, _not(test))


def _equal(left: _Value, right: _Value) -> str:
    if left.kind == "date" or right.kind == "date":
        left, right = _as_date(left), _as_date(right)
    if left.kind != right.kind:
        raise CompileError(f"cannot compare a {left.kind} with a {right.kind}")
    return f"{left.expr} = {right.expr}"


def _choices_test(op: str, left: _Value, wanted: Any) -> str:
    if left.kind != "list":
        raise CompileError(f"'{op}' needs a multiple-choice answer")
    values = [wanted] if op == "has" else list(wanted)
    tests = [f"selected({left.expr}, {_quote(str(value))})" for value in values]
    return _and(*tests) if op == "has_all" else _or(*tests)


def _comparison(condition: Mapping[str, Any], definition: Definition,
                context: Mapping[str, Any]) -> tuple[str, str]:
    op = next(key for key in COMPARISONS if key in condition)
    left = _operand(condition, definition, context)
    if op == "answered":
        present = left.known if condition[op] else _not(left.known)
        return present, _not(present)
    if op == "between":
        low, high = condition[op]
        return _all([_comparison({**_left_only(condition), "ge": low}, definition, context),
                     _comparison({**_left_only(condition), "le": high}, definition, context)])
    if op in ("has", "has_any", "has_all"):
        test = _choices_test(op, left, condition[op])
        return _and(left.known, test), _and(left.known, _not(test))
    if op == "in":
        test = _or(*(_equal(left, _literal(value)) for value in condition[op]))
        return _and(left.known, test), _and(left.known, _not(test))
    right = _side(condition[op], definition, context)
    if FALSE in (left.known, right.known):
        return FALSE, FALSE
    if op in ORDERED:
        return _ordered(op, left, right)
    test = _equal(left, right)
    if op == "ne":
        test = _not(test)
    known = _and(left.known, right.known)
    return _and(known, test), _and(known, _not(test))


def _left_only(condition: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in condition.items() if key not in COMPARISONS}


def _all(parts: list[tuple[str, str]]) -> tuple[str, str]:
    return _and(*(t for t, _ in parts)), _or(*(f for _, f in parts))


def _any(parts: list[tuple[str, str]]) -> tuple[str, str]:
    return _or(*(t for t, _ in parts)), _and(*(f for _, f in parts))


def _reads_today(condition: Any) -> bool:
    if isinstance(condition, Mapping):
        return condition.get("ctx") == "today" or any(_reads_today(value) for value in condition.values())
    return isinstance(condition, list) and any(_reads_today(value) for value in condition)


def _reads_runtime(condition: Mapping[str, Any]) -> bool:
    """Whether the condition reads an answer or today's date (else it is decided when the form is made)."""
    return bool(referenced_codes(condition)) or _reads_today(condition)


def truth(condition: Mapping[str, Any], definition: Definition,
          context: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """(definitely true, definitely false) as two XPath expressions with ${code} references."""
    context = context or {}
    if not _reads_runtime(condition):
        result = evaluate(condition, {}, context)
        return (TRUE if result is True else FALSE), (TRUE if result is False else FALSE)
    if "all" in condition:
        return _all([truth(part, definition, context) for part in condition["all"]])
    if "any" in condition:
        return _any([truth(part, definition, context) for part in condition["any"]])
    if "not" in condition:
        true, false = truth(condition["not"], definition, context)
        return false, true
    return _comparison(condition, definition, context)


def relevant(condition: Mapping[str, Any], definition: Definition, context: Mapping[str, Any] | None = None) -> str:
    """The XLSForm `relevant` of a `show_if`: true when the condition is definitely true."""
    return truth(condition, definition, context)[0]


def constraint(condition: Mapping[str, Any], definition: Definition,
               context: Mapping[str, Any] | None = None) -> str:
    """The XLSForm `constraint` of a check: true unless the condition is definitely false."""
    return _not(truth(condition, definition, context)[1])
