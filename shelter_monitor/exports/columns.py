"""The column layout of the responses table (XLSX sheet and CSV), shared by the writers and the importer.

Fixed columns first, then one column per question code of any of the definitions, in questionnaire order. A
question asked by some versions only is still a column (blank for the others); a question only in a later
version goes right after the question it follows there. Regional-form questions (I4, I4a_*) are not columns.

A question becomes one column named by its code, except:
  multi   with multi="split": one column per choice, "C8b.male", 1 when chosen, 0 when not, blank when the
          question is unanswered; with multi="joined": one column "C8b", the choice values joined by ";"
  grid    one column per row, "E1.psych", holding the row's answer (a choice value)
  shares  one column per source, "I1.donor", holding its percentage (0 when the answer leaves the source out,
          blank when the question is unanswered)
Labels and types come from the newest definition that has the question (versions compared numerically).

The fixed columns describe the response: its id, round, region, shelter, state, questionnaire version, and who
submitted and reviewed it when (the names of users, never their emails).
"""
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shelter_monitor.exports.data import ResponseRow
from shelter_monitor.i18n import N_, NullTranslations
from shelter_monitor.questionnaire.conditions import is_absent
from shelter_monitor.questionnaire.model import Choice, Definition, Label, Question, localize

__all__ = ["FIXED_COLUMNS", "JOIN_SEPARATOR", "MULTI_LAYOUTS", "PART_SEPARATOR", "Column", "cell_value",
           "response_columns", "row_reader", "sorted_definitions"]

MULTI_LAYOUTS = ("split", "joined")
JOIN_SEPARATOR = ";"
PART_SEPARATOR = "."
SPLIT_TYPES = ("grid", "shares")  # always one column per row / source, whatever `multi` says
_SCALARS = frozenset((str, int, float, bool))


@dataclass(frozen=True)
class Column:
    """One column: `key` heads it in the file ("C1", "C8b.male", "shelter_id"); `code` is the question code
    (None for the fixed columns); `type` is the question type, or "int" / "string" for a fixed column; `part`
    is the choice, grid row or shares source of a column that holds one of them."""

    key: str
    code: str | None
    type: str
    label: Label | str  # a question's {"en", "uk"} label; a fixed column's English message id
    part: str | None = None
    part_label: Label | None = None
    question: Question | None = field(default=None, compare=False, repr=False)

    def header_label(self, language: str, translations: NullTranslations) -> str:
        """The label in `language`: a fixed column's through `translations` (the catalog of that language); a
        question's from the definition, followed by the choice / row / source label."""
        if isinstance(self.label, str):
            return translations.gettext(self.label)
        text = localize(self.label, language)
        if self.part_label is not None:
            return f"{text}: {localize(self.part_label, language)}"
        return text

    @property
    def is_fixed(self) -> bool:
        return self.code is None


FIXED_COLUMNS: tuple[Column, ...] = (
    Column("response_id", None, "int", N_("Response ID")),
    Column("round", None, "string", N_("Monitoring round")),
    Column("region", None, "string", N_("Region (ISO code)")),
    Column("shelter_id", None, "int", N_("Shelter ID")),
    Column("shelter_name", None, "string", N_("Shelter")),
    Column("state", None, "state", N_("State")),
    Column("questionnaire_version", None, "string", N_("Questionnaire version")),
    Column("submitted_at", None, "datetime", N_("Submitted at (UTC)")),
    Column("submitted_by", None, "string", N_("Submitted by")),
    Column("reviewed_at", None, "datetime", N_("Reviewed at (UTC)")),
    Column("reviewed_by", None, "string", N_("Reviewed by")),
)


def _version_key(version: str) -> tuple:
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\-_]", version))


def sorted_definitions(definitions: Mapping[str, Definition]) -> list[Definition]:
    """The definitions, oldest version first (2020.2 before 2020.10)."""
    return [definitions[version] for version in sorted(definitions, key=_version_key)]


def _merge(order: list[str], items: Sequence[str]) -> None:
    """Add to `order` the items it lacks, each right after the item that precedes it in `items`."""
    known = set(order)
    previous: str | None = None
    for item in items:
        if item not in known:
            order.insert(order.index(previous) + 1 if previous is not None else 0, item)
            known.add(item)
        previous = item


def _parts(question: Question) -> tuple[Choice, ...]:
    return question.rows if question.type == "grid" else question.choices


