"""Reading responses back from a table in the export layout: the round trip through CSV and XLSX, and the error
report (each bad value and broken check by row and column, unknown columns, unreadable files)."""
import csv
import io

import pytest
from openpyxl import load_workbook

from shelter_monitor.exports.data import ExportData, ResponseRow
from shelter_monitor.exports.imports import read_responses
from shelter_monitor.exports.tables import TableOptions, write_csv, write_xlsx
from shelter_monitor.questionnaire.model import Definition
from tests.exports.test_tables import EXTRA_VERSION, demo_responses, make_export


def expected_answers(definition: Definition, answers: dict) -> dict:
    """What a split table gives back: no free text, multi choices in the definition's order."""
    expected = {}
    for code, value in answers.items():
        question = definition.question(code)
        if question.type == "text":
            continue
        if question.type == "multi":
            value = [choice for choice in question.choice_values() if choice in value]
        expected[code] = value
    return expected


def csv_bytes(data: ExportData, **options) -> bytes:
    stream = io.BytesIO()
    write_csv(data, stream, **options)
    return stream.getvalue()


def xlsx_bytes(data: ExportData, **options) -> bytes:
    stream = io.BytesIO()
    write_xlsx(data, stream, **options)
    return stream.getvalue()


def edited_csv(raw: bytes, edits: dict[int, dict[str, str]], extra_column: str | None = None) -> bytes:
    """The CSV with cells replaced: {data row index: {column key: new text}}."""
    reader = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    for index, changes in edits.items():
        for key, text in changes.items():
            rows[index][header.index(key)] = text
    if extra_column:
        header.append(extra_column)
        rows = [row + ["1"] for row in rows]
    out = io.StringIO(newline="")
    csv.writer(out).writerows([header, *rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_csv(raw: bytes, definition: Definition):
    return read_responses(io.BytesIO(raw), "responses.csv", definition)


def test_csv_round_trip_gives_back_the_answers(data, definition):
    result = read_csv(csv_bytes(data), definition)
    assert result.errors == []
    assert [row.row_number for row in result.rows] == list(range(2, len(data.responses) + 2))
    for row, response in zip(result.rows, data.responses, strict=True):
        assert row.shelter_id == response.shelter_id
        assert row.answers == expected_answers(definition, response.answers)


def test_joined_csv_round_trip_keeps_the_choice_order(data, definition):
    result = read_csv(csv_bytes(data, multi="joined"), definition)
    assert result.errors == []
    for row, response in zip(result.rows, data.responses, strict=True):
        assert row.answers == {code: value for code, value in response.answers.items()
                               if definition.question(code).type != "text"}


@pytest.mark.parametrize(("header", "first_row"), [("codes", 2), ("both", 3)])
def test_xlsx_round_trip_skips_the_label_row(data, definition, header, first_row):
    result = read_responses(io.BytesIO(xlsx_bytes(data, options=TableOptions(header=header))), "responses.xlsx",
                            definition)
    assert result.errors == []
    assert result.rows[0].row_number == first_row
    for row, response in zip(result.rows, data.responses, strict=True):
        assert row.answers == expected_answers(definition, response.answers)


def test_text_answers_come_back_when_exported(data, definition):
    result = read_csv(csv_bytes(data, include_text=True), definition)
    assert result.errors == []
    assert result.rows[0].answers["B1"] == data.responses[0].answers["B1"]


def test_bad_rows_are_reported_by_row_and_column(data, definition):
    c1 = data.responses[2].answers["C1"]
    raw = edited_csv(csv_bytes(data), {
        0: {"C1": "many"},              # not a number
        1: {"C10": "maybe"},            # not a choice
        2: {"C2": str(c1 + 5)},         # more places for victims than places: check C2_le_C1
    })
    result = read_csv(raw, definition)
    assert {(e.row_number, e.column) for e in result.errors} == {(2, "C1"), (3, "C10"), (4, "C2")}
    messages = {e.column: e.message for e in result.errors}
    assert "whole number" in messages["C1"]
    assert "maybe" in messages["C10"] and "conditional" in messages["C10"]
    assert messages["C2"] == definition.checks[[c.code for c in definition.checks].index("C2_le_C1")].message["en"]
    assert [row.row_number for row in result.rows] == list(range(5, len(data.responses) + 2))


@pytest.mark.parametrize(("column", "text", "words"), [
    ("C1", "-3", "at least 0"),
    ("C1", "2.5", "whole number"),
    ("A5", "perhaps", "TRUE or FALSE"),
    ("A2", "12.10.2020", "YYYY-MM-DD"),
    ("C8b.male", "2", "1 (chosen)"),
    ("E1.psych", "sometimes", "not a choice"),
    ("I1.donor", "150", "0 to 100"),
    ("B2", "UA-99", "not a choice"),
])
def test_each_bad_value_is_named(data, definition, column, text, words):
    result = read_csv(edited_csv(csv_bytes(data), {0: {column: text}}), definition)
    errors = [e for e in result.errors if e.column == column]
    assert len(errors) == 1 and errors[0].row_number == 2 and words in errors[0].message
    assert {e.row_number for e in result.errors} == {2}
    assert len(result.rows) == len(data.responses) - 1


def test_an_exclusive_choice_alone(data, definition):
    index = next(i for i, r in enumerate(data.responses) if r.answers["D10"] != ["none"])
    result = read_csv(edited_csv(csv_bytes(data), {index: {"D10.none": "1"}}), definition)
    assert [(e.row_number, e.column) for e in result.errors] == [(index + 2, "D10")]
    assert "cannot be combined" in result.errors[0].message


def test_other_spellings_of_booleans_and_numbers(data, definition):
    raw = edited_csv(csv_bytes(data), {0: {"A5": "yes", "C8b.male": "", "C1": "25.0"}, 1: {"A5": "1"}})
    result = read_csv(raw, definition)
    assert result.errors == []
    assert result.rows[0].answers["A5"] is True and result.rows[1].answers["A5"] is True
    assert result.rows[0].answers["C1"] == 25


def test_xlsx_bad_value_is_reported_in_the_sheets_row(data, definition):
    workbook = load_workbook(io.BytesIO(xlsx_bytes(data)))
    sheet = workbook["Responses"]
    keys = [cell.value for cell in sheet[1]]
    sheet.cell(row=3, column=keys.index("C3") + 1, value="lots")
    stream = io.BytesIO()
    workbook.save(stream)
    result = read_responses(io.BytesIO(stream.getvalue()), "edited.xlsx", definition)
    assert [(e.row_number, e.column) for e in result.errors] == [(3, "C3")]
    assert len(result.rows) == len(data.responses) - 1


def test_a_renamed_responses_sheet_is_still_read(data, definition):
    export = make_export(list(data.responses[:3]), language="uk")  # its sheet is "Анкети"
    result = read_responses(io.BytesIO(xlsx_bytes(export)), "uk.xlsx", definition)
    assert result.errors == [] and len(result.rows) == 3


def test_unknown_column_is_an_error_for_the_file(data, definition):
    result = read_csv(edited_csv(csv_bytes(data), {}, extra_column="Z9"), definition)
    assert [(e.row_number, e.column) for e in result.errors] == [(1, "Z9")]
    assert "Unknown column" in result.errors[0].message
    assert len(result.rows) == len(data.responses)


def test_rows_need_a_shelter_id(data, definition):
    result = read_csv(edited_csv(csv_bytes(data), {0: {"shelter_id": ""}, 1: {"shelter_id": "abc"}}), definition)
    assert [(e.row_number, e.column) for e in result.errors] == [(2, "shelter_id"), (3, "shelter_id")]
    header_only = b"C1,C2\r\n10,5\r\n"
    result = read_csv(header_only, definition)
    assert [(e.row_number, e.column) for e in result.errors] == [(1, "shelter_id")] and result.rows == []


def test_a_row_of_another_version_is_refused(definition):
    response = demo_responses()[0]
    other = ResponseRow(1, 1, response.shelter_name, response.region, "submitted", EXTRA_VERSION, response.answers)
    result = read_csv(csv_bytes(make_export([other])), definition)
    assert [(e.row_number, e.column) for e in result.errors] == [(2, "questionnaire_version")]


def test_a_semicolon_separated_csv_from_excel(data, definition):
    raw = csv_bytes(data).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=";").writerows(rows[:3])
    result = read_csv(out.getvalue().encode("cp1251", errors="replace"), definition)
    assert result.errors == [] and len(result.rows) == 2


@pytest.mark.parametrize(("content", "filename"), [
    (b"%PDF-1.4 not a table", "report.pdf"),
    (b"PK\x03\x04 broken zip", "broken.xlsx"),
    (b"", "empty.csv"),
    (b"\r\n\r\n", "blank.csv"),
])
def test_a_file_that_cannot_be_read_gives_one_error(definition, content, filename):
    result = read_responses(io.BytesIO(content), filename, definition)
    assert len(result.errors) == 1 and result.errors[0].row_number == 0
    assert result.rows == []


def test_reads_from_a_path(data, definition, tmp_path):
    path = tmp_path / "responses.xlsx"
    path.write_bytes(xlsx_bytes(data))
    result = read_responses(path, path.name, definition)
    assert result.errors == [] and len(result.rows) == len(data.responses)
