"""Availability updates (who may post them, history, staleness) and the find-a-place page."""
import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from shelter_monitor.app import create_app
from shelter_monitor.auth.models import Role
from shelter_monitor.availability import matching
from shelter_monitor.availability.matching import MatcherError, Note, Profile, find_places
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.availability.notes import note_text
from shelter_monitor.availability.service import (
    is_stale,
    newest_updates,
    record_availability,
    refresh_latest_answers,
)
from shelter_monitor.extensions import db
from shelter_monitor.formatting import format_date
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.tiles import NEIGHBOURS
from shelter_monitor.responses.service import start_response, submit_response
from shelter_monitor.rounds.models import Round
from tests.availability.test_matching import ALL, PROFILES, SHELTERS, TODAY, _candidate
from tests.conftest import app_config, login
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
    coordinator = make.user(Role.COORDINATOR, name="Olena Coordinator", email="olena@example.org")
    regional = make.user(Role.REGIONAL, region="UA-46", name="Lviv Administration", email="lviv@example.org")
    make.user(Role.REGIONAL, region="UA-07", email="volyn@example.org")
    login(client, regional)
    page = client.get(url).get_data(as_text=True)
    assert "Family CSPA" in page and "+380 32 000 00 01" not in page
    assert "To arrange a placement, contact:" in page and 'href="mailto:olena@example.org"' in page
    assert "Olena Coordinator (Coordinator)" in page
    assert "mailto:lviv@example.org" not in page and "volyn@example.org" not in page  # not oneself, not Volyn
    page = client.get("/find-a-place").get_data(as_text=True)
    assert '<option selected value="UA-46">' in page or 'value="UA-46" selected' in page
    client.post("/logout")
    login(client, make.user(Role.MINISTRY))
    page = client.get(url).get_data(as_text=True)
    assert page.index("mailto:lviv@example.org") < page.index("mailto:olena@example.org")  # the region's first
    assert coordinator.email in page


def test_find_a_place_reports_bad_ages_next_to_the_field(client, login_as):
    login_as(Role.COORDINATOR)
    page = client.get("/find-a-place?sex=female&children_ages=two&group_size=1").get_data(as_text=True)
    assert "Write ages in years" in page and 'value="two"' in page


def _submitted(make, shelter, **answers):
    monitor = make.user(Role.MONITOR)
    shelter.monitors = [monitor]
    response = start_response(shelter, make.round() if not db.session.scalar(select(Round)) else
                              db.session.scalar(select(Round)), monitor)
    response.answers = {**complete_answers(shelter), **answers}
    submit_response(response, monitor)
    db.session.commit()
    return response


def test_find_a_place_ranks_and_explains_in_sentences(client, make, login_as):
    """Known before possible, what is unknown said as a sentence with the question's wording, every reason a
    sentence naming its question, a children's shelter never offered to an adult, and the date written out."""
    for_women = dict(D1=["adult_women", "mothers_children"], D2=0, D3=17, D14="yes", D5=["referral"], D8=True,
                     C1=30, C2=30, C3=10)
    _submitted(make, make.shelter(name="Known CSPA", region="UA-46"), **for_women)
    possible = _submitted(make, make.shelter(name="Possible CSPA", region="UA-46"), **for_women)
    possible.answers = {k: v for k, v in possible.answers.items() if k != "D14"}
    children = _submitted(make, make.shelter(name="Kids shelter", region="UA-46", institution_type="child_shelter"),
                          **for_women)
    children.answers = {k: v for k, v in children.answers.items() if k not in ("D1", "D14")}
    refresh_latest_answers(db.session.scalar(select(Round)))
    db.session.commit()
    login_as(Role.COORDINATOR)
    page = client.get("/find-a-place?sex=female&foreigner=y&out_of_hours=y&group_size=1&region=").get_data(
        as_text=True)
    assert page.index("Known to fit") < page.index("Known CSPA") < page.index("May fit: answers are missing") \
        < page.index("Possible CSPA")
    assert "Kids shelter" not in page
    assert ("It is not known whether it admits foreigners and stateless persons: the last monitoring has no "
            "answer to “Foreigners / stateless persons admitted?”.") in page
    assert "It admits women. (question “Who can be admitted”)" in page
    assert "It admits round the clock, at night and at weekends too. (question “Admission 24/7?”)" in page
    assert "At admission it asks for: Referral (state administration / social services centre / police). " \
           "(question “Documents required for admission”)" in page
    assert "from the monitoring visit on October 12, 2020" in page
    assert "days ago: the free places may have changed." in page
    assert "chosen region" not in page and "No shelter in" not in page
    assert "1 shelter is known to fit this person." in page and "1 shelter may fit, but answers are missing." in page


