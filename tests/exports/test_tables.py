"""The XLSX and CSV tables of an export: sheets and headers, cells of each question type, the layout over two
questionnaire versions, free text only on request, frozen headers and filters, values as codes or labels, header
rows, typed dates, metadata columns, and rows streamed by XlsxWriter in constant-memory mode."""
import csv
import datetime as dt
import io
import itertools
import json
import random
import zipfile

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from shelter_monitor.dashboards.indicators import GAP_KEYS, ShelterSnapshot, compute_indicators, indicators_by_region
from shelter_monitor.demo.generator import demo_answers, demo_regional_answers, demo_shelters
from shelter_monitor.exports.columns import FIXED_COLUMNS, cell_value, response_columns
from shelter_monitor.exports.data import ExportData, FindingRow, RecommendationRow, ResponseRow
from shelter_monitor.exports.tables import MESSAGES, TableOptions, table_columns, write_csv, write_xlsx
from shelter_monitor.i18n import catalog
from shelter_monitor.questionnaire.loader import DEFINITIONS_DIR, load_definition, parse_definition
from shelter_monitor.questionnaire.model import Definition, localize
from shelter_monitor.regions.data import region_records

VERSION = "2020.1"
EXTRA_VERSION = "2020.2"
EXTRA_CODE = "C11"
VISIT = dt.date(2020, 10, 12)
TEXT_CODES = ("A4_other", "B1", "B3", "B3_katottg", "F6a", "L2", "L3")
SHEETS = ["Responses", "Findings", "Recommendations", "Regional forms", "Columns"]
RECOMMENDATION_TEXT = "Develop an algorithm for emergency placement in CSPAs of large groups of persons"


def extra_definition() -> Definition:
    """2020.1 with one more question, C11, after C10."""
    raw = json.loads((DEFINITIONS_DIR / f"{VERSION}.json").read_text(encoding="utf-8"))
    raw["version"] = EXTRA_VERSION
    questions = next(section for section in raw["sections"] if section["code"] == "C")["questions"]
    after = next(index for index, question in enumerate(questions) if question["code"] == "C10")
    questions.insert(after + 1, {"code": EXTRA_CODE, "type": "int", "optional": True,
                                 "label": {"en": "Places for men", "uk": "Місця для чоловіків"}})
    return parse_definition(raw)


def demo_responses(count: int | None = None, version: str = VERSION) -> list[ResponseRow]:
    """The demo shelters' answers (seed 1), one response each, cycled to `count` rows when given."""
    rng = random.Random(1)
    shelters = demo_shelters()
    answers = [demo_answers(shelter, "2020-10", VISIT, True, rng) for shelter in shelters]
    pairs = itertools.islice(itertools.cycle(zip(shelters, answers, strict=True)), count or len(shelters))
    return [ResponseRow(index + 1, index % len(shelters) + 1, shelter.name, shelter.region, "submitted", version,
                        shelter_answers)
            for index, (shelter, shelter_answers) in enumerate(pairs)]


def make_export(responses: list[ResponseRow], definitions: dict[str, Definition] | None = None,
                language: str = "en") -> ExportData:
    """A national export of these responses, with indicators, findings and recommendations made by hand."""
    snapshots = [ShelterSnapshot(r.shelter_id, r.region, r.answers) for r in responses]
    by_region = indicators_by_region(snapshots)
    rng = random.Random(1)
    forms = {iso: demo_regional_answers(iso, rng) for iso in ("UA-23", "UA-30", "UA-46")}
    findings = tuple(FindingRow(r.shelter_name, r.region, "M2", "high", {"C10": r.answers["C10"], "D10": ["active_tb"]},
                                round="2020-10")
                     for r in responses[:60] if r.answers.get("C10") == "no")
    recommendations = (
        RecommendationRow("R7", "UA-23", "issued", "medium", (), (), ("No regional programme",), "not done",
                          round="2020-10"),
        RecommendationRow("M2", None, "issued", "high", tuple(f.shelter_name for f in findings),
                          tuple(sorted({f.region for f in findings})), ("Shelters refuse groups",), None,
                          round="2020-10"),
    )
    return ExportData(
        language=language, round_code="2020-10", round_name="Monitoring, October 2020",
        period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 10, 31), region=None,
        region_names={r.iso_code: (r.name_uk if language == "uk" else r.name_en) for r in region_records()},
        definitions=definitions or {VERSION: load_definition(VERSION)},
        responses=tuple(responses), findings=findings, recommendations=recommendations,
        recommendation_texts={"M2": RECOMMENDATION_TEXT, "R7": "Provide funds in local budgets"},
        regional_forms=forms, national=compute_indicators(snapshots), by_region=by_region,
        gaps={key: tuple(iso for iso, ind in by_region.items() if ind.gaps[key]) for key in GAP_KEYS},
        translations=catalog(language),
    )


