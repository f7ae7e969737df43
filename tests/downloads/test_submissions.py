"""Round trip: the exported XLSForm, submissions built on its XForm instance in ODK Central's and Kobo's export
layouts, imported back; the stored answers, the error report, and a second import changing nothing."""
import csv
import io
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook
from pyxform import xls2xform
from sqlalchemy import delete, func, select

from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.downloads.imports import import_file
from shelter_monitor.downloads.submissions import IMPORT_ACTION, import_submissions
from shelter_monitor.extensions import db
from shelter_monitor.i18n import catalog
from shelter_monitor.questionnaire.answers import prune_hidden, round_context
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.service import xlsform_file
from shelter_monitor.questionnaire.xpath import BOOL_VALUES
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.responses.service import start_response
from shelter_monitor.rounds.models import Round
from tests.responses.helpers import complete_answers
from tests.responses.test_concurrency import at_once

DEFINITION = load_definition()
XFORMS = "{http://www.w3.org/2002/xforms}"
RACES = 10  # two imports of one file at once, this many times
CENTRAL_META = ["SubmissionDate", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
                "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]


def instance_paths(tmp_path) -> list[tuple[str, ...]]:
    """The leaves of the exported form's XForm instance (pyxform's output), as paths below the root."""
    path = tmp_path / "form.xlsx"
    path.write_bytes(xlsform_file("2020.1")[0])
    xform = ElementTree.fromstring(xls2xform.convert(xlsform=str(path)).xform)
    root = next(xform.iter(f"{XFORMS}instance"))[0]

    def leaves(element, prefix):
        for child in element:
            name = child.tag.removeprefix(XFORMS)
            yield from leaves(child, (*prefix, name)) if len(child) else [(*prefix, name)]
    return list(leaves(root, ()))


def field_value(name: str, answers: dict, shelter_id: int, instance_id: str) -> str:
    """What ODK Collect stores in a field for these answers ("" when unanswered or not relevant)."""
    if name == "shelter_id":
        return str(shelter_id)
    if name == "questionnaire_version":
        return DEFINITION.version
    if name == "instanceID":
        return f"uuid:{instance_id}"
    code, _, part = name.partition(".")
    value = answers.get(code)
    if value is None:
        return ""
    if part:
        return str(value.get(part, 0 if DEFINITION.question(code).type == "shares" else ""))
    if isinstance(value, bool):
        return BOOL_VALUES[value]
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


def submissions(make, round_code="2020-10"):
    """Two shelters' answers: one complete and valid with a select_multiple and a skipped question group (C8 =
    no hides C8a and C8b), one that breaks C2 <= C1."""
    good_shelter, bad_shelter = make.shelter(), make.shelter()
    good = complete_answers(good_shelter, round_code) | {"C8": "no", "D1": ["adult_women", "mothers_children"]}
    good = {code: value for code, value in good.items() if code not in ("C8a", "C8b")}
    bad = complete_answers(bad_shelter, round_code) | {"C1": 5, "C2": 9}
    return [(good_shelter, good, "0b1e0c4e-good"), (bad_shelter, bad, "7f3a9d2c-bad")]


def central_csv(paths, rows) -> bytes:
    """ODK Central's CSV export: metadata, the fields by group path joined by "-", KEY last."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CENTRAL_META[:1] + ["-".join(p) for p in paths] + CENTRAL_META[1:] + ["KEY"])
    for shelter, answers, instance_id in rows:
        fields = [field_value(p[-1], answers, shelter.id, instance_id) for p in paths]
        writer.writerow(["2020-10-13T09:12:00.000Z", *fields, "5", "Monitor Petrenko", "0", "0", "", "approved",
                         "collect:abc", "0", "2020.1", f"uuid:{instance_id}"])
    return out.getvalue().encode("utf-8")


def kobo_xlsx(paths, rows, rejected=()) -> bytes:
    """KoboToolbox's XLSX export with XML values and headers: group paths joined by "/", a select_multiple as
    one column followed by one 0/1 column per choice, then Kobo's metadata."""
    headers, getters = [], []
    for path in paths:
        headers.append("/".join(path))
        getters.append(lambda answers, shelter, instance, name=path[-1]: field_value(name, answers, shelter.id,
                                                                                     instance))
        if DEFINITION.has_question(path[-1]) and DEFINITION.question(path[-1]).type == "multi":
            for choice in DEFINITION.question(path[-1]).choice_values():
                headers.append("/".join((*path, choice)))
                getters.append(lambda answers, shelter, instance, code=path[-1], choice=choice:
                               (1 if choice in answers[code] else 0) if answers.get(code) else None)
    book = Workbook()
    sheet = book.active
    sheet.append([*headers, "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
                  "_submitted_by", "__version__", "_tags", "_index"])
    for index, (shelter, answers, instance_id) in enumerate([*rows, *rejected], 1):
        status = "validation_status_not_approved" if index > len(rows) else ""
        sheet.append([get(answers, shelter, instance_id) for get in getters]
                     + [index, instance_id, "2020-10-13T09:12:00", status, "", "submitted_via_web", "petrenko",
                        "vQx3kJ7b", "", index])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def expected(answers, round_):
    context = round_context(round_.covid_section, round_.period_start, round_.period_end)
    stored = prune_hidden(DEFINITION, {**answers, "A1": round_.code}, context)
    return {code: {k: v for k, v in value.items() if v} if DEFINITION.question(code).type == "shares" else value
            for code, value in stored.items()}


def responses_of(round_):
    return db.session.scalars(select(Response).where(Response.round_id == round_.id)).all()


def audit_count():
    return db.session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("source", ["odk-central", "kobo"])
def test_round_trip_of_submissions(make, tmp_path, source):
    round_ = make.round()
    rows = submissions(make)
    paths = instance_paths(tmp_path)
    (good_shelter, good, good_id), (bad_shelter, bad, _bad_id) = rows
    if source == "odk-central":
        content, name, broken_column = central_csv(paths, rows), "central.csv", "C-C2"
    else:
        rejected = [(make.shelter(), complete_answers(good_shelter), "9999-rejected")]
        content, name, broken_column = kobo_xlsx(paths, rows, rejected), "kobo.xlsx", "C/C2"

    refused = import_submissions(io.BytesIO(content), name, round_, None, source)
    db.session.rollback()
    assert refused.imported == 0
    c2_message = next(c.message["en"] for c in DEFINITION.checks if c.code == "C2_le_C1")
    assert [(e.row_number, e.column, e.message) for e in refused.errors] == [(3, broken_column, c2_message)]
    assert responses_of(round_) == []

    report = import_submissions(io.BytesIO(content), name, round_, None, source, import_valid_rows=True)
    db.session.commit()
    assert (report.imported, report.skipped_rows, report.rejected) == (1, 1, 1 if source == "kobo" else 0)
    [response] = responses_of(round_)
    assert response.shelter_id == good_shelter.id and response.state == ResponseState.SUBMITTED
    assert response.answers == expected(good, round_)
    assert response.answers["D1"] == ["adult_women", "mothers_children"] and "C8b" not in response.answers
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == IMPORT_ACTION))
    assert entry.object_id == response.id
    assert entry.changes["instance_id"] == good_id and entry.changes["origin"] == source
    assert (response.origin, response.instance_id) == (source, good_id)

    version, entries = response.version, audit_count()
    again = import_submissions(io.BytesIO(content), name, round_, None, source, import_valid_rows=True)
    db.session.commit()
    assert (again.imported, again.already_imported) == (0, 1)
    assert len(responses_of(round_)) == 1 and response.version == version and audit_count() == entries


