"""The responses table as an SPSS (.sav) or Stata (.dta) data file, written with pyreadstat.

The same rows and columns as the XLSX's Responses sheet with the same TableOptions (every round's responses with
their round in an all-rounds export, one region's in a regional one; multiple-choice answers split into one 0/1
variable per choice, or joined into one text variable of the choices separated by ";"), each column a variable
named after its key and made valid for both programs (variable_names):
letters, digits and underscores, starting with a letter, at most 32 characters ("C8b.male" becomes "C8b_male").
Every variable is labelled with its column's label in the export's language (the question text, and the choice,
grid row or source of a split column); the values of a choice are numbered 1, 2, ... in the questionnaire's
order and carry their labels, as do the 0/1 of a yes/no answer or a chosen choice, and the state. Numbers are
numbers, dates are dates, the submission times date-times; free text stays text (only when include_text).

options.values: a choice is always stored as its number with the value labels beside it, which is how both
programs show labels ("labels" changes nothing there); only a joined multi-choice variable, being text, holds the
choices' labels instead of their values with values="labels". options.header and options.delimiter do not apply.

Stata limits: a variable label holds at most 80 bytes (longer ones are cut at a character); text longer than
2,045 bytes becomes a strL, whose blanks are empty strings. SPSS: a value label holds at most 120 bytes.
"""
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd
import pyreadstat

from shelter_monitor.exports.columns import Column, row_reader
from shelter_monitor.exports.data import ExportData
from shelter_monitor.exports.tables import MESSAGES, TableOptions, cell_converters, table_columns
from shelter_monitor.questionnaire.model import localize

__all__ = ["FORMATS", "StatsColumn", "stats_columns", "variable_names", "write_dta", "write_sav"]

FORMATS = ("sav", "dta")
NAME_LIMIT = 32
STATA_LABEL_BYTES = 80
SPSS_VALUE_LABEL_BYTES = 120
# Words Stata keeps for itself: no variable may be named so.
STATA_RESERVED = frozenset({
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_pi", "_pred",
    "_rc", "_skip", "str", "strl", "using", "with"})
_NOT_NAME = re.compile(r"[^A-Za-z0-9_]")
_CHOICE_TYPES = ("single", "tri", "grid")


def variable_names(keys: Sequence[str]) -> list[str]:
    """A valid SPSS and Stata name for each column key, all different: other characters become "_", a name not
    starting with a letter gets a "v" in front, and a name too long, reserved or already taken is cut and
    numbered."""
    names: list[str] = []
    taken: set[str] = set()
    for key in keys:
        name = _NOT_NAME.sub("_", key)
        if not name[:1].isalpha() or not name[:1].isascii():
            name = "v" + name
        name = name[:NAME_LIMIT]
        candidate, number = name, 1
        while candidate.lower() in taken or candidate.lower() in STATA_RESERVED:
            number += 1
            suffix = f"_{number}"
            candidate = name[:NAME_LIMIT - len(suffix)] + suffix
        taken.add(candidate.lower())
        names.append(candidate)
    return names


@dataclass(frozen=True)
class StatsColumn:
    """One variable: its name, label, value labels ({} for none) and how a table cell becomes its value."""

    name: str
    label: str
    value_labels: dict[int, str]
    convert: Callable[[Any], Any] | None
    kind: str   # number | text | date | datetime
    identifier: bool = False   # an id (response, shelter): a number that measures nothing

    @property
    def measure(self) -> str:
        """SPSS's level of measurement: nominal for choices, flags, text and ids; scale for counts, amounts,
        shares and dates."""
        return "nominal" if self.value_labels or self.kind == "text" or self.identifier else "scale"


def _text(data: ExportData, key: str) -> str:
    return data.translations.gettext(MESSAGES[f"table_{key}"])


def _coded(labels: dict[str, str]) -> tuple[dict[int, str], Callable[[Any], Any]]:
    """Choice values numbered 1, 2, ... in order: (code -> label, value -> code)."""
    codes = {value: number for number, value in enumerate(labels, 1)}
    return {codes[value]: label for value, label in labels.items()}, lambda value: codes.get(value)


def _as_date(value: Any) -> Any:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return None


def _variable(data: ExportData, column: Column, name: str, options: TableOptions) -> StatsColumn:
    question, kind, language = column.question, column.type, data.language
    label = column.header_label(language, data.translations)
    yes_no = {0: _text(data, "answer_no"), 1: _text(data, "answer_yes")}
    if column.is_fixed:
        if kind == "state":
            states = {"submitted": _text(data, "state_submitted"), "approved": _text(data, "state_approved")}
            labels, convert = _coded(states)
            return StatsColumn(name, label, labels, convert, "number")
        if kind == "datetime":
            return StatsColumn(name, label, {}, None, "datetime")
        return StatsColumn(name, label, {}, None, "number" if kind == "int" else "text", identifier=True)
    if kind == "multi" and column.part is None:
        (joined,) = cell_converters(data, [column], options.values)
        return StatsColumn(name, label, {}, joined, "text")
    if kind == "multi":
        flags = {0: _text(data, "flag_not_chosen"), 1: _text(data, "flag_chosen")}
        return StatsColumn(name, label, flags, None, "number")
    if kind == "bool":
        return StatsColumn(name, label, yes_no, int, "number")
    if kind in ("int", "money", "shares"):
        return StatsColumn(name, label, {}, None, "number")
    if kind == "date":
        return StatsColumn(name, label, {}, _as_date, "date")
    if kind in _CHOICE_TYPES and question is not None and question.choices_from is None:
        if kind == "tri":
            choices = {value: _text(data, f"answer_{value}") for value in question.choice_values()}
        else:
            choices = {choice.value: localize(choice.label, language) for choice in question.choices}
        labels, convert = _coded(choices)
        return StatsColumn(name, label, labels, convert, "number")
    return StatsColumn(name, label, {}, None, "text")


