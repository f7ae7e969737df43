"""What a round table sees on the slide and analyses in the sheet is what the programme page shows."""
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from shelter_monitor.auth.models import Role
from shelter_monitor.downloads.service import build_file, gather_export
from shelter_monitor.extensions import db
from shelter_monitor.programmes.figures import format_amount
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, enter_value, load_programme
from shelter_monitor.responses.models import Response, ResponseState
from tests.conftest import login

CHECKED = [("indicator", "t8_assisted"), ("indicator", "t4_trained"), ("indicator", "t2_monitoring_reports"),
           ("funding", "total")]


@pytest.fixture
def figures(make):
    row, _ = load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    ministry = make.user(Role.MINISTRY)
    round_ = make.round("2013-10", dt.date(2013, 10, 1), dt.date(2013, 10, 31), is_open=False, covid_section=False)
    for region, victims, trained in (("UA-46", 212, 40), ("UA-12", 200, 37)):
        db.session.add(Response(shelter=make.shelter(region=region), round=round_, questionnaire_version="2020.1",
                                answers={"C5b": victims, "F4": trained}, state=ResponseState.APPROVED))
    enter_value(ministry, row, "indicator", "t8_assisted", 2013, None, "1078", "MSP annual report", "")
    enter_value(ministry, row, "indicator", "t4_trained", 2014, None, "127", "MSP annual report", "")
    enter_value(ministry, row, "funding", "total", 2013, None, "2000.5", "Treasury", "")
    db.session.commit()
    return round_, ministry


def _page_cells(client, path: str) -> dict[str, list[str]]:
    """Each row of the page's plan table: its link's code and the text of its cells (plan, official, measured)."""
    html = client.get(path).get_data(as_text=True)
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, flags=re.S):
        code = re.search(r"indicators/(\w+)", row)
        cells = re.findall(r"<td>(.*?)</td>", row, flags=re.S)
        if cells:
            rows[code.group(1) if code else re.sub(r"<[^>]+>|\s+", "", row.split("</th>")[0])] = cells
    return rows


def _figure(cell_html: str, label: str) -> str:
    """The figure written after a label in a page cell, without its share: "≥ 412" for Measured."""
    value = re.search(rf"<dt>{label}</dt><dd>(.*?)(?:<span|</dd>)", cell_html, flags=re.S).group(1)
    return re.sub(r"\s+", " ", value).strip()


def test_sheet_and_slide_carry_the_numbers_of_the_page(client, app, figures):
    round_, ministry = figures
    login(client, ministry)
    page = _page_cells(client, "/programmes/ua-thb-2012")
    funding = _page_cells(client, "/programmes/ua-thb-2012/funding")
    with app.test_request_context():
        data = gather_export(round_, None, "en")
    sheet = load_workbook(io.BytesIO(build_file("xlsx", data)))["Programme"]
    by_key = {(r[2], r[6]): r for r in sheet.iter_rows(min_row=2, values_only=True) if r[6] is not None}
    slide = next(s for s in Presentation(io.BytesIO(build_file("deck", data))).slides
                 if s.shapes.title.text == "Programme: plan against actual")
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    slide_rows = {row.cells[0].text: [cell.text for cell in row.cells] for row in table.rows}

    assert _figure(page["t8_assisted"][0], "Plan") == "1,242"
    assert _figure(page["t8_assisted"][0], "Official") == "1,078"
    assert _figure(page["t8_assisted"][0], "Measured") == "≥ 412"
    for kind, code in CHECKED:
        cells = (funding[next(k for k in funding if k.startswith("Total"))] if kind == "funding" else page[code])
        for index, year in enumerate((2013, 2014, 2015)):
            text = cells[index]
            sheet_row = by_key[(code, year)]
            target, official, measured = sheet_row[8], sheet_row[9], sheet_row[12]
            assert _figure(text, "Plan") == _written(target), (code, year)
            assert _figure(text, "Official") == _written(official), (code, year)
            if "<dt>Measured</dt>" in text:
                assert _figure(text, "Measured").removeprefix("≥ ") == _written(measured), (code, year)
    t8_on_slide = next(cells for label, cells in slide_rows.items() if label.endswith("provided with assistance"))
    assert t8_on_slide[1:4] == ["1,242", "1,078 (87%)", "≥ 412 (33%)"]
    assert re.findall(r'class="pct">(.*?)<', page["t8_assisted"][0]) == ["87%", "33%"]
    total_on_slide = next(cells for label, cells in slide_rows.items() if label.startswith("Funding in total"))
    assert total_on_slide[1:3] == ["2,391.103", "2,000.5 (84%)"]


def _written(value) -> str:
    """A sheet number as the English page writes it (commas between thousands, no trailing zeros)."""
    return format_amount(None if value is None else Decimal(str(value)), "en")
