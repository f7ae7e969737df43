"""An XLSForm exported from a version, edited, and imported as a new version: the diff, the rules that would read
what it lacks, a response under it beside one under the shipped version, and the refusals of broken forms."""
import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.i18n import catalog
from shelter_monitor.questionnaire.changes import ADDED, RELABELLED, REMOVED, Change
from shelter_monitor.questionnaire.loader import available_versions, load_definition, parse_definition
from shelter_monitor.questionnaire.versions import read_xlsform, store_version
from shelter_monitor.questionnaire.xlsform import ShelterChoice, build_xlsform
from shelter_monitor.responses.models import Response, ResponseState
from tests.conftest import login
from tests.responses.helpers import complete_answers, form_post

EN, UK = "label::English (en)", "label::Українська (uk)"


def exported() -> openpyxl.Workbook:
    content = build_xlsform(load_definition("2020.1"), [ShelterChoice(1, "Shelter (Lviv)")],
                            {lang: catalog(lang) for lang in ("en", "uk")})
    return openpyxl.load_workbook(io.BytesIO(content))


def columns(sheet) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[1] if cell.value}


def row_of(sheet, name: str, column: str = "name") -> int:
    index = columns(sheet)[column]
    return next(row[0].row for row in sheet.iter_rows(min_row=2) if row[index - 1].value == name)


def saved(book: openpyxl.Workbook) -> bytes:
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def edited_2021() -> bytes:
    """Adds C1_beds after C1, relabels the D14 choice 'yes', removes D13 (read by rule M1) and D13a."""
    book = exported()
    survey, choices = book["survey"], book["choices"]
    for name in ("D13a", "D13"):
        survey.delete_rows(row_of(survey, name))
    at = row_of(survey, "C1") + 1
    survey.insert_rows(at)
    head = columns(survey)
    for column, value in {"type": "integer", "name": "C1_beds", EN: "Beds in use", UK: "Зайнятих ліжок",
                          "required": "yes", "constraint": ". <= ${C1}",
                          "constraint_message::English (en)": "More beds in use than places.",
                          "constraint_message::Українська (uk)": "Зайнятих ліжок більше, ніж місць."}.items():
        survey.cell(at, head[column], value)
    head = columns(choices)
    line = next(r[0].row for r in choices.iter_rows(min_row=2)
                if r[0].value == "D14" and r[head["name"] - 1].value == "yes")
    choices.cell(line, head[EN], "Yes, with documents")
    choices.cell(line, head[UK], "Так, з документами")
    return saved(book)


def test_an_edited_xlsform_reads_as_a_new_version_with_its_diff_and_the_rules_it_breaks(ctx):
    result = read_xlsform(edited_2021(), "2021.1", "2020.1")
    assert result.problems == []
    assert result.changes == [Change(ADDED, "C1_beds"), Change(RELABELLED, "D14", "yes"),
                              Change(REMOVED, "D13"), Change(REMOVED, "D13a")]
    assert [(gap.rule, gap.missing) for gap in result.rule_gaps] == [("M1", ("D13",))]
    added = next(c for c in result.definition["checks"] if c["field"] == "C1_beds")
    assert added["condition"] == {"q": "C1_beds", "le": {"q": "C1"}}


def test_an_unedited_export_reads_back_as_the_same_definition(ctx):
    result = read_xlsform(saved(exported()), "2020.2", "2020.1")
    assert result.problems == [] and result.changes == [] and result.rule_gaps == []
    assert parse_definition(result.definition).sections == load_definition("2020.1").sections
    assert parse_definition(result.definition).checks == load_definition("2020.1").checks


def test_cli_imports_after_confirmation_and_a_round_on_it_is_filled_and_exported_beside_the_shipped_one(
        app, client, make, tmp_path):
    path = tmp_path / "2021.xlsx"
    path.write_bytes(edited_2021())
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["questionnaire", "import-xlsform", str(path), "--version", "2021.1"], input="n\n")
    assert "rule M1 reads what this version lacks: D13" in refused.output and refused.exit_code == 1
    done = runner.invoke(args=["questionnaire", "import-xlsform", str(path), "--version", "2021.1"], input="y\n")
    assert done.exit_code == 0, done.output
    assert "Added                C1_beds" in done.output and "Stored questionnaire version 2021.1." in done.output

    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor])
    old_round = make.round()
    new_round = make.round("2021-10", dt.date(2021, 10, 1), dt.date(2021, 10, 31), questionnaire_version="2021.1")
    login(client, monitor)
    for round_ in (old_round, new_round):
        assert client.post(f"/shelters/{shelter.id}/rounds/{round_.id}/response").status_code == 302
    new = db.session.scalars(db.select(Response).where(Response.round_id == new_round.id)).one()
    old = db.session.scalars(db.select(Response).where(Response.round_id == old_round.id)).one()
    answers = complete_answers(shelter)
    for response, round_code in ((old, "2020-10"), (new, "2021-10")):
        response.answers = {**answers, "A1": round_code, "A2": f"{round_code[:4]}-10-12"}
        response.carried_sections = []
    for code in ("D13", "D13a"):
        new.answers.pop(code, None)
    db.session.commit()
    too_many = client.post(f"/responses/{new.id}/sections/C", data=form_post(
        "C", answers, new.version, C1_beds=str(answers["C1"] + 1)))
    assert "More beds in use than places." in too_many.get_data(as_text=True)
    db.session.refresh(new)
    client.post(f"/responses/{new.id}/sections/C", data=form_post("C", answers, new.version, C1_beds="3"))
    for response in (old, new):
        assert client.post(f"/responses/{response.id}/submit").status_code == 302
        db.session.refresh(response)
        assert response.state == ResponseState.SUBMITTED, response.id
    assert new.answers["C1_beds"] == 3

    path = tmp_path / "both.csv"
    exported_file = runner.invoke(args=["export", "csv", "--round", "2021-10", "--all-rounds", "--lang", "en",
                                        "-o", str(path)])
    assert exported_file.exit_code == 0, exported_file.output
    rows = {row["round"]: row for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))}
    assert rows["2021-10"]["C1_beds"] == "3" and rows["2020-10"]["C1_beds"] == ""
    assert rows["2020-10"]["D13"] == answers["D13"] and rows["2021-10"]["D13"] == ""


