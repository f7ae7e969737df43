"""Answers -> shelter findings -> regional and national recommendations (the recommendations specification).

The ten categories and every condition behind them are data (catalogue.json), written in the questionnaire's
condition grammar. load_rules checks them against a questionnaire definition and compiles them once into plain
closures, so evaluating a round does no parsing and no copying. Plain Python: no Flask, no database.

Three-valued logic throughout: an absent answer makes what reads it unknown, and a condition fires only when it
is definitely true. The compiled conditions give exactly what shelter_monitor.questionnaire.conditions.evaluate
gives (tests/rules runs the evaluator's table of cases through both).
"""
import json
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from shelter_monitor.questionnaire.conditions import (
    BOOLEAN_KEYS,
    COMPARISONS,
    OPERAND_KEYS,
    is_absent,
    referenced_codes,
)
from shelter_monitor.questionnaire.loader import DefinitionError, check_condition
from shelter_monitor.questionnaire.model import NUMBER_TYPES, Definition

CATALOGUE_PATH = Path(__file__).with_name("catalogue.json")
SEVERITIES = ("medium", "high")
ADDRESSEES = ("ministry", "regional")
AGGREGATES = ("sum", "share", "none")
ORDER_OPS = ("eq", "ne", "lt", "le", "gt", "ge")
LIST_OPS = ("in", "has_any", "has_all")
REGIONAL_FORM = "regional_form"

Answers = Mapping[str, Any]
Test = Callable[[Any], bool | None]


class RulesError(ValueError):
    """The rules catalogue is not sound for this questionnaire; the message names the rule and the problem."""


@dataclass(frozen=True)
class Finding:
    """One shelter-level finding: its category code, severity and the answers that made it fire."""

    code: str
    severity: str
    evidence: dict


@dataclass(frozen=True)
class RegionalRecommendation:
    """An R recommendation to one region: the shelters with findings of its code, the keys of the region-level
    conditions that held, and the counts of the region's responses and of its medium and high findings."""

    code: str
    severity: str
    shelters: tuple[str, ...]
    reasons: tuple[str, ...]
    counts: dict


@dataclass(frozen=True)
class NationalRecommendation:
    """An M recommendation to the Ministry: the regions and shelters behind it, the region-level conditions."""

    code: str
    severity: str
    regions: tuple[str, ...]
    shelters: tuple[str, ...]
    reasons: tuple[str, ...]


@dataclass
class RoundEvaluation:
    """A round's findings by response id and recommendations by region (every region with a response or a
    regional form, [] when nothing), the codes each region has no data for, and the national recommendations."""

    shelters: dict[str, list[Finding]]
    regions: dict[str, list[RegionalRecommendation]]
    no_data: dict[str, list[str]]
    national: list[NationalRecommendation]
    # region -> the national region-level conditions that hold there, (key, code, severity)
    national_conditions: dict[str, tuple[tuple[str, str, str], ...]] = field(default_factory=dict)


# --- compiled conditions ---------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Condition:
    """A condition compiled once. `test(answers)` is True, False or None (unknown)."""

    source: Mapping[str, Any]
    test: Test
    kind: str
    parts: tuple["Condition", ...] = ()
    codes: tuple[str, ...] = ()

    def evidence(self, answers: Answers) -> dict:
        """The answers behind this (true) condition, sorted by question code: every part of an `all`, the true
        parts of an `any`; under a `not`, the answers that make its inner condition false."""
        found: dict[str, Any] = {}
        _collect(self, answers, True, found)
        return {code: found[code] for code in sorted(found)}


def _collect(condition: Condition, answers: Answers, truth: bool, found: dict) -> None:
    if condition.kind == "leaf":
        for code in condition.codes:
            value = answers.get(code)
            if not is_absent(value):
                found[code] = value
    elif condition.kind == "not":
        _collect(condition.parts[0], answers, not truth, found)
    elif (condition.kind == "all") == truth:
        # a true `all` or a false `any`: every part decided it
        for part in condition.parts:
            _collect(part, answers, truth, found)
    else:
        for part in condition.parts:
            if part.test(answers) is truth:
                _collect(part, answers, truth, found)


