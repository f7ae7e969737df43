"""The programme in the exports: the XLSX Programme sheet holds the overview's numbers as numbers, row by row and
year by year; the deck's plan-against-actual slide writes them as the programme page does; no programme, no sheet
and no slide."""
import dataclasses
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from shelter_monitor.exports.data import ExportData
from shelter_monitor.exports.deck import MESSAGES as DECK_TEXTS
from shelter_monitor.exports.deck import write_deck
from shelter_monitor.exports.outline import Table, build_outline
from shelter_monitor.exports.tables import MESSAGES as TABLE_TEXTS
from shelter_monitor.exports.tables import write_csv, write_xlsx
from shelter_monitor.programmes.figures import format_amount, format_share
from shelter_monitor.programmes.measures import MEASURES, Measured
from shelter_monitor.programmes.overview import Entered, Overview, Row, build_overview
from shelter_monitor.programmes.plan import parse_programme
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME
from tests.exports.test_deck import build_export, slide_text
from tests.exports.test_tables import SHEETS, demo_responses, make_export

AT = dt.datetime(2016, 3, 1, 12, 0)
PROGRAMME_TITLE = "Programme: plan against actual"


def entered(value: str, source: str = "MSP annual report", note: str = "") -> Entered:
    return Entered(Decimal(value), source, note, "Coordinator", AT)


ENTERED = {
    ("indicator", "t8_assisted", 2013): entered("1078", note="from the regional reports"),
    ("indicator", "t8_assisted", 2014): entered("1242"),
    ("indicator", "t8_assisted", 2015): entered("1301.5"),
    ("indicator", "t4_trained", 2013): entered("60"),
    ("indicator", "t1_council_meetings", 2014): entered("3"),
    ("funding", "local", 2013): entered("473.479", source="Letter of the Ministry of Finance"),
    ("funding", "state_msp", 2014): entered("500.001"),
    ("funding", "total", 2013): entered("2000.5"),
}
MEASURED = {
    ("rounds_held", 2013, None): Measured(Decimal(1), 1, ("2013-10",)),
    ("rounds_held", 2014, None): Measured(Decimal(2), 2, ("2014-03", "2014-10")),
    ("rounds_held", 2015, None): Measured(Decimal(0)),
    ("persons_accommodated", 2013, None): Measured(Decimal(412), 12, ("2013-10",)),
    ("persons_accommodated", 2014, None): Measured(Decimal(630), 14, ("2014-10",)),
    ("staff_trained", 2013, None): Measured(Decimal(77), 9, ("2013-10",)),
    ("regions_with_programme", 2013, None): Measured(Decimal(19), 24, ("2013-10",)),
    ("local_disbursed", 2013, None): Measured(Decimal("48.5"), 1, ("2013-10",)),
}


@pytest.fixture(scope="module")
def overview() -> Overview:
    programme = parse_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"))
    return build_overview(programme, None, ENTERED, MEASURED)


def all_rows(overview: Overview) -> list[Row]:
    return [*overview.rows(), *overview.funding, overview.funding_total]


# ------------------------------------------------------------------------------------------------------------
# XLSX
# ------------------------------------------------------------------------------------------------------------

def workbook_of(data: ExportData, read_only: bool = False):
    stream = io.BytesIO()
    write_xlsx(data, stream)
    stream.seek(0)
    return load_workbook(stream, read_only=read_only)


@pytest.fixture(scope="module")
def with_programme(overview) -> ExportData:
    return dataclasses.replace(make_export(demo_responses(4)), programme=overview)


@pytest.fixture(scope="module")
def sheet(with_programme):
    return workbook_of(with_programme)[TABLE_TEXTS["table_sheet_programme"]]


def column(name: str) -> int:
    """The 0-based index of a Programme sheet column by its text key."""
    keys = ["table_col_task", "table_col_kind", "table_col_code", "table_col_part_of", "table_col_title",
            "table_col_unit", "table_col_year", "table_col_period_total", "table_col_target", "table_col_entered",
            "table_col_entered_source", "table_col_entered_note", "table_col_measured", "table_col_measure",
            "table_col_entered_share", "table_col_measured_share", "table_col_entered_status",
            "table_col_measured_status"]
    return keys.index(f"table_col_{name}")