def test_a_stored_version_a_round_uses_cannot_be_imported_again(make):
    result = read_xlsform(edited_2021(), "2021.1", "2020.1")
    store_version(result.definition, "2020.1", None)
    make.round("2021-10", questionnaire_version="2021.1")
    again = read_xlsform(edited_2021(), "2021.1", "2020.1")
    assert [str(p) for p in again.problems] == [
        "settings, column version: version 2021.1 is used by the rounds 2021-10 and cannot be changed"]


def _broken(edit) -> bytes:
    book = exported()
    edit(book)
    return saved(book)


def _set(sheet_name: str, name: str, column: str, value, key: str = "name"):
    def edit(book):
        sheet = book[sheet_name]
        sheet.cell(row_of(sheet, name, key), columns(sheet)[column]).value = value
    return edit


@pytest.mark.parametrize(("edit", "problem"), [
    (_set("survey", "C2", "type", "geopoint"),
     "survey, row {C2}, column type: the type 'geopoint' cannot be held by the questionnaire (supported: integer, "
     "date, text, select_one, select_multiple)"),
    (_set("survey", "C2", "relevant", "regex(${C1}, '[0-9]')"),
     "survey, row {C2}, column relevant: the expression 'regex(${C1}, '[0-9]')' cannot be read: the function "
     "regex() is not supported"),
    (_set("survey", "C2", UK, None), "survey, row {C2}, column label::uk: the label in 'uk' is missing"),
    (_set("survey", "C2", "relevant", "${nowhere} > 3"),
     "survey, row {C2}, column relevant: pyxform says: On the 'survey' sheet, the 'relevant' value is invalid. "
     "Reference "
     "variables must contain a name from the 'survey' sheet. Could not find the name 'nowhere'."),
    (_set("survey", "C2", "type", "select_one no_such_list"),
     "survey, row {C2}: pyxform says: List name not in choices sheet: no_such_list"),
    (_set("survey", "C2", "constraint", ". <= ${C1}"),
     "survey, row {C2}, column constraint_message: a new constraint needs its message in English and Ukrainian"),
])
def test_malformed_xlsforms_are_refused_with_the_place_of_the_problem(ctx, edit, problem):
    book = exported()
    where = row_of(book["survey"], "C2")
    if "constraint_message" in problem:
        edit = _both(edit, _set("survey", "C2", "constraint_message::English (en)", None),
                     _set("survey", "C2", "constraint_message::Українська (uk)", None))
    result = read_xlsform(_broken(edit), "2021.1", "2020.1")
    assert [str(p) for p in result.problems] == [problem.replace("{C2}", str(where))]


def _both(*edits):
    def edit(book):
        for one in edits:
            one(book)
    return edit


GRID_REFUSED = "is a grid or shares question: it cannot be changed through XLSForm (edit it in the definition file)"


@pytest.mark.parametrize(("name", "column", "value", "where"), [
    ("E1.psych", EN, "Psychological help", "label::en"),
    ("E1", UK, "Послуги", "label::uk"),
    ("E1", "relevant", "${C1} > 3", "relevant"),
    ("I1.donor", "constraint", ". <= 50", "constraint"),
    ("I1.donor", "required", None, "required"),
    ("I1.donor", "type", "decimal", "type"),
])
def test_an_edited_grid_or_shares_row_is_refused_with_its_place(ctx, name, column, value, where):
    book = exported()
    line = row_of(book["survey"], name)
    result = read_xlsform(_broken(_set("survey", name, column, value)), "2021.1", "2020.1")
    question = name.split(".")[0]
    assert [str(p) for p in result.problems] == [f"survey, row {line}, column {where}: {question} {GRID_REFUSED}"]
    assert result.definition is None