def good_rows(make, count, round_code="2020-10"):
    """Complete and valid answers of `count` shelters, each with its instance id."""
    shelters = [make.shelter() for _ in range(count)]
    return [(shelter, complete_answers(shelter, round_code), f"instance-{shelter.id}") for shelter in shelters]


def test_a_shelter_with_a_response_from_the_web_refuses_the_submission_and_nothing_is_imported(make, tmp_path):
    round_ = make.round()
    rows = good_rows(make, 2)
    db.session.add(Response(shelter=rows[1][0], round=round_, questionnaire_version="2020.1", answers={}))
    db.session.commit()
    content = central_csv(instance_paths(tmp_path), rows)
    report = import_submissions(io.BytesIO(content), "c.csv", round_, None, "odk-central")
    db.session.commit()  # the first row, inserted before the second was refused, is rolled back all the same
    assert report.imported == 0
    assert [(e.row_number, e.column) for e in report.errors] == [(3, "shelter_id")]
    assert "already has a response" in report.errors[0].message
    assert [r.origin for r in responses_of(round_)] == ["web"]

    report = import_submissions(io.BytesIO(content), "c.csv", round_, None, "odk-central", import_valid_rows=True)
    db.session.commit()
    assert (report.imported, report.skipped_rows, [e.row_number for e in report.errors]) == (1, 1, [3])
    assert sorted(r.origin for r in responses_of(round_)) == ["odk-central", "web"]


def test_an_instance_twice_in_one_file_is_imported_once(make, tmp_path):
    round_ = make.round()
    [(shelter, answers, instance_id)] = good_rows(make, 1)
    other = make.shelter()
    rows = [(shelter, answers, instance_id), (other, complete_answers(other), instance_id)]
    report = import_submissions(io.BytesIO(central_csv(instance_paths(tmp_path), rows)), "c.csv", round_, None,
                                "odk-central")
    db.session.commit()
    assert (report.imported, report.already_imported, report.errors) == (1, 1, [])
    assert [(r.shelter_id, r.instance_id) for r in responses_of(round_)] == [(shelter.id, instance_id)]