def _number(value: Any) -> Any:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _operand(spec: Mapping[str, Any]) -> Callable[[Answers], Any]:
    """The value an operand object names, as a function of the answers (None when unknown)."""
    if "q" in spec:
        code = spec["q"]

        def answer(answers: Answers) -> Any:
            value = answers.get(code)
            return None if is_absent(value) else value
        return answer
    if "sum" in spec:
        codes = tuple(spec["sum"])

        def total(answers: Answers) -> Any:
            result = 0
            for code in codes:
                value = _number(answers.get(code))
                if value is None:
                    return None
                result += value
            return result
        return total
    if "total" in spec or "shares" in spec:
        code = spec.get("total", spec.get("shares"))
        keys = tuple(spec["keys"]) if "shares" in spec else None

        def shares_sum(answers: Answers) -> Any:
            shares = answers.get(code)
            if not isinstance(shares, Mapping) or not shares:
                return None
            values = shares.values() if keys is None else (shares.get(key) for key in keys)
            return sum(v for v in values if _number(v) is not None)
        return shares_sum
    if "count" in spec:
        code = spec["count"]

        def count(answers: Answers) -> Any:
            chosen = answers.get(code)
            return len(chosen) if isinstance(chosen, list) and chosen else None
        return count
    if "ratio" in spec:
        top_code, bottom_code = spec["ratio"]

        def ratio(answers: Answers) -> Any:
            top, bottom = _number(answers.get(top_code)), _number(answers.get(bottom_code))
            return None if top is None or bottom is None or bottom == 0 else top / bottom
        return ratio
    raise RulesError(f"no operand a rule can read in {dict(spec)!r} (rules read answers, not the round context)")


def _side(raw: Any) -> Callable[[Answers], Any]:
    if isinstance(raw, Mapping) and any(key in raw for key in OPERAND_KEYS):
        return _operand(raw)
    return lambda _answers: raw


def _ordered(left: Any, right: Any, compare: Callable[[Any, Any], bool]) -> bool | None:
    if left is None or right is None or isinstance(left, str) != isinstance(right, str):
        return None
    return compare(left, right)


