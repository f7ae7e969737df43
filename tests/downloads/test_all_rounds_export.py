"""An export of every round (--all-rounds, the export page's "every round" box): every per-round sheet of the
workbook (responses, findings, recommendations, regional forms) holds each round's rows with their round, within
the region asked for; the SPSS and Stata files hold the same rows as the workbook, with their labels; the deck and
the PDF report stay the round's."""
import datetime as dt
import io
import tempfile
from pathlib import Path

import openpyxl
import pyreadstat
import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.downloads.service import gather_export, layout_for
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.model import localize
from shelter_monitor.recommendations.models import Finding
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.models import RegionalForm
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers

OWN = ("Lviv Refuge 2019", "Lviv Refuge 2020")
OTHER = ("Dnipro House 2019", "Dnipro House 2020")


@pytest.fixture
def two_rounds(make):
    """Rounds 2019-10 and 2020-10, each with a response in UA-46 and one in UA-12, a finding behind each response
    and a regional form of UA-46 (I4 "no" in 2019, "yes" in 2020). Gives the rounds and the answers by shelter."""
    monitor = make.user(Role.MONITOR)
    rounds = (make.round(code="2019-10", start=dt.date(2019, 10, 1), end=dt.date(2019, 10, 31)), make.round())
    lviv = region_by_iso("UA-46")
    answers = {}
    for round_, own, other, i4 in zip(rounds, OWN, OTHER, ("no", "yes"), strict=True):
        for region, name in (("UA-46", own), ("UA-12", other)):
            shelter = make.shelter(region=region, monitors=[monitor], name=name)
            response = start_response(shelter, round_, monitor)
            response.answers = answers[name] = complete_answers(shelter)
            submit_response(response, monitor)
            db.session.flush()
            db.session.add(Finding(round_id=round_.id, response_id=response.id, shelter_id=shelter.id, code="R3",
                                   severity="high", evidence={"C10": "no"}))
        db.session.add(RegionalForm(region_id=lviv.id, round_id=round_.id, answers={"I4": i4}))
    db.session.commit()
    return rounds, answers


def _download(client, round_, kind: str, **query) -> bytes:
    arguments = "&".join(f"{key}={value}" for key, value in {"kind": kind, "region": "UA-46", "lang": "uk",
                                                             **query}.items())
    response = client.get(f"/rounds/{round_.id}/exports/file?{arguments}")
    assert response.status_code == 200
    return response.get_data()


def _sheet(book, index: int) -> list[tuple]:
    return list(book.worksheets[index].iter_rows(values_only=True))


def _read_stats(content: bytes, kind: str, **options):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{kind}"
        path.write_bytes(content)
        return (pyreadstat.read_sav if kind == "sav" else pyreadstat.read_dta)(str(path), **options)


def test_every_per_round_sheet_holds_every_round_with_its_round(client, make, two_rounds):
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    book = openpyxl.load_workbook(io.BytesIO(_download(client, two_rounds[0][1], "xlsx", all_rounds="y")))
    responses, findings, _recommendations, forms = (_sheet(book, index) for index in range(4))
    keys = responses[0]
    assert [(row[keys.index("round")], row[keys.index("shelter_name")]) for row in responses[1:]] == \
        [("2019-10", OWN[0]), ("2020-10", OWN[1])]
    assert [(row[0], row[1], row[4]) for row in findings[1:]] == [("2019-10", OWN[0], "R3"),
                                                                  ("2020-10", OWN[1], "R3")]
    assert forms[0][:4] == ("round", "region", "region_name", "I4")
    assert [row[:2] + row[3:4] for row in forms[1:]] == [("2019-10", "UA-46", "no"), ("2020-10", "UA-46", "yes")]
    text = repr([_sheet(book, index) for index in range(len(book.worksheets))])
    assert not any(name in text for name in OTHER)


def test_without_all_rounds_every_sheet_is_the_rounds(client, make, two_rounds):
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    book = openpyxl.load_workbook(io.BytesIO(_download(client, two_rounds[0][1], "xlsx")))
    _responses, findings, _recommendations, forms = (_sheet(book, index) for index in range(4))
    assert [(row[0], row[1]) for row in findings[1:]] == [("2020-10", OWN[1])]
    assert [row[:2] + row[3:4] for row in forms[1:]] == [("2020-10", "UA-46", "yes")]


