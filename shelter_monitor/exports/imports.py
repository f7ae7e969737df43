"""Read responses back from a table in the layout tables.py writes (XLSX "Responses" sheet or CSV).

The first row holds the column keys; a second row of labels (as in the XLSX export) is recognised and skipped.
Each row becomes an answer set, checked against the definition: every value alone (type, choice, range) and
the definition's cross-field checks of level "error". Nothing raises for bad data: problems come back as
RowError(row_number, column, message), row numbers as the spreadsheet shows them (the header is row 1; row 0
is the file as a whole, when it cannot be read at all). Rows with a problem are left out of `rows`.
"""
import csv
import datetime as dt
import functools
import io
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from python_calamine import CalamineError, CalamineWorkbook

from shelter_monitor.exports.columns import FIXED_COLUMNS, JOIN_SEPARATOR, Column, response_columns
from shelter_monitor.exports.tables import MESSAGES
from shelter_monitor.i18n import N_, Message, catalog
from shelter_monitor.questionnaire.conditions import evaluate
from shelter_monitor.questionnaire.model import Definition, Question

__all__ = ["ImportResult", "ImportedRow", "RowError", "read_responses"]

HEADER_ROW = 1
FILE_ROW = 0
CSV_DELIMITERS = (",", ";", "\t")
CSV_ENCODINGS = ("utf-8-sig", "cp1251")  # Excel in a Ukrainian Windows saves "CSV" in cp1251
TRUE_WORDS = {"true", "1", "yes", "y", "так", "істина"}
FALSE_WORDS = {"false", "0", "no", "n", "ні", "хибність"}
_FLAGS = {1: True, 0: False, "1": True, "0": False}
_CSV_ESCAPED = ("'=", "'+", "'-", "'@", "'\t", "'\r")
LABEL_LANGUAGES = ("en", "uk")  # a row of labels under the keys may be in either language


@dataclass(frozen=True)
class ImportedRow:
    row_number: int
    shelter_id: int
    answers: dict[str, Any]


@dataclass(frozen=True)
class RowError:
    row_number: int   # 0: the file as a whole; 1: the header row; then the row as the spreadsheet numbers it
    column: str       # the column key ("C2", "C8b.male") or question code; "" when no one column is at fault
    message: Message  # English as a str; its caller renders it in the reader's language


@dataclass
class ImportResult:
    rows: list[ImportedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Problem(Exception):
    def __init__(self, message: Message) -> None:
        super().__init__(message)
        self.message = message


class _Unreadable(_Problem):
    """The file is not a table this module can read; the message says why."""


class _BadValue(_Problem):
    """One cell's value is wrong; the message says how."""


# ------------------------------------------------------------------------------------------------------------
# Reading the file into rows of cells
# ------------------------------------------------------------------------------------------------------------

def _read_bytes(path_or_stream: str | os.PathLike | IO) -> bytes:
    if isinstance(path_or_stream, (str, os.PathLike)):
        return Path(path_or_stream).read_bytes()
    data = path_or_stream.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _not_a_workbook(error: Exception) -> Message:
    return Message(N_("The file cannot be read as an XLSX workbook (%(error)s)."), error=str(error))


def _xlsx_rows(path_or_stream: str | os.PathLike | IO) -> Iterator[tuple[int, tuple]]:
    # calamine (Rust) reads a sheet about ten times as fast as openpyxl's read-only mode (bench.exports_bench).
    try:
        if isinstance(path_or_stream, (str, os.PathLike)):
            workbook = CalamineWorkbook.from_path(os.fspath(path_or_stream))
        else:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(_read_bytes(path_or_stream)))
    except (CalamineError, OSError, ValueError, TypeError) as error:
        raise _Unreadable(_not_a_workbook(error)) from error
    with workbook:
        # The sheet's English name, else the first sheet (the export's language may have renamed it).
        name = MESSAGES["table_sheet_responses"]
        try:
            sheet = workbook.get_sheet_by_name(name if name in workbook.sheet_names else workbook.sheet_names[0])
            rows = sheet.iter_rows()
        except (CalamineError, IndexError) as error:
            raise _Unreadable(_not_a_workbook(error)) from error
        # calamine gives "" for an empty cell (blank to the readers, as None is) and a float for every number.
        for number, values in enumerate(rows, 1):
            yield number, tuple(values)