_ORDERINGS = {"lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge}
_EQUALITIES = {"eq": operator.eq, "ne": operator.ne, "in": lambda left, right: left in right}


def _comparison(left: Callable[[Any], Any], op: str, raw: Any) -> Test:
    """The test `left <op> raw`, with the evaluator's rules for unknown sides."""
    if op == "answered":
        wanted = bool(raw)
        return lambda answers: (left(answers) is not None) == wanted
    if op == "between":
        low, high = (_side(bound) for bound in raw)

        def between(answers: Any) -> bool | None:
            value = left(answers)
            if value is None:
                return None
            return _all_of((_ordered(value, low(answers), operator.ge), _ordered(value, high(answers), operator.le)))
        return between
    right = _side(raw)
    if op in ("has", "has_any", "has_all"):
        def holds(answers: Any) -> bool | None:
            value = left(answers)
            if not isinstance(value, list):
                return None
            wanted = right(answers)
            if op == "has":
                return wanted in value
            found = [choice in value for choice in wanted]
            return all(found) if op == "has_all" else any(found)
        return holds
    if op in _ORDERINGS:
        order = _ORDERINGS[op]

        def ordered(answers: Any) -> bool | None:
            return _ordered(left(answers), right(answers), order)
        return ordered
    equality = _EQUALITIES[op]

    def equal(answers: Any) -> bool | None:
        value = left(answers)
        if value is None:
            return None
        other = right(answers)
        return None if other is None else equality(value, other)
    return equal


def _all_of(results: Iterable[bool | None]) -> bool | None:
    outcome: bool | None = True
    for result in results:
        if result is False:
            return False
        if result is None:
            outcome = None
    return outcome


def _all_test(tests: tuple[Test, ...]) -> Test:
    def all_(answers: Any) -> bool | None:
        outcome: bool | None = True
        for test in tests:
            result = test(answers)
            if result is False:
                return False
            if result is None:
                outcome = None
        return outcome
    return all_


def _any_test(tests: tuple[Test, ...]) -> Test:
    def any_(answers: Any) -> bool | None:
        outcome: bool | None = False
        for test in tests:
            result = test(answers)
            if result is True:
                return True
            if result is None:
                outcome = None
        return outcome
    return any_


def _not_test(test: Test) -> Test:
    def not_(answers: Any) -> bool | None:
        result = test(answers)
        return None if result is None else not result
    return not_


def compile_condition(condition: Mapping[str, Any]) -> Condition:
    """Compile a (resolved, checked) condition; its `test` agrees with conditions.evaluate on every input."""
    if "all" in condition or "any" in condition:
        kind = "all" if "all" in condition else "any"
        parts = tuple(compile_condition(part) for part in condition[kind])
        tests = tuple(part.test for part in parts)
        return Condition(condition, _all_test(tests) if kind == "all" else _any_test(tests), kind, parts)
    if "not" in condition:
        inner = compile_condition(condition["not"])
        return Condition(condition, _not_test(inner.test), "not", (inner,))
    op = next(key for key in COMPARISONS if key in condition)
    codes = tuple(sorted(referenced_codes(condition)))
    test = _answer_test(condition["q"], op, condition[op]) if "q" in condition else None
    return Condition(condition, test or _comparison(_operand(condition), op, condition[op]), "leaf", codes=codes)


def _answer_test(code: str, op: str, literal: Any) -> Test | None:
    """The most common leaf, an answer against a literal, in one closure (most of a round's evaluation time is
    spent here); None for any other leaf. Every absent value is falsy, so only falsy ones need is_absent."""
    if literal is None or op in ("answered", "between") or (isinstance(literal, Mapping)
                                                           and any(key in literal for key in OPERAND_KEYS)):
        return None
    if op in ("has", "has_any", "has_all"):
        wanted = (literal,) if op == "has" else tuple(literal)
        every = op == "has_all"

        def holds(answers: Answers) -> bool | None:
            value = answers.get(code)
            if not isinstance(value, list) or not value:
                return None
            found = [choice in value for choice in wanted]
            return all(found) if every else any(found)
        return holds
    if op in _ORDERINGS:
        order, literal_is_text = _ORDERINGS[op], isinstance(literal, str)

        def ordered(answers: Answers) -> bool | None:
            value = answers.get(code)
            if (not value and is_absent(value)) or isinstance(value, str) != literal_is_text:
                return None
            return order(value, literal)
        return ordered
    equality = _EQUALITIES[op]

    def equal(answers: Answers) -> bool | None:
        value = answers.get(code)
        return None if not value and is_absent(value) else equality(value, literal)
    return equal


# --- the catalogue ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Category:
    """A recommendation category: addressee, text, and its shelter-level conditions (None when it has none)."""

    code: str
    addressee: str
    text: Mapping[str, str]
    medium: Condition | None
    high: Condition | None

    @property
    def national(self) -> bool:
        return self.addressee == "ministry"


@dataclass(frozen=True)
class RegionCondition:
    """A condition judged once per region: over its responses (`judge`) or over its regional form (`form`)."""

    key: str
    code: str
    severity: str
    label: Mapping[str, str]
    judge: Callable[[list[Answers]], bool | None] | None = None
    form: Condition | None = None


@dataclass(frozen=True)
class RuleSet:
    """The catalogue, checked against one questionnaire version and compiled."""

    version: str
    categories: tuple[Category, ...]
    region_conditions: tuple[RegionCondition, ...]

    @cached_property
    def shelter_checks(self) -> tuple[tuple[str, Condition | None, Condition | None, Test | None], ...]:
        """Per category with shelter-level conditions: (code, high, medium, rest), where `rest` is set when the
        high condition is "the medium condition and rest" (so a response failing medium skips high)."""
        checks = []
        for c in self.categories:
            if c.high is None and c.medium is None:
                continue
            rest = None
            if c.medium is not None and c.high is not None and c.high.kind == "all" \
                    and c.high.source["all"][0] is c.medium.source:
                rest = _all_test(tuple(part.test for part in c.high.parts[1:]))
            checks.append((c.code, c.high, c.medium, rest))
        return tuple(checks)

    def category(self, code: str) -> Category:
        """The category of a code (KeyError when there is none)."""
        return {c.code: c for c in self.categories}[code]


def _is_operand(node: Any) -> bool:
    return (isinstance(node, Mapping) and sum(key in node for key in OPERAND_KEYS) == 1
            and not any(key in node for key in COMPARISONS + BOOLEAN_KEYS))


class _Resolver:
    """Substitutes {"def": name} and {"rule": "medium"} references, once, at load time."""

    def __init__(self, definitions: Mapping[str, Any]) -> None:
        if not isinstance(definitions, Mapping):
            raise RulesError("'definitions' must be an object")
        self.definitions = definitions

    def resolve(self, node: Any, where: str, medium: Mapping | None = None, seen: tuple[str, ...] = ()) -> Any:
        if isinstance(node, list):
            return [self.resolve(item, where, medium, seen) for item in node]
        if not isinstance(node, Mapping):
            return node
        if "rule" in node:
            if dict(node) != {"rule": "medium"}:
                raise RulesError(f"{where}: only {{\"rule\": \"medium\"}} may be referred to, got {dict(node)!r}")
            if medium is None:
                raise RulesError(f"{where}: refers to the medium condition, which it does not have here")
            return medium
        if "def" in node:
            return self._definition(node, where, medium, seen)
        return {key: self.resolve(value, where, medium, seen) for key, value in node.items()}

    def _definition(self, node: Mapping, where: str, medium: Mapping | None, seen: tuple[str, ...]) -> Any:
        name = node["def"]
        if not isinstance(name, str) or name not in self.definitions:
            raise RulesError(f"{where}: unknown definition {name!r} (known: {', '.join(self.definitions)})")
        if name in seen:
            raise RulesError(f"{where}: definition '{name}' refers to itself")
        target = self.resolve(self.definitions[name], f"{where} (definition {name})", None, seen + (name,))
        rest = {key: self.resolve(value, where, medium, seen) for key, value in node.items() if key != "def"}
        if not rest:
            return target
        if not _is_operand(target):
            raise RulesError(f"{where}: definition '{name}' is a condition, not a value to compare")
        return {**target, **rest}


def _check_no_context(condition: Mapping, where: str) -> None:
    for spec in _operands(condition):
        if "ctx" in spec:
            raise RulesError(f"{where}: rules read answers only, not the round context ({dict(spec)!r})")


def _operands(condition: Mapping) -> list[Mapping]:
    if any(key in condition for key in BOOLEAN_KEYS):
        parts = [condition["not"]] if "not" in condition else condition.get("all") or condition.get("any")
        return [operand for part in parts for operand in _operands(part)]
    found = [condition]
    for value in condition.values():
        found.extend(v for v in (value if isinstance(value, list) else [value]) if _is_operand(v))
    return found


def _check_types(condition: Mapping, definition: Definition, where: str) -> None:
    """Each operand reads a question of a fitting type; a shares operand names sources the question has."""
    expected = {"sum": NUMBER_TYPES, "ratio": NUMBER_TYPES, "total": ("shares",), "shares": ("shares",),
                "count": ("multi",)}
    for spec in _operands(condition):
        for key, types in expected.items():
            if key not in spec:
                continue
            for code in spec[key] if isinstance(spec[key], list) else [spec[key]]:
                if definition.has_question(code) and definition.question(code).type not in types:
                    raise RulesError(f"{where}: '{key}' needs a {' or '.join(types)} question, {code} is "
                                     f"{definition.question(code).type}")
        if "shares" in spec and definition.has_question(spec["shares"]):
            sources = definition.question(spec["shares"]).choice_values()
            unknown = [k for k in spec["keys"] if k not in sources]
            if unknown:
                raise RulesError(f"{where}: {spec['shares']} has no source {unknown} (sources: {', '.join(sources)})")


def _checked(condition: Any, definition: Definition, where: str, form: str) -> Condition:
    """Check a resolved condition against the definition and compile it."""
    try:
        check_condition(condition, definition, where)
    except DefinitionError as error:
        raise RulesError(str(error)) from error
    _check_no_context(condition, where)
    _check_types(condition, definition, where)
    wrong_form = sorted(code for code in referenced_codes(condition) if definition.question(code).form != form)
    if wrong_form:
        raise RulesError(f"{where}: reads {', '.join(wrong_form)}, not questions of the {form} form")
    return compile_condition(condition)


def _label(raw: Any, where: str) -> Mapping[str, str]:
    if not isinstance(raw, Mapping) or not all(isinstance(raw.get(lang), str) and raw[lang] for lang in ("en", "uk")):
        raise RulesError(f"{where}: the recommendation needs both 'en' and 'uk' text")
    return dict(raw)


def _category(raw: Any, resolver: _Resolver, definition: Definition) -> Category:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("code"), str) or not raw["code"]:
        raise RulesError(f"a category needs a code: {raw!r}")
    code = raw["code"]
    extra = set(raw) - {"code", "addressee", "recommendation", "medium", "high"}
    if extra:
        raise RulesError(f"rule {code}: unexpected keys {sorted(extra)}")
    if raw.get("addressee") not in ADDRESSEES:
        raise RulesError(f"rule {code}: addressee must be one of {', '.join(ADDRESSEES)}, got {raw.get('addressee')!r}")
    medium_raw = raw.get("medium")
    medium = None if medium_raw is None else resolver.resolve(medium_raw, f"rule {code} medium")
    high = None if raw.get("high") is None else resolver.resolve(raw["high"], f"rule {code} high", medium)
    return Category(
        code=code,
        addressee=raw["addressee"],
        text=_label(raw.get("recommendation"), f"rule {code}"),
        medium=None if medium is None else _checked(medium, definition, f"rule {code} medium", "shelter"),
        high=None if high is None else _checked(high, definition, f"rule {code} high", "shelter"),
    )


