"""Load a questionnaire definition file and refuse it, with a message naming the problem, when it is not sound."""
import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from shelter_monitor.questionnaire.conditions import BOOLEAN_KEYS, COMPARISONS, OPERAND_KEYS, referenced_codes
from shelter_monitor.questionnaire.model import (
    CHOICE_TYPES,
    INTEGER_MAX,
    NUMBER_TYPES,
    TYPES,
    Check,
    Choice,
    Definition,
    Question,
    Section,
)
from shelter_monitor.regions.data import region_records

DEFINITIONS_DIR = Path(__file__).with_name("definitions")
DEFAULT_VERSION = "2020.1"
LANGUAGES = ("en", "uk")
CONTEXT_KEYS = ("covid_section", "round_start", "round_end", "today")
CHOICE_SOURCES = ("regions", "rounds")
SHELTER_ATTRIBUTES = ("name", "region", "settlement", "katottg", "institution_type", "ownership", "specialised")
VALUE_OPS = ("eq", "ne", "in", "has", "has_any", "has_all")
TEXT_MAX_LENGTH = 500  # characters of a text answer without its own max_length
MULTILINE_MAX_LENGTH = 4000
NUMBER_MAX = {"int": 1_000_000, "money": INTEGER_MAX}  # a number question without its own max
LIST_OPS = ("in", "has_any", "has_all")


class DefinitionError(ValueError):
    """The definition file is not sound; the message says where and why."""


def _label(raw: Any, where: str) -> Mapping[str, str]:
    if not isinstance(raw, Mapping) or any(not raw.get(lang) for lang in LANGUAGES):
        raise DefinitionError(f"{where}: a label needs both 'en' and 'uk' text")
    return dict(raw)


def _choices(raw: list, where: str) -> tuple[Choice, ...]:
    choices = tuple(
        Choice(item["value"], _label(item.get("label"), f"{where} choice {item.get('value')}"),
               bool(item.get("exclusive", False)))
        for item in raw
    )
    values = [c.value for c in choices]
    duplicates = {v for v in values if values.count(v) > 1}
    if duplicates:
        raise DefinitionError(f"{where}: duplicate choice values {sorted(duplicates)}")
    return choices


def _region_choices() -> tuple[Choice, ...]:
    return tuple(Choice(r.iso_code, {"en": r.name_en, "uk": r.name_uk}) for r in region_records())


def _question_choices(raw: Mapping, choice_sets: Mapping[str, tuple[Choice, ...]], where: str):
    if raw.get("choices_from") == "regions":
        return _region_choices()
    spec = raw.get("choices", [])
    if isinstance(spec, str):
        if spec not in choice_sets:
            raise DefinitionError(f"{where}: unknown choice set '{spec}'")
        base = choice_sets[spec]
    else:
        base = _choices(spec, where)
    return _choices([{"value": c.value, "label": c.label, "exclusive": c.exclusive} for c in base]
                    + list(raw.get("extra_choices", [])), where)


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _max_length(raw: Mapping, qtype: str, where: str) -> int | None:
    if qtype != "text":
        if "max_length" in raw:
            raise DefinitionError(f"{where}: max_length is for text questions only")
        return None
    value = raw.get("max_length", MULTILINE_MAX_LENGTH if raw.get("multiline") else TEXT_MAX_LENGTH)
    if not _whole_number(value) or not 1 <= value <= 100_000:
        raise DefinitionError(f"{where}: max_length must be a whole number from 1 to 100000, got {value!r}")
    return value


def _number_bounds(raw: Mapping, qtype: str, where: str) -> tuple[int | None, int | None]:
    if qtype not in NUMBER_TYPES:
        return None, raw.get("max")
    low, high = raw.get("min", 0), raw.get("max", NUMBER_MAX[qtype])
    if not _whole_number(low) or not _whole_number(high) or not -INTEGER_MAX <= low <= high <= INTEGER_MAX:
        raise DefinitionError(f"{where}: min and max must be whole numbers, min <= max <= {INTEGER_MAX}, "
                              f"got {low!r} and {high!r}")
    return low, high