def test_find_a_place_says_when_the_chosen_region_has_nothing(client, make, login_as):
    _submitted(make, make.shelter(name="Volyn CSPA", region="UA-07"),
               D1=["adult_men", "fathers_children"], D2=0, D3=17, D4="yes", C1=30, C2=30, C3=10)
    _submitted(make, make.shelter(name="Lviv women", region="UA-46"),
               D1=["adult_women", "mothers_children"], D2=0, D3=17, D4="no", C1=30, C2=30, C3=10)
    login_as(Role.COORDINATOR)
    url = "/find-a-place?sex=male&children_ages=4&group_size=1&region=UA-46"
    page = client.get(url + "&include_neighbours=y").get_data(as_text=True)
    assert page.index("No shelter in Lviv Oblast fits this person; the shelters below are in neighbouring "
                      "regions.") < page.index("Volyn CSPA")
    assert "Lviv women" not in page and "It is in a neighbouring region." in page
    page = client.get(url).get_data(as_text=True)
    assert "No shelter in Lviv Oblast fits this person. Include neighbouring regions to look further." in page


def test_the_app_does_not_start_when_the_matcher_and_the_questionnaire_disagree(monkeypatch):
    monkeypatch.setitem(matching.READS, "D99", ("bool", ()))
    with pytest.raises(MatcherError) as error:
        create_app(app_config("sqlite://"))
    assert str(error.value) == "find a place reads D99, which questionnaire 2020.1 does not have"


@pytest.mark.parametrize(("days", "en", "uk"), [
    (1, "1 day ago", "1 день тому"), (3, "3 days ago", "3 дні тому"), (2224, "2224 days ago", "2224 дні тому"),
    (2225, "2225 days ago", "2225 днів тому"), (11, "11 days ago", "11 днів тому")])
def test_the_age_of_the_information_is_a_sentence_with_its_date_in_both_languages(app, days, en, uk):
    note = Note("stale_availability", {"days": days, "source": "visit", "date": dt.date(2020, 10, 12)})
    uk_date = format_date(dt.date(2020, 10, 12), "uk", "long")  # "12 жовтня 2020 р.", CLDR's own spacing
    with app.test_request_context():
        assert note_text(note, load_definition(), "en") == (
            f"This comes from the monitoring visit on October 12, 2020, {en}: the free places may have changed.")
        with force_locale("uk"):
            assert note_text(note, load_definition(), "uk") == (
                f"Це дані моніторингового візиту {uk_date}, {uk}: кількість вільних місць могла змінитися.")


def test_every_note_the_matcher_gives_is_a_sentence(app):
    everything = Profile("male", children_ages_months=(6,), foreigner=True, no_registration=True, no_id=True,
                         dangerous_disease=True, group_size=5, out_of_hours=True)
    profiles = [*PROFILES.values(), everything, Profile("female", region="UA-46", include_neighbours=True)]
    candidates = [*ALL, _candidate("blank", {}, visit=None),
                  _candidate("suspended", SHELTERS["women_cspa"], status="suspended"),
                  _candidate("mixed_cspa", shelter_id=20, region="UA-07", visit=dt.date(2020, 1, 1))]
    notes = [note for profile in profiles for match in find_places(profile, candidates, NEIGHBOURS, TODAY)
             for note in (*match.reasons, *match.risks, *match.unknowns)]
    assert {note.key for note in notes} >= {"unknown", "documents_required", "stale_availability", "in_region",
                                           "neighbouring_region", "shelter_suspended", "has_free_places"}
    with app.test_request_context():
        for locale in ("en", "uk"):
            with force_locale(locale):
                for note in notes:
                    text = note_text(note, load_definition(), locale)
                    assert text.endswith((".", ")")) and "%(" not in text and "_" not in text, text