def _region_condition(raw: Any, categories: Mapping[str, Category], resolver: _Resolver,
                      definition: Definition) -> RegionCondition:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("key"), str) or not raw["key"]:
        raise RulesError(f"a region condition needs a key: {raw!r}")
    raw = dict(raw)
    key, label = raw["key"], raw.pop("label", None)
    where = f"region condition {key}"
    if not isinstance(label, Mapping) or not label.get("en") or not label.get("uk"):
        raise RulesError(f"{where}: a label needs both 'en' and 'uk' text")
    code, severity = raw.get("code"), raw.get("severity")
    if code not in categories:
        raise RulesError(f"{where}: unknown category {code!r}")
    if severity not in SEVERITIES:
        raise RulesError(f"{where}: severity must be medium or high, got {severity!r}")
    where = f"rule {code} {where}"
    if "source" in raw:
        if raw["source"] != REGIONAL_FORM or set(raw) != {"key", "code", "severity", "source", "condition"}:
            raise RulesError(f"{where}: malformed, expected {{key, code, severity, source: regional_form, condition}}")
        if categories[code].national:
            raise RulesError(f"{where}: a regional-form condition belongs to a regional category")
        form = _checked(resolver.resolve(raw["condition"], where), definition, where, "regional")
        return RegionCondition(key, code, severity, label, form=form)
    aggregate = raw.get("aggregate")
    if aggregate not in AGGREGATES:
        raise RulesError(f"{where}: aggregate must be one of {', '.join(AGGREGATES)}, got {aggregate!r}")
    ops = [op for op in ORDER_OPS if op in raw]
    base = {"key", "code", "severity", "aggregate", "of" if aggregate == "sum" else "where"}
    if aggregate == "none":
        if set(raw) != base:
            raise RulesError(f"{where}: malformed, expected {{key, code, severity, aggregate, where}}")
    elif len(ops) != 1 or set(raw) != base | set(ops) or _number(raw[ops[0]]) is None:
        raise RulesError(f"{where}: malformed, expected {sorted(base)} and one comparison with a number")
    if aggregate == "sum":
        of = resolver.resolve(raw["of"], where)
        if not _is_operand(of):
            raise RulesError(f"{where}: 'of' must be an operand, got {of!r}")
        _checked({**of, "answered": True}, definition, where, "shelter")  # checks the operand as a condition
        return RegionCondition(key, code, severity, label, judge=_sum_judge(_operand(of), ops[0], raw[ops[0]]))
    condition = _checked(resolver.resolve(raw["where"], where), definition, where, "shelter")
    if aggregate == "share":
        return RegionCondition(key, code, severity, label, judge=_share_judge(condition.test, ops[0], raw[ops[0]]))
    return RegionCondition(key, code, severity, label, judge=_none_judge(condition.test))