def test_national_all_rounds_findings_in_round_then_region_order(app, two_rounds):
    with app.test_request_context():
        data = gather_export(two_rounds[0][1], None, "en", all_rounds=True)
    assert [(f.round, f.shelter_name) for f in data.findings] == [
        ("2019-10", OTHER[0]), ("2019-10", OWN[0]), ("2020-10", OTHER[1]), ("2020-10", OWN[1])]
    assert data.regional_forms == {"UA-46": {"I4": "yes"}}  # the round's own, as the deck reads them
    assert {code: dict(forms) for code, forms in data.regional_forms_by_round.items()} == {
        "2019-10": {"UA-46": {"I4": "no"}}, "2020-10": {"UA-46": {"I4": "yes"}}}


@pytest.mark.parametrize("kind", ["sav", "dta"])
def test_spss_and_stata_files_hold_the_workbooks_rows_with_labels(client, make, two_rounds, kind):
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    frame, meta = _read_stats(_download(client, two_rounds[0][1], kind, all_rounds="y", values="labels"), kind)
    assert list(frame["round"]) == ["2019-10", "2020-10"] and list(frame["shelter_name"]) == list(OWN)
    assert set(frame["region"]) == {"UA-46"}
    definition = load_definition("2020.1")
    b4 = definition.question("B4")
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    c1 = localize(definition.question("C1").label, "uk")
    assert labels["C1"] == c1 if kind == "sav" else c1.startswith(labels["C1"])
    assert meta.variable_value_labels["B4"] == {number: localize(choice.label, "uk")
                                                for number, choice in enumerate(b4.choices, 1)}
    assert meta.variable_value_labels["C8b_male"] == {0: "не обрано", 1: "обрано"}
    # values="labels" stores the codes all the same, with the labels beside them
    answers = [two_rounds[1][name] for name in OWN]
    codes = {choice.value: number for number, choice in enumerate(b4.choices, 1)}
    assert list(frame["B4"]) == [codes[a["B4"]] for a in answers]
    assert list(frame["C1"]) == [a["C1"] for a in answers]
    assert list(frame["A5"]) == [int(a["A5"]) for a in answers]
    assert list(frame["D10_skin_infect"]) == [int("skin_infect" in a["D10"]) for a in answers]
    shown, _meta = _read_stats(_download(client, two_rounds[0][1], kind, all_rounds="y"), kind,
                               apply_value_formats=True)
    assert list(shown["B4"]) == [localize(b4.choice(a["B4"]).label, "uk") for a in answers]
    assert set(shown["state"]) == {"подано"}


@pytest.mark.parametrize("kind", ["sav", "dta"])
def test_joined_multiple_choice_is_one_text_variable(client, make, two_rounds, kind):
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    frame, meta = _read_stats(_download(client, two_rounds[0][1], kind, multi="joined"), kind)
    definition = load_definition("2020.1")
    assert "C8b" in frame.columns and "C8b_male" not in frame.columns
    assert "C8b" not in meta.variable_value_labels
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    c8b = localize(definition.question("C8b").label, "uk")
    assert labels["C8b"] == c8b if kind == "sav" else c8b.startswith(labels["C8b"])
    answers = two_rounds[1][OWN[1]]
    assert list(frame["D10"]) == [";".join(answers["D10"])]
    d10 = definition.question("D10")
    worded, _meta = _read_stats(_download(client, two_rounds[0][1], kind, multi="joined", values="labels"), kind)
    assert list(worded["D10"]) == ["; ".join(localize(d10.choice(value).label, "uk") for value in answers["D10"])]


def test_the_deck_and_the_report_tell_their_round_alone():
    assert layout_for("deck", {"all_rounds": True})["all_rounds"] is False
    assert layout_for("pdf", {"all_rounds": True})["all_rounds"] is False
    assert all(layout_for(kind, {"all_rounds": True})["all_rounds"] for kind in ("xlsx", "csv", "sav", "dta"))
    assert layout_for("csv", None) == {"values": "codes", "header": "codes", "delimiter": None, "all_rounds": False}


def test_the_export_page_says_what_the_every_round_box_covers(client, login_as, two_rounds):
    """The box says that the findings, recommendations and regional forms follow it too, and that the deck and the
    report do not; it sits with the other data-file choices (multiple-choice answers among them)."""
    login_as(Role.COORDINATOR)
    page = client.get(f"/rounds/{two_rounds[0][1].id}/exports").get_data(as_text=True)
    data_files = page[page.index('<fieldset class="data-options">'):page.index("</fieldset>")]
    assert 'id="multi"' in data_files and 'id="all_rounds"' in data_files
    assert 'aria-describedby="all_rounds-hint"' in data_files
    hint = data_files[data_files.index('id="all_rounds-hint"'):]
    assert "findings, recommendations and regional forms of every round" in hint
    assert "The presentation and the report always cover this round only." in hint