def test_an_instance_id_too_long_for_its_column_is_a_row_error(make, tmp_path):
    round_ = make.round()
    [(shelter, answers, _)] = good_rows(make, 1)
    rows = [(shelter, answers, "x" * 65)]
    report = import_submissions(io.BytesIO(central_csv(instance_paths(tmp_path), rows)), "c.csv", round_, None,
                                "odk-central")
    assert report.imported == 0
    assert [(e.row_number, e.column) for e in report.errors] == [(2, "meta-instanceID")]
    assert "longer than 64 characters" in report.errors[0].message


@pytest.fixture
def postgres(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("two imports at once need PostgreSQL (set TEST_DATABASE_URL)")
    return app


def test_two_imports_of_one_file_at_once_store_each_submission_once(postgres, make, tmp_path):
    round_id = make.round().id
    rows = good_rows(make, 3)
    content = central_csv(instance_paths(tmp_path), rows)

    def importer(barrier):
        round_ = db.session.get(Round, round_id)
        _ = round_.questionnaire_version
        barrier.wait()
        report = import_submissions(io.BytesIO(content), "c.csv", round_, None, "odk-central")
        db.session.commit()
        return report.imported, report.already_imported, len(report.errors)

    for _ in range(RACES):
        outcomes = at_once(postgres, importer, importer)
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert sum(imported for imported, _, _ in outcomes) == 3, outcomes
        assert [already + imported for imported, already, _ in outcomes] == [3, 3], outcomes
        assert [errors for _, _, errors in outcomes] == [0, 0], outcomes
        stored = db.session.scalars(select(Response.instance_id).where(Response.round_id == round_id)).all()
        assert sorted(stored) == sorted(instance_id for _, _, instance_id in rows)
        db.session.execute(delete(AuditEntry))
        db.session.execute(delete(Response))
        db.session.commit()


def test_unknown_columns_and_versions_are_reported_by_the_files_names(make, tmp_path):
    round_ = make.round()
    rows = submissions(make)[:1]
    content = central_csv(instance_paths(tmp_path), rows).decode()
    content = content.replace("questionnaire_version", "questionnaire_version,Z-Z9", 1)
    content = content.replace(",2020.1,", ",2020.1,,", 1)  # the version cell, then the unknown column's
    report = import_submissions(io.BytesIO(content.encode()), "c.csv", round_, None, "odk-central")
    assert report.imported == 0
    assert [e.column for e in report.errors if e.row_number == 1] == ["Z-Z9"]


def test_cli_and_page_import_submissions(app, client, login_as, make, tmp_path):
    round_ = make.round()
    rows = submissions(make)[:1]
    content = central_csv(instance_paths(tmp_path), rows)
    path = tmp_path / "central.csv"
    path.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["import", "submissions", str(path), "--round", "2020-10",
                                                "--format", "odk-central"])
    assert result.exit_code == 0, result.output
    assert "Imported 1 submissions" in result.output
    login_as("coordinator")
    page = client.post(f"/rounds/{round_.id}/imports", data={
        "file": (io.BytesIO(content), "central.csv"), "source": "odk-central"}, content_type="multipart/form-data")
    assert page.status_code == 200
    assert "1 submission was imported before" in page.get_data(as_text=True)
    response = responses_of(round_)[0]
    history = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Collected with ODK Collect (ODK Central)" in history and "0b1e0c4e-good" in history
    assert ("Collected with ODK Collect (ODK Central), instance 0b1e0c4e-good, submitted by Monitor Petrenko at "
            "10/13/20, 9:12") in history
    assert catalog("en").gettext("Response imported from ODK or Kobo") == "Response imported from ODK or Kobo"


def test_each_way_in_names_the_responses_origin(client, login_as, make):
    round_ = make.round()
    started, filed = make.shelter(), make.shelter()
    web = start_response(started, round_, make.user())
    report = import_file(io.BytesIO(f"shelter_id,C1,C2\n{filed.id},30,10\n".encode()), "rows.csv", round_, None)
    db.session.commit()
    assert (report.imported, report.errors) == (1, [])
    imported = next(r for r in responses_of(round_) if r.shelter_id == filed.id)
    assert (web.origin, imported.origin) == ("web", "import") and web.instance_id is imported.instance_id is None
    login_as("coordinator")
    assert "Imported from a file</p>" in client.get(f"/responses/{imported.id}").get_data(as_text=True)
    page = client.get(f"/responses/{web.id}").get_data(as_text=True)
    assert "Imported from a file</p>" not in page and "Collected with" not in page
