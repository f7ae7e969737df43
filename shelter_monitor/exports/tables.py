"""The round's data as tables: an XLSX workbook and a CSV file of the responses.

A workbook of an export with a programme (data.programme) has a Programme sheet: the plan against the entered and
measured values, one row per indicator or funding line and year plus one for its total, numbers as numbers.

Both stream: the workbook is openpyxl's write-only kind (rows go to a temporary file as they are made) and the
CSV is written row by row, so memory stays flat however many responses there are.

Answers to `text` questions (free text: names, settlements, comments) may hold sensitive text; they are left
out, columns and all, unless the caller passes include_text=True.

Wording: sheet names and fixed headers are looked up in `data.texts` by the keys of TEXT_DEFAULTS and fall back
to the English defaults there. Question labels come from the definitions in `data.language`.
"""
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape

from openpyxl import LXML as OPENPYXL_LXML
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

try:
    from lxml.etree import fromstring
except ImportError:  # openpyxl then writes with the standard library, and rows go through ws.append
    fromstring = None

from shelter_monitor.exports import N_
from shelter_monitor.exports.columns import Column, response_columns, row_reader, sorted_definitions
from shelter_monitor.exports.data import ExportData, FindingRow, RecommendationRow, measure_wording
from shelter_monitor.programmes.overview import Cell, Overview, Row
from shelter_monitor.questionnaire.model import Question, localize

__all__ = ["TEXT_DEFAULTS", "build_workbook", "table_columns", "write_csv", "write_xlsx"]

# Keys of data.texts this module reads (all start with "table_"), with the English wording used when a key is
# missing: table_sheet_* name the sheets, table_col_* head the columns of the Findings, Recommendations,
# Regional forms and Columns sheets, table_scope_* fill the Recommendations' Level column and table_values_*
# the Columns sheet's Values column.
TEXT_DEFAULTS: dict[str, str] = {
    # sheet names (Excel allows at most 31 characters, and none of : \ / ? * [ ])
    "table_sheet_responses": N_("Responses"),
    "table_sheet_findings": N_("Findings"),
    "table_sheet_recommendations": N_("Recommendations"),
    "table_sheet_regional_forms": N_("Regional forms"),
    "table_sheet_columns": N_("Columns"),
    # headers of the Findings, Recommendations and Regional forms sheets
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
}

TEXT_PREFIX = "table_"
HEADER_FONT = Font(bold=True)
PERCENT_FORMAT = "0%"
LIST_SEPARATOR = "; "
_FORMULA_START = "="
_CSV_RISKY_START = ("=", "+", "-", "@", "\t", "\r")  # what Excel may run as a formula when it opens a CSV


def _text(data: ExportData, name: str) -> str:
    key = TEXT_PREFIX + name
    return data.texts.get(key) or TEXT_DEFAULTS[key]


def table_columns(data: ExportData, multi: str = "split", include_text: bool = False) -> list[Column]:
    """The responses table's columns for this export: `text` answers only when include_text."""
    return [column for column in response_columns(data.definitions, multi) if include_text or column.type != "text"]


# ------------------------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------------------------

