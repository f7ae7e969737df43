"""The availability form: each free-places figure between 0 and the shelter's known places, with the message next
to the field; the form starts from the newest update's figures, and a blank figure is refused, never read as 0."""
import datetime as dt
import re

from sqlalchemy import func, select

from shelter_monitor.auth.models import Role
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.availability.service import known_capacity, record_availability
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers

FORM = {"as_of": "2026-11-20T10:00", "free_women": "3", "free_men": "1", "free_children": "2",
        "youngest_child_months": "", "admissions_open": "y", "note": ""}


def _staff_of(make, client, **shelter):
    shelter = make.shelter(**shelter)
    login(client, make.user(Role.SHELTER_STAFF, shelter=shelter))
    return shelter


def _error_of(page: str, field: str) -> str:
    found = re.search(rf'<div class="field-errors" id="{field}-error"><p class="field-error">([^<]*)</p>', page)
    return found.group(1) if found else ""


def _updates() -> int:
    return db.session.scalar(select(func.count(AvailabilityUpdate.id)))


def test_more_free_places_than_the_shelter_has_are_refused_next_to_the_field(client, make):
    shelter = _staff_of(make, client, capacity=30)
    refused = client.post(f"/shelters/{shelter.id}/availability", data={**FORM, "free_women": "45"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200 and _updates() == 0
    assert _error_of(page, "free_women") == "More than the shelter&#39;s places: it has 30 places in all."
    assert 'max="30"' in page and "The shelter has 30 places in all" in page
    assert client.post(f"/shelters/{shelter.id}/availability", data={**FORM, "free_women": "30"}).status_code == 302


def test_negative_free_places_are_refused(client, make):
    shelter = _staff_of(make, client, capacity=30)
    page = client.post(f"/shelters/{shelter.id}/availability", data={**FORM, "free_men": "-1"}).get_data(as_text=True)
    assert _error_of(page, "free_men").startswith("Free places cannot be negative") and _updates() == 0


def test_the_latest_answers_can_raise_the_known_capacity(make, app):
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor], capacity=20)
    assert known_capacity(shelter) == 20
    response = start_response(shelter, make.round(), monitor)
    response.answers = {**complete_answers(shelter), "C1": 35, "C2": 10, "C3": 12, "C4": 3}
    assert submit_response(response, monitor).ok
    db.session.commit()
    assert known_capacity(shelter) == 35
    assert known_capacity(make.shelter(capacity=0)) is None


def test_the_form_starts_from_the_newest_update(client, make):
    shelter = _staff_of(make, client, capacity=30)
    record_availability(shelter, dt.datetime(2026, 11, 1, 9), 2, 0, 0, None, True, "", None)
    record_availability(shelter, dt.datetime(2026, 11, 10, 9), 7, 4, 3, 24, False, "old note", None)
    db.session.commit()
    page = client.get(f"/shelters/{shelter.id}/availability").get_data(as_text=True)
    for field, value in (("free_women", 7), ("free_men", 4), ("free_children", 3), ("youngest_child_months", 24)):
        assert re.search(rf'<input[^>]*id="{field}"[^>]*value="{value}"', page), field
    assert not re.search(r'<input[^>]*id="admissions_open"[^>]*checked', page)
    assert "The figures of the last update (11/10/26, 9:00\u202fAM) are filled in" in page


def test_without_an_update_the_figures_start_blank_and_a_blank_is_refused(client, make):
    shelter = _staff_of(make, client, capacity=30)
    page = client.get(f"/shelters/{shelter.id}/availability").get_data(as_text=True)
    assert not re.search(r'<input[^>]*id="free_women"[^>]*value="0"', page)
    blank = client.post(f"/shelters/{shelter.id}/availability", data={**FORM, "free_women": ""})
    assert _error_of(blank.get_data(as_text=True), "free_women") and _updates() == 0