def by_key(sheet) -> dict[tuple[str, str, int | None], tuple]:
    """The data rows keyed by (kind, code, year); the total row has year None."""
    rows = {}
    for row in list(sheet.iter_rows(values_only=True))[1:]:
        key = (row[column("kind")], row[column("code")], row[column("year")])
        assert key not in rows, key
        rows[key] = row
    return rows


def as_decimal(value) -> Decimal | None:
    assert value is None or isinstance(value, int | float), f"{value!r} is not a number"
    return None if value is None else Decimal(str(value))


def test_a_workbook_with_a_programme_has_a_programme_sheet_before_the_columns(with_programme):
    assert workbook_of(with_programme).sheetnames == [*SHEETS[:-1], "Programme", SHEETS[-1]]


def test_without_a_programme_there_is_no_programme_sheet():
    assert workbook_of(make_export(demo_responses(4))).sheetnames == SHEETS


def test_the_header_is_frozen_and_filtered(sheet):
    header = next(sheet.iter_rows(values_only=True))
    assert header[0] == TABLE_TEXTS["table_col_task"]
    assert header[column("measured_share")] == TABLE_TEXTS["table_col_measured_share"]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:R{sheet.max_row}"


def test_every_row_and_year_has_the_overviews_target_entered_and_measured_numbers(sheet, overview):
    rows = by_key(sheet)
    kinds = {"indicator": TABLE_TEXTS["table_kind_indicator"], "funding": TABLE_TEXTS["table_kind_funding"]}
    expected_keys = set()
    for row in all_rows(overview):
        for cell in (*row.cells, row.total):
            key = (kinds[row.kind], row.code, cell.year)
            expected_keys.add(key)
            found = rows[key]
            assert as_decimal(found[column("target")]) == cell.target, key
            assert as_decimal(found[column("entered")]) == (cell.entered.value if cell.entered else None), key
            measured = cell.measured.value if cell.measured else None
            assert as_decimal(found[column("measured")]) == measured, key
            for name, share in (("entered_share", cell.entered_share), ("measured_share", cell.measured_share)):
                if share is None:
                    assert found[column(name)] is None, key
                else:
                    assert found[column(name)] == pytest.approx(float(share)), key
            assert (found[column("period_total")] == TABLE_TEXTS["table_period_total"]) == (cell.year is None)
    assert set(rows) == expected_keys
    assert len(rows) == len(all_rows(overview)) * (len(overview.years) + 1)


def test_figures_are_exact_numbers_and_shares_are_formatted_as_percentages(with_programme, sheet):
    rows = by_key(sheet)
    local = rows["funding", "local", 2013]
    assert local[column("target")] == 473.479 and local[column("entered")] == 473.479
    assert local[column("entered_share")] == 1
    assert local[column("measured")] == 48.5
    assert rows["indicator", "t8_assisted", 2015][column("entered")] == 1301.5
    assert rows["indicator", "t8_assisted", None][column("target")] == 3726
    assert rows["indicator", "t8_assisted", None][column("entered")] == 1078 + 1242 + 1301.5
    share_columns = {column("entered_share") + 1, column("measured_share") + 1}
    shares = [cell for row in sheet.iter_rows(min_row=2) for cell in row
              if cell.column in share_columns and cell.value is not None]
    assert shares and all(cell.number_format == "0%" for cell in shares)
    assert all(cell.data_type == "n" for row in sheet.iter_rows(min_row=2) for cell in row
               if cell.column - 1 in (column("target"), column("entered"), column("measured"))
               and cell.value is not None)