def xlsx_workbook(data: ExportData, header: str = "both", **options):
    stream = io.BytesIO()
    write_xlsx(data, stream, options=TableOptions(header=header, **options))
    stream.seek(0)
    return load_workbook(stream)


def sheet_rows(workbook, name: str = "Responses") -> list[tuple]:
    """A sheet's rows, by its name or by its English name (a Ukrainian workbook has its sheets in that order)."""
    sheet = workbook[name] if name in workbook.sheetnames else workbook.worksheets[SHEETS.index(name)]
    return list(sheet.iter_rows(values_only=True))


def as_records(rows: list[tuple], header_rows: int = 2) -> list[dict]:
    """The data rows keyed by the column keys of the first header row."""
    keys = rows[0]
    return [dict(zip(keys, row, strict=False)) for row in rows[header_rows:]]


@pytest.fixture(scope="module")
def workbook(data):
    return xlsx_workbook(data)


def test_sheets_in_order(workbook):
    assert workbook.sheetnames == SHEETS


def test_responses_header_rows_hold_keys_then_labels(workbook, definition):
    keys, labels = sheet_rows(workbook)[:2]
    assert list(keys[:11]) == ["response_id", "round", "region", "shelter_id", "shelter_name", "state",
                               "questionnaire_version", "submitted_at", "submitted_by", "reviewed_at", "reviewed_by"]
    assert list(labels[:2]) == ["Response ID", "Monitoring round"]
    c1 = keys.index("C1")
    assert labels[c1] == localize(definition.question("C1").label, "en")
    male = keys.index("C8b.male")
    reason = definition.question("C8b").choice("male")
    assert labels[male] == f"{localize(definition.question('C8b').label, 'en')}: {localize(reason.label, 'en')}"


def test_labels_follow_the_export_language(definition):
    workbook = xlsx_workbook(make_export(demo_responses()[:3], language="uk"))
    keys, labels = sheet_rows(workbook)[:2]
    assert labels[keys.index("C1")] == definition.question("C1").label["uk"]
    assert labels[keys.index("shelter_id")] == "ID закладу"


def test_cells_hold_the_answers(workbook, data):
    records = as_records(sheet_rows(workbook))
    assert len(records) == len(data.responses)
    first, answers = records[0], data.responses[0].answers
    assert first["C1"] == answers["C1"]
    assert first["shelter_name"] == data.responses[0].shelter_name
    assert first["questionnaire_version"] == VERSION
    assert first["A2"] == dt.datetime.combine(VISIT, dt.time())  # a real Excel date
    assert first["A5"] is True                       # bool as TRUE / FALSE
    assert first["C8"] == answers["C8"]              # tri as the choice value
    assert first["E1.psych"] == answers["E1"]["psych"]
    for source in ("state", "oblast", "local", "donor"):
        assert first[f"I1.{source}"] == answers["I1"].get(source, 0)  # 0: a source not chosen


def test_multi_answers_split_into_one_column_per_choice(workbook, data, definition):
    records = as_records(sheet_rows(workbook))
    choices = definition.question("C8b").choice_values()
    with_reasons = next(i for i, r in enumerate(data.responses) if r.answers.get("C8b"))
    without = next(i for i, r in enumerate(data.responses) if "C8b" not in r.answers)
    chosen = data.responses[with_reasons].answers["C8b"]
    assert {c: records[with_reasons][f"C8b.{c}"] for c in choices} == {c: int(c in chosen) for c in choices}
    assert all(records[without][f"C8b.{c}"] is None for c in choices)  # unanswered: blank, not 0
    assert "C8b" not in records[0]


