"""What a new questionnaire version changes against the one it derives from, and which rules of the catalogue
(rules/catalogue.json) would read a question or a choice it no longer has. Pure: no Flask, no database."""
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shelter_monitor.i18n import N_
from shelter_monitor.questionnaire.conditions import referenced_codes
from shelter_monitor.questionnaire.loader import VALUE_OPS
from shelter_monitor.questionnaire.model import Definition, Question

ADDED, REMOVED, RELABELLED, RETYPED, SKIP_LOGIC, CHECKS = (
    "added", "removed", "relabelled", "retyped", "skip_logic", "checks")
KIND_WORDING = {ADDED: N_("Added"), REMOVED: N_("Removed"), RELABELLED: N_("Relabelled"), RETYPED: N_("Type changed"),
                SKIP_LOGIC: N_("Skip logic changed"), CHECKS: N_("Checks changed")}  # shown translated


@dataclass(frozen=True)
class Change:
    kind: str      # one of ADDED ... CHECKS
    question: str  # the question's code
    choice: str | None = None  # the choice's value, for a change of one choice


@dataclass(frozen=True)
class RuleGap:
    rule: str  # "M1" for a category, "R1 no_places_at_all" for a region-level condition
    missing: tuple[str, ...]  # "D12", "C8b = stay_limit"


def _checks_of(definition: Definition, code: str) -> list[tuple[Any, ...]]:
    return [(c.condition, dict(c.message), c.level) for c in definition.checks if c.field == code]


def _limits(question: Question) -> tuple[Any, ...]:
    exclusive = tuple(c.value for c in question.choices if c.exclusive)
    return question.min, question.max, question.max_length, question.max_choices, exclusive, question.required


def _choice_changes(old: Question, new: Question) -> list[Change]:
    before = {c.value: c for c in old.choices}
    after = {c.value: c for c in new.choices}
    changes = [Change(ADDED, new.code, value) for value in after if value not in before]
    changes += [Change(REMOVED, new.code, value) for value in before if value not in after]
    changes += [Change(RELABELLED, new.code, value) for value in after
                if value in before and dict(after[value].label) != dict(before[value].label)]
    return changes


def definition_changes(old: Definition, new: Definition) -> list[Change]:
    """Questions and choices added, removed or relabelled, and questions whose type, skip logic or checks
    (cross-field checks and one-answer limits) changed, in the new version's order (removed ones last)."""
    changes: list[Change] = []
    for question in new.questions:
        if not old.has_question(question.code):
            changes.append(Change(ADDED, question.code))
            continue
        before = old.question(question.code)
        if before.type != question.type:
            changes.append(Change(RETYPED, question.code))
        if dict(before.label) != dict(question.label):
            changes.append(Change(RELABELLED, question.code))
        changes += _choice_changes(before, question)
        if before.show_if != question.show_if:
            changes.append(Change(SKIP_LOGIC, question.code))
        if _checks_of(old, question.code) != _checks_of(new, question.code) or _limits(before) != _limits(question):
            changes.append(Change(CHECKS, question.code))
    changes += [Change(REMOVED, q.code) for q in old.questions if not new.has_question(q.code)]
    return changes


def _resolved(condition: Any, definitions: Mapping[str, Any]) -> Any:
    if isinstance(condition, Mapping):
        if set(condition) == {"def"} and condition["def"] in definitions:
            return _resolved(definitions[condition["def"]], definitions)
        return {key: _resolved(value, definitions) for key, value in condition.items()}
    if isinstance(condition, list):
        return [_resolved(value, definitions) for value in condition]
    return condition


def _missing(condition: Any, definition: Definition) -> list[str]:
    """The questions and choices a (resolved) catalogue condition reads that the definition lacks."""
    if isinstance(condition, list):
        return [item for part in condition for item in _missing(part, definition)]
    if not isinstance(condition, Mapping):
        return []
    missing = [code for code in sorted(referenced_codes(condition)) if not definition.has_question(code)]
    missing += [item for value in condition.values() for item in _missing(value, definition)
                if item not in missing]
    code = condition.get("q")
    if isinstance(code, str) and definition.has_question(code) and definition.question(code).choice_values():
        allowed = definition.question(code).choice_values()
        for op in VALUE_OPS:
            values = condition.get(op)
            values = values if isinstance(values, list) else [values] if isinstance(values, str) else []
            missing += [f"{code} = {value}" for value in values if value not in allowed]
    return list(dict.fromkeys(missing))


def rules_reading_missing(catalogue: Mapping[str, Any], definition: Definition) -> list[RuleGap]:
    """The rules of the catalogue (categories, and region-level conditions) that read a question or a choice
    the definition does not have, each with what it misses."""
    definitions = catalogue.get("definitions", {})
    gaps = []
    for category in catalogue.get("categories", []):
        missing = _missing(_resolved({k: v for k, v in category.items() if k in ("medium", "high")}, definitions),
                           definition)
        if missing:
            gaps.append(RuleGap(category["code"], tuple(missing)))
    for condition in catalogue.get("region_conditions", []):
        parts = {k: v for k, v in condition.items() if k in ("of", "where", "condition")}
        missing = _missing(_resolved(parts, definitions), definition)
        if missing:
            gaps.append(RuleGap(f"{condition['code']} {condition['key']}", tuple(missing)))
    return gaps


def usable_catalogue(catalogue: Mapping[str, Any], definition: Definition) -> dict[str, Any]:
    """The catalogue without the rules that read what the definition lacks (and without the named definitions
    and region-level conditions that do, or that belong to a dropped category): what load_rules can check and
    run for a version that dropped a question."""
    gaps = {gap.rule for gap in rules_reading_missing(catalogue, definition)}
    definitions = catalogue.get("definitions", {})
    categories = [c for c in catalogue.get("categories", []) if c["code"] not in gaps]
    kept = {c["code"] for c in categories}
    return {
        **catalogue,
        "definitions": {name: value for name, value in definitions.items()
                        if not _missing(_resolved(value, definitions), definition)},
        "categories": categories,
        "region_conditions": [c for c in catalogue.get("region_conditions", [])
                              if c["code"] in kept and f"{c['code']} {c['key']}" not in gaps],
    }