def test_a_deleted_grid_row_is_refused_on_its_group(ctx):
    book = exported()
    survey = book["survey"]
    survey.delete_rows(row_of(survey, "E1.psych"))
    result = read_xlsform(saved(book), "2021.1", "2020.1")
    assert [str(p) for p in result.problems] == [
        f"survey, row {row_of(survey, 'E1')}, column name: E1 lacks its rows E1.psych: grid and shares questions "
        "cannot be changed through XLSForm (edit them in the definition file)"]


def test_grid_rows_out_of_their_group_are_refused(ctx):
    book = exported()
    survey = book["survey"]
    end = next(row[0].row for row in survey.iter_rows(min_row=row_of(survey, "E1.family"))
               if row[0].value == "end_group")
    survey.delete_rows(end)
    survey.delete_rows(row_of(survey, "E1"))
    parts = [row[0].row for row in survey.iter_rows(min_row=2)
             if str(row[columns(survey)["name"] - 1].value).startswith("E1.")]
    result = read_xlsform(saved(book), "2021.1", "2020.1")
    assert [str(p) for p in result.problems] == [f"survey, row {line}, column type: E1 {GRID_REFUSED}"
                                                 for line in parts]


@pytest.mark.parametrize(("removed", "reader"), [("D8", "find a place"), ("B7", "the HSDS directory"),
                                                 ("D14b", "the HSDS directory")])
def test_a_version_without_a_question_the_matcher_or_the_directory_reads_is_refused_alike(ctx, removed, reader):
    """Both are checked against every version when the app starts: a version either refuses would stop it."""
    book = exported()
    book["survey"].delete_rows(row_of(book["survey"], removed))
    result = read_xlsform(saved(book), "2021.1", "2020.1")
    assert [str(p) for p in result.problems] == [
        f"survey: what reads the questionnaire refuses this version: {reader} reads {removed}, which questionnaire "
        "2021.1 does not have"]
    assert result.definition is None


def test_a_choice_without_its_ukrainian_label_is_refused_on_the_choices_sheet(ctx):
    book = exported()
    choices = book["choices"]
    line = next(r[0].row for r in choices.iter_rows(min_row=2) if r[0].value == "D14")
    choices.cell(line, columns(choices)[UK]).value = None
    result = read_xlsform(saved(book), "2021.1", "2020.1")
    value = choices.cell(line, columns(choices)["name"]).value
    assert [str(p) for p in result.problems] == [
        f"choices, row {line}, column label::uk: the label in 'uk' of the choice '{value}' is missing"]


def test_admin_uploads_sees_the_diff_and_stores_on_confirmation(client, login_as):
    login_as("admin")
    preview = client.post("/questionnaires/import", data={
        "file": (io.BytesIO(edited_2021()), "2021.xlsx"), "version": "2021.1", "derived_from": "2020.1"},
        content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Beds in use" in html and "Yes, with documents" in html
    assert "M1: D13" in html
    assert "2021.1" not in available_versions()
    content = re.search(r'name="content" type="hidden" value="([^"]+)"', html).group(1)
    stored = client.post("/questionnaires/import", data={"version": "2021.1", "derived_from": "2020.1",
                                                         "content": content, "confirm": "1"})
    assert stored.status_code == 302
    assert "2021.1" in available_versions() and load_definition("2021.1").has_question("C1_beds")
    assert "2021.1" in client.get("/questionnaires").get_data(as_text=True)


def test_an_uploaded_malformed_xlsform_lists_its_problems_and_stores_nothing(client, login_as):
    login_as("admin")
    page = client.post("/questionnaires/import", data={
        "file": (io.BytesIO(_broken(_set("survey", "C2", "type", "geopoint"))), "bad.xlsx"), "version": "2021.1",
        "derived_from": "2020.1"}, content_type="multipart/form-data")
    html = page.get_data(as_text=True)
    assert "The XLSForm cannot be imported" in html and "the type &#39;geopoint&#39; cannot be held" in html
    assert 'name="confirm"' not in html and "2021.1" not in available_versions()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("content", [
    b"", b"not a zip", _zip({"hello.txt": b"hello"}),
    _zip({"[Content_Types].xml": b"<Types"}),  # XML openpyxl cannot parse
    _zip({"[Content_Types].xml": b" " * 11_000_000}),  # past lxml's buffer limit (pyxform lets its error through)
], ids=["empty", "not-a-zip", "zip-of-text", "broken-xml", "xml-past-lxmls-limit"])
def test_a_file_that_is_no_workbook_is_refused_as_such(client, login_as, content):
    login_as("admin")
    page = client.post("/questionnaires/import", data={
        "file": (io.BytesIO(content), "form.xlsx"), "version": "2021.1", "derived_from": "2020.1"},
        content_type="multipart/form-data")
    assert page.status_code == 200 and "2021.1" not in available_versions()
    assert "The XLSForm cannot be imported" in page.get_data(as_text=True) or not content


def test_a_file_field_sent_as_text_is_no_file(client, login_as):
    login_as("admin")
    for content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        page = client.post("/questionnaires/import", data={"file": "PK not a file", "version": "2021.1",
                                                          "derived_from": "2020.1"}, content_type=content_type)
        assert page.status_code == 200 and "Choose an XLSForm file." in page.get_data(as_text=True)