def test_joined_multi_answers(data):
    records = as_records(sheet_rows(xlsx_workbook(data, multi="joined")))
    index = next(i for i, r in enumerate(data.responses) if r.answers.get("C8b"))
    assert records[index]["C8b"] == ";".join(data.responses[index].answers["C8b"])
    assert "C8b.male" not in records[index]
    assert "E1.psych" in records[index]  # grids and shares are one column per row / source either way


def test_columns_cover_every_version(definition):
    extra = extra_definition()
    columns = [c.key for c in response_columns({EXTRA_VERSION: extra, VERSION: definition})]
    assert columns.index(EXTRA_CODE) == columns.index("C10") + 1
    assert "I4" not in columns and "I4a_allocated" not in columns  # regional form

    old, new = demo_responses()[:2]
    new = ResponseRow(new.response_id, new.shelter_id, new.shelter_name, new.region, new.state, EXTRA_VERSION,
                      {**new.answers, EXTRA_CODE: 4})
    data = make_export([old, new], definitions={VERSION: definition, EXTRA_VERSION: extra})
    records = as_records(sheet_rows(xlsx_workbook(data)))
    assert records[0][EXTRA_CODE] is None
    assert records[1][EXTRA_CODE] == 4
    assert records[0]["C1"] == old.answers["C1"]


def test_text_answers_only_when_asked(data, workbook):
    keys = sheet_rows(workbook)[0]
    assert not set(TEXT_CODES) & set(keys)
    assert "shelter_name" in keys
    columns_sheet = [row[0] for row in sheet_rows(workbook, "Columns")[1:]]
    assert "L2" not in columns_sheet

    records = as_records(sheet_rows(xlsx_workbook(data, include_text=True)))
    assert records[0]["B1"] == data.responses[0].answers["B1"]
    l2 = next(i for i, r in enumerate(data.responses) if "L2" in r.answers)
    assert records[l2]["L2"] == data.responses[l2].answers["L2"]


def test_headers_frozen_and_filtered(workbook, data):
    sheet = workbook["Responses"]
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(1, sheet.max_column).column_letter}{len(data.responses) + 2}"
    assert workbook["Findings"].freeze_panes == "A2"
    assert workbook["Findings"].auto_filter.ref.startswith("A1:")


def test_findings_recommendations_and_regional_forms(workbook, data):
    findings = sheet_rows(workbook, "Findings")
    assert findings[0][:2] == (MESSAGES["table_col_round"], MESSAGES["table_col_shelter"])
    assert len(findings) == len(data.findings) + 1
    assert findings[1][0] == "2020-10" and findings[1][4:6] == ("M2", "high")
    c10 = data.definitions[VERSION].question("C10")
    d10 = data.definitions[VERSION].question("D10")
    assert f"C10 {localize(c10.label, 'en')}: {localize(c10.choice('no').label, 'en')}" in findings[1][6]
    assert f"D10 {localize(d10.label, 'en')}: {localize(d10.choice('active_tb').label, 'en')}" in findings[1][6]

    recommendations = sheet_rows(workbook, "Recommendations")
    national, regional = recommendations[1], recommendations[2]
    assert national[:3] == ("2020-10", "M2", "national") and national[-1] == RECOMMENDATION_TEXT
    assert regional[:5] == ("2020-10", "R7", "regional", "UA-23", data.region_names["UA-23"])
    assert regional[9:11] == ("No regional programme", "not done")

    forms = {row[1]: row for row in sheet_rows(workbook, "Regional forms")[2:]}
    assert sheet_rows(workbook, "Regional forms")[0] == ("round", "region", "region_name", "I4", "I4a_allocated",
                                                         "I4a_disbursed")
    assert forms["UA-23"][:1] + forms["UA-23"][3:] == ("2020-10", "no", None, None)
    assert forms["UA-30"][3] == "yes" and forms["UA-30"][4] > 0
    assert forms["UA-65"][3:] == (None, None, None)  # a region with shelters but no regional form


def test_columns_sheet_explains_each_column(workbook):
    rows = sheet_rows(workbook, "Columns")
    described = {row[0]: row for row in rows[1:]}
    assert [row[0] for row in rows[1:]] == list(sheet_rows(workbook)[0])
    male = described["C8b.male"]
    assert male[1] == "C8b" and male[4] == "multi"
    assert male[2] == "Reasons for refusal: Male applicant" and male[3].startswith("Причини відмов")
    assert "1 = chosen" in male[5]
    assert "conditional" in described["C10"][5]
    assert described["A5"][5] == MESSAGES["table_values_bool"]