def stats_columns(data: ExportData, options: TableOptions | None = None) -> tuple[list[Column], list[StatsColumn]]:
    """The table's columns as `options` lay them out (multi answers split or joined, free text only with
    options.include_text) and the variable each becomes."""
    options = options or TableOptions()
    columns = table_columns(data, options.multi, options.include_text)
    names = variable_names([column.key for column in columns])
    return columns, [_variable(data, column, name, options) for column, name in zip(columns, names, strict=True)]


def _cut(text: str, limit: int) -> str:
    """At most `limit` bytes of UTF-8, cut at a character."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


@dataclass(frozen=True)
class _DateCoding:
    """How a program keeps a date: a number counted from its epoch, shown in a date format. A date column is
    handed to pyreadstat so, not as date objects: those it takes for text when the first hundred are blank."""

    epoch: dt.date
    per_day: int
    display: str

    def number(self, value: dt.date | None) -> float | None:
        return None if value is None else float((value - self.epoch).days * self.per_day)


SPSS_DATES = _DateCoding(dt.date(1582, 10, 14), 86_400, "DATE11")   # seconds since the Gregorian calendar
STATA_DATES = _DateCoding(dt.date(1960, 1, 1), 1, "%td")            # days since 1960


def _frame(data: ExportData, options: TableOptions, blank_text: str | None,
           dates: _DateCoding) -> tuple[pd.DataFrame, list[StatsColumn]]:
    columns, variables = stats_columns(data, options)
    read = row_reader(columns, [variable.convert for variable in variables])
    rows = [read(response) for response in data.responses]
    series = {}
    for index, variable in enumerate(variables):
        values = [row[index] for row in rows]
        if variable.kind == "number":
            series[variable.name] = pd.Series(values, dtype="float64")
        elif variable.kind == "datetime":
            series[variable.name] = pd.to_datetime(pd.Series(values, dtype="object"))
        elif variable.kind == "date":
            series[variable.name] = pd.Series([dates.number(value) for value in values], dtype="float64")
        else:
            series[variable.name] = pd.Series([blank_text if value is None else str(value) for value in values],
                                              dtype="object")
    return pd.DataFrame(series, columns=[variable.name for variable in variables]), variables


def _write(writer: Callable[..., None], suffix: str, frame: pd.DataFrame, stream: IO[bytes] | str | os.PathLike,
           **options: Any) -> None:
    if isinstance(stream, (str, os.PathLike)):
        writer(frame, os.fspath(stream), **options)
        return
    # pyreadstat writes to a path only
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{suffix}"
        writer(frame, str(path), **options)
        stream.write(path.read_bytes())


def write_sav(data: ExportData, stream: IO[bytes] | str | os.PathLike, include_text: bool = False,
              options: TableOptions | None = None) -> None:
    """Write the responses as an SPSS data file (see the module docstring) to a binary stream or a path, laid
    out as `options` say (include_text taken from them when they are given)."""
    frame, variables = _frame(data, options or TableOptions(include_text=include_text), None, SPSS_DATES)
    _write(pyreadstat.write_sav, "sav", frame, stream, file_label=_cut(data.round_name, 64),
           variable_format={v.name: SPSS_DATES.display for v in variables if v.kind == "date"},
           column_labels=[variable.label for variable in variables],
           variable_value_labels={v.name: {code: _cut(text, SPSS_VALUE_LABEL_BYTES) for code, text in
                                           v.value_labels.items()} for v in variables if v.value_labels},
           variable_measure={v.name: v.measure for v in variables})


def write_dta(data: ExportData, stream: IO[bytes] | str | os.PathLike, include_text: bool = False,
              options: TableOptions | None = None) -> None:
    """Write the responses as a Stata data file (see the module docstring) to a binary stream or a path, laid
    out as `options` say (include_text taken from them when they are given)."""
    frame, variables = _frame(data, options or TableOptions(include_text=include_text), "", STATA_DATES)
    _write(pyreadstat.write_dta, "dta", frame, stream, file_label=_cut(data.round_name, STATA_LABEL_BYTES),
           variable_format={v.name: STATA_DATES.display for v in variables if v.kind == "date"},
           column_labels=[_cut(variable.label, STATA_LABEL_BYTES) for variable in variables],
           variable_value_labels={v.name: v.value_labels for v in variables if v.value_labels})
