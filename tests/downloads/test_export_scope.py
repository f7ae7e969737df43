"""A regional export holds nothing about other regions' shelters: not in responses or findings, nor behind the
national recommendations (M1-M3), in any of the formats (SPSS and Stata files too, every round's responses
included)."""
import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pyreadstat
import pytest
from sqlalchemy import delete

from shelter_monitor.auth.models import Role
from shelter_monitor.downloads.service import gather_export
from shelter_monitor.exports.report import render_report_html
from shelter_monitor.extensions import db
from shelter_monitor.recommendations.models import NationalRecommendation
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers

OWN = "Own Lviv Refuge"
OTHERS = ("Dnipro Elsewhere House", "Kyiv Elsewhere Home")


@pytest.fixture
def national_findings_everywhere(make):
    """Responses in UA-46 and two other regions, every shelter behind M1-M3."""
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    shelters = []
    for region, name in (("UA-46", OWN), ("UA-12", OTHERS[0]), ("UA-32", OTHERS[1])):
        shelter = make.shelter(region=region, monitors=[monitor], name=name)
        response = start_response(shelter, round_, monitor)
        response.answers = complete_answers(shelter)
        submit_response(response, monitor)
        shelters.append(shelter)
    db.session.execute(delete(NationalRecommendation).where(NationalRecommendation.round_id == round_.id))
    for code in ("M1", "M2", "M3"):
        db.session.add(NationalRecommendation(round_id=round_.id, code=code, severity="high",
                                              region_codes=["UA-12", "UA-32", "UA-46"],
                                              shelter_ids=[s.id for s in shelters], reasons=[]))
    db.session.commit()
    return round_


def _texts(content: bytes, kind: str) -> list[str]:
    if kind == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content))
        return [str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                if cell.value is not None]
    if kind == "deck":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return [archive.read(name).decode("utf-8", "ignore") for name in archive.namelist()]
    if kind in ("sav", "dta"):
        frame, meta = _read_stats(content, kind)
        labels = [text for labels in meta.variable_value_labels.values() for text in labels.values()]
        return [str(value) for value in frame.to_numpy().ravel() if value == value] + labels
    return [content.decode("utf-8-sig")]


def _read_stats(content: bytes, kind: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{kind}"
        path.write_bytes(content)
        return (pyreadstat.read_sav if kind == "sav" else pyreadstat.read_dta)(str(path))


@pytest.mark.parametrize("kind", ["xlsx", "csv", "deck", "sav", "dta"])
def test_regional_export_names_no_other_region_shelter(client, make, national_findings_everywhere, kind):
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    response = client.get(f"/rounds/{national_findings_everywhere.id}/exports/file?kind={kind}&region=UA-46"
                          "&lang=en&multi=split")
    assert response.status_code == 200
    texts = _texts(response.get_data(), kind)
    assert [text for text in texts if any(name in text for name in OTHERS)] == []
    if kind != "deck":  # the deck shows counts, not names
        assert any(OWN in text for text in texts)


def test_regional_xlsx_lists_only_own_shelters_and_region_behind_national_recommendations(
        client, make, national_findings_everywhere):
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    content = client.get(f"/rounds/{national_findings_everywhere.id}/exports/file?kind=xlsx&region=UA-46"
                         "&lang=en&multi=split").get_data()
    book = openpyxl.load_workbook(io.BytesIO(content))
    national_rows = [[cell.value for cell in row] for sheet in book.worksheets for row in sheet.iter_rows()
                     if row[1].value in ("M1", "M2", "M3")]  # after the round
    assert len(national_rows) == 3
    for row in national_rows:
        assert OWN in row and "UA-46" in row and not {"UA-12", "UA-32"} & set(row)


def test_regional_report_and_gathered_data_hold_no_other_region_shelter(app, national_findings_everywhere):
    with app.test_request_context():
        data = gather_export(national_findings_everywhere, region_by_iso("UA-46"), "en")
        html = render_report_html(data)
    assert all(name not in html for name in OTHERS)
    held = [data.responses, data.findings, data.recommendations]
    assert all(name not in repr(part) for part in held for name in OTHERS)
    assert {row.shelters for row in data.recommendations if row.code.startswith("M")} == {(OWN,)}


def test_national_export_still_names_every_shelter(app, national_findings_everywhere):
    with app.test_request_context():
        data = gather_export(national_findings_everywhere, None, "en")
    assert {row.shelters for row in data.recommendations if row.code == "M1"} == {(OWN, *OTHERS)}


@pytest.mark.parametrize("kind", ["xlsx", "csv", "sav", "dta"])
def test_regional_export_of_every_round_names_no_other_region_shelter(client, make, national_findings_everywhere,
                                                                      kind):
    earlier = make.round(code="2019-10", start=dt.date(2019, 10, 1), end=dt.date(2019, 10, 31))
    monitor = make.user(Role.MONITOR)
    for region, name in (("UA-46", "Older Lviv Refuge"), ("UA-12", "Older Dnipro House")):
        shelter = make.shelter(region=region, monitors=[monitor], name=name)
        response = start_response(shelter, earlier, monitor)
        response.answers = complete_answers(shelter)
        submit_response(response, monitor)
    db.session.commit()
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    response = client.get(f"/rounds/{national_findings_everywhere.id}/exports/file?kind={kind}&region=UA-46"
                          "&lang=en&all_rounds=y&header=codes")
    assert response.status_code == 200
    text = " ".join(_texts(response.get_data(), kind))
    assert OWN in text and "Older Lviv Refuge" in text and "2019-10" in text
    for other in (*OTHERS, "Older Dnipro House"):
        assert other not in text
