"""An XLSForm read back into a questionnaire definition (the format of definitions/*.json): the inverse of
xlsform.py, applied to the version the form derives from.

The form is first converted with pyxform; its problems are reported with their row. Each survey row is then
compared with the row the export writes for the base version: what is unchanged keeps the base's definition
(including what XLSForm cannot say: round values in conditions, warning-level checks, prefills, choice sets,
label variants), what changed is read from the row (labels, hints, required, choices, `relevant` and
`constraint` through xpath_reader). Questions the export leaves out (filled in by the platform, or on the
regional form) stay as in the base. A grid or shares question (a group of fields <code>.<row>) keeps the base's
definition: any edit of its group or rows is refused (it is changed in the definition file), removing the whole
group removes the question. What the definition cannot hold is refused with its sheet, row and column.
"""
import copy
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from zipfile import BadZipFile

from openpyxl import load_workbook
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from shelter_monitor.i18n import ENGLISH, N_, Message, NullTranslations
from shelter_monitor.questionnaire.loader import LANGUAGES, DefinitionError, parse_definition
from shelter_monitor.questionnaire.model import Definition
from shelter_monitor.questionnaire.xlsform import (
    BOOL_LIST,
    SHELTER_FIELD,
    TRANSLATED_COLUMNS,
    TRI_LIST,
    VERSION_FIELD,
    survey_rows,
)
from shelter_monitor.questionnaire.xpath import PART_SEPARATOR
from shelter_monitor.questionnaire.xpath_reader import XPathError, read_xpath

TYPE_KINDS = {"integer": "number", "date": "date", "text": "text", "select_one": "one", "select_multiple": "many"}
KINDS_OF = {"bool": "one", "tri": "one", "single": "one", "multi": "many", "int": "number", "money": "number",
            "date": "date", "text": "text"}
NEW_TYPES = {"number": "int", "date": "date", "text": "text", "one": "single", "many": "multi"}
VALUE_RULES = (  # the one-answer limits xlsform.py writes into a constraint, and the definition key of each
    (re.compile(r"^\. >= (-?\d+)$"), "min"), (re.compile(r"^\. <= (-?\d+)$"), "max"),
    (re.compile(r"^string-length\(\.\) <= (\d+)$"), "max_length"),
    (re.compile(r"^count-selected\(\.\) <= (\d+)$"), "max_choices"),
    (re.compile(r"^not\(selected\(\., '([^']+)'\) and count-selected\(\.\) > 1\)$"), "exclusive"),
)
ROW_OF_PROBLEM = re.compile(r"\[row : (\d+)\]")
SHEET_OF_PROBLEM = re.compile(r"[Oo]n the '(\w+)' sheet")
COLUMN_OF_PROBLEM = re.compile(r"the '(\w+)' value")
PART_COLUMNS = ("type", "name", "label", "hint", "required", "relevant", "constraint", "constraint_message")


@dataclass(frozen=True)
class Problem:
    """What the definition cannot hold, and where: sheet, row (as the spreadsheet numbers it), column. The
    message is rendered in the reader's language by whoever shows it (`render`, or the web page's filter)."""

    sheet: str
    row: int | None
    column: str | None
    message: Message

    def render(self, translations: NullTranslations, language: str) -> str:
        """"survey, row 12, column type: <the message>" in the catalog's language."""
        where = [self.sheet]
        if self.row:
            where.append(Message(N_("row %(row)s"), row=self.row).render(translations, language))
        if self.column:
            where.append(Message(N_("column %(column)s"), column=self.column).render(translations, language))
        return f"{', '.join(where)}: {self.message.render(translations, language)}"

    def __str__(self) -> str:
        return self.render(ENGLISH, "en")


NOT_A_WORKBOOK = Problem("file", None, None, Message(N_("not an XLSX workbook")))
# what openpyxl raises on a file that is not a workbook: zip and file errors, missing parts, and XML it cannot parse
# (lxml's XMLSyntaxError and ElementTree's ParseError are SyntaxErrors)
UNREADABLE = (BadZipFile, OSError, KeyError, ValueError, SyntaxError)