# A region-level condition is judged over the region's responses for which its per-response part is known;
# with none known it is unknown (and so does not fire).

def _sum_judge(of: Callable[[Answers], Any], op: str, limit: Any) -> Callable[[list[Answers]], bool | None]:
    compare = _comparison(lambda value: value, op, limit)

    def judge(responses: list[Answers]) -> bool | None:
        known = [value for value in map(of, responses) if _number(value) is not None]
        return compare(sum(known)) if known else None
    return judge


def _share_judge(test: Test, op: str, limit: Any) -> Callable[[list[Answers]], bool | None]:
    compare = _comparison(lambda value: value, op, limit)

    def judge(responses: list[Answers]) -> bool | None:
        known = [result for result in map(test, responses) if result is not None]
        return compare(sum(known) / len(known)) if known else None
    return judge


def _none_judge(test: Test) -> Callable[[list[Answers]], bool | None]:
    def judge(responses: list[Answers]) -> bool | None:
        known = [result for result in map(test, responses) if result is not None]
        return (not any(known)) if known else None
    return judge


def load_rules(definition: Definition, catalogue: Mapping[str, Any] | None = None) -> RuleSet:
    """The rules of catalogue.json (or of `catalogue`, already parsed), checked against the questionnaire
    definition and compiled. Raises RulesError naming the rule and the problem: a condition reading an unknown
    question, an unknown choice of a known question, a question of the wrong type or form, or malformed data."""
    if catalogue is None:
        try:
            catalogue = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise RulesError(f"{CATALOGUE_PATH.name}: not valid JSON ({error})") from error
    if not isinstance(catalogue, Mapping):
        raise RulesError("the catalogue must be a JSON object")
    try:
        return _rule_set(definition, catalogue)
    except (KeyError, TypeError, AttributeError) as error:
        raise RulesError(f"the catalogue has a malformed entry ({error!r})") from error