def test_each_row_says_what_it_is_where_the_entered_figure_comes_from_and_how_it_was_measured(sheet):
    rows = by_key(sheet)
    assisted = rows["indicator", "t8_assisted", 2013]
    assert assisted[column("task")] == 8
    assert assisted[column("title")] == "Persons provided with assistance" and assisted[column("unit")] == "persons"
    assert assisted[column("entered_source")] == "MSP annual report"
    assert assisted[column("entered_note")] == "from the regional reports"
    measure = MEASURES["persons_accommodated"]
    assert assisted[column("measure")] == f"{measure.label} — {measure.qualifier}"
    assert assisted[column("entered_status")] == TABLE_TEXTS["table_status_partly"]  # 1078 of 1242
    assert assisted[column("measured_status")] == TABLE_TEXTS["table_status_behind"]  # 412 of 1242
    meetings = rows["indicator", "t1_council_meetings", 2014]
    assert meetings[column("measure")] is None and meetings[column("measured_status")] is None
    assert meetings[column("entered_status")] == TABLE_TEXTS["table_status_partly"]
    assert rows["indicator", "t1_council_meetings", 2013][column("entered_status")] == \
        TABLE_TEXTS["table_status_none"]
    assert rows["indicator", "t2_monitoring_reports", 2014][column("measured_status")] == \
        TABLE_TEXTS["table_status_reached"]
    part = rows["funding", "state_msp", 2014]
    assert part[column("part_of")] == "state" and part[column("task")] is None
    assert rows["funding", "state", 2014][column("part_of")] is None


def test_the_sheet_speaks_the_export_language(overview):
    data = dataclasses.replace(make_export(demo_responses(2), language="uk"), programme=overview)
    workbook = workbook_of(data)
    assert "Програма" in workbook.sheetnames
    rows = by_key(workbook["Програма"])
    assisted = rows["показник", "t8_assisted", 2013]
    assert assisted[column("title")] == "Особи, яким надано допомогу" and assisted[column("unit")] == "осіб"
    assert assisted[column("measure")] == ("Особи, які постраждали від торгівлі людьми, розміщені в притулках, "
                                           "охоплених моніторингом (C5a–C5d) — нижня межа: лише охоплені "
                                           "моніторингом притулки")
    assert assisted[column("entered_status")] == "частково"
    assert rows["показник", "t8_assisted", None][column("period_total")] == "Усього"


def test_the_programme_is_not_in_the_csv(with_programme):
    stream = io.StringIO()
    write_csv(with_programme, stream)
    assert "t8_assisted" not in stream.getvalue() and "Persons provided with assistance" not in stream.getvalue()


# ------------------------------------------------------------------------------------------------------------
# Deck
# ------------------------------------------------------------------------------------------------------------

def open_deck(data: ExportData):
    stream = io.BytesIO()
    write_deck(data, stream)
    stream.seek(0)
    return Presentation(stream)


def titles(deck) -> list[str]:
    return [slide.shapes.title.text for slide in deck.slides]


def table_rows(slide) -> list[list[str]]:
    (table,) = [shape.table for shape in slide.shapes if shape.has_table]
    return [[cell.text for cell in row.cells] for row in table.rows]


def with_share(text: str, share: Decimal | None) -> str:
    return text if share is None else f"{text} ({format_share(share)})"


def expected_cells(row: Row, year: int, language: str) -> list[str]:
    """What the programme page writes for the row's year: plan, entered (share), measured (share)."""
    cell = row.cell(year)
    plan = format_amount(cell.target, language)
    entered_text = with_share(format_amount(cell.entered.value if cell.entered else None, language),
                              cell.entered_share)
    if row.measure is None:
        return [plan, entered_text, "·"]
    value = cell.measured.value
    measured = format_amount(value, language)
    if value is not None and row.measure.lower_bound:
        measured = f"≥ {measured}"
    return [plan, entered_text, with_share(measured, cell.measured_share)]


def deck_data(overview: Overview, language: str = "en") -> ExportData:
    return dataclasses.replace(build_export(language=language), programme=overview,
                               period_end=dt.date(2015, 10, 31))


@pytest.fixture(scope="module")
def deck(overview):
    return open_deck(deck_data(overview))


