"""The round's data as tables: an XLSX workbook and a CSV file of the responses.

A workbook of an export with a programme (data.programme) has a Programme sheet: the plan against the entered and
measured values, one row per indicator or funding line and year plus one for its total, numbers as numbers.

Both stream: the workbook is written in constant-memory mode (each row goes to a temporary file as it is made) and
the CSV row by row, so memory stays flat however many responses there are. The workbook's writer is
rvgsrust-xlsxwriter, Python's face on the Rust rust_xlsxwriter (by XlsxWriter's author): the pure-Python
XlsxWriter alone needs about 10 s of CPU for the cells of 10,000 responses x 268 columns, the Rust one about 2 s
(bench/exports_bench.py). A text cell holds at most 32,767 characters (Excel's limit); longer text is cut.

Layout options (TableOptions): `values` "codes" (choice values, as the importer reads them) or "labels" (choice
labels and the state in the export's language); `header` "codes" (one row of column keys, the default, which R,
pandas and SPSS read as the header), "labels" (one row of labels) or "both" (keys, then labels); the CSV's
`delimiter` (";" for Ukrainian, as Excel in a Ukrainian locale expects, "," otherwise). Dates and the submission
times are real dates in the workbook (ISO text in the CSV). The Columns sheet is the codebook: every column's
labels in both languages, its type and what its values mean.

Answers to `text` questions (free text: names, settlements, comments) may hold sensitive text; they are left
out, columns and all, unless the caller passes include_text=True.

Wording: sheet names and fixed headers are the English message ids of MESSAGES, translated through
`data.translations` (the catalog of the export's language). Question labels come from the definitions in
`data.language`.
"""
import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from rvgsrust_xlsxwriter import Format, Workbook

from shelter_monitor.exports.columns import (
    JOIN_SEPARATOR,
    MULTI_LAYOUTS,
    Column,
    response_columns,
    row_reader,
    sorted_definitions,
)
from shelter_monitor.exports.data import ExportData, FindingRow, RecommendationRow, measure_wording
from shelter_monitor.i18n import N_, catalog
from shelter_monitor.programmes.overview import Cell, Overview, Row
from shelter_monitor.questionnaire.model import Question, localize, question_number

__all__ = ["HEADERS", "MESSAGES", "VALUES", "TableOptions", "answer_label", "cell_converters",
           "default_delimiter", "table_columns", "write_csv", "write_xlsx"]