def _safe(ws, value: Any) -> Any:
    """A value openpyxl writes as is: control characters dropped, text starting with "=" kept as text."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(_FORMULA_START):
        cell = WriteOnlyCell(ws, value)
        cell.data_type = "s"
        return cell
    return value


def _row_xml(letters: Sequence[str], values: Sequence[Any], row_index: int) -> str:
    """One <row> of SpreadsheetML; blank cells are left out, text is written as inline text (never a formula)."""
    number = str(row_index)
    parts = [f'<row r="{number}">']
    for letter, value in zip(letters, values, strict=False):
        kind = value.__class__
        if kind is int or kind is float:
            parts.append(f'<c r="{letter}{number}" t="n"><v>{value!r}</v></c>')
        elif kind is bool:
            parts.append(f'<c r="{letter}{number}" t="b"><v>{int(value)}</v></c>')
        elif value is not None and value != "":
            text = escape(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
            space = ' xml:space="preserve"' if text != text.strip() else ""
            parts.append(f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
    parts.append("</row>")
    return "".join(parts)


def _stream_rows_fast(ws, width: int) -> bool:
    """Let the sheet take rows of plain values (None, bool, int, float, str) as one XML string each.

    openpyxl's write-only sheet makes a cell object of every value and writes each cell with several lxml calls,
    about 7 µs a cell: 17 s for 10,000 responses x 263 columns. Here a row is built as one string and parsed
    once by lxml (which refuses anything malformed), about three times as fast. Text is always written as
    text, so nothing becomes a formula. This hooks two internals of openpyxl 3.1's WriteOnlyWorksheet (call it
    after the first append); where they are missing, or openpyxl writes without lxml, it returns False and
    rows go through ws.append as openpyxl means them to.
    """
    writer = getattr(ws, "_writer", None)
    hooks = writer is not None and hasattr(writer, "write_row") and hasattr(ws, "_values_to_row")
    if fromstring is None or not OPENPYXL_LXML or not hooks:
        return False
    letters = [get_column_letter(index) for index in range(1, width + 1)]

    def write_row(xf, values, row_index):
        xf.write(fromstring(_row_xml(letters, values, row_index)))

    ws._values_to_row = lambda values, row_index: values
    writer.write_row = write_row
    return True


def _header(ws, values: Iterable[str], wrap: bool = False) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        cell = WriteOnlyCell(ws, ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.font = HEADER_FONT
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        cells.append(cell)
    return cells


def _widths(ws, widths: Sequence[float]) -> None:
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _table_sheet(workbook: Workbook, title: str, headers: Sequence[str],
                 rows: Iterable[Sequence[Any]] | Callable[[Any], Iterable[Sequence[Any]]], count: int,
                 widths: Sequence[float], label_row: Sequence[str] | None = None) -> None:
    """A sheet of one table of `count` rows: the header row(s), frozen below, and an auto filter over the table.

    `rows` holds plain values, streamed fast; or it is a function of the sheet giving rows that may hold
    WriteOnlyCell of that sheet (e.g. with a number format), which go through ws.append."""
    ws = workbook.create_sheet(title[:31])
    header_rows = 2 if label_row is not None else 1
    last = f"{get_column_letter(max(len(headers), 1))}{header_rows + count}"
    # The sheet's size, written at its top: without it a streaming reader (openpyxl's read-only mode) parses
    # the whole sheet once just to find it.
    ws.calculate_dimension = lambda: f"A1:{last}"
    ws.freeze_panes = f"A{header_rows + 1}"
    _widths(ws, widths)
    ws.append(_header(ws, headers))
    if label_row is not None:
        ws.append(_header(ws, label_row, wrap=True))
    styled = callable(rows)
    if styled:
        rows = rows(ws)
    fast = not styled and _stream_rows_fast(ws, len(headers))
    for row in rows:
        ws.append(row if fast else [_safe(ws, value) for value in row])
    # The filter's drop-downs go on the last header row (the labels, when there are two).
    ws.auto_filter.ref = f"A{header_rows}:{last}"


def _responses_sheet(workbook: Workbook, data: ExportData, columns: list[Column]) -> None:
    read = row_reader(columns)
    rows = (read(response) for response in data.responses)
    widths = [40 if column.key == "shelter_name" else 14 for column in columns]
    _table_sheet(workbook, _text(data, "sheet_responses"), [c.key for c in columns], rows, len(data.responses), widths,
                 label_row=[c.header_label(data.language) for c in columns])


def _answer_text(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)


def _evidence(finding: FindingRow) -> str:
    return LIST_SEPARATOR.join(f"{code}: {_answer_text(value)}" for code, value in finding.evidence.items())


def _findings_sheet(workbook: Workbook, data: ExportData) -> None:
    headers = [_text(data, key) for key in ("col_shelter", "col_region", "col_region_name", "col_code",
                                            "col_severity", "col_evidence")]
    rows = [[f.shelter_name, f.region, data.region_names.get(f.region, ""), f.code, f.severity, _evidence(f)]
            for f in data.findings]
    _table_sheet(workbook, _text(data, "sheet_findings"), headers, rows, len(rows), [40, 10, 20, 8, 10, 60])


def _recommendation_row(data: ExportData, rec: RecommendationRow) -> list[Any]:
    scope = _text(data, "scope_regional" if rec.region else "scope_national")
    return [rec.code, scope, rec.region, data.region_names.get(rec.region, "") if rec.region else None,
            rec.status, rec.severity, LIST_SEPARATOR.join(rec.shelters), LIST_SEPARATOR.join(rec.regions),
            LIST_SEPARATOR.join(rec.reasons), rec.previous_status, data.recommendation_texts.get(rec.code)]


def _recommendations_sheet(workbook: Workbook, data: ExportData) -> None:
    keys = ("col_code", "col_scope", "col_region", "col_region_name", "col_status", "col_severity",
            "col_shelters", "col_regions", "col_reasons", "col_previous_status", "col_recommendation")
    # National recommendations first, then the regions in code order (a stable sort keeps each group's order).
    ordered = sorted(data.recommendations, key=lambda rec: (rec.region is not None, rec.region or ""))
    rows = [_recommendation_row(data, rec) for rec in ordered]
    _table_sheet(workbook, _text(data, "sheet_recommendations"), [_text(data, key) for key in keys], rows, len(rows),
                 [8, 10, 10, 20, 10, 10, 50, 20, 50, 20, 80])


def _regional_questions(data: ExportData) -> list[Question]:
    newest: dict[str, Question] = {}
    for definition in sorted_definitions(data.definitions):
        for question in definition.regional_questions():
            newest[question.code] = question
    return list(newest.values())


def _regional_sheet(workbook: Workbook, data: ExportData) -> None:
    questions = _regional_questions(data)
    if data.region:
        regions = [data.region]
    else:
        regions = sorted(set(data.regional_forms) | {response.region for response in data.responses})
    # A region without a form is listed blank: "no data" is itself a finding.
    rows = [[iso, data.region_names.get(iso, "")] + [data.regional_forms.get(iso, {}).get(q.code) for q in questions]
            for iso in regions]
    headers = ["region", "region_name"] + [q.code for q in questions]
    labels = [_text(data, "col_region"), _text(data, "col_region_name")] + \
        [localize(q.label, data.language) for q in questions]
    _table_sheet(workbook, _text(data, "sheet_regional_forms"), headers, rows, len(rows),
                 [10, 24] + [18] * len(questions), label_row=labels)


PROGRAMME_COLUMNS = ("col_task", "col_kind", "col_code", "col_part_of", "col_title", "col_unit", "col_year",
                     "col_period_total", "col_target", "col_entered", "col_entered_source", "col_entered_note",
                     "col_measured", "col_measure", "col_entered_share", "col_measured_share", "col_entered_status",
                     "col_measured_status")


def _number(value: Decimal | None) -> int | Decimal | None:
    """An exact figure as a number for the sheet: a whole number as int, else the Decimal (473.479 stays 473.479)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else value.normalize()