def _rule_set(definition: Definition, catalogue: Mapping[str, Any]) -> RuleSet:
    extra = set(catalogue) - {"about", "definitions", "categories", "region_conditions"}
    if extra:
        raise RulesError(f"the catalogue has unexpected keys {sorted(extra)}")
    resolver = _Resolver(catalogue.get("definitions", {}))
    for name in resolver.definitions:
        where = f"definition {name}"
        resolved = resolver.resolve({"def": name}, where)
        _checked({**resolved, "answered": True} if _is_operand(resolved) else resolved, definition, where, "shelter")
    raw_categories = catalogue.get("categories")
    if not isinstance(raw_categories, list) or not raw_categories:
        raise RulesError("the catalogue needs a non-empty list of categories")
    categories = [_category(raw, resolver, definition) for raw in raw_categories]
    codes = [c.code for c in categories]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise RulesError(f"duplicate category codes: {', '.join(duplicates)}")
    by_code = {c.code: c for c in categories}
    raw_conditions = catalogue.get("region_conditions", [])
    if not isinstance(raw_conditions, list):
        raise RulesError("'region_conditions' must be a list")
    region_conditions = [_region_condition(raw, by_code, resolver, definition) for raw in raw_conditions]
    keys = [c.key for c in region_conditions]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise RulesError(f"duplicate region condition keys: {', '.join(duplicates)}")
    return RuleSet(definition.version, tuple(sorted(categories, key=lambda c: c.code)), tuple(region_conditions))


# --- evaluation ------------------------------------------------------------------------------------------------