def programme_slides(deck) -> list:
    return [slide for slide in deck.slides if slide.shapes.title.text.startswith(PROGRAMME_TITLE)]


def test_the_programme_slide_comes_after_the_gaps_and_before_the_recommendations(deck):
    names = titles(deck)
    at = names.index(PROGRAMME_TITLE)
    assert names[at - 1].startswith("Access gaps") and names[at + 1].startswith("Recommendation M1")
    assert len(names) == len(titles(open_deck(build_export()))) + 1


def test_without_a_programme_there_is_no_programme_slide():
    assert not any(PROGRAMME_TITLE in title for title in titles(open_deck(build_export())))


def test_the_slide_writes_every_indicator_with_a_target_or_measure_as_the_page_does(deck, overview):
    (slide,) = programme_slides(deck)
    rows = table_rows(slide)
    assert rows[0][1::3] == [str(year) for year in overview.years]
    assert rows[1][1:4] == [DECK_TEXTS[k] for k in ("deck_programme_plan", "deck_programme_entered",
                                                   "deck_programme_measured")]
    shown = {row[0]: row[1:] for row in rows[2:]}
    expected = {}
    for task in overview.tasks:
        for row in task.rows:
            if row.measure is None and all(cell.target is None for cell in row.cells):
                continue
            expected[f"{task.task.number}. {row.title['en']}"] = [
                text for year in overview.years for text in expected_cells(row, year, "en")]
    total = overview.funding_total
    expected["Funding in total, thousand UAH"] = [text for year in overview.years
                                                  for text in expected_cells(total, year, "en")]
    assert shown == expected
    assert len(expected) == 13  # every indicator of the shipped programme has a target or a measure
    assisted = shown["8. Persons provided with assistance"]
    assert assisted[:3] == ["1,242", "1,078 (87%)", "≥ 412 (33%)"]
    assert shown["Funding in total, thousand UAH"][:2] == ["2,391.103", "2,000.5 (84%)"]


def test_the_footnote_names_the_measures_and_their_honest_labels(deck):
    (slide,) = programme_slides(deck)
    text = slide_text(slide)
    for key in ("rounds_held", "persons_accommodated", "staff_trained", "regions_with_programme"):
        assert f"{MEASURES[key].label} — {MEASURES[key].qualifier}" in text
    assert MEASURES["local_disbursed"].label not in text  # a funding source's measure: not on the slide
    assert "State Targeted Social Programme on Combating Trafficking in Human Beings until 2015" in text


def test_the_slide_speaks_the_export_language(overview):
    deck = open_deck(deck_data(overview, "uk"))
    (slide,) = [s for s in deck.slides if s.shapes.title.text == "Програма: план і фактичне виконання"]
    shown = {row[0]: row[1:] for row in table_rows(slide)[2:]}
    assert shown["Обсяг фінансування, усього, тис. грн"][:2] == ["2\u00a0391,103", "2\u00a0000,5 (84%)"]
    assert shown["8. Особи, яким надано допомогу"][:3] == ["1\u00a0242", "1\u00a0078 (87%)", "≥ 412 (33%)"]
    assert table_rows(slide)[1][1] == "План"
    assert "нижня межа: лише охоплені моніторингом притулки" in slide_text(slide)


LONG_PROGRAMME = """
format: shelter-monitor-programme/1
code: long
title: {en: A long regional programme, uk: Довга регіональна програма}
region: UA-46
years: [2016, 2017, 2018, 2019, 2020, 2021]
tasks:
  - number: "1"
    title: {en: Everything, uk: Усе}
    indicators:
%s
"""