def test_sheet_names_and_headers_in_the_export_language(data):
    workbook = xlsx_workbook(make_export(list(data.responses[:2]), language="uk"))
    assert workbook.sheetnames[:2] == ["Анкети", "Виявлені проблеми"]
    assert sheet_rows(workbook, "Виявлені проблеми")[0][1] == "Притулок"
    english = xlsx_workbook(make_export(list(data.responses[:2])))
    assert english.sheetnames[:2] == ["Responses", "Findings"]
    assert sheet_rows(english, "Findings")[0][1] == "Shelter"


def test_formula_like_and_control_characters_stay_plain_text(data, monkeypatch):
    first = data.responses[0]
    tricky = ResponseRow(first.response_id, first.shelter_id, "=1+1 shelter", first.region, first.state, VERSION,
                         {**first.answers, "L2": "=HYPERLINK(\"http://x\")", "L3": "bad\x0bchar "})
    export = make_export([tricky])
    fast = as_records(sheet_rows(xlsx_workbook(export, include_text=True)))[0]
    for record in (fast,):
        assert record["shelter_name"] == "=1+1 shelter"
        assert record["L2"] == "=HYPERLINK(\"http://x\")"
        assert record["L3"] == "badchar "
    stream = io.BytesIO()
    write_csv(export, stream, include_text=True)
    row = next(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))
    assert row["L2"] == "'=HYPERLINK(\"http://x\")"  # Excel opens it as text


def test_csv_has_one_header_row_of_keys(data):
    stream = io.BytesIO()
    write_csv(data, stream)
    raw = stream.getvalue()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    keys = [c.key for c in response_columns(data.definitions) if c.type != "text"]
    assert rows[0] == keys
    assert len(rows) == len(data.responses) + 1
    first = dict(zip(keys, rows[1], strict=True))
    assert first["C1"] == str(data.responses[0].answers["C1"])
    assert first["A5"] == "TRUE"
    assert first["shelter_name"] == data.responses[0].shelter_name


def test_csv_to_a_text_stream(data):
    stream = io.StringIO(newline="")
    write_csv(data, stream, multi="joined")
    text = stream.getvalue()
    assert text.startswith("\ufeffresponse_id,round,region,shelter_id,")
    assert ",C8b," in text.splitlines()[0]


def test_cell_value_per_type(definition):
    columns = {c.key: c for c in response_columns({VERSION: definition})}
    answers = {"C1": 0, "A5": False, "C8b": ["male"], "I1": {"donor": 100}, "C9": None}
    assert cell_value(columns["C1"], answers) == 0
    assert cell_value(columns["A5"], answers) is False
    assert cell_value(columns["C8b.male"], answers) == 1
    assert cell_value(columns["C8b.no_places"], answers) == 0
    assert cell_value(columns["D1.adult_men"], answers) is None
    assert cell_value(columns["I1.donor"], answers) == 100
    assert cell_value(columns["I1.state"], answers) == 0  # a source left out of an answered I1
    assert cell_value(columns["I1.state"], {}) is None
    assert cell_value(columns["C9"], answers) is None
    assert [c.key for c in FIXED_COLUMNS] == [c.key for c in response_columns({VERSION: definition})][:11]


def test_ten_thousand_rows_are_streamed_in_constant_memory_mode():
    # Few answers per row keep the test quick; bench/exports_bench.py times the full width.
    responses = [ResponseRow(r.response_id, r.shelter_id, r.shelter_name, r.region, r.state, r.questionnaire_version,
                             {code: r.answers[code] for code in ("C1", "C2", "C8", "A5")})
                 for r in demo_responses(10_000)]
    data = make_export(responses)
    stream = io.BytesIO()
    write_xlsx(data, stream)
    with zipfile.ZipFile(stream) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b'<row r="10001"' in xml and b'<row r="10002"' not in xml  # one header row, then the rows
    last_column = get_column_letter(len(table_columns(data)))
    assert f'<dimension ref="A1:{last_column}10001"/>'.encode() in xml  # readers need not scan for the size