def _percent(ws, value: Decimal | None) -> Any:
    """A share of the target (0.87) as a number shown as a percentage (87%)."""
    if value is None:
        return None
    cell = WriteOnlyCell(ws, value)
    cell.number_format = PERCENT_FORMAT
    return cell


def _task_number(number: str) -> int | str:
    return int(number) if number.isdigit() else number


def _programme_rows(data: ExportData, ws, overview: Overview) -> Iterator[list[Any]]:
    language = data.language
    texts = data.texts

    def row_values(task: str | None, row: Row, part_of: str | None) -> Iterator[list[Any]]:
        title = localize(row.title, language)
        unit = localize(row.unit, language) if row.unit else None
        measure = None
        if row.measure is not None:
            label, qualifier = measure_wording(texts, row.measure)
            measure = f"{label} — {qualifier}"
        for cell in (*row.cells, row.total):
            yield [_task_number(task) if task else None, _text(data, f"kind_{row.kind}"), row.code, part_of, title,
                   unit, cell.year, None if cell.year is not None else _text(data, "period_total"),
                   *_cell_values(data, ws, cell, measure)]

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


def _cell_values(data: ExportData, ws, cell: Cell, measure: str | None) -> list[Any]:
    entered = cell.entered
    measured = cell.measured
    return [_number(cell.target), _number(entered.value) if entered else None, entered.source if entered else None,
            entered.note if entered else None, _number(measured.value) if measured else None, measure,
            _percent(ws, cell.entered_share), _percent(ws, cell.measured_share),
            _text(data, f"status_{cell.entered_status}"),
            _text(data, f"status_{cell.measured_status}") if measured is not None else None]