def evaluate_response(rules: RuleSet, answers: Answers) -> list[Finding]:
    """The findings of one response, sorted by code: per category the highest severity whose condition is
    definitely true, with the answers behind it."""
    findings = []
    for code, high, medium, rest in rules.shelter_checks:
        if rest is not None:
            if medium.test(answers) is not True:
                continue
            severity, condition = ("high", high) if rest(answers) is True else ("medium", medium)
        elif high is not None and high.test(answers) is True:
            severity, condition = "high", high
        elif medium is not None and medium.test(answers) is True:
            severity, condition = "medium", medium
        else:
            continue
        findings.append(Finding(code, severity, condition.evidence(answers)))
    return findings


def _highest(severities: Iterable[str]) -> str | None:
    found = set(severities)
    return "high" if "high" in found else "medium" if "medium" in found else None


@dataclass(frozen=True)
class RegionEvaluation:
    """One region's part of a round: its regional recommendations, the regional-form codes it has no data for,
    and the national region-level conditions that hold in it as (key, code, severity)."""

    recommendations: list[RegionalRecommendation]
    no_data: list[str]
    national_conditions: tuple[tuple[str, str, str], ...]


def evaluate_region(rules: RuleSet, findings: Mapping[str, list[Finding]], answers: list[Answers],
                    form: Answers | None, medium_needed: int = 1) -> RegionEvaluation:
    """The recommendations of one region from its responses alone: `findings` maps each of the region's
    response ids to its findings (evaluate_response), `answers` are the same responses' answers (any order),
    `form` its regional form. A region's part depends on nothing outside the region."""
    if medium_needed < 1:
        raise ValueError("medium_needed must be at least 1")
    behind: dict[str, list[tuple[str, str]]] = {}  # code -> [(response id, severity)]
    for response_id, found in findings.items():
        for finding in found:
            behind.setdefault(finding.code, []).append((response_id, finding.severity))
    fired, missing = _region_conditions(rules, answers, form)
    recommendations = []
    for category in rules.categories:
        if category.national or category.code in missing:
            continue
        recommendation = _regional(category.code, behind.get(category.code, []),
                                   [c for c in fired if c.code == category.code], len(answers), medium_needed)
        if recommendation is not None:
            recommendations.append(recommendation)
    national = tuple((c.key, c.code, c.severity) for c in fired if rules.category(c.code).national)
    return RegionEvaluation(recommendations, sorted(missing), national)


def evaluate_national(rules: RuleSet, findings: Iterable[tuple[str, str, str, str]],
                      conditions: Iterable[tuple[str, str, str, str]]) -> list[NationalRecommendation]:
    """The national recommendations from the regions' parts: `findings` are (region, response id, code,
    severity) of every national-category finding, `conditions` (region, key, code, severity) of every national
    region-level condition that holds (RegionEvaluation.national_conditions). Order does not matter."""
    findings, conditions = list(findings), list(conditions)
    national = []
    for category in rules.categories:
        if not category.national:
            continue
        rows = [(region, response_id, severity) for region, response_id, code, severity in findings
                if code == category.code]
        held = [(region, key, severity) for region, key, code, severity in conditions if code == category.code]
        severity = _highest([s for _, _, s in rows] + [s for _, _, s in held])
        if severity is None:
            continue
        national.append(NationalRecommendation(
            code=category.code,
            severity=severity,
            regions=tuple(sorted({r for r, _, _ in rows} | {r for r, _, _ in held})),
            shelters=tuple(sorted({response_id for _, response_id, _ in rows})),
            reasons=tuple(sorted({key for _, key, _ in held})),
        ))
    return national