def _question(raw: Mapping, section: str, choice_sets: Mapping[str, tuple[Choice, ...]]) -> Question:
    code = raw.get("code")
    where = f"question {code}"
    if raw.get("type") not in TYPES:
        raise DefinitionError(f"{where}: unknown type '{raw.get('type')}' (known: {', '.join(TYPES)})")
    qtype = raw["type"]
    choices_from = raw.get("choices_from")
    if choices_from is not None and choices_from not in CHOICE_SOURCES:
        raise DefinitionError(f"{where}: unknown choices_from '{choices_from}'")
    choices = _question_choices(raw, choice_sets, where) if qtype in CHOICE_TYPES else ()
    if qtype in CHOICE_TYPES and not choices and choices_from != "rounds":
        raise DefinitionError(f"{where}: a {qtype} question needs choices")
    if raw.get("prefill") and raw["prefill"] not in SHELTER_ATTRIBUTES:
        raise DefinitionError(f"{where}: unknown prefill attribute '{raw['prefill']}'")
    low, high = _number_bounds(raw, qtype, where)
    return Question(
        code=code,
        type=qtype,
        label=_label(raw.get("label"), where),
        section=section,
        choices=choices,
        rows=_choices(raw.get("rows", []), f"{where} rows") if qtype == "grid" else (),
        choices_from=choices_from,
        show_if=raw.get("show_if"),
        optional=bool(raw.get("optional", False)),
        min=low,
        max=high,
        max_choices=raw.get("max_choices"),
        multiline=bool(raw.get("multiline", False)),
        max_length=_max_length(raw, qtype, where),
        form=raw.get("form", "shelter"),
        prefill=raw.get("prefill"),
        label_if=tuple((item["if"], _label(item["label"], f"{where} label_if")) for item in raw.get("label_if", [])),
        help=_label(raw["help"], f"{where} help") if "help" in raw else None,
    )


def _check_condition_shape(condition: Any, where: str) -> None:
    """Refuse what the evaluator cannot read."""
    if not isinstance(condition, Mapping):
        raise DefinitionError(f"{where}: a condition must be an object, got {condition!r}")
    booleans = [key for key in condition if key in BOOLEAN_KEYS]
    if booleans:
        value = condition[booleans[0]]
        if len(condition) != 1:
            raise DefinitionError(f"{where}: malformed condition {dict(condition)!r}")
        if booleans[0] != "not" and (not isinstance(value, list) or not value):
            raise DefinitionError(f"{where}: '{booleans[0]}' needs a non-empty list of conditions")
        for part in [value] if booleans[0] == "not" else value:
            _check_condition_shape(part, where)
        return
    ops = [key for key in condition if key in COMPARISONS]
    operands = [key for key in condition if key in OPERAND_KEYS]
    unknown = set(condition) - set(COMPARISONS) - set(OPERAND_KEYS) - ({"keys"} if "shares" in condition else set())
    if unknown or len(ops) != 1 or len(operands) != 1:
        raise DefinitionError(f"{where}: malformed condition {dict(condition)!r}")
    op, value = ops[0], condition[ops[0]]
    if op == "between" and (not isinstance(value, list) or len(value) != 2):
        raise DefinitionError(f"{where}: 'between' needs [low, high], got {value!r}")
    if op in LIST_OPS and not isinstance(value, list):
        raise DefinitionError(f"{where}: '{op}' needs a list, got {value!r}")
    for side in _nested_operands(condition):
        _check_operand(side, where)


def _check_operand(spec: Mapping, where: str) -> None:
    if not any(key in spec for key in OPERAND_KEYS):
        raise DefinitionError(f"{where}: {dict(spec)!r} is neither a literal nor an operand")
    if spec.get("ctx") is not None and spec["ctx"] not in CONTEXT_KEYS:
        raise DefinitionError(f"{where}: unknown context value '{spec['ctx']}'")
    if ("sum" in spec and not _codes_list(spec["sum"])) or ("ratio" in spec and not _codes_list(spec["ratio"], 2)):
        raise DefinitionError(f"{where}: malformed operand {dict(spec)!r}")
    if "shares" in spec and not _codes_list(spec.get("keys")):
        raise DefinitionError(f"{where}: a 'shares' operand needs 'keys', a list of sources, got {dict(spec)!r}")


def _codes_list(value: Any, length: int | None = None) -> bool:
    return (isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)
            and (length is None or len(value) == length))


def _nested_operands(condition: Mapping) -> list[Mapping]:
    sides = [condition]
    for value in condition.values():
        bounds = value if isinstance(value, list) else [value]
        sides.extend(b for b in bounds if isinstance(b, Mapping))
    return sides


def check_condition(condition: Any, definition: Definition, where: str, earlier: set[str] | None = None) -> None:
    """Refuse a condition that is malformed, names an unknown question or an unknown choice of a known one.

    When `earlier` is given, the condition may read only those questions (skip logic reads what came before).
    """
    _check_condition_shape(condition, where)
    for code in referenced_codes(condition):
        if not definition.has_question(code):
            raise DefinitionError(f"{where}: refers to unknown question '{code}'")
        if earlier is not None and code not in earlier:
            raise DefinitionError(f"{where}: refers to '{code}', which does not come before it")
    _check_choice_values(condition, definition, where)