def response_columns(definitions: Mapping[str, Definition], multi: str = "split") -> list[Column]:
    """The columns of the responses table for these questionnaire versions (see the module docstring)."""
    if multi not in MULTI_LAYOUTS:
        raise ValueError(f"multi must be one of {MULTI_LAYOUTS}, got {multi!r}")
    codes: list[str] = []
    newest: dict[str, Question] = {}
    parts: dict[str, list[str]] = {}
    part_labels: dict[tuple[str, str], Label] = {}
    for definition in sorted_definitions(definitions):
        asked = [q for q in definition.questions if q.form != "regional"]
        _merge(codes, [q.code for q in asked])
        for question in asked:
            newest[question.code] = question
            _merge(parts.setdefault(question.code, []), [c.value for c in _parts(question)])
            for choice in _parts(question):
                part_labels[question.code, choice.value] = choice.label
    columns = list(FIXED_COLUMNS)
    for code in codes:
        question = newest[code]
        if question.type in SPLIT_TYPES or (question.type == "multi" and multi == "split"):
            columns.extend(
                Column(f"{code}{PART_SEPARATOR}{part}", code, question.type, question.label, part,
                       part_labels[code, part], question)
                for part in parts[code]
            )
        else:
            columns.append(Column(code, code, question.type, question.label, question=question))
    return columns


def _answer_getter(column: Column) -> Callable[[Mapping[str, Any]], Any]:
    """A function giving the column's cell from an answer set (built once per column: rows are many)."""
    code, part = column.code, column.part
    if part is not None and column.type == "multi":
        def flag(answers: Mapping[str, Any]) -> Any:
            value = answers.get(code)
            return (1 if part in value else 0) if isinstance(value, list) and value else None
        return flag
    if part is not None and column.type == "shares":
        def share(answers: Mapping[str, Any]) -> Any:
            value = answers.get(code)
            # A source left out of an answered question has no share: 0, so that sums and means are right.
            return value.get(part, 0) if isinstance(value, Mapping) and value else None
        return share
    if part is not None:
        def entry(answers: Mapping[str, Any]) -> Any:
            value = answers.get(code)
            return value.get(part) if isinstance(value, Mapping) else None
        return entry
    joined = column.type == "multi"

    def whole(answers: Mapping[str, Any]) -> Any:
        value = answers.get(code)
        if value is None or value.__class__ in _SCALARS:
            return None if value == "" else value
        if is_absent(value):
            return None
        if joined and isinstance(value, list):
            return JOIN_SEPARATOR.join(str(choice) for choice in value)
        # Stored answers are validated; anything else is shown as text rather than breaking the export.
        return str(value)
    return whole


def cell_value(column: Column, answers: Mapping[str, Any]) -> Any:
    """The cell of a question column for one answer set: None (blank) when unanswered; 1/0 for a split
    multi choice; the choice values joined by ";" for a joined multi; the row's choice value of a grid; the
    source's percentage of a shares answer (0 for a source it leaves out); otherwise the JSON value (bool, int,
    choice value, ISO date, text)."""
    return _answer_getter(column)(answers)


def row_reader(columns: Sequence[Column],
               shown: Sequence[Callable[[Any], Any] | None] | None = None) -> Callable[[ResponseRow], list[Any]]:
    """A function giving one row of the responses table: the fixed columns from the response, the others from
    its answers (as cell_value). `shown`, one per column, turns a non-blank cell into what the file holds
    (a label, a date); None leaves the column's cells as they are."""
    getters = [(column.key, None) if column.is_fixed else (None, _answer_getter(column)) for column in columns]
    if shown is not None and any(shown):
        plain = getters
        getters = []
        for (key, getter), convert in zip(plain, shown, strict=True):
            if convert is None:
                getters.append((key, getter if getter is None else
                                lambda answers, response, getter=getter: getter(answers)))
            elif getter is None:
                getters.append((None, lambda answers, response, key=key, convert=convert:
                                _shown(convert, getattr(response, key))))
            else:
                getters.append((None, lambda answers, response, getter=getter, convert=convert:
                                _shown(convert, getter(answers))))

        def read_shown(response: ResponseRow) -> list[Any]:
            answers = response.answers
            return [getattr(response, key) if getter is None else getter(answers, response)
                    for key, getter in getters]
        return read_shown

    def read(response: ResponseRow) -> list[Any]:
        answers = response.answers
        return [getattr(response, key) if getter is None else getter(answers) for key, getter in getters]
    return read


def _shown(convert: Callable[[Any], Any], value: Any) -> Any:
    return None if value is None else convert(value)
