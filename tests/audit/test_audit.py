"""The audit log: every export and import is recorded (who, what, round, scope, language), and the page filters
by user, action and days, answering bad filters with a message on the field, never a 500."""
import datetime as dt
import io

import pytest
from sqlalchemy import select

from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from tests.conftest import login


def _entries(action: str) -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_an_export_is_recorded_with_who_what_round_scope_and_language(client, make):
    round_ = make.round()
    make.shelter(region="UA-46")
    user = make.user(Role.REGIONAL, region="UA-46")
    login(client, user)
    url = f"/rounds/{round_.id}/exports/file?kind=xlsx&region=UA-46&lang=uk&multi=joined"
    assert client.get(url).status_code == 200
    [entry] = _entries("export.download")
    assert (entry.user_id, entry.object_type, entry.object_id) == (user.id, "monitoring_round", round_.id)
    assert entry.changes == {"kind": "xlsx", "region": "UA-46", "language": "uk", "multi": "joined",
                             "mode": "direct"}


def test_a_large_export_is_recorded_when_its_job_starts(app, client, make, monkeypatch):
    round_ = make.round()
    monkeypatch.setitem(app.config, "EXPORT_SYNC_LIMIT", -1)
    monkeypatch.setattr("shelter_monitor.downloads.views.start_export_job",
                        lambda *args: type("Job", (), {"id": "job1"})())
    login(client, make.user(Role.MINISTRY))
    assert client.get(f"/rounds/{round_.id}/exports/file?kind=csv&region=&lang=en&multi=split").status_code == 302
    [entry] = _entries("export.download")
    assert entry.changes["mode"] == "job" and entry.changes["region"] is None


def test_an_import_is_recorded_even_when_nothing_comes_in(client, make):
    round_ = make.round()
    user = make.user(Role.COORDINATOR)
    login(client, user)
    bad = "shelter_id,C1,C2\n999999,5,1\n"
    client.post(f"/rounds/{round_.id}/imports", data={"file": (io.BytesIO(bad.encode()), "bad.csv")},
                content_type="multipart/form-data")
    [entry] = _entries("import.file")
    assert (entry.user_id, entry.object_id) == (user.id, round_.id)
    assert entry.changes == {"kind": "csv", "file": "bad.csv", "region": None, "language": "en", "imported": 0,
                             "rows_with_errors": 1, "import_valid_rows": False}


@pytest.fixture
def logged(make):
    """Entries of two users and two actions on three days."""
    admin, coordinator = make.user(Role.ADMIN), make.user(Role.COORDINATOR)
    shelter = make.shelter()
    days = [dt.datetime(2024, 3, 1, 23, 59), dt.datetime(2024, 3, 2, 0, 0), dt.datetime(2024, 3, 3, 12, 0)]
    for at in days:
        for user, action in ((admin, "shelter.update"), (coordinator, "auth.login"), (coordinator, "custom.thing")):
            db.session.add(AuditEntry(at=at, user=user, action=action, object_type="shelter", object_id=shelter.id,
                                      changes={"day": at.day, "who": user.email}))
    db.session.commit()
    return admin, coordinator


def _rows(page: str) -> int:
    """How many of the fixture's entries the page shows (logging in adds entries of its own)."""
    return page.count('"day": ')


def test_audit_filters_by_user_action_and_days(client, logged):
    admin, coordinator = logged
    login(client, admin)
    assert _rows(client.get("/audit").get_data(as_text=True)) == 9
    page = client.get(f"/audit?user={coordinator.id}").get_data(as_text=True)
    assert _rows(page) == 6 and admin.email not in page.split("<table>")[1]
    assert _rows(client.get("/audit?action=auth.login").get_data(as_text=True)) == 3
    assert _rows(client.get("/audit?start=2024-03-02&end=2024-03-02").get_data(as_text=True)) == 3
    assert _rows(client.get("/audit?start=2024-03-02").get_data(as_text=True)) == 6
    assert _rows(client.get("/audit?end=2024-03-01").get_data(as_text=True)) == 3
    both = client.get(f"/audit?user={coordinator.id}&action=custom.thing&start=2024-03-03").get_data(as_text=True)
    assert _rows(both) == 1
    assert "No entry matches these filters." in client.get("/audit?start=2030-01-01").get_data(as_text=True)


def test_action_filter_offers_recorded_and_known_actions_with_labels(client, logged):
    login(client, logged[0])
    page = client.get("/audit").get_data(as_text=True)
    assert '<option value="custom.thing">custom.thing</option>' in page
    assert '<option value="auth.login">Logged in</option>' in page
    assert '<option value="auth.reset_used">Password link used</option>' in page


def test_pages_keep_the_filters(client, logged, monkeypatch):
    monkeypatch.setattr("shelter_monitor.audit.views.PAGE_SIZE", 2)
    admin, coordinator = logged
    login(client, admin)
    page = client.get(f"/audit?user={coordinator.id}&action=auth.login").get_data(as_text=True)
    assert _rows(page) == 2
    assert f"/audit?page=2&amp;user={coordinator.id}&amp;action=auth.login" in page
    assert _rows(client.get(f"/audit?page=2&user={coordinator.id}&action=auth.login").get_data(as_text=True)) == 1


@pytest.mark.parametrize(("query", "message"), [
    ("start=2024-13-01", "Not a valid date value."),
    ("end=yesterday", "Not a valid date value."),
    ("start=2024-03-03&end=2024-03-01", "The end date is before the start date."),
    ("user=abc", "Not a valid choice."),
    ("user=99999999999999999999", "Not a valid choice."),
    ("action=nothing.such", "Not a valid choice."),
    ("page=0", "Number must be between 1 and 100000."),
    ("page=abc", "Not a valid integer value."),
    ("page=99999999999999999999", None),  # beyond what the database holds: the shared integer check's message
])
def test_bad_filters_get_a_message_on_the_field(client, logged, query, message):
    login(client, logged[0])
    response = client.get(f"/audit?{query}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'class="field-error"' in page and (message is None or message in page)


@pytest.mark.parametrize("name", ["user", "action", "start", "end", "page"])
def test_control_characters_in_filters_are_a_4xx(client, logged, name):
    login(client, logged[0])
    assert 400 <= client.get(f"/audit?{name}=%00x").status_code < 500


def test_command_line_exports_and_imports_are_recorded_without_a_user(app, make, tmp_path):
    make.round()
    make.shelter(region="UA-46")
    runner = app.test_cli_runner()
    path = tmp_path / "export.csv"
    result = runner.invoke(args=["export", "csv", "--round", "2020-10", "--region", "UA-46", "--lang", "en",
                                 "-o", str(path)])
    assert result.exit_code == 0, result.output
    [export] = _entries("export.download")
    assert export.user_id is None and export.changes == {"kind": "csv", "region": "UA-46", "language": "en",
                                                         "multi": "split", "mode": "cli"}
    runner.invoke(args=["import", "responses", str(path), "--round", "2020-10"])
    [imported] = _entries("import.file")
    assert imported.user_id is None and imported.changes["file"] == "export.csv" and imported.changes["kind"] == "csv"