def _programme_sheet(workbook: Workbook, data: ExportData, overview: Overview) -> None:
    count = sum(len(row.cells) + 1 for row in (*overview.rows(), *overview.funding,
                                                 *([overview.funding_total] if overview.funding_total else [])))
    headers = [_text(data, key) for key in PROGRAMME_COLUMNS]
    widths = [6, 11, 22, 12, 50, 14, 7, 10, 12, 12, 30, 30, 12, 50, 12, 12, 16, 16]
    _table_sheet(workbook, _text(data, "sheet_programme"), headers, lambda ws: _programme_rows(data, ws, overview),
                 count, widths)


def _values_text(data: ExportData, column: Column) -> str:
    """What the cells of a column may hold, for the Columns sheet."""
    question, kind = column.question, column.type
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


def _columns_sheet(workbook: Workbook, data: ExportData, columns: list[Column]) -> None:
    keys = ("col_key", "col_question", "col_label_en", "col_label_uk", "col_type", "col_values")
    rows = [[c.key, c.code, c.header_label("en"), c.header_label("uk"), c.type, _values_text(data, c)]
            for c in columns]
    _table_sheet(workbook, _text(data, "sheet_columns"), [_text(data, key) for key in keys], rows, len(rows),
                 [22, 14, 50, 50, 10, 60])


def build_workbook(data: ExportData, multi: str = "split", include_text: bool = False) -> Workbook:
    """The export as a write-only workbook, its rows already streamed out; save it once (write_xlsx does).

    Sheets: Responses (a row of column keys, a row of labels in data.language, one row per response),
    Findings, Recommendations (national, then regional), Regional forms, Programme (only when data.programme
    is set: plan against actual), Columns (what each response column holds). `text` answers only when
    include_text; multi answers split or joined as `multi` says."""
    columns = table_columns(data, multi, include_text)
    workbook = Workbook(write_only=True)
    _responses_sheet(workbook, data, columns)
    _findings_sheet(workbook, data)
    _recommendations_sheet(workbook, data)
    _regional_sheet(workbook, data)
    if data.programme is not None:
        _programme_sheet(workbook, data, data.programme)
    _columns_sheet(workbook, data, columns)
    return workbook


def write_xlsx(data: ExportData, stream: IO[bytes], multi: str = "split", include_text: bool = False) -> None:
    """Write the export as an XLSX workbook to a binary stream or a path (see build_workbook)."""
    build_workbook(data, multi, include_text).save(stream)


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


def _csv_rows(data: ExportData, columns: list[Column]) -> Iterator[list[Any]]:
    yield [column.key for column in columns]
    read = row_reader(columns)
    for response in data.responses:
        yield [_csv_value(value) for value in read(response)]


def write_csv(data: ExportData, stream: IO, multi: str = "split", include_text: bool = False) -> None:
    """Write the responses table as CSV: one header row of column keys, comma separated, UTF-8 with a BOM so
    Excel reads the Cyrillic right. `stream` is binary (bytes are written) or text (the BOM is written as
    U+FEFF; open it with newline="")."""
    columns = table_columns(data, multi, include_text)
    if isinstance(stream, io.TextIOBase):
        stream.write("\ufeff")
        csv.writer(stream).writerows(_csv_rows(data, columns))
        return
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        csv.writer(text).writerows(_csv_rows(data, columns))
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open
