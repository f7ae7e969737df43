"""draft -> submitted -> returned -> submitted -> approved, through the services and through the pages."""
import datetime as dt

import pytest
from sqlalchemy import select

from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.responses.service import (
    Conflict,
    WorkflowError,
    approve_responses,
    changes_since_carried,
    return_response,
    save_page,
    start_response,
    submit_response,
)
from tests.conftest import login
from tests.responses.helpers import complete_answers


@pytest.fixture
def setting(make):
    monitor = make.user(Role.MONITOR)
    coordinator = make.user(Role.COORDINATOR)
    shelter = make.shelter(region="UA-46", monitors=[monitor], institution_type="cspa", ownership="hromada",
                           name="Львівський ЦСПД", specialised=False)
    round_ = make.round()
    return monitor, coordinator, shelter, round_


def _fill(response, shelter):
    response.answers = complete_answers(shelter)
    response.carried_sections = []


def test_new_response_is_prefilled_from_the_shelter_record(setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    assert response.answers["A1"] == "2020-10"
    assert response.answers["B1"] == "Львівський ЦСПД"
    assert response.answers["B2"] == "UA-46"
    assert response.answers["B4"] == "cspa" and response.answers["B5"] == "hromada"
    assert response.answers["B7"] is False
    assert response.carried_sections == [] and response.state == ResponseState.DRAFT


def test_saving_a_page_keeps_visible_answers_only_and_records_the_change(setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    db.session.commit()
    outcome = save_page(response, "C", {"C1": 20, "C2": 10, "C8": "no", "C8a": 4}, 1, {}, monitor)
    db.session.commit()
    assert outcome.ok
    assert response.answers["C1"] == 20 and "C8a" not in response.answers
    assert response.version == 2
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "response.save")).one()
    assert entry.changes["answers"]["C1"] == {"before": None, "after": 20}
    assert entry.user_id == monitor.id


def test_a_draft_is_saved_even_with_a_broken_check_which_is_reported(setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    outcome = save_page(response, "C", {"C1": 10, "C2": 12}, 1, {}, monitor)
    assert response.answers["C2"] == 12
    assert "C2" in outcome.errors


def test_submission_needs_a_complete_response(setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    validation = submit_response(response, monitor)
    assert not validation.ok and "A2" in validation.errors
    assert response.state == ResponseState.DRAFT


def test_no_consent_blocks_submission_with_an_explanation(setting, app):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    _fill(response, shelter)
    response.answers = {**response.answers, "A5": False}
    with app.test_request_context():
        validation = submit_response(response, monitor)
        assert "consent" in str(validation.errors["A5"][0])
    assert response.state == ResponseState.DRAFT


def test_full_cycle_with_return_and_resubmission(setting):
    monitor, coordinator, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    _fill(response, shelter)
    assert submit_response(response, monitor).ok
    assert response.state == ResponseState.SUBMITTED and response.submitted_by == monitor
    with pytest.raises(WorkflowError):
        return_response(response, "   ", {}, coordinator)
    return_response(response, "C2 looks too high", {"C2": "Check against the register", "ZZ": "ignored"},
                    coordinator)
    assert response.state == ResponseState.RETURNED
    assert response.question_comments == {"C2": "Check against the register"}
    assert submit_response(response, monitor).ok
    assert approve_responses([response], coordinator) == 1
    assert response.state == ResponseState.APPROVED and response.reviewed_by == coordinator
    with pytest.raises(WorkflowError):
        submit_response(response, monitor)
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "response",
                                                               AuditEntry.object_id == response.id)
                                 .order_by(AuditEntry.id)).all()
    assert actions == ["response.start", "response.submit", "response.return", "response.submit",
                       "response.approve"]


def test_two_monitors_saving_the_same_answer_get_a_conflict(setting, make):
    monitor, _, shelter, round_ = setting
    second = make.user(Role.MONITOR)
    response = start_response(shelter, round_, monitor)
    save_page(response, "C", {"C1": 20}, 1, {}, monitor)
    opened_at, seen = response.version, {"C1": 20, "C3": None}
    save_page(response, "C", {"C1": 25, "C3": 5}, opened_at, seen, monitor)
    outcome = save_page(response, "C", {"C1": 30, "C3": None}, opened_at, seen, second)
    assert isinstance(outcome, Conflict)
    assert outcome.differences == {"C1": {"saved": 25, "yours": 30}, "C3": {"saved": 5, "yours": None}}
    assert response.answers["C1"] == 25