def evaluate_round(rules: RuleSet, responses: Iterable[tuple[str, str, Answers]],
                   regional: Mapping[str, Answers], medium_needed: int = 1) -> RoundEvaluation:
    """Shelter findings, regional recommendations (R codes) and national ones (M codes) of a round.

    `responses` are (response id, region ISO code, answers); `regional` maps a region to its regional form.
    A regional recommendation is issued for at least one high finding, at least `medium_needed` medium
    findings, or a region-level condition holding; a national one for any finding or a national region-level
    condition holding in some region. Its severity is the highest of what issued it. A regional-form category
    of a region without a form, or whose form leaves all of that category's conditions unknown, is "no data".
    The round is its regions' parts (evaluate_region) and the national part built from them (evaluate_national),
    so a caller may recompute one region and the national part alone and get the same result.
    """
    if medium_needed < 1:
        raise ValueError("medium_needed must be at least 1")
    shelters: dict[str, list[Finding]] = {}
    by_region: dict[str, dict[str, Answers]] = {}
    for response_id, region, answers in responses:
        if response_id in shelters:
            raise ValueError(f"response id {response_id!r} appears twice")
        shelters[response_id] = evaluate_response(rules, answers)
        by_region.setdefault(region, {})[response_id] = answers

    regions: dict[str, list[RegionalRecommendation]] = {}
    no_data: dict[str, list[str]] = {}
    conditions: list[tuple[str, str, str, str]] = []
    held: dict[str, tuple[tuple[str, str, str], ...]] = {}
    for region in sorted(set(by_region) | set(regional)):
        members = by_region.get(region, {})
        part = evaluate_region(rules, {r: shelters[r] for r in members}, list(members.values()),
                               regional.get(region), medium_needed)
        regions[region], no_data[region], held[region] = part.recommendations, part.no_data, part.national_conditions
        conditions.extend((region, key, code, severity) for key, code, severity in part.national_conditions)
    national_codes = {c.code for c in rules.categories if c.national}
    findings = [(region, response_id, f.code, f.severity) for region, members in by_region.items()
                for response_id in members for f in shelters[response_id] if f.code in national_codes]
    national = evaluate_national(rules, findings, conditions)
    return RoundEvaluation(shelters=shelters, regions=regions, no_data=no_data, national=national,
                           national_conditions=held)


def _region_conditions(rules: RuleSet, responses: list[Answers],
                       form: Answers | None) -> tuple[list[RegionCondition], set[str]]:
    """The region-level conditions that hold for a region, and the codes it has no data for."""
    fired = []
    form_results: dict[str, list[bool | None]] = {}
    for condition in rules.region_conditions:
        if condition.form is not None:
            result = None if form is None else condition.form.test(form)
            form_results.setdefault(condition.code, []).append(result)
        else:
            result = condition.judge(responses)
        if result is True:
            fired.append(condition)
    missing = {code for code, results in form_results.items() if all(r is None for r in results)}
    return fired, missing


def _regional(code: str, found: list[tuple[str, str]], fired: list[RegionCondition], responses: int,
              medium_needed: int) -> RegionalRecommendation | None:
    highs = sum(1 for _, severity in found if severity == "high")
    mediums = len(found) - highs
    issued_by = (["high"] if highs else []) + (["medium"] if mediums >= medium_needed else [])
    severity = _highest(issued_by + [c.severity for c in fired])
    if severity is None:
        return None
    return RegionalRecommendation(
        code=code,
        severity=severity,
        shelters=tuple(sorted({response_id for response_id, _ in found})),
        reasons=tuple(sorted(c.key for c in fired)),
        counts={"responses": responses, "medium": mediums, "high": highs},
    )


def to_cli_output(evaluation: RoundEvaluation) -> dict:
    """The JSON object `flask rules evaluate` prints: shelters, regions and national, lists sorted by code."""
    return {
        "shelters": {
            response_id: [{"code": f.code, "severity": f.severity, "evidence": dict(f.evidence)}
                          for f in sorted(evaluation.shelters[response_id], key=lambda f: f.code)]
            for response_id in sorted(evaluation.shelters)
        },
        "regions": {
            region: [{"code": r.code, "severity": r.severity, "shelters": list(r.shelters)}
                     for r in sorted(evaluation.regions[region], key=lambda r: r.code)]
            for region in sorted(evaluation.regions)
        },
        "national": [{"code": n.code, "severity": n.severity, "regions": list(n.regions), "shelters": list(n.shelters)}
                     for n in sorted(evaluation.national, key=lambda n: n.code)],
    }