# The wording this module writes, by key (all start with "table_"), as English message ids: table_sheet_* name
# the sheets, table_col_* head the columns of the Findings, Recommendations,
# Regional forms and Columns sheets, table_scope_* fill the Recommendations' Level column and table_values_*
# the Columns sheet's Values column.
MESSAGES: dict[str, str] = {
    # sheet names (Excel allows at most 31 characters, and none of : \ / ? * [ ])
    "table_sheet_responses": N_("Responses"),
    "table_sheet_findings": N_("Findings"),
    "table_sheet_recommendations": N_("Recommendations"),
    "table_sheet_regional_forms": N_("Regional forms"),
    "table_sheet_columns": N_("Columns"),
    # headers of the Findings, Recommendations and Regional forms sheets
    "table_col_round": N_("Monitoring round"),
    "table_col_shelter": N_("Shelter"),
    "table_col_region": N_("Region"),
    "table_col_region_name": N_("Region name"),
    "table_col_code": N_("Code"),
    "table_col_severity": N_("Severity"),
    "table_col_evidence": N_("Evidence (question: answer)"),
    "table_col_scope": N_("Level"),
    "table_col_status": N_("Status"),
    "table_col_shelters": N_("Shelters"),
    "table_col_regions": N_("Regions"),
    "table_col_reasons": N_("Reasons"),
    "table_col_previous_status": N_("Status in the previous round"),
    "table_col_recommendation": N_("Recommendation"),
    # the Recommendations sheet's Level column
    "table_scope_national": N_("national"),
    "table_scope_regional": N_("regional"),
    # headers of the Columns sheet
    "table_col_key": N_("Column"),
    "table_col_question": N_("Question code"),
    "table_col_label_en": N_("Label (English)"),
    "table_col_label_uk": N_("Label (Ukrainian)"),
    "table_col_type": N_("Type"),
    "table_col_values": N_("Values"),
    # the Columns sheet's Values column
    "table_values_flag": N_("1 = chosen, 0 = not chosen, blank = question not answered"),
    "table_values_joined": N_("choice values separated by “;”"),
    "table_values_bool": N_("TRUE / FALSE"),
    "table_values_date": N_("date, YYYY-MM-DD"),
    "table_values_number": N_("whole number"),
    "table_values_percent": N_("percentage, whole number 0-100"),
    "table_values_round": N_("monitoring round code"),
    "table_values_text": N_("free text"),
    # the Programme sheet: plan against actual, one row per row of the programme and year, then its total
    "table_sheet_programme": N_("Programme"),
    "table_col_task": N_("Task"),
    "table_col_kind": N_("Kind"),
    "table_col_part_of": N_("Part of"),
    "table_col_title": N_("Title"),
    "table_col_unit": N_("Unit"),
    "table_col_year": N_("Year"),
    "table_col_period_total": N_("Total of the years"),
    "table_col_target": N_("Target"),
    "table_col_entered": N_("Official value"),
    "table_col_entered_source": N_("Source of the official value"),
    "table_col_entered_note": N_("Note on the official value"),
    "table_col_measured": N_("Measured value"),
    "table_col_measure": N_("Measured by the platform as"),
    "table_col_entered_share": N_("Official, share of the target"),
    "table_col_measured_share": N_("Measured, share of the target"),
    "table_col_entered_status": N_("Official against target"),
    "table_col_measured_status": N_("Measured against target"),
    # the Programme sheet's Kind, Total and status columns
    "table_kind_indicator": N_("indicator"),
    "table_kind_funding": N_("funding"),
    "table_period_total": N_("Total"),
    "table_status_reached": N_("reached"),
    "table_status_partly": N_("partly"),
    "table_status_behind": N_("behind"),
    "table_status_none": N_("no data"),
    # severities and statuses of the Findings and Recommendations sheets, the responses' state
    "table_severity_medium": N_("medium"),
    "table_severity_high": N_("high"),
    "table_rec_status_issued": N_("issued"),
    "table_rec_status_no_data": N_("no data"),
    "table_state_submitted": N_("submitted"),
    "table_state_approved": N_("approved"),
    # a yes/no answer in the Findings' evidence
    "table_answer_yes": N_("yes"),
    "table_answer_no": N_("no"),
    "table_answer_unknown": N_("unknown"),
    # the value labels of a choice's 0/1 variable in the SPSS and Stata files
    "table_flag_chosen": N_("chosen"),
    "table_flag_not_chosen": N_("not chosen"),
}