def test_saves_to_different_questions_merge_without_a_conflict(setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    save_page(response, "C", {"C1": 20}, 1, {}, monitor)
    opened_at = response.version
    save_page(response, "F", {"F1": 8}, opened_at, {"F1": None}, monitor)
    outcome = save_page(response, "C", {"C1": 20, "C3": 4}, opened_at, {"C1": 20, "C3": None}, monitor)
    assert not isinstance(outcome, Conflict)
    assert response.answers["F1"] == 8 and response.answers["C3"] == 4


def test_new_round_carries_over_the_last_approved_response(setting, make):
    monitor, coordinator, shelter, round_ = setting
    earlier = make.round("2019-10", dt.date(2019, 10, 1), dt.date(2019, 10, 31), covid_section=False)
    old = start_response(shelter, earlier, monitor)
    old.answers = complete_answers(shelter, "2019-10", covid=False)
    old.carried_sections = []
    assert submit_response(old, monitor).ok
    approve_responses([old], coordinator)
    db.session.commit()

    new = start_response(shelter, round_, monitor)
    assert new.carried_from == old
    assert new.answers["C1"] == old.answers["C1"] and "A2" not in new.answers
    assert "C" in new.carried_sections and "A" not in new.carried_sections
    new.answers = {**new.answers, **{k: v for k, v in complete_answers(shelter).items() if k[0] in "AK"}}
    validation = submit_response(new, monitor)
    assert not validation.ok  # carried sections not confirmed yet
    for section in list(new.carried_sections):
        save_page(new, section, {}, new.version, {}, monitor)
    save_page(new, "C", {"C1": old.answers["C1"] + 5}, new.version, {}, monitor)
    assert submit_response(new, monitor).ok
    assert changes_since_carried(new)["C1"] == {"before": old.answers["C1"], "after": old.answers["C1"] + 5}


# Through the pages

def test_monitor_fills_a_page_and_sees_the_message_next_to_the_field(client, setting):
    monitor, _, shelter, round_ = setting
    login(client, monitor)
    client.post(f"/shelters/{shelter.id}/rounds/{round_.id}/response")
    response = db.session.scalars(select(Response)).one()
    page = client.post(f"/responses/{response.id}/sections/C",
                       data={"version": "1", "original": "{}", "C1": "10", "C2": "12", "continue": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "cannot exceed" in html and 'value="12"' in html
    page = client.post(f"/responses/{response.id}/sections/C",
                       data={"version": "2", "original": "{}", "C1": "ten", "continue": "1"})
    assert page.status_code == 422 and 'value="ten"' in page.get_data(as_text=True)


def test_conflict_page_shows_what_changed(client, setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    save_page(response, "C", {"C1": 25}, 1, {}, monitor)
    db.session.commit()
    login(client, monitor)
    page = client.post(f"/responses/{response.id}/sections/C",
                       data={"version": "1", "original": "{}", "C1": "30"})
    html = page.get_data(as_text=True)
    assert page.status_code == 409
    assert "someone else saved this response" in html and "25" in html and 'value="30"' in html
    db.session.refresh(response)
    assert response.answers["C1"] == 25


def test_returned_comments_show_next_to_the_question(client, setting):
    monitor, coordinator, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    _fill(response, shelter)
    submit_response(response, monitor)
    db.session.commit()
    login(client, coordinator)
    page = client.post(f"/responses/{response.id}/return", data={"reason": "", "comment_C2": "x"})
    assert page.status_code == 302
    db.session.refresh(response)
    assert response.state == ResponseState.SUBMITTED
    client.post(f"/responses/{response.id}/return",
                data={"reason": "Please check capacity", "comment_C2": "Is this the register figure?"})
    db.session.refresh(response)
    assert response.state == ResponseState.RETURNED
    client.post("/logout")
    login(client, monitor)
    html = client.get(f"/responses/{response.id}/sections/C").get_data(as_text=True)
    assert "Please check capacity" in html and "Is this the register figure?" in html


def test_monitor_submits_through_the_page_and_cannot_edit_afterwards(client, setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    _fill(response, shelter)
    db.session.commit()
    login(client, monitor)
    client.post(f"/responses/{response.id}/submit")
    db.session.refresh(response)
    assert response.state == ResponseState.SUBMITTED
    assert client.get(f"/responses/{response.id}/sections/C").location.endswith(f"/responses/{response.id}")
    assert client.post(f"/responses/{response.id}/sections/C", data={}).status_code == 403


def test_incomplete_submission_lists_what_is_missing(client, setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    db.session.commit()
    login(client, monitor)
    page = client.post(f"/responses/{response.id}/submit", follow_redirects=True)
    html = page.get_data(as_text=True)
    assert "Not submitted yet" in html and "Monitoring metadata" in html and "questions not answered" in html


def test_coordinator_approves_several_at_once(client, make, setting):
    monitor, coordinator, shelter, round_ = setting
    ids = []
    for n in range(3):
        other = make.shelter(region="UA-46", monitors=[monitor], name=f"S{n}")
        response = start_response(other, round_, monitor)
        _fill(response, other)
        submit_response(response, monitor)
        db.session.commit()
        ids.append(response.id)
    login(client, coordinator)
    assert "S1" in client.get("/review").get_data(as_text=True)
    client.post("/review", data={"response_ids": ids[:2], "confirm": "1"})
    states = dict(db.session.execute(select(Response.id, Response.state)).all())
    assert [states[i] for i in ids] == ["approved", "approved", "submitted"]


def test_closed_round_cannot_be_edited(client, setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    round_.is_open = False
    db.session.commit()
    login(client, monitor)
    assert client.get(f"/responses/{response.id}/sections/C").location.endswith(f"/responses/{response.id}")
    assert client.post(f"/responses/{response.id}/sections/C", data={}).status_code == 403
    assert "is closed; its responses can no longer be changed" in client.get(
        f"/responses/{response.id}").get_data(as_text=True)


def test_every_section_renders_with_complete_answers_in_both_languages(client, setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    _fill(response, shelter)
    db.session.commit()
    login(client, monitor)
    for language in ("en", "uk"):
        client.post(f"/language/{language}")
        for section in "ABCDEFGHIJKL":
            page = client.get(f"/responses/{response.id}/sections/{section}")
            assert page.status_code == 200, (language, section)
        html = client.get(f"/responses/{response.id}").get_data(as_text=True)
        assert ("Submit for review" if language == "en" else "Львівський ЦСПД") in html


def test_round_without_covid_section_does_not_ask_section_k(client, make):
    monitor = make.user(Role.MONITOR)
    shelter = make.shelter(monitors=[monitor])
    round_ = make.round("2019-10", dt.date(2019, 10, 1), dt.date(2019, 10, 31), covid_section=False)
    response = start_response(shelter, round_, monitor)
    response.answers = complete_answers(shelter, "2019-10", covid=False)
    db.session.commit()
    login(client, monitor)
    assert client.get(f"/responses/{response.id}/sections/K").status_code == 404
    page = client.get(f"/responses/{response.id}/sections/J").get_data(as_text=True)
    assert "/sections/K" not in page
    assert submit_response(response, monitor).ok


def test_coordinator_sees_what_changed_since_the_last_round(client, make, setting):
    monitor, coordinator, shelter, round_ = setting
    earlier = make.round("2019-10", dt.date(2019, 10, 1), dt.date(2019, 10, 31), covid_section=False)
    old = start_response(shelter, earlier, monitor)
    old.answers = complete_answers(shelter, "2019-10", covid=False)
    submit_response(old, monitor)
    approve_responses([old], coordinator)
    db.session.commit()
    new = start_response(shelter, round_, monitor)
    new.answers = {**new.answers, "C1": old.answers["C1"] + 7}
    db.session.commit()
    login(client, coordinator)
    page = client.get(f"/responses/{new.id}").get_data(as_text=True)
    assert "Changed since Round 2019-10" in page and str(old.answers["C1"] + 7) in page