def _csv_rows(path_or_stream: str | os.PathLike | IO) -> Iterator[tuple[int, tuple]]:
    raw = _read_bytes(path_or_stream)
    for encoding in CSV_ENCODINGS:
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1251 decodes almost anything
        raise _Unreadable(Message(N_("The CSV file is neither UTF-8 nor Windows-1251 text.")))
    if "\x00" in text:
        raise _Unreadable(Message(N_("The file is not a CSV text file.")))
    first_line = text.split("\n", 1)[0]
    delimiter = max(CSV_DELIMITERS, key=first_line.count)
    # A record number, not a line number: Excel shows a quoted multi-line cell as one row too.
    for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
        yield number, tuple(values)


def _rows(path_or_stream: str | os.PathLike | IO, filename: str) -> Iterator[tuple[int, tuple]]:
    suffix = Path(filename or "").suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path_or_stream)
    if suffix in (".csv", ".txt"):
        return _csv_rows(path_or_stream)
    raise _Unreadable(Message(N_("“%(file)s” is neither an XLSX nor a CSV file."), file=filename))


# ------------------------------------------------------------------------------------------------------------
# One cell
# ------------------------------------------------------------------------------------------------------------

def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: Any) -> str:
    return str(value).strip()


def _not_whole(value: Any) -> Message:
    return Message(N_("Expected a whole number, got “%(value)s”."), value=_shown(value))


def _as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise _BadValue(_not_whole(value))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = None
            if number is not None and number.is_integer():
                return int(number)
    raise _BadValue(_not_whole(value))