@dataclass
class ImportResult:
    definition: dict[str, Any] | None  # the raw definition, None when there are problems
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]  # column -> value; translated columns as {lang: text}
    columns: dict[str, str]  # column (and "label::en"...) -> its header, for locating problems

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        return "" if value is None or isinstance(value, dict) else str(value).strip()

    def translated(self, column: str) -> dict[str, str]:
        value = self.cells.get(column)
        return {lang: str(text).strip() for lang, text in (value or {}).items() if text not in (None, "")}


def _header(cell: Any) -> tuple[str, str | None]:
    """("label", "en") for "label::English (en)" or "label::en"; ("type", None) for "type"."""
    text = str(cell or "").strip()
    if "::" not in text:
        return text, None
    column, language = text.split("::", 1)
    match = re.search(r"\((\w+)\)\s*$", language)
    return column.strip(), (match.group(1) if match else language.strip())


def _sheet_rows(sheet, translated: Sequence[str]) -> list[_Row]:
    rows = sheet.iter_rows(values_only=True)
    headers = [_header(cell) for cell in next(rows, ())]
    result = []
    for number, values in enumerate(rows, start=2):
        cells: dict[str, Any] = {}
        columns: dict[str, str] = {}
        for (column, language), value in zip(headers, values, strict=False):
            if not column:
                continue
            if column in translated:
                language = language or "en"
                cells.setdefault(column, {})[language] = value
                columns[f"{column}::{language}"] = f"{column}::{language}"
            else:
                cells[column] = value
            columns.setdefault(column, column)
        if any(value not in (None, "") for value in values):
            result.append(_Row(number, cells, columns))
    return result


def _pyxform_problems(content: bytes) -> list[Problem]:
    try:
        convert(xlsform=content, file_type=".xlsx")
    except PyXFormError as error:
        message = str(error)
        row, sheet, column = (ROW_OF_PROBLEM.search(message), SHEET_OF_PROBLEM.search(message),
                              COLUMN_OF_PROBLEM.search(message))
        return [Problem(sheet.group(1) if sheet else "survey", int(row.group(1)) if row else None,
                        column.group(1) if column else None,
                        Message(N_("pyxform says: %(message)s"), message=ROW_OF_PROBLEM.sub("", message).strip()))]
    except SyntaxError:  # a part of the zip is not XML, or too large for lxml: pyxform lets lxml's error through
        return [NOT_A_WORKBOOK]
    return []