@pytest.fixture(scope="module")
def ukrainian(data):
    answers = {**data.responses[0].answers, "A2": VISIT.isoformat()}
    first = data.responses[0]
    row = ResponseRow(first.response_id, first.shelter_id, first.shelter_name, first.region, "approved", VERSION,
                      answers, round="2020-10", submitted_at=dt.datetime(2020, 10, 13, 9, 30),
                      submitted_by="Monitor One", reviewed_at=dt.datetime(2020, 10, 20, 16, 5),
                      reviewed_by="Coordinator")
    return make_export([row, *data.responses[1:80]], language="uk")


def test_values_as_labels_in_the_export_language(ukrainian, definition):
    records = as_records(sheet_rows(xlsx_workbook(ukrainian, header="codes", values="labels")), header_rows=1)
    first, answers = records[0], ukrainian.responses[0].answers
    assert first["state"] == "затверджено"
    assert first["C8"] == {"yes": "так", "no": "ні", "unknown": "невідомо"}[answers["C8"]]  # a tri
    grid = definition.question("E1")
    assert first["E1.psych"] == localize(grid.choice(answers["E1"]["psych"]).label, "uk")
    assert first["C8b.male"] in (0, 1, None)  # split choices stay flags
    assert first["A5"] is answers["A5"]
    joined = as_records(sheet_rows(xlsx_workbook(ukrainian, header="codes", values="labels", multi="joined")),
                        header_rows=1)[0]
    d1 = definition.question("D1")
    assert joined["D1"] == "; ".join(localize(d1.choice(v).label, "uk") for v in answers["D1"])


def test_metadata_columns_are_typed(ukrainian):
    first = as_records(sheet_rows(xlsx_workbook(ukrainian, header="codes")), header_rows=1)[0]
    assert first["round"] == "2020-10" and first["state"] == "approved"
    assert first["submitted_at"] == dt.datetime(2020, 10, 13, 9, 30)
    assert first["reviewed_at"] == dt.datetime(2020, 10, 20, 16, 5)
    assert (first["submitted_by"], first["reviewed_by"]) == ("Monitor One", "Coordinator")
    assert first["A2"] == dt.datetime.combine(VISIT, dt.time())


def test_one_header_row_of_codes_by_default_labels_or_both_on_request(ukrainian):
    def header(**options):
        stream = io.BytesIO()
        write_xlsx(ukrainian, stream, options=TableOptions(**options))
        stream.seek(0)
        return sheet_rows(load_workbook(stream))[:2]
    codes = header()
    assert codes[0][:2] == ("response_id", "round") and codes[1][0] == ukrainian.responses[0].response_id
    assert header(header="labels")[0][:2] == ("ID анкети", "Раунд моніторингу")
    assert header(header="both")[1][:2] == ("ID анкети", "Раунд моніторингу")


def test_statuses_severities_and_evidence_in_the_workbooks_language(ukrainian):
    workbook = xlsx_workbook(ukrainian)
    findings = sheet_rows(workbook, "Findings")
    assert findings[1][5] == "високий"
    c10 = ukrainian.definitions[VERSION].question("C10")
    assert f"C10 {c10.label['uk']}: {c10.choice('no').label['uk']}" in findings[1][6]
    assert sheet_rows(workbook, "Recommendations")[1][5] == "видано"


def test_csv_delimiter_follows_the_language_unless_chosen(ukrainian, data):
    def first_line(export, **options):
        stream = io.BytesIO()
        write_csv(export, stream, options=TableOptions(**options))
        return stream.getvalue().decode("utf-8-sig").splitlines()[0]
    assert first_line(ukrainian).startswith("response_id;round;region;")
    assert first_line(data).startswith("response_id,round,region,")
    assert first_line(ukrainian, delimiter=",").startswith("response_id,round,")
    assert first_line(data, delimiter="\t").startswith("response_id\tround\t")
    assert first_line(ukrainian, header="labels").startswith("ID анкети;")
    stream = io.BytesIO()
    write_csv(ukrainian, stream, options=TableOptions(values="labels"))
    row = next(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig")), delimiter=";"))
    assert row["state"] == "затверджено" and row["submitted_at"] == "2020-10-13 09:30:00"
    assert row["A2"] == VISIT.isoformat()