def test_many_rows_go_on_several_slides_and_only_the_last_years_up_to_the_round_are_shown():
    indicators = "\n".join(
        f"      - code: i{n}\n        title: {{en: Indicator number {n} with a rather long title that takes some "
        f"room on the slide, uk: Показник {n}}}\n        targets: {{2016: {n}, 2021: {n + 1}}}"
        for n in range(1, 25))
    programme = parse_programme(LONG_PROGRAMME % indicators)
    overview = build_overview(programme, "UA-46", {("indicator", "i3", 2020): entered("7")}, {})
    deck = open_deck(dataclasses.replace(build_export(), programme=overview, period_end=dt.date(2020, 10, 31)))
    slides = [s for s in deck.slides if s.shapes.title.text.startswith(PROGRAMME_TITLE)]
    assert len(slides) >= 2
    assert [s.shapes.title.text for s in slides] == [PROGRAMME_TITLE] + [f"{PROGRAMME_TITLE} (cont.)"] * (
        len(slides) - 1)
    labels = [row[0] for slide in slides for row in table_rows(slide)[2:]]
    assert labels == [f"1. Indicator number {n} with a rather long title that takes some room on the slide"
                      for n in range(1, 25)]  # no funding plan: no funding row
    for slide in slides:  # every slide repeats the years over their three columns, and the columns' names
        assert table_rows(slide)[0][1::3] == ["2017", "2018", "2019", "2020"]
        assert table_rows(slide)[1][1:4] == ["Plan", "Official", "Measured"]
    third = next(row for row in table_rows(slides[0]) if row[0].startswith("1. Indicator number 3 "))
    assert third[10:13] == ["—", "7", "·"]  # 2020: no target, 7 entered, nothing measured
    assert "Plan: the programme's target." in slide_text(slides[-1])  # the legend under the last part


def test_the_programme_slide_is_laid_out_by_measured_height_above_the_footer(deck):
    (slide,) = programme_slides(deck)
    bottom = max(shape.top + shape.height for shape in slide.shapes
                 if shape.has_table or (shape.has_text_frame and "Plan:" in shape.text_frame.text))
    footer = min(shape.top for shape in slide.shapes if shape.has_text_frame
                 and shape.text_frame.text.startswith("Shelter monitoring 2020 ·"))
    assert bottom <= footer


def test_the_outline_colours_each_figure_by_how_far_it_reaches_its_target(overview):
    outline = build_outline(deck_data(overview))
    (slide,) = [s for s in outline.slides if s.key == "programme"]
    table = next(block for block in slide.columns[0] if isinstance(block, Table))
    assert table.groups == (("", 1), ("2013", 3), ("2014", 3), ("2015", 3))
    assisted = next(i for i, row in enumerate(table.rows) if row[0] == "8. Persons provided with assistance")
    assert table.rows[assisted][1:4] == ("1,242", "1,078 (87%)", "≥ 412 (33%)")
    assert table.cell_tones[assisted][1:4] == ("", "partly", "behind")  # the plan itself is never coloured
    funding = next(i for i, row in enumerate(table.rows) if row[0].startswith("Funding in total"))
    assert table.tone(funding, 0) == "navy"


def test_no_programme_covering_the_round_says_so_instead_of_a_table():
    note = "No programme covers 2020; the last one, The 2012 programme, ran 2013–2015."
    outline = build_outline(dataclasses.replace(build_export(), programme_note=note))
    (slide,) = [s for s in outline.slides if s.key.startswith("programme")]
    assert slide.key == "programme_note" and slide.title == PROGRAMME_TITLE
    assert [line for block in slide.columns[0] for line in block.lines] == [note]


def test_a_share_of_the_plan_is_written_in_the_export_language():
    indicator = "      - code: i1\n        title: {en: Overdone, uk: Перевиконано}\n        targets: {2020: 1}"
    overview = build_overview(parse_programme(LONG_PROGRAMME % indicator), "UA-46",
                              {("indicator", "i1", 2020): entered("25")}, {})
    data = dataclasses.replace(build_export(language="uk"), programme=overview, period_end=dt.date(2020, 10, 31))
    table = next(block for slide in build_outline(data).slides if slide.key == "programme"
                 for block in slide.columns[0] if isinstance(block, Table))
    assert table.rows[0][-2] == "25 (2\u00a0500%)"  # a no-break space between thousands, as Ukrainian writes it
