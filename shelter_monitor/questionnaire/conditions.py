"""The condition evaluator shared by skip logic, cross-field checks and the rules.

Three-valued (Kleene) logic: every condition evaluates to True, False or None (unknown). A comparison that reads
an absent answer is unknown. static/js/conditions.js is the browser's twin; tests/questionnaire/condition_cases.json
runs the same table of cases through both.
"""
from collections.abc import Callable, Mapping
from typing import Any

Answers = Mapping[str, Any]
Context = Mapping[str, Any]

OPERAND_KEYS = ("q", "sum", "total", "count", "ctx", "shares", "ratio")
COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge", "between", "in", "has", "has_any", "has_all", "answered")
BOOLEAN_KEYS = ("all", "any", "not")


def is_absent(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(value: Any) -> Any:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def operand_value(operand: Mapping[str, Any], answers: Answers, context: Context) -> Any:
    """The value an operand object names, or None when it is unknown."""
    if "q" in operand:
        value = answers.get(operand["q"])
        return None if is_absent(value) else value
    if "ctx" in operand:
        return context.get(operand["ctx"])
    if "sum" in operand:
        parts = [_number(answers.get(code)) for code in operand["sum"]]
        return None if any(p is None for p in parts) else sum(parts)
    if "total" in operand:
        shares = answers.get(operand["total"])
        if not isinstance(shares, Mapping) or not shares:
            return None
        return sum(v for v in shares.values() if _number(v) is not None)
    if "count" in operand:
        chosen = answers.get(operand["count"])
        return len(chosen) if isinstance(chosen, list) and chosen else None
    if "shares" in operand:
        # A source missing from a shares answer has no share: it counts 0, unlike a missing answer.
        shares = answers.get(operand["shares"])
        if not isinstance(shares, Mapping) or not shares:
            return None
        parts = [_number(shares.get(key)) for key in operand["keys"]]
        return sum(p for p in parts if p is not None)
    if "ratio" in operand:
        top, bottom = (_number(answers.get(code)) for code in operand["ratio"])
        return None if top is None or bottom is None or bottom == 0 else top / bottom
    raise ValueError(f"no operand in {operand!r}")


def _resolve(side: Any, answers: Answers, context: Context) -> Any:
    if isinstance(side, Mapping) and any(key in side for key in OPERAND_KEYS):
        return operand_value(side, answers, context)
    return side


def _ordered(left: Any, right: Any, compare: Callable[[Any, Any], bool]) -> bool | None:
    if left is None or right is None:
        return None
    if isinstance(left, str) != isinstance(right, str):
        return None
    return compare(left, right)


def _compare(op: str, left: Any, right: Any, answers: Answers, context: Context) -> bool | None:
    if op == "answered":
        return (left is not None) == bool(right)
    if left is None:
        return None
    if op == "between":
        low, high = (_resolve(bound, answers, context) for bound in right)
        return _kleene_all([_ordered(left, low, lambda a, b: a >= b), _ordered(left, high, lambda a, b: a <= b)])
    right = _resolve(right, answers, context)
    if op in ("has", "has_any", "has_all"):
        if not isinstance(left, list):
            return None
        wanted = [right] if op == "has" else right
        found = [choice in left for choice in wanted]
        return all(found) if op == "has_all" else any(found)
    if right is None:
        return None
    comparisons = {
        "eq": lambda: left == right,
        "ne": lambda: left != right,
        "in": lambda: left in right,
        "lt": lambda: _ordered(left, right, lambda a, b: a < b),
        "le": lambda: _ordered(left, right, lambda a, b: a <= b),
        "gt": lambda: _ordered(left, right, lambda a, b: a > b),
        "ge": lambda: _ordered(left, right, lambda a, b: a >= b),
    }
    return comparisons[op]()


def _kleene_all(results: list[bool | None]) -> bool | None:
    if any(r is False for r in results):
        return False
    return True if all(r is True for r in results) else None


def _kleene_any(results: list[bool | None]) -> bool | None:
    if any(r is True for r in results):
        return True
    return False if all(r is False for r in results) else None


def evaluate(condition: Mapping[str, Any], answers: Answers, context: Context | None = None) -> bool | None:
    """Evaluate a condition over answers (and round context): True, False, or None when unknown."""
    context = context or {}
    if "all" in condition:
        return _kleene_all([evaluate(c, answers, context) for c in condition["all"]])
    if "any" in condition:
        return _kleene_any([evaluate(c, answers, context) for c in condition["any"]])
    if "not" in condition:
        result = evaluate(condition["not"], answers, context)
        return None if result is None else not result
    op = next(key for key in COMPARISONS if key in condition)
    left = operand_value(condition, answers, context)
    return _compare(op, left, condition[op], answers, context)


def referenced_codes(condition: Mapping[str, Any]) -> set[str]:
    """Every question code a condition reads (for load-time checks)."""
    codes: set[str] = set()
    for key, value in condition.items():
        if key in ("all", "any"):
            for part in value:
                codes |= referenced_codes(part)
        elif key == "not":
            codes |= referenced_codes(value)
        elif key in ("q", "total", "count", "shares"):
            codes.add(value)
        elif key in ("sum", "ratio"):
            codes.update(value)
        elif isinstance(value, Mapping):
            codes |= referenced_codes(value)
        elif key == "between":
            for bound in value:
                if isinstance(bound, Mapping):
                    codes |= referenced_codes(bound)
    return codes