def _as_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = _shown(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _BadValue(Message(N_("Expected TRUE or FALSE (or 1/0, yes/no), got “%(value)s”."), value=_shown(value)))


def _as_date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(_shown(value)).isoformat()
    except ValueError:
        raise _BadValue(Message(N_("Expected a date as YYYY-MM-DD, got “%(value)s”."), value=_shown(value))) from None


def _as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    text = str(value)
    # The CSV writer puts an apostrophe before text Excel would take for a formula.
    return text[1:] if text.startswith(_CSV_ESCAPED) else text


def _choice_reader(question: Question) -> Callable[[Any], str]:
    """A function reading one choice value of the question (exact, else case-insensitive); its choices are
    looked up once, not per cell."""
    if question.choices_from == "rounds":
        return lambda value: _as_text(value).strip()
    allowed = question.choice_values()
    known = frozenset(allowed)
    by_lower = {choice.lower(): choice for choice in allowed}

    def choice(value: Any) -> str:
        text = _as_text(value).strip()
        if text in known:
            return text
        if text.lower() in by_lower:
            return by_lower[text.lower()]
        raise _BadValue(Message(N_("“%(value)s” is not a choice of %(question)s (choices: %(choices)s)."),
                                value=text, question=question.code, choices=", ".join(allowed)))
    return choice


def _check_range(question: Question, number: int) -> int:
    if question.min is not None and number < question.min:
        raise _BadValue(Message(N_("Must be at least %(min)s, got %(value)s."), min=question.min, value=number))
    if question.max is not None and number > question.max:
        raise _BadValue(Message(N_("Must be at most %(max)s, got %(value)s."), max=question.max, value=number))
    return number


def _multi_checker(question: Question) -> Callable[[list[str]], list[str]]:
    """A function checking the choices of one multiple-choice answer (its exclusive choices found once)."""
    exclusives = [choice.value for choice in question.choices if choice.exclusive]
    limit = question.max_choices

    def check(chosen: list[str]) -> list[str]:
        if len(set(chosen)) != len(chosen):
            raise _BadValue(Message(N_("A choice is given twice.")))
        if len(chosen) > 1 and (exclusive := next((value for value in exclusives if value in chosen), None)):
            raise _BadValue(Message(N_("“%(value)s” cannot be combined with other choices."), value=exclusive))
        if limit and len(chosen) > limit:
            raise _BadValue(Message(N_("At most %(limit)s choices may be given, got %(count)s."), limit=limit,
                                    count=len(chosen)))
        return chosen
    return check


def _whole_reader(question: Question) -> Callable[[Any], Any]:
    """A function reading the answer held by a column named by the question code alone."""
    kind = question.type
    if kind == "bool":
        return _as_bool
    if kind in ("int", "money"):
        return lambda value: _check_range(question, _as_int(value))
    if kind == "date":
        return _as_date
    if kind == "text":
        return _as_text
    choice = _choice_reader(question)
    if kind in ("single", "tri"):
        return choice
    check = _multi_checker(question)

    def joined(value: Any) -> list[str] | None:
        # A joined multi (grids and shares are never one column: their keys are unknown columns).
        parts = [part.strip() for part in _as_text(value).split(JOIN_SEPARATOR) if part.strip()]
        return check([choice(part) for part in parts]) or None
    return joined


def _flag(value: Any) -> bool:
    found = _FLAGS.get(value) if value.__class__ in (int, float, str) else None
    if found is not None:  # the export's own 1 / 0, quickly
        return found
    try:
        return _as_bool(value)
    except _BadValue:
        raise _BadValue(Message(N_("Expected 1 (chosen) or 0 (not chosen), got “%(value)s”."),
                                value=_shown(value))) from None


def _share(value: Any) -> int:
    try:
        share = _as_int(value)
    except _BadValue:
        share = -1
    if not 0 <= share <= 100:
        raise _BadValue(Message(N_("Expected a percentage, a whole number from 0 to 100, got “%(value)s”."),
                                value=_shown(value)))
    return share


def _part_reader(column: Column) -> Callable[[Any], Any]:
    """A function reading one split column: a choice flag, a grid row's choice, or a source's percentage."""
    if column.type == "multi":
        return _flag
    if column.type == "grid":
        return _choice_reader(column.question)
    return _share


def _parts_combiner(question: Question) -> Callable[[dict[str, Any]], Any]:
    """A function giving the answer of a question given one column per choice / row / source (None when every
    cell is blank)."""
    if question.type == "multi":
        choices = question.choice_values()
        check = _multi_checker(question)
        return lambda flags: check([value for value in choices if flags.get(value)]) or None
    if question.type == "grid":
        rows = [row.value for row in question.rows]
        return lambda flags: {row: flags[row] for row in rows if row in flags} or None
    # The export writes 0 for a source the answer leaves out: it is not part of the answer.
    sources = question.choice_values()
    return lambda flags: {source: flags[source] for source in sources if flags.get(source)} or None


# ------------------------------------------------------------------------------------------------------------
# The header and the rows
# ------------------------------------------------------------------------------------------------------------

@dataclass
class _Layout:
    """Which question column stands at which index of a row, with the function reading its cells."""

    width: int                   # the header's length: shorter rows are padded with blanks to it
    shelter_id_at: int
    version_at: int | None
    wholes: list[tuple[int, Column, Callable[[Any], Any]]]
    # question code -> its split columns (index, column, cell reader) and the function combining their values
    parts: list[tuple[str, list[tuple[int, Column, Callable[[Any], Any]]], Callable[[dict[str, Any]], Any]]]


def _layout(header: tuple, definition: Definition, errors: list[RowError]) -> _Layout | None:
    known = {column.key: column for multi in ("split", "joined")
             for column in response_columns({definition.version: definition}, multi)}
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = "" if cell is None else str(cell).strip().lstrip("\ufeff")
        if not key:
            continue
        if key not in known:
            errors.append(RowError(HEADER_ROW, key, Message(N_(
                "Unknown column “%(column)s”: questionnaire %(version)s has no such question, choice, row or "
                "source."), column=key, version=definition.version)))
        elif key in seen:
            errors.append(RowError(HEADER_ROW, key, Message(N_("Column “%(column)s” appears twice; only the first "
                                                               "is read."), column=key)))
        else:
            seen[key] = index
    if "shelter_id" not in seen:
        errors.append(RowError(HEADER_ROW, "shelter_id", Message(N_("The file has no shelter_id column."))))
        return None
    wholes, parts = [], {}
    for key, index in seen.items():
        column = known[key]
        if column.is_fixed:
            continue
        if column.part is not None:
            parts.setdefault(column.code, []).append((index, column, _part_reader(column)))
        else:
            wholes.append((index, column))
    for index, column in list(wholes):
        if column.code in parts:
            errors.append(RowError(HEADER_ROW, column.key, Message(N_(
                "%(question)s is given both as one column and as one column per choice; the single column is "
                "ignored."), question=column.code)))
            wholes.remove((index, column))
    return _Layout(len(header), seen["shelter_id"], seen.get("questionnaire_version"),
                   [(index, column, _whole_reader(column.question)) for index, column in wholes],
                   [(code, columns, _parts_combiner(definition.question(code))) for code, columns in parts.items()])


def _cell(values: tuple, index: int | None) -> Any:
    return values[index] if index is not None and index < len(values) else None


@functools.cache
def _shelter_id_labels() -> frozenset[str]:
    """The shelter id column's label in each language an export writes."""
    column = next(column for column in FIXED_COLUMNS if column.key == "shelter_id")
    return frozenset(column.header_label(language, catalog(language)).casefold() for language in LABEL_LANGUAGES)


def _is_label_row(values: tuple, layout: _Layout) -> bool:
    """The second row of an exported workbook holds labels: the shelter id column's label, in any language."""
    cell = _cell(values, layout.shelter_id_at)
    return isinstance(cell, str) and cell.strip().casefold() in _shelter_id_labels()


def _read_row(number: int, values: tuple, layout: _Layout, definition: Definition,
              context: Mapping[str, Any]) -> tuple[ImportedRow | None, list[RowError]]:
    errors: list[RowError] = []
    answers: dict[str, Any] = {}
    shelter_id = None
    if len(values) < layout.width:
        values = values + (None,) * (layout.width - len(values))
    try:
        shelter_id = _as_int(values[layout.shelter_id_at])
    except _BadValue:
        errors.append(RowError(number, "shelter_id", Message(N_("A shelter_id (a whole number) is required."))))
    version = _cell(values, layout.version_at)
    if not _blank(version) and _as_text(version).strip() != definition.version:
        errors.append(RowError(number, "questionnaire_version", Message(N_(
            "The row is of questionnaire version %(row_version)s; this import reads version %(version)s."),
            row_version=_shown(version), version=definition.version)))
    # The loops below run once per cell of a large import: blanks are tested inline (as _blank).
    for index, column, read in layout.wholes:
        value = values[index]
        if value is None or (value.__class__ is str and not value.strip()):
            continue
        try:
            answer = read(value)
        except _BadValue as problem:
            errors.append(RowError(number, column.key, problem.message))
            continue
        if answer is not None:
            answers[column.code] = answer
    for code, columns, combine in layout.parts:
        flags: dict[str, Any] = {}
        for index, column, read in columns:
            value = values[index]
            if value is None or (value.__class__ is str and not value.strip()):
                continue
            try:
                flags[column.part] = read(value)
            except _BadValue as problem:
                errors.append(RowError(number, column.key, problem.message))
        try:
            answer = combine(flags)
        except _BadValue as problem:
            errors.append(RowError(number, code, problem.message))
            continue
        if answer is not None:
            answers[code] = answer
    for check in definition.checks:
        if check.level == "error" and evaluate(check.condition, answers, context) is False:
            errors.append(RowError(number, check.field, Message.of_text(check.message)))
    if errors:
        return None, errors
    return ImportedRow(number, shelter_id, answers), errors


Rows = Iterator[tuple[int, tuple]]


def read_responses(path_or_stream: str | os.PathLike | IO, filename: str, definition: Definition,
                   adapt: Callable[[Rows], Rows] | None = None) -> ImportResult:
    """Read the responses of an XLSX or CSV file in the export layout and check each row against `definition`.
    `adapt` turns the file's rows (header first, each with its number) into that layout (ODK or Kobo exports:
    exports/submissions.py); a ValueError it raises makes the file unreadable.

    Returns the rows without problems and every problem found: unknown or repeated columns (row 1), each
    wrong value (its row and column), each broken cross-field check of level "error" (its row and the check's
    field), a missing or non-numeric shelter_id. A file that cannot be read gives one error in row 0.
    """
    result = ImportResult()
    # Checks that read the round's dates are unknown here, so they do not fire; "not in the future" does.
    context = {"today": dt.date.today().isoformat()}
    try:
        rows = _rows(path_or_stream, filename)
        if adapt is not None:
            rows = adapt(rows)
        first = next(rows, None)
        if first is None or all(_blank(cell) for cell in first[1]):
            raise _Unreadable(Message(N_("The file has no header row of column keys.")))
        layout = _layout(first[1], definition, result.errors)
        if layout is None:
            return result
        for number, values in rows:
            if all(_blank(cell) for cell in values):
                continue
            if number == HEADER_ROW + 1 and _is_label_row(values, layout):
                continue
            row, errors = _read_row(number, values, layout, definition, context)
            result.errors.extend(errors)
            if row is not None:
                result.rows.append(row)
    except _Unreadable as error:
        return ImportResult([], [RowError(FILE_ROW, "", error.message)])
    except (csv.Error, CalamineError, OSError, ValueError, KeyError) as error:
        # A file that breaks off part way (a truncated workbook, a malformed CSV line).
        return ImportResult([], [RowError(FILE_ROW, "", Message(N_("The file cannot be read (%(error)s)."),
                                                                error=str(error)))])
    return result
