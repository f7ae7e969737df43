"""Availability updates (who may post them, history, staleness) and the find-a-place page."""
import datetime as dt

from sqlalchemy import select

from shelter_monitor.auth.models import Role
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.availability.service import is_stale, newest_updates, record_availability
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers

FORM = {"as_of": "2026-11-20T10:00", "free_women": "3", "free_men": "1", "free_children": "2",
        "youngest_child_months": "12", "admissions_open": "y", "note": "two rooms free"}


def test_shelter_staff_update_only_their_own_shelter(client, make):
    mine, other = make.shelter(name="Mine"), make.shelter(name="Other")
    staff = make.user(Role.SHELTER_STAFF, shelter=mine)
    login(client, staff)
    assert client.get("/").location.endswith(f"/shelters/{mine.id}")
    assert client.post(f"/shelters/{mine.id}/availability", data=FORM).status_code == 302
    assert client.post(f"/shelters/{other.id}/availability", data=FORM).status_code == 403
    assert client.get(f"/shelters/{other.id}").status_code == 403
    update = db.session.scalar(select(AvailabilityUpdate))
    assert (update.shelter_id, update.total_free, update.note) == (mine.id, 6, "two rooms free")


def test_who_may_update_availability(client, make):
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(region="UA-46", monitors=[monitor])
    for user, status in [(monitor, 302), (make.user(Role.COORDINATOR), 302), (make.user(Role.MONITOR), 403),
                         (make.user(Role.REGIONAL, region="UA-46"), 403), (make.user(Role.MINISTRY), 403)]:
        login(client, user)
        assert client.post(f"/shelters/{shelter.id}/availability", data=FORM).status_code == status, user.role
        client.post("/logout")


def test_history_is_kept_and_the_newest_wins(make, app):
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor])
    record_availability(shelter, dt.datetime(2026, 11, 1, 9), 1, 0, 0, None, True, "", monitor)
    record_availability(shelter, dt.datetime(2026, 11, 20, 9), 4, 0, 0, None, False, "", monitor)
    record_availability(shelter, dt.datetime(2026, 11, 10, 9), 2, 0, 0, None, True, "late entry", monitor)
    db.session.commit()
    newest = newest_updates([shelter.id])[shelter.id]
    assert (newest.free_women, newest.admissions_open) == (4, False)
    assert db.session.scalar(select(db.func.count(AvailabilityUpdate.id))) == 3


def test_updates_older_than_two_weeks_are_stale(make, app):
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor])
    update = record_availability(shelter, dt.datetime(2026, 11, 1, 9), 1, 0, 0, None, True, "", monitor)
    assert is_stale(update, now=dt.datetime(2026, 11, 16, 10))
    assert not is_stale(update, now=dt.datetime(2026, 11, 14, 10))


def test_find_a_place_lists_matching_shelters_without_addresses(client, make):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    shelter = make.shelter(region="UA-46", monitors=[monitor], name="Family CSPA", address="9 Secret yard",
                           phone="+380 32 000 00 01")
    response = start_response(shelter, round_, monitor)
    response.answers = {**complete_answers(shelter), "D1": ["adult_women", "adult_men", "families",
                                                            "fathers_children", "mothers_children"],
                        "D2": 0, "D3": 17, "D4": "yes", "C1": 30, "C3": 10}
    submit_response(response, monitor)
    db.session.commit()
    url = "/find-a-place?sex=male&children_ages=2&group_size=1&region=UA-46"
    login(client, monitor)
    page = client.get(url).get_data(as_text=True)
    assert "Family CSPA" in page and "A father can stay with his child" in page
    assert "9 Secret yard" not in page and "+380 32 000 00 01" in page
    client.post("/logout")
    login(client, make.user(Role.REGIONAL, region="UA-46"))
    page = client.get(url).get_data(as_text=True)
    assert "Family CSPA" in page and "+380 32 000 00 01" not in page
    page = client.get("/find-a-place").get_data(as_text=True)
    assert '<option selected value="UA-46">' in page or 'value="UA-46" selected' in page


def test_find_a_place_reports_bad_ages_next_to_the_field(client, login_as):
    login_as(Role.COORDINATOR)
    page = client.get("/find-a-place?sex=female&children_ages=two&group_size=1").get_data(as_text=True)
    assert "Write ages in years" in page and 'value="two"' in page