TEXT_PREFIX = "table_"
PERCENT_FORMAT = "0%"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
LIST_SEPARATOR = "; "
VALUES = ("codes", "labels")
HEADERS = ("codes", "labels", "both")
DELIMITERS = (",", ";", "\t")
CELL_TEXT_LIMIT = 32_767
_CSV_RISKY_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel may run as a formula when it opens a CSV
# Characters an XLSX file cannot hold (XML 1.0 forbids them); tab, line feed and carriage return are fine.
_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class TableOptions:
    """How the responses table is laid out (see the module docstring)."""

    multi: str = "split"            # split | joined
    include_text: bool = False      # answers to free-text questions
    values: str = "codes"           # codes | labels
    header: str = "codes"           # codes | labels | both
    delimiter: str | None = None    # CSV only; None: default_delimiter(language)

    def __post_init__(self) -> None:
        for name, allowed in (("multi", MULTI_LAYOUTS), ("values", VALUES), ("header", HEADERS)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {allowed}, got {getattr(self, name)!r}")
        if self.delimiter is not None and self.delimiter not in DELIMITERS:
            raise ValueError(f"delimiter must be one of {DELIMITERS}, got {self.delimiter!r}")


def default_delimiter(language: str) -> str:
    """";" in Ukrainian (the decimal separator there is a comma, and Excel expects ";"), "," otherwise."""
    return ";" if language == "uk" else ","


def _text(data: ExportData, name: str) -> str:
    return data.translations.gettext(MESSAGES[TEXT_PREFIX + name])


def table_columns(data: ExportData, multi: str = "split", include_text: bool = False) -> list[Column]:
    """The responses table's columns for this export: `text` answers only when include_text."""
    return [column for column in response_columns(data.definitions, multi) if include_text or column.type != "text"]


def _header_rows(data: ExportData, columns: Sequence[Column], header: str) -> list[list[str]]:
    keys = [column.key for column in columns]
    labels = [column.header_label(data.language, data.translations) for column in columns]
    return {"codes": [keys], "labels": [labels], "both": [keys, labels]}[header]


# ------------------------------------------------------------------------------------------------------------
# Cells as the file shows them: labels, dates
# ------------------------------------------------------------------------------------------------------------

def _choice_labels(data: ExportData, question: Question) -> dict[str, str]:
    """A question's choice values -> labels in data.language (yes / no / unknown for a tri)."""
    if question.type == "tri":
        return {value: _text(data, f"answer_{value}") for value in question.choice_values()}
    return {choice.value: localize(choice.label, data.language) for choice in question.choices}


def _as_date(value: Any) -> Any:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value  # stored answers are validated; anything else stays the text it is


def _iso_datetime(value: Any) -> Any:
    return value.isoformat(sep=" ", timespec="seconds") if isinstance(value, dt.datetime) else value


def cell_converters(data: ExportData, columns: Sequence[Column], values: str = "codes",
                    typed: bool = True) -> list[Callable[[Any], Any] | None]:
    """One function per column turning a cell into what the file holds (None: as it is): with values="labels"
    a choice becomes its label and the state its wording in data.language (split multi-choice columns stay
    1/0); with `typed` a date answer becomes a date, else the submission times become ISO text."""
    labels = values == "labels"
    states = {"submitted": _text(data, "state_submitted"), "approved": _text(data, "state_approved")}
    converters: list[Callable[[Any], Any] | None] = []
    for column in columns:
        question, kind = column.question, column.type
        convert = None
        if kind == "datetime":
            convert = None if typed else _iso_datetime
        elif kind == "date":
            convert = _as_date if typed else None
        elif labels and kind == "state":
            convert = lambda value, states=states: states.get(value, value)  # noqa: E731
        elif labels and question is not None and question.choices_from is None:
            names = _choice_labels(data, question)
            if kind in ("single", "tri") or (kind == "grid" and column.part is not None):
                convert = lambda value, names=names: names.get(value, value)  # noqa: E731
            elif kind == "multi" and column.part is None:
                convert = lambda value, names=names: LIST_SEPARATOR.join(  # noqa: E731
                    names.get(part, part) for part in str(value).split(JOIN_SEPARATOR))
        converters.append(convert)
    return converters


def _questions(data: ExportData) -> dict[str, Question]:
    """Every question (regional ones too) by code, from the newest definition that has it."""
    newest: dict[str, Question] = {}
    for definition in sorted_definitions(data.definitions):
        for question in (*definition.questions, *definition.regional_questions()):
            newest[question.code] = question
    return newest


def answer_label(data: ExportData, question: Question | None, value: Any) -> str:
    """An answer in words in data.language: choice labels, yes/no, grid rows and shares sources by label."""
    language = data.language
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _text(data, "answer_yes" if value else "answer_no")
    names = _choice_labels(data, question) if question is not None else {}
    if isinstance(value, list):
        return ", ".join(names.get(str(item), str(item)) for item in value)
    if isinstance(value, Mapping):
        rows = {row.value: localize(row.label, language) for row in question.rows} if question is not None else {}
        if question is not None and question.type == "shares":
            return ", ".join(f"{names.get(key, key)} {share}%" for key, share in value.items())
        return ", ".join(f"{rows.get(key, key)}: {names.get(str(item), item)}" for key, item in value.items())
    return names.get(value, str(value)) if isinstance(value, str) else str(value)


def _evidence(data: ExportData, finding: FindingRow, questions: Mapping[str, Question]) -> str:
    """The answers behind a finding: "C10 Question: answer" in data.language, one per question."""
    parts = []
    for code, value in finding.evidence.items():
        question = questions.get(code)
        label = localize(question.label, data.language) if question is not None else ""
        parts.append(f"{question_number(code)} {label}: {answer_label(data, question, value)}" if label else
                     f"{question_number(code)}: {answer_label(data, question, value)}")
    return LIST_SEPARATOR.join(parts)


# ------------------------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Percent:
    """A share (0.87) written as a number shown as a percentage (87%)."""

    value: Decimal


class _Book:
    """The workbook being written, with its cell formats, and where it goes when closed."""

    def __init__(self, stream: IO[bytes] | str | os.PathLike) -> None:
        self.stream = os.fspath(stream) if isinstance(stream, os.PathLike) else stream
        # The writer keeps every string a string: "=1+1" is never a formula, "123" never a number.
        self.workbook = Workbook()
        self.header = self.workbook.add_format().set_bold()
        self.label = self.workbook.add_format().set_bold().set_text_wrap().set_vertical_align("top")
        self.date = self.workbook.add_format().set_num_format(DATE_FORMAT)
        self.datetime = self.workbook.add_format().set_num_format(DATETIME_FORMAT)
        self.percent = self.workbook.add_format().set_num_format(PERCENT_FORMAT)

    def table(self, title: str, headers: Sequence[Sequence[str]], rows: Iterable[Sequence[Any]], count: int,
              widths: Sequence[float], formats: Mapping[int, Format] | None = None, styled: bool = False) -> None:
        """A sheet of one table of `count` rows below the header rows, frozen below them, with an auto filter on
        the last header row, each row written to a temporary file as it comes (constant memory). `formats`: the
        number format of a column's cells by its index (dates); `styled`: rows may hold _Percent."""
        ws = self.workbook.add_worksheet(title[:31], constant_memory=True)
        width = max(len(headers[-1]), 1)
        for index, column_width in enumerate(widths):
            ws.set_column_width(index, column_width)
        ws.freeze_panes(len(headers), 0)
        ws.autofilter(len(headers) - 1, 0, len(headers) - 1 + count, width - 1)
        for number, header in enumerate(headers):
            ws.write_row(number, 0, [_clean(value) for value in header],
                         self.label if number and number == len(headers) - 1 else self.header)
        for number, row in enumerate(rows, len(headers)):
            if styled:
                for index, value in enumerate(row):
                    if isinstance(value, _Percent):
                        ws.write(number, index, value.value, self.percent)
                    elif value is not None:
                        ws.write(number, index, _clean(value))
                continue
            ws.write_row(number, 0, [_clean_text(value) if value.__class__ is str else value for value in row])
            for index, cell_format in (formats or {}).items():
                if row[index] is not None:
                    ws.write(number, index, row[index], cell_format)

    def close(self) -> None:
        """Write the workbook to its path or binary stream."""
        if isinstance(self.stream, str):
            self.workbook.close(self.stream)
        else:
            self.stream.write(self.workbook.save_to_buffer())


def _clean_text(value: str) -> str:
    # XML 1.0 cannot hold the control characters, and a cell holds at most 32,767 characters.
    return _ILLEGAL_CHARACTERS.sub("", value)[:CELL_TEXT_LIMIT]


def _clean(value: Any) -> Any:
    return _clean_text(value) if isinstance(value, str) else value


def _responses_sheet(book: _Book, data: ExportData, columns: list[Column], options: TableOptions) -> None:
    read = row_reader(columns, cell_converters(data, columns, options.values, typed=True))
    rows = (read(response) for response in data.responses)
    widths = [40 if column.key == "shelter_name" else 14 for column in columns]
    formats = {index: book.datetime if column.type == "datetime" else book.date
               for index, column in enumerate(columns) if column.type in ("date", "datetime")}
    book.table(_text(data, "sheet_responses"), _header_rows(data, columns, options.header), rows,
               len(data.responses), widths, formats)


def _findings_sheet(book: _Book, data: ExportData) -> None:
    headers = [_text(data, key) for key in ("col_round", "col_shelter", "col_region", "col_region_name", "col_code",
                                            "col_severity", "col_evidence")]
    questions = _questions(data)
    rows = [[f.round, f.shelter_name, f.region, data.region_names.get(f.region, ""), f.code,
             _severity(data, f.severity), _evidence(data, f, questions)] for f in data.findings]
    book.table(_text(data, "sheet_findings"), [headers], rows, len(rows), [10, 40, 10, 20, 8, 10, 80])


def _worded(data: ExportData, name: str, fallback: str | None) -> str | None:
    """The translated wording of `name` when MESSAGES has it, else the fallback (a value it does not know)."""
    msgid = MESSAGES.get(TEXT_PREFIX + name)
    return data.translations.gettext(msgid) if msgid else fallback


def _severity(data: ExportData, severity: str | None) -> str | None:
    return _worded(data, f"severity_{severity}", severity) if severity else None


def _recommendation_row(data: ExportData, rec: RecommendationRow) -> list[Any]:
    scope = _text(data, "scope_regional" if rec.region else "scope_national")
    status = _worded(data, f"rec_status_{rec.status}", rec.status)
    return [rec.round, rec.code, scope, rec.region, data.region_names.get(rec.region, "") if rec.region else None,
            status, _severity(data, rec.severity), LIST_SEPARATOR.join(rec.shelters), LIST_SEPARATOR.join(rec.regions),
            LIST_SEPARATOR.join(rec.reasons), rec.previous_status, data.recommendation_texts.get(rec.code)]


def _recommendations_sheet(book: _Book, data: ExportData) -> None:
    keys = ("col_round", "col_code", "col_scope", "col_region", "col_region_name", "col_status", "col_severity",
            "col_shelters", "col_regions", "col_reasons", "col_previous_status", "col_recommendation")
    # Round by round as given; in each, national recommendations first, then the regions in code order (a stable
    # sort keeps each group's order).
    rounds = {code: index for index, code in enumerate(dict.fromkeys(rec.round for rec in data.recommendations))}
    ordered = sorted(data.recommendations, key=lambda rec: (rounds[rec.round], rec.region is not None,
                                                            rec.region or ""))
    rows = [_recommendation_row(data, rec) for rec in ordered]
    book.table(_text(data, "sheet_recommendations"), [[_text(data, key) for key in keys]], rows, len(rows),
               [10, 8, 10, 10, 20, 10, 10, 50, 20, 50, 20, 80])


def _regional_questions(data: ExportData) -> list[Question]:
    newest: dict[str, Question] = {}
    for definition in sorted_definitions(data.definitions):
        for question in definition.regional_questions():
            newest[question.code] = question
    return list(newest.values())


def _regional_forms_by_round(data: ExportData) -> dict[str, tuple[Mapping[str, Mapping[str, Any]], list[str]]]:
    """Round code -> (its forms by ISO, the regions listed for it): the export's region, else every region with a
    form or a response in that round (a region without a form is listed blank: "no data" is itself a finding)."""
    if data.regional_forms_by_round is None:
        by_round = {data.round_code: (data.regional_forms, {response.region for response in data.responses})}
    else:
        by_round = {code: (forms, {response.region for response in data.responses if response.round == code})
                    for code, forms in data.regional_forms_by_round.items()}
    return {code: (forms, [data.region] if data.region else sorted(set(forms) | answered))
            for code, (forms, answered) in by_round.items()}


def _regional_sheet(book: _Book, data: ExportData, options: TableOptions) -> None:
    questions = _regional_questions(data)
    names = {q.code: _choice_labels(data, q) if options.values == "labels" else {} for q in questions}

    def shown(question: Question, value: Any) -> Any:
        return names[question.code].get(value, value) if isinstance(value, str) else value
    rows = [[code, iso, data.region_names.get(iso, "")] +
            [shown(q, forms.get(iso, {}).get(q.code)) for q in questions]
            for code, (forms, regions) in _regional_forms_by_round(data).items() for iso in regions]
    keys = ["round", "region", "region_name"] + [q.code for q in questions]
    labels = [_text(data, "col_round"), _text(data, "col_region"), _text(data, "col_region_name")] + \
        [localize(q.label, data.language) for q in questions]
    headers = {"codes": [keys], "labels": [labels], "both": [keys, labels]}[options.header]
    book.table(_text(data, "sheet_regional_forms"), headers, rows, len(rows), [10, 10, 24] + [18] * len(questions))


PROGRAMME_COLUMNS = ("col_task", "col_kind", "col_code", "col_part_of", "col_title", "col_unit", "col_year",
                     "col_period_total", "col_target", "col_entered", "col_entered_source", "col_entered_note",
                     "col_measured", "col_measure", "col_entered_share", "col_measured_share", "col_entered_status",
                     "col_measured_status")


def _number(value: Decimal | None) -> int | Decimal | None:
    """An exact figure as a number for the sheet: a whole number as int, else the Decimal (473.479 stays 473.479)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _percent(value: Decimal | None) -> _Percent | None:
    """A share of the target (0.87) as a number shown as a percentage (87%)."""
    return None if value is None else _Percent(value)


def _task_number(number: str) -> int | str:
    return int(number) if number.isdigit() else number


def _programme_rows(data: ExportData, overview: Overview) -> Iterator[list[Any]]:
    language = data.language

    def row_values(task: str | None, row: Row, part_of: str | None) -> Iterator[list[Any]]:
        title = localize(row.title, language)
        unit = localize(row.unit, language) if row.unit else None
        measure = None
        if row.measure is not None:
            label, qualifier = measure_wording(data.translations, row.measure)
            measure = f"{label} — {qualifier}"
        for cell in (*row.cells, row.total):
            yield [_task_number(task) if task else None, _text(data, f"kind_{row.kind}"), row.code, part_of, title,
                   unit, cell.year, None if cell.year is not None else _text(data, "period_total"),
                   *_cell_values(data, cell, measure)]

    for task_rows in overview.tasks:
        for row in task_rows.rows:
            yield from row_values(task_rows.task.number, row, None)
    source = None
    for row in overview.funding:
        if row.depth == 0:
            source = row.code
        yield from row_values(None, row, source if row.depth else None)
    if overview.funding_total is not None:
        yield from row_values(None, overview.funding_total, None)


def _cell_values(data: ExportData, cell: Cell, measure: str | None) -> list[Any]:
    entered = cell.entered
    measured = cell.measured
    return [_number(cell.target), _number(entered.value) if entered else None, entered.source if entered else None,
            entered.note if entered else None, _number(measured.value) if measured else None, measure,
            _percent(cell.entered_share), _percent(cell.measured_share),
            _text(data, f"status_{cell.entered_status}"),
            _text(data, f"status_{cell.measured_status}") if measured is not None else None]


def _programme_sheet(book: _Book, data: ExportData, overview: Overview) -> None:
    count = sum(len(row.cells) + 1 for row in (*overview.rows(), *overview.funding,
                                                 *([overview.funding_total] if overview.funding_total else [])))
    headers = [_text(data, key) for key in PROGRAMME_COLUMNS]
    widths = [6, 11, 22, 12, 50, 14, 7, 10, 12, 12, 30, 30, 12, 50, 12, 12, 16, 16]
    book.table(_text(data, "sheet_programme"), [headers], _programme_rows(data, overview), count, widths,
               styled=True)


def _values_text(data: ExportData, column: Column) -> str:
    """What the cells of a column may hold, for the Columns sheet (the codebook)."""
    question, kind = column.question, column.type
    if kind == "datetime":
        return _text(data, "values_date")
    if question is None or kind == "text":
        return _text(data, "values_text") if kind == "text" else ""
    if kind == "multi":
        if column.part is not None:
            return _text(data, "values_flag")
        return f"{_text(data, 'values_joined')}: {', '.join(question.choice_values())}"
    if kind == "shares":
        return _text(data, "values_percent")
    if kind == "bool":
        return _text(data, "values_bool")
    if kind == "date":
        return _text(data, "values_date")
    if kind in ("int", "money"):
        low, high = question.min, question.max
        bounds = f"{low}-{high}" if low is not None and high is not None else \
            f">= {low}" if low is not None else f"<= {high}" if high is not None else ""
        return f"{_text(data, 'values_number')} {bounds}".strip()
    if question.choices_from == "rounds":
        return _text(data, "values_round")
    if kind == "tri":
        return ", ".join(question.choice_values())
    return LIST_SEPARATOR.join(f"{c.value} = {localize(c.label, data.language)}" for c in question.choices)


def _columns_sheet(book: _Book, data: ExportData, columns: list[Column]) -> None:
    keys = ("col_key", "col_question", "col_label_en", "col_label_uk", "col_type", "col_values")
    rows = [[c.key, c.code, c.header_label("en", catalog("en")), c.header_label("uk", catalog("uk")), c.type,
             _values_text(data, c)]
            for c in columns]
    book.table(_text(data, "sheet_columns"), [[_text(data, key) for key in keys]], rows, len(rows),
               [22, 14, 50, 50, 10, 60])


def write_xlsx(data: ExportData, stream: IO[bytes] | str | os.PathLike, multi: str = "split",
               include_text: bool = False,
               options: TableOptions | None = None) -> None:
    """Write the export as an XLSX workbook to a binary stream or a path.

    Sheets: Responses (the header row(s) as options.header says, one row per response), Findings,
    Recommendations (national, then regional), Regional forms, Programme (only when data.programme is set: plan
    against actual), Columns (the codebook: what each response column holds). `text` answers only when
    include_text; multi answers split or joined as `multi` says (both taken from `options` when it is given)."""
    options = options or TableOptions(multi=multi, include_text=include_text)
    columns = table_columns(data, options.multi, options.include_text)
    book = _Book(stream)
    _responses_sheet(book, data, columns, options)
    _findings_sheet(book, data)
    _recommendations_sheet(book, data)
    _regional_sheet(book, data, options)
    if data.programme is not None:
        _programme_sheet(book, data, data.programme)
    _columns_sheet(book, data, columns)
    book.close()


# ------------------------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------------------------

def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str) and value.startswith(_CSV_RISKY_START):
        # Excel would run it as a formula; the apostrophe makes it text (the importer takes it off again).
        return "'" + value
    return value


def _csv_rows(data: ExportData, columns: list[Column], options: TableOptions) -> Iterator[list[Any]]:
    for header in _header_rows(data, columns, options.header):
        yield [_csv_value(value) for value in header]
    read = row_reader(columns, cell_converters(data, columns, options.values, typed=False))
    for response in data.responses:
        yield [_csv_value(value) for value in read(response)]


def write_csv(data: ExportData, stream: IO, multi: str = "split", include_text: bool = False,
              options: TableOptions | None = None) -> None:
    """Write the responses table as CSV, UTF-8 with a BOM so that Excel reads the Cyrillic right: the header
    row(s) and values as `options` say, separated by options.delimiter (default: ";" in Ukrainian, ","
    otherwise). `stream` is binary (bytes are written) or text (the BOM is written as U+FEFF; open it with
    newline="")."""
    options = options or TableOptions(multi=multi, include_text=include_text)
    columns = table_columns(data, options.multi, options.include_text)
    delimiter = options.delimiter or default_delimiter(data.language)
    if isinstance(stream, io.TextIOBase):
        stream.write("\ufeff")
        csv.writer(stream, delimiter=delimiter).writerows(_csv_rows(data, columns, options))
        return
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        csv.writer(text, delimiter=delimiter).writerows(_csv_rows(data, columns, options))
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open