def _check_choice_values(condition: Mapping, definition: Definition, where: str) -> None:
    parts = condition.get("all", []) + condition.get("any", []) + ([condition["not"]] if "not" in condition else [])
    for part in parts:
        _check_choice_values(part, definition, where)
    code = condition.get("q")
    if code is None or not definition.has_question(code):
        return
    question = definition.question(code)
    allowed = question.choice_values()
    if not allowed:
        return
    for op in VALUE_OPS:
        if op not in condition or isinstance(condition[op], Mapping):
            continue
        values = condition[op] if isinstance(condition[op], list) else [condition[op]]
        unknown = [v for v in values if v not in allowed]
        if unknown:
            raise DefinitionError(f"{where}: {code} has no choice {unknown} (choices: {', '.join(allowed)})")


def _check_questions(definition: Definition) -> None:
    seen: set[str] = set()
    for section in definition.sections:
        if section.show_if is not None:
            check_condition(section.show_if, definition, f"section {section.code}", earlier=set(seen))
        for question in section.questions:
            for condition in [question.show_if] + [cond for cond, _ in question.label_if]:
                if condition is not None:
                    check_condition(condition, definition, f"question {question.code}", earlier=set(seen))
            seen.add(question.code)


def parse_definition(raw: Mapping) -> Definition:
    """Build and check a Definition from parsed JSON; raises DefinitionError naming the first problem."""
    choice_sets = {name: _choices(items, f"choice set {name}") for name, items in raw.get("choice_sets", {}).items()}
    sections = []
    codes: list[str] = []
    for section_raw in raw.get("sections", []):
        questions = tuple(_question(q, section_raw["code"], choice_sets) for q in section_raw.get("questions", []))
        codes.extend(q.code for q in questions)
        label = _label(section_raw.get("label"), f"section {section_raw['code']}")
        sections.append(Section(section_raw["code"], label, questions, section_raw.get("show_if")))
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise DefinitionError(f"duplicate question codes: {', '.join(duplicates)}")
    checks = tuple(
        Check(c["code"], c["field"], c["condition"], _label(c.get("message"), f"check {c['code']}"),
              c.get("level", "error"))
        for c in raw.get("checks", [])
    )
    definition = Definition(str(raw["version"]), _label(raw.get("title"), "title"), tuple(sections), checks)
    _check_questions(definition)
    for check in checks:
        if not definition.has_question(check.field):
            raise DefinitionError(f"check {check.code}: field '{check.field}' is not a question")
        if check.level not in ("error", "warning"):
            raise DefinitionError(f"check {check.code}: level must be 'error' or 'warning'")
        check_condition(check.condition, definition, f"check {check.code}")
    return definition


class StoredDefinitions(Protocol):
    """Where versions beyond the shipped ones are kept (the database, see questionnaire/versions.py)."""

    def digests(self) -> Mapping[str, str]:
        """Each stored version's code and the SHA-256 of its definition."""

    def raw(self, version: str) -> Mapping[str, Any]:
        """The stored definition of a version, as parsed JSON."""


_stored: StoredDefinitions | None = None


def use_stored_definitions(source: StoredDefinitions | None) -> None:
    """Make load_definition and available_versions consult `source` for the versions not shipped."""
    global _stored
    _stored = source


def shipped_versions() -> list[str]:
    return sorted(path.stem for path in DEFINITIONS_DIR.glob("*.json"))


def available_versions() -> list[str]:
    """The shipped versions and the stored ones."""
    return sorted(set(shipped_versions()) | set(_stored.digests() if _stored else ()))


def load_definition(version: str = DEFAULT_VERSION) -> Definition:
    """The definition of a questionnaire version, loaded and checked once per process: a shipped version from
    the package, another from the stored versions (cached by the digest of its definition)."""
    if (DEFINITIONS_DIR / f"{version}.json").exists():
        return _shipped_definition(version)
    digest = _stored.digests().get(version) if _stored else None
    if digest is None:
        raise DefinitionError(f"no questionnaire definition for version '{version}' in {DEFINITIONS_DIR}")
    return _stored_definition(version, digest)


@cache
def _stored_definition(version: str, digest: str) -> Definition:
    return _parsed(_stored.raw(version), f"stored version {version}")


@cache
def _shipped_definition(version: str) -> Definition:
    path = DEFINITIONS_DIR / f"{version}.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DefinitionError(f"{path.name}: not valid JSON ({error})") from error
    return _parsed(raw, path.name)


def _parsed(raw: Mapping, where: str) -> Definition:
    try:
        return parse_definition(raw)
    except (KeyError, TypeError) as error:
        raise DefinitionError(f"{where}: missing or malformed entry ({error!r})") from error
