"""A questionnaire version as an XLSForm, the spreadsheet ODK Collect, KoboCollect and Enketo fill offline.

Sheets `survey` (one group per section), `choices` and `settings`, labels in English and Ukrainian. Fields are
named as the export's columns, so that a submission exported from ODK Central or KoboToolbox reads like an
export of the platform (exports/submissions.py):
  shelter_id              the first question, required: a select_one of the shelters (value: the shelter id)
  questionnaire_version   a calculate holding the version, in every submission whatever the server's metadata
  <code>                  a question; yes/no questions are select_one yes_no (`yes`, `no`)
  <code>.<row|source>     a grid row (select_one) or a shares source (integer 0-100), in a group named <code>
Skip logic becomes `relevant` and error-level checks `constraint` on their field (xpath.py); a check on a grid
or shares question stands on its last field. Warning-level checks are left out: ODK has no soft constraint.
Not asked: questions filled in by the platform (the round, A1) and the regional form (I4, I4a_*).
"""
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from shelter_monitor.i18n import N_, NullTranslations
from shelter_monitor.questionnaire.model import NUMBER_TYPES, Definition, Label, Question, Section
from shelter_monitor.questionnaire.xpath import BOOL_VALUES, TRUE, constraint, part_name, relevant

__all__ = ["LANGUAGE_NAMES", "ShelterChoice", "build_xlsform", "form_id", "survey_rows"]

LANGUAGE_NAMES = {"en": "English (en)", "uk": "Українська (uk)"}
DEFAULT_LANGUAGE = "uk"
SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message",
                  "appearance", "calculation")
TRANSLATED_COLUMNS = ("label", "hint", "constraint_message")
SHELTER_FIELD, VERSION_FIELD = "shelter_id", "questionnaire_version"
SHELTER_LIST, BOOL_LIST, TRI_LIST = "shelters", "yes_no", "yes_no_unknown"
SHELTER_LABEL = N_("Shelter")
SHELTER_HINT = N_("The shelter this visit or call is about.")
YES, NO, UNKNOWN = N_("Yes"), N_("No"), N_("Don't know")
AT_LEAST, AT_MOST = N_("Enter a number of at least %(min)d."), N_("Enter a number of at most %(max)d.")
SHARE_RANGE = N_("Each share must be a whole number from 0 to 100.")
CHOOSE_AT_MOST = N_("Choose at most %(n)d.")
NOT_COMBINED = N_("“%(choice)s” cannot be combined with other choices.")
TEXT_LENGTH = N_("Write at most %(max)d characters.")


@dataclass(frozen=True)
class ShelterChoice:
    id: int
    label: str  # the shelter's name and region, as monitors know it


@dataclass(frozen=True)
class _Rule:
    expression: str
    message: Label


def form_id(definition: Definition) -> str:
    return f"shelter_monitor_{definition.version}"


def _asked(question: Question) -> bool:
    return question.form == "shelter" and question.choices_from != "rounds"


def _wording(translations: Mapping[str, NullTranslations], text: str, **params: Any) -> Label:
    return {lang: tr.gettext(text) % params if params else tr.gettext(text) for lang, tr in translations.items()}


def _row(kind: str, name: str, label: Label | None = None, **columns: Any) -> dict[str, Any]:
    return {"type": kind, "name": name, "label": label, **columns}


def _rules_columns(rules: Sequence[_Rule]) -> dict[str, Any]:
    if not rules:
        return {}
    expression = rules[0].expression if len(rules) == 1 else " and ".join(f"({r.expression})" for r in rules)
    message = {lang: " ".join(r.message[lang] for r in rules) for lang in rules[0].message}
    return {"constraint": expression, "constraint_message": message}


def _value_rules(question: Question, tr: Mapping[str, NullTranslations]) -> list[_Rule]:
    """What the form refuses in one answer taken alone, as answers.value_problems does."""
    if question.type in NUMBER_TYPES:
        return [_Rule(f". >= {question.min}", _wording(tr, AT_LEAST, min=question.min)),
                _Rule(f". <= {question.max}", _wording(tr, AT_MOST, max=question.max))]
    if question.type == "text" and question.max_length:
        return [_Rule(f"string-length(.) <= {question.max_length}", _wording(tr, TEXT_LENGTH, max=question.max_length))]
    if question.type != "multi":
        return []
    rules = [_Rule(f"not(selected(., '{c.value}') and count-selected(.) > 1)",
                   {lang: tr[lang].gettext(NOT_COMBINED) % {"choice": c.label[lang]} for lang in tr})
             for c in question.choices if c.exclusive]
    if question.max_choices:
        rules.append(_Rule(f"count-selected(.) <= {question.max_choices}",
                           _wording(tr, CHOOSE_AT_MOST, n=question.max_choices)))
    return rules


def _field_type(question: Question) -> str:
    kind = question.type
    if kind == "bool":
        return f"select_one {BOOL_LIST}"
    if kind == "tri":
        return f"select_one {TRI_LIST}"
    if kind == "single":
        return f"select_one {question.code}"
    if kind == "multi":
        return f"select_multiple {question.code}"
    return {"int": "integer", "money": "integer", "date": "date", "text": "text"}[kind]


