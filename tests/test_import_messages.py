"""The importers' problems in the reader's language: an XLSForm's (/questionnaires), a file of responses' and ODK
submissions' (the round's import page), and on the command line (--lang, else DEFAULT_LANGUAGE). The plain modules
hand back Messages; the page and the command render them."""
import html
import io

from openpyxl import Workbook

from shelter_monitor.auth.models import Role
from shelter_monitor.exports.imports import read_responses
from shelter_monitor.i18n import ENGLISH, N_, Message, catalog
from shelter_monitor.questionnaire.loader import load_definition
from tests.questionnaire.test_xlsform_import import _broken, _set

CANNOT_HOLD_GEOPOINT_UK = ("тип 'geopoint' анкета не підтримує (підтримуються: integer, date, text, select_one, "
                           "select_multiple)")


def _page_text(page) -> str:
    return html.unescape(page.get_data(as_text=True))


def _import(client, round_, name: str, content: bytes, **fields):
    return client.post(f"/rounds/{round_.id}/imports", data={"file": (io.BytesIO(content), name), **fields},
                       content_type="multipart/form-data")


def test_a_message_is_english_as_a_string_and_renders_in_the_catalogs_language():
    message = Message(N_("Expected a date as YYYY-MM-DD, got “%(value)s”."), value="soon")
    assert message == "Expected a date as YYYY-MM-DD, got “soon”." == message.render(ENGLISH, "en")
    assert message.render(catalog("uk"), "uk") == "Потрібна дата у вигляді РРРР-ММ-ДД, а не «soon»."
    check = Message.of_text({"en": "More beds in use than places.", "uk": "Зайнятих ліжок більше, ніж місць."})
    assert (str(check), check.render(catalog("uk"), "uk")) == (
        "More beds in use than places.", "Зайнятих ліжок більше, ніж місць.")


def test_a_broken_check_of_an_imported_row_is_the_questionnaires_message_in_each_language():
    definition = load_definition("2020.1")
    result = read_responses(io.BytesIO(b"shelter_id,C1,C2\n1,5,9\n"), "rows.csv", definition)
    check = next(c for c in definition.checks if c.code == "C2_le_C1")
    [error] = result.errors
    assert (error.message, error.message.render(catalog("uk"), "uk")) == (check.message["en"], check.message["uk"])


def test_an_xlsform_problem_is_shown_in_ukrainian(client, login_as):
    login_as("admin")
    client.post("/language/uk")
    page = client.post("/questionnaires/import", data={
        "file": (io.BytesIO(_broken(_set("survey", "C2", "type", "geopoint"))), "bad.xlsx"), "version": "2021.1",
        "derived_from": "2020.1"}, content_type="multipart/form-data")
    text = _page_text(page)
    assert page.status_code == 200 and CANNOT_HOLD_GEOPOINT_UK in text and "cannot be held" not in text


def test_a_pyxform_problem_is_introduced_in_ukrainian(client, login_as):
    login_as("admin")
    client.post("/language/uk")
    page = client.post("/questionnaires/import", data={
        "file": (io.BytesIO(_broken(_set("survey", "C2", "type", "select_one no_such_list"))), "bad.xlsx"),
        "version": "2021.1", "derived_from": "2020.1"}, content_type="multipart/form-data")
    assert "pyxform повідомляє: List name not in choices sheet: no_such_list" in _page_text(page)


def test_a_bad_value_in_an_xlsx_of_responses_is_shown_in_ukrainian(client, login_as, make):
    round_, shelter = make.round(), make.shelter()
    book = Workbook()
    book.active.append(["shelter_id", "A2"])
    book.active.append([shelter.id, "soon"])
    content = io.BytesIO()
    book.save(content)
    login_as(Role.COORDINATOR)
    client.post("/language/uk")
    text = _page_text(_import(client, round_, "responses.xlsx", content.getvalue()))
    assert "Потрібна дата у вигляді РРРР-ММ-ДД, а не «soon»." in text and "Expected a date" not in text


def test_a_bad_value_in_odk_submissions_is_shown_in_ukrainian(client, login_as, make):
    round_, shelter = make.round(), make.shelter()
    content = f"SubmissionDate,shelter_id,C-C1,KEY\n2020-10-13T09:12:00.000Z,{shelter.id},many,uuid:1\n".encode()
    login_as(Role.COORDINATOR)
    client.post("/language/uk")
    text = _page_text(_import(client, round_, "central.csv", content, source="odk-central"))
    assert "C-C1" in text and "Потрібне ціле число, а не «many»." in text and "Expected a whole number" not in text


def test_the_command_line_writes_an_imports_problems_in_the_language_asked(app, make, tmp_path):
    make.round()
    path = tmp_path / "rows.csv"
    path.write_text("shelter_id,A2\n1,soon\n", encoding="utf-8")
    runner = app.test_cli_runner()
    english = runner.invoke(args=["import", "responses", str(path), "--round", "2020-10"])
    assert "row 2, A2: Expected a date as YYYY-MM-DD, got “soon”." in english.output  # the test config's default
    ukrainian = runner.invoke(args=["import", "responses", str(path), "--round", "2020-10", "--lang", "uk"])
    assert "row 2, A2: Потрібна дата у вигляді РРРР-ММ-ДД, а не «soon»." in ukrainian.output