class _Importer:
    def __init__(self, base_raw: Mapping[str, Any], base: Definition, export_rows: Sequence[Mapping[str, Any]],
                 choices: Mapping[str, list[_Row]]):
        self.base_raw = base_raw
        self.base = base
        self.base_questions = {q["code"]: (s["code"], q) for s in base_raw["sections"] for q in s["questions"]}
        self.exported = {row["name"]: row for row in export_rows}
        self.exported_groups = _part_groups(export_rows)
        self.choices = choices
        self.problems: list[Problem] = []
        self.types = {q.code: q.type for q in base.questions}
        self.sources = {q.code: q.choice_values() for q in base.questions if q.type == "shares"}
        self.checks: list[dict[str, Any]] = []
        self.rows_of: dict[str, int] = {}

    def refuse(self, row: _Row | None, column: str | None, message: Message) -> None:
        self.problems.append(Problem("survey", row.number if row else None, column, message))

    # sections and the rows in them

    def sections(self, rows: list[_Row]) -> list[dict[str, Any]]:
        sections: list[dict[str, Any]] = []
        current: dict[str, Any] | None = None
        part_group: tuple[_Row, str, list[_Row]] | None = None
        for row in rows:
            kind, name = row.text("type").replace(" ", "_"), row.text("name")
            if name in (SHELTER_FIELD, VERSION_FIELD):
                continue
            if kind == "begin_group":
                if current is None:
                    current = self.section(row)
                elif part_group is None and name in self.exported_groups:
                    part_group = (row, name, [])
                else:
                    self.refuse(row, "type", Message(N_(
                        "a group inside a section is only the rows of a grid or shares question of the version "
                        "this one derives from")))
            elif kind == "end_group":
                if part_group is not None:
                    current["questions"].append(self.kept_question(*part_group))
                    part_group = None
                elif current is not None:
                    sections.append(current)
                    current = None
            elif part_group is not None:
                if not name.startswith(part_group[1] + PART_SEPARATOR):
                    self.refuse(row, "name", Message(N_("the rows of %(question)s are named %(question)s.<row>"),
                                                     question=part_group[1]))
                else:
                    part_group[2].append(row)
            elif self.part_of(name) is not None:
                self.refuse(row, "type", _unchangeable(self.part_of(name)))
            elif current is None:
                self.refuse(row, "type", Message(N_(
                    "every question belongs to a group (a section of the questionnaire)")))
            else:
                question = self.question(row)
                if question is not None:
                    current["questions"].append(question)
        return self.with_unasked(sections)

    def section(self, row: _Row) -> dict[str, Any]:
        code = row.text("name")
        base = next((s for s in self.base_raw["sections"] if s["code"] == code), None)
        section = {"code": code, "label": self.label(row, "label"), "questions": []}
        condition = self.condition(row, "relevant", base.get("show_if") if base else None)
        if condition is not None:
            section["show_if"] = condition
        return section

    def part_of(self, name: str) -> str | None:
        """The grid or shares question whose row `name` is, if it is one."""
        code = name.split(PART_SEPARATOR, 1)[0]
        return code if PART_SEPARATOR in name and code in self.exported_groups else None

    def kept_question(self, row: _Row, code: str, parts: list[_Row]) -> dict[str, Any]:
        """A grid or shares question stays as in the base: its group and rows must be as the export writes them."""
        self.rows_of[code] = row.number
        self.refuse_changes(row, code, parts)
        self.checks.extend(c for c in self.base_raw.get("checks", []) if c["field"] == code)
        return copy.deepcopy(self.base_questions[code][1])

    def refuse_changes(self, group: _Row, code: str, parts: list[_Row]) -> None:
        exported_group, *exported_parts = self.exported_groups[code]
        for column in _changed_columns(exported_group, group, ("label", "hint", "relevant")):
            self.refuse(group, column, _unchangeable(code))
        by_name = {part["name"]: part for part in exported_parts}
        for part in parts:
            exported = by_name.get(part.text("name"))
            for column in ["name"] if exported is None else _changed_columns(exported, part, PART_COLUMNS):
                self.refuse(part, column, _unchangeable(code))
        known = [part for part in parts if part.text("name") in by_name]
        missing = [name for name in by_name if name not in {part.text("name") for part in known}]
        if missing:
            self.refuse(group, "name", Message(N_(
                "%(question)s lacks its rows %(rows)s: grid and shares questions cannot be changed through XLSForm "
                "(edit them in the definition file)"), question=code, rows=", ".join(missing)))
            return
        moved = next((part for part, name in zip(known, by_name, strict=True) if part.text("name") != name), None)
        if moved is not None:
            self.refuse(moved, "name", _unchangeable(code))

    def with_unasked(self, sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Put back what the export leaves out, each after what precedes it in the base."""
        asked = {q["code"] for s in sections for q in s["questions"]}
        by_code = {s["code"]: s for s in sections}
        for index, base_section in enumerate(self.base_raw["sections"]):
            unasked = [q for q in base_section["questions"] if q["code"] not in self.exported]
            if not unasked:
                continue
            if base_section["code"] not in by_code:
                section = {key: copy.deepcopy(value) for key, value in base_section.items() if key != "questions"}
                section["questions"] = []
                sections.insert(min(index, len(sections)), section)
                by_code[section["code"]] = section
            questions = by_code[base_section["code"]]["questions"]
            for question in unasked:
                before = [q["code"] for q in base_section["questions"]]
                earlier = before[:before.index(question["code"])]
                position = max((i + 1 for i, q in enumerate(questions) if q["code"] in earlier), default=0)
                questions.insert(position, copy.deepcopy(question))
                self.checks.extend(c for c in self.base_raw.get("checks", []) if c["field"] == question["code"])
            asked |= {q["code"] for q in unasked}
        return sections

    # one question

    def question(self, row: _Row) -> dict[str, Any] | None:
        code, xls_type = row.text("name"), row.text("type")
        kind = TYPE_KINDS.get(xls_type.split(" ", 1)[0])
        if kind is None:
            self.refuse(row, "type", Message(N_(
                "the type '%(type)s' cannot be held by the questionnaire (supported: integer, date, text, "
                "select_one, select_multiple)"), type=xls_type))
            return None
        self.rows_of[code] = row.number
        base = self.base_questions.get(code, (None, None))[1]
        if base is not None and KINDS_OF.get(base["type"]) == kind:
            question = copy.deepcopy(base)
        else:
            question = {"code": code, "type": NEW_TYPES[kind]}
        question["label"] = self.label(row, "label")
        hint = row.translated("hint")
        if hint:
            question["help"] = self.label(row, "hint")
        elif not self.unchanged(row, "hint"):
            question.pop("help", None)
        if question["type"] != "text":
            required = row.text("required").lower() in ("yes", "true", "true()", "1")
            question.pop("optional", None)
            if not required:
                question["optional"] = True
        if kind in ("one", "many"):
            self.choose(row, question, xls_type.split(" ", 1)[1].strip() if " " in xls_type else "")
        self.types[code] = question["type"]
        condition = self.condition(row, "relevant", base.get("show_if") if base else None)
        question.pop("show_if", None)
        if condition is not None:
            question["show_if"] = condition
        self.constraint(row, question)
        return question

    def label(self, row: _Row, column: str) -> dict[str, str]:
        label = row.translated(column)
        for lang in LANGUAGES:
            if not label.get(lang):
                self.refuse(row, f"{column}::{lang}", _missing_text(column, lang))
        return {lang: label.get(lang, "") for lang in LANGUAGES}

    def unchanged(self, row: _Row, column: str) -> bool:
        exported = self.exported.get(row.text("name"))
        if exported is None:
            return False
        value = exported.get(column)
        if isinstance(value, Mapping):
            return {lang: text for lang, text in value.items() if text} == row.translated(column)
        return _normalised(value) == _normalised(row.cells.get(column))

    def choose(self, row: _Row, question: dict[str, Any], list_name: str) -> None:
        items = self.choices.get(list_name)
        if not items:
            self.refuse(row, "type", Message(N_("no list '%(list)s' on the choices sheet"), list=list_name))
            return
        values = [item.text("name") for item in items]
        if question["type"] in ("bool", "tri") and list_name in (BOOL_LIST, TRI_LIST):
            return
        if question.get("choices_from") == "regions":
            return
        if question["type"] in ("bool", "tri"):
            question["type"] = "single"
        base = self.base.question(question["code"]) if self.base.has_question(question["code"]) else None
        exclusive = {c.value for c in base.choices if c.exclusive} if base is not None else set()
        new = [{"value": value, "label": self.choice_label(item), **({"exclusive": True} if value in exclusive
                                                                        else {})}
               for value, item in zip(values, items, strict=True)]
        was = [{"value": c.value, "label": dict(c.label), **({"exclusive": True} if c.exclusive else {})}
               for c in base.choices] if base is not None else None
        if new != was:
            question["choices"] = new
            question.pop("extra_choices", None)

    def choice_label(self, item: _Row) -> dict[str, str]:
        label = item.translated("label")
        for lang in LANGUAGES:
            if not label.get(lang):
                self.problems.append(Problem("choices", item.number, f"label::{lang}", Message(N_(
                    "the label in '%(language)s' of the choice '%(choice)s' is missing"), language=lang,
                    choice=item.text("name"))))
        return {lang: label.get(lang, "") for lang in LANGUAGES}

    # skip logic and checks

    def condition(self, row: _Row, column: str, base: Any) -> Any:
        text = row.text(column)
        if self.unchanged(row, column):
            return copy.deepcopy(base)
        if text in ("", "true()"):
            return None
        try:
            return read_xpath(text, self.types, self.sources)
        except XPathError as error:
            self.refuse(row, column, _unreadable_xpath(text, error))
            return None

    def constraint(self, row: _Row, question: dict[str, Any]) -> None:
        code = question["code"]
        base_checks = [c for c in self.base_raw.get("checks", []) if c["field"] == code]
        if self.unchanged(row, "constraint") and self.unchanged(row, "constraint_message"):
            self.checks.extend(copy.deepcopy(base_checks))
            return
        self.checks.extend(copy.deepcopy(c) for c in base_checks if c.get("level") == "warning")
        for key in ("min", "max", "max_length", "max_choices"):
            question.pop(key, None)
        for choice in question.get("choices", []) if isinstance(question.get("choices"), list) else []:
            choice.pop("exclusive", None)
        known = self.exported_checks(code, base_checks)
        message = row.translated("constraint_message")
        new_parts = []
        for part in _conjuncts(row.text("constraint")):
            if part in known:
                self.checks.append(copy.deepcopy(known[part]))
            elif not self.value_rule(part, question):
                new_parts.append(part)
        if not new_parts:
            return
        try:
            conditions = [read_xpath(part, self.types, self.sources, own_code=code) for part in new_parts]
        except XPathError as error:
            self.refuse(row, "constraint", _unreadable_xpath(row.text("constraint"), error))
            return
        if any(not message.get(lang) for lang in LANGUAGES):
            self.refuse(row, "constraint_message", Message(N_(
                "a new constraint needs its message in English and Ukrainian")))
            return
        condition = conditions[0] if len(conditions) == 1 else {"all": conditions}
        self.checks.append({"code": f"{code}_constraint", "field": code, "condition": condition,
                            "message": {lang: message[lang] for lang in LANGUAGES}, "level": "error"})

    def exported_checks(self, code: str, base_checks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Each error-level check of the base as the export writes it (one conjunct of the constraint)."""
        exported = self.exported.get(code, {})
        parts = _conjuncts(exported.get("constraint") or "")
        errors = [c for c in base_checks if c.get("level", "error") == "error"]
        return dict(zip(parts[len(parts) - len(errors):], errors, strict=True)) if errors else {}

    @staticmethod
    def value_rule(part: str, question: dict[str, Any]) -> bool:
        for pattern, key in VALUE_RULES:
            match = pattern.match(part)
            if match is None:
                continue
            if key == "exclusive":
                for choice in question.get("choices", []) if isinstance(question.get("choices"), list) else []:
                    if choice["value"] == match.group(1):
                        choice["exclusive"] = True
                return True
            question[key] = int(match.group(1))
            return True
        return False


def _part_groups(export_rows: Sequence[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    """Each grid or shares question's rows as the export writes them: its begin_group row, then its parts."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for row in export_rows:
        name = row["name"]
        if PART_SEPARATOR in name and name.split(PART_SEPARATOR, 1)[0] in groups:
            groups[name.split(PART_SEPARATOR, 1)[0]].append(row)
        elif row["type"] == "begin_group" and row.get("appearance") == "field-list":
            groups[name] = [row]
    return groups


def _changed_columns(exported: Mapping[str, Any], row: _Row, columns: Sequence[str]) -> list[str]:
    """The columns of `row` that differ from the exported row, a translated one as column::language."""
    changed = []
    for column in columns:
        value = exported.get(column)
        if column in TRANSLATED_COLUMNS:
            wrote, reads = value or {}, row.translated(column)
            changed += [f"{column}::{lang}" for lang in LANGUAGES
                        if _normalised(wrote.get(lang)) != _normalised(reads.get(lang))]
        elif column == "required":
            changed += [column] if _is_yes(value) != _is_yes(row.cells.get(column)) else []
        elif _normalised(value) != _normalised(row.cells.get(column)):
            changed.append(column)
    return changed


def _is_yes(value: Any) -> bool:
    return _normalised(value).lower() in ("yes", "true", "true()", "1")


def _unchangeable(code: str) -> Message:
    return Message(N_("%(question)s is a grid or shares question: it cannot be changed through XLSForm (edit it in "
                      "the definition file)"), question=code)


def _missing_text(column: str, language: str) -> Message:
    if column == "hint":
        return Message(N_("the hint in '%(language)s' is missing"), language=language)
    return Message(N_("the label in '%(language)s' is missing"), language=language)


def _unreadable_xpath(text: str, error: XPathError) -> Message:
    """The XPath reader's reason stays in English (like pyxform's), after the expression."""
    return Message(N_("the expression '%(expression)s' cannot be read: %(reason)s"), expression=text,
                   reason=str(error))


def _normalised(value: Any) -> str:
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def _conjuncts(text: str) -> list[str]:
    """The parts of a constraint joined by a top-level "and", each without its outer parentheses."""
    parts, depth, start, quote = [], 0, 0, None
    text = _normalised(text)
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and text.startswith(" and ", index):
            parts.append(text[start:index])
            start = index + 5
            index += 4
        index += 1
    parts.append(text[start:])
    return [_unwrapped(p.strip()) for p in parts if p.strip()]


def _unwrapped(part: str) -> str:
    while part.startswith("(") and part.endswith(")") and _closes_at_end(part):
        part = part[1:-1].strip()
    return part


def _closes_at_end(part: str) -> bool:
    depth = 0
    for index, char in enumerate(part):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index == len(part) - 1
    return False


def _problem_row(message: str, rows_of: Mapping[str, int]) -> int | None:
    match = re.search(r"(?:question|check) (\S+?)(?:_constraint)?:", message)
    return rows_of.get(match.group(1)) if match else None


def import_xlsform(content: bytes, version: str, base_raw: Mapping[str, Any], base: Definition,
                   translations: Mapping[str, NullTranslations]) -> ImportResult:
    """The definition of `version` an XLSForm says, derived from `base` (its raw JSON and parsed form), or the
    problems that stop it, each with its sheet, row and column."""
    problems = _pyxform_problems(content)
    if problems:
        return ImportResult(None, problems)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except UNREADABLE:
        return ImportResult(None, [NOT_A_WORKBOOK])
    for sheet in ("survey", "choices"):
        if sheet not in book.sheetnames:
            return ImportResult(None, [Problem(sheet, None, None, Message(N_("the workbook has no '%(sheet)s' sheet"),
                                                                          sheet=sheet))])
    choices: dict[str, list[_Row]] = {}
    for row in _sheet_rows(book["choices"], ("label",)):
        choices.setdefault(row.text("list_name"), []).append(row)
    importer = _Importer(base_raw, base, survey_rows(base, translations, {"covid_section": True}), choices)
    sections = importer.sections(_sheet_rows(book["survey"], ("label", "hint", "constraint_message")))
    if importer.problems:
        return ImportResult(None, importer.problems)
    raw = {"version": version, "title": copy.deepcopy(base_raw["title"]),
           "choice_sets": copy.deepcopy(base_raw.get("choice_sets", {})), "sections": sections,
           "checks": _in_base_order(importer.checks, base_raw.get("checks", []))}
    try:
        parse_definition(raw)
    except (DefinitionError, KeyError, TypeError) as error:
        return ImportResult(None, [Problem("survey", _problem_row(str(error), importer.rows_of), None, Message(
            N_("the questionnaire's own check refuses it: %(error)s"), error=str(error)))])
    return ImportResult(raw)


def _in_base_order(checks: list[dict[str, Any]], base_checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = {check["code"]: index for index, check in enumerate(base_checks)}
    unique = {check["code"]: check for check in checks}
    return sorted(unique.values(), key=lambda check: order.get(check["code"], len(order)))


def settings_version(content: bytes) -> str | None:
    """The version the settings sheet names (the export writes the version it was made from), if any."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except UNREADABLE:
        return None
    if "settings" not in book.sheetnames:
        return None
    rows = _sheet_rows(book["settings"], ())
    version = rows[0].text("version") if rows else ""
    return version or None