def _question_rows(question: Question, checks: list[_Rule], relevance: str | None,
                   tr: Mapping[str, NullTranslations]) -> list[dict[str, Any]]:
    required = "yes" if question.required else None
    hint = question.help
    if question.type not in ("grid", "shares"):
        return [_row(_field_type(question), question.code, question.label, hint=hint, required=required,
                     relevant=relevance, appearance="multiline" if question.multiline else None,
                     **_rules_columns(_value_rules(question, tr) + checks))]
    parts = question.rows if question.type == "grid" else question.choices
    rows = [_row("begin_group", question.code, question.label, hint=hint, relevant=relevance,
                 appearance="field-list")]
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if question.type == "grid":
            kind, rules = f"select_one {question.code}", []
        else:
            kind, rules = "integer", [_Rule(". >= 0 and . <= 100", _wording(tr, SHARE_RANGE))]
        rows.append(_row(kind, part_name(question.code, part.value), part.label, required=required,
                         **_rules_columns(rules + (checks if last else []))))
    rows.append(_row("end_group", question.code))
    return rows


def _relevance(condition: Mapping[str, Any] | None, definition: Definition,
               context: Mapping[str, Any]) -> str | None:
    """The `relevant` column: blank for a question always asked."""
    expression = relevant(condition, definition, context) if condition is not None else None
    return None if expression == TRUE else expression


def _section_rows(section: Section, definition: Definition, context: Mapping[str, Any],
                  tr: Mapping[str, NullTranslations]) -> list[dict[str, Any]]:
    questions = [q for q in section.questions if _asked(q)]
    if not questions:
        return []
    rows = [_row("begin_group", section.code, section.label,
                 relevant=_relevance(section.show_if, definition, context))]
    for question in questions:
        checks = [_Rule(constraint(check.condition, definition, context), check.message)
                  for check in definition.checks if check.field == question.code and check.level == "error"]
        rows.extend(_question_rows(question, checks, _relevance(question.show_if, definition, context), tr))
    rows.append(_row("end_group", section.code))
    return rows


def survey_rows(definition: Definition, translations: Mapping[str, NullTranslations],
                context: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The survey sheet as dicts (translated columns as {"en", "uk"}): the shelter, the version, the sections."""
    context = context or {}
    rows = [_row(f"select_one {SHELTER_LIST}", SHELTER_FIELD, _wording(translations, SHELTER_LABEL),
                 hint=_wording(translations, SHELTER_HINT), required="yes", appearance="minimal autocomplete"),
            _row("calculate", VERSION_FIELD, calculation=f"'{definition.version}'")]
    for section in definition.sections:
        rows.extend(_section_rows(section, definition, context, translations))
    return rows


def _choice_lists(definition: Definition, shelters: Sequence[ShelterChoice],
                  translations: Mapping[str, NullTranslations]) -> list[tuple[str, str, Label]]:
    lists: list[tuple[str, str, Label]] = [
        (SHELTER_LIST, str(s.id), dict.fromkeys(translations, s.label)) for s in shelters]
    lists += [(BOOL_LIST, BOOL_VALUES[value], _wording(translations, text)) for value, text in ((True, YES),
                                                                                               (False, NO))]
    lists += [(TRI_LIST, value, _wording(translations, text)) for value, text in (("yes", YES), ("no", NO),
                                                                                 ("unknown", UNKNOWN))]
    for question in definition.questions:
        if _asked(question) and question.type in ("single", "multi", "grid"):
            lists += [(question.code, choice.value, choice.label) for choice in question.choices]
    return lists


def _translated_header(column: str, languages: Sequence[str]) -> list[str]:
    if column in TRANSLATED_COLUMNS:
        return [f"{column}::{LANGUAGE_NAMES[lang]}" for lang in languages]
    return [column]


def _cells(row: Mapping[str, Any], columns: Sequence[str], languages: Sequence[str]) -> list[Any]:
    cells: list[Any] = []
    for column in columns:
        value = row.get(column)
        if column in TRANSLATED_COLUMNS:
            cells.extend((value or {}).get(lang) for lang in languages)
        else:
            cells.append(value)
    return cells


def build_xlsform(definition: Definition, shelters: Sequence[ShelterChoice],
                  translations: Mapping[str, NullTranslations], context: Mapping[str, Any] | None = None) -> bytes:
    """The XLSForm workbook of a questionnaire version. `shelters` become the choices of the first question;
    `translations` ({"en": ..., "uk": ...}) word the platform's own texts; `context` holds the round values
    conditions read (by default every section is asked: an import drops what its round does not ask)."""
    languages = list(LANGUAGE_NAMES)
    context = {"covid_section": True} if context is None else context
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    survey.append([h for column in SURVEY_COLUMNS for h in _translated_header(column, languages)])
    for row in survey_rows(definition, translations, context):
        survey.append(_cells(row, SURVEY_COLUMNS, languages))
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *_translated_header("label", languages)])
    for list_name, name, label in _choice_lists(definition, shelters, translations):
        choices.append([list_name, name, *(label.get(lang) for lang in languages)])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([definition.title.get(DEFAULT_LANGUAGE), form_id(definition), definition.version,
                     LANGUAGE_NAMES[DEFAULT_LANGUAGE]])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()
