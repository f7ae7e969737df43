"""A questionnaire version as an XLSForm: it converts with pyxform, and it says what the definition says."""
import io
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from pyxform import xls2xform

from shelter_monitor.i18n import catalog
from shelter_monitor.questionnaire.loader import DEFINITIONS_DIR, load_definition
from shelter_monitor.questionnaire.xlsform import ShelterChoice, build_xlsform
from tests.questionnaire.test_xpath import REFERENCE, odk_parser

SHIPPED = sorted(path.stem for path in DEFINITIONS_DIR.glob("*.json"))
TRANSLATIONS = {"en": catalog("en"), "uk": catalog("uk")}
SHELTERS = [ShelterChoice(7, "Притулок 7 (Львівська область)"), ShelterChoice(12, "Shelter 12 (Kyiv)")]
XFORMS = "{http://www.w3.org/2002/xforms}"


def sheet_rows(content: bytes, name: str) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def convert(content: bytes, tmp_path) -> ElementTree.Element:
    path = tmp_path / "form.xlsx"
    path.write_bytes(content)
    result = xls2xform.convert(xlsform=str(path))
    assert result.warnings == []
    return ElementTree.fromstring(result.xform)


@pytest.mark.parametrize("version", SHIPPED)
def test_every_shipped_version_converts_with_pyxform(version, tmp_path):
    definition = load_definition(version)
    xform = convert(build_xlsform(definition, SHELTERS, TRANSLATIONS), tmp_path)
    data = next(xform.iter(f"{XFORMS}instance"))[0]
    assert data.get("version") == definition.version
    assert [child.tag for child in data][:3] == [f"{XFORMS}shelter_id", f"{XFORMS}questionnaire_version", f"{XFORMS}A"]
    bind = next(b for b in xform.iter(f"{XFORMS}bind") if b.get("nodeset") == "/data/shelter_id")
    assert bind.get("required") == "true()"


def test_survey_groups_sections_and_carries_skip_logic_and_checks():
    definition = load_definition()
    rows = sheet_rows(build_xlsform(definition, SHELTERS, TRANSLATIONS), "survey")
    by_name = {row["name"]: row for row in rows if row["type"] != "end_group"}
    assert rows[0]["type"] == "select_one shelters" and rows[0]["required"] == "yes"
    assert [row["name"] for row in rows if row["type"] == "begin_group" and len(row["name"]) == 1] == \
        [s.code for s in definition.sections]
    assert "A1" not in by_name and "I4" not in by_name and "I4a_allocated" not in by_name
    assert by_name["C8a"]["relevant"] == "(${C8} != '') and (${C8} = 'yes')"
    assert by_name["C8"]["label::Українська (uk)"] == definition.question("C8").label["uk"]
    assert by_name["C8b"]["type"] == "select_multiple C8b"
    assert "${C1}" in by_name["C2"]["constraint"]
    assert by_name["C2"]["constraint_message::English (en)"].endswith(definition.checks[3].message["en"])
    assert by_name["A2"]["constraint"] is not None and "round_start" not in by_name["A2"]["constraint"]
    assert by_name["E1"]["type"] == "begin_group" and by_name["E1.psych"]["type"] == "select_one E1"
    assert "<= 101" in by_name["I1.own"]["constraint"]  # the 100 % check stands on the last source
    assert by_name["I1.state"]["constraint"] == ". >= 0 and . <= 100"
    assert by_name["K"]["relevant"] is None  # every section asked; the import drops what the round does not ask
    assert by_name["L1"]["constraint"] == "count-selected(.) <= 3"
    assert by_name["L2"]["required"] is None


def test_every_expression_of_the_form_parses_as_xpath():
    rows = sheet_rows(build_xlsform(load_definition(), SHELTERS, TRANSLATIONS), "survey")
    parser = odk_parser("2020-10-15")
    expressions = [row[column] for row in rows for column in ("relevant", "constraint") if row[column]]
    assert len(expressions) > 40
    for expression in expressions:
        parser.parse(REFERENCE.sub(lambda match: f"/data/{match.group(1)}", expression).replace(". ", "/data "))


def test_choices_and_settings_sheets():
    definition = load_definition()
    content = build_xlsform(definition, SHELTERS, TRANSLATIONS)
    choices = sheet_rows(content, "choices")
    assert {"list_name": "shelters", "name": "12", "label::English (en)": "Shelter 12 (Kyiv)",
            "label::Українська (uk)": "Shelter 12 (Kyiv)"} in choices
    b2 = [row for row in choices if row["list_name"] == "B2"]
    assert len(b2) == 27 and all(row["label::Українська (uk)"] for row in b2)
    assert [row["name"] for row in choices if row["list_name"] == "yes_no"] == ["yes", "no"]
    settings = sheet_rows(content, "settings")
    assert settings == [{"form_title": definition.title["uk"], "form_id": "shelter_monitor_2020.1",
                         "version": "2020.1", "default_language": "Українська (uk)"}]


def test_admin_downloads_the_xlsform_with_the_shelters(client, login_as, make):
    shelter = make.shelter(name="Надія")
    login_as("admin")
    page = client.get("/questionnaires")
    assert "/questionnaires/2020.1/xlsform" in page.get_data(as_text=True)
    response = client.get("/questionnaires/2020.1/xlsform")
    assert response.status_code == 200
    assert "shelter_monitor_2020.1.xlsx" in response.headers["Content-Disposition"]
    shelters = [row for row in sheet_rows(response.data, "choices") if row["list_name"] == "shelters"]
    label = f"Надія ({shelter.region.name_uk})"
    assert shelters == [{"list_name": "shelters", "name": str(shelter.id), "label::English (en)": label,
                         "label::Українська (uk)": label}]
    assert client.get("/questionnaires/1999.9/xlsform").status_code == 404


def test_cli_writes_the_xlsform(app, make, tmp_path):
    make.shelter()
    output = tmp_path / "form.xlsx"
    result = app.test_cli_runner().invoke(args=["questionnaire", "export-xlsform", "--version", "2020.1",
                                                "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert sheet_rows(output.read_bytes(), "settings")[0]["version"] == "2020.1"
    refused = app.test_cli_runner().invoke(args=["questionnaire", "export-xlsform", "--version", "1999.9",
                                                 "-o", str(output)])
    assert refused.exit_code == 1 and "1999.9" in refused.output
