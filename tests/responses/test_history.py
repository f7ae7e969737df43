"""A response's history in plain words, the answers changed since it was returned, and the review page wording
the questions as the monitor's form did."""
import re

import pytest
from sqlalchemy import select

from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import return_response, save_page, start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers, form_post


@pytest.fixture
def setting(make):
    monitor = make.user(Role.MONITOR, name="Olena Monitor")
    coordinator = make.user(Role.COORDINATOR, name="Taras Coordinator")
    shelter = make.shelter(region="UA-46", monitors=[monitor], name="Lviv shelter")
    round_ = make.round()
    return monitor, coordinator, shelter, round_


def _history(html: str) -> str:
    return re.search(r'<ol class="history-list">(.*?)</ol>', html, re.S)[1]


def _audit(response_id: int) -> list[AuditEntry]:
    return db.session.scalars(select(AuditEntry).where(AuditEntry.object_id == response_id,
                                                       AuditEntry.object_type == "response")
                              .order_by(AuditEntry.id)).all()


def test_history_tells_events_and_answers_in_plain_words(client, setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    save_page(response, "A", {"A5": False}, response.version, {}, monitor)
    save_page(response, "A", {"A5": True}, response.version, {}, monitor)
    save_page(response, "F", {"F4": 3, "F5": ["identification", "trauma"]}, response.version, {}, monitor)
    db.session.commit()
    login(client, monitor)
    history = _history(client.get(f"/responses/{response.id}").get_data(as_text=True))
    assert "response.save" not in history and "response.start" not in history
    assert "Started by Olena Monitor" in history
    assert "Saved by Olena Monitor: section A. " in history and "Saved by Olena Monitor: section F. " in history
    assert "A5 Respondent consents to data use" in history and "was No, now Yes" in history
    assert "False" not in history and "True" not in history
    assert "F5 Training topics covered" in history
    assert "answered Identification of victims; Trauma-informed approach" in history
    assert "[" not in history and "identification" not in history


def test_history_in_ukrainian(client, setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    save_page(response, "A", {"A5": True}, response.version, {}, monitor)
    db.session.commit()
    login(client, monitor)
    client.post("/language/uk")
    history = _history(client.get(f"/responses/{response.id}").get_data(as_text=True))
    assert "Згода респондента" in history  # the question's Ukrainian wording
    assert "Respondent consents" not in history
    assert "Розпочато користувачем Olena Monitor" in history  # needs /work/tr/queue.po merged
    assert "Збережено користувачем Olena Monitor: розділ A. " in history and "відповідь: Так" in history


def test_a_save_that_changes_nothing_is_not_recorded_nor_shown(client, setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    save_page(response, "C", {"C1": 20}, response.version, {}, monitor)
    db.session.commit()
    before = len(_audit(response.id))
    save_page(response, "C", {"C1": 20}, response.version, {"C1": 20}, monitor)
    db.session.commit()
    assert len(_audit(response.id)) == before
    record(monitor, "response.save", response, {"section": "D", "answers": {}})  # recorded by an older version
    db.session.commit()
    login(client, monitor)
    history = _history(client.get(f"/responses/{response.id}").get_data(as_text=True))
    assert history.count("Saved by") == 1 and "section D." not in history


def test_confirming_a_carried_section_without_a_change_is_recorded(setting):
    monitor, _, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    response.carried_sections = ["C"]
    save_page(response, "C", {}, response.version, {}, monitor)
    save = [e for e in _audit(response.id) if e.action == "response.save"]
    assert len(save) == 1 and save[0].changes["confirmed"] is True and save[0].changes["answers"] == {}


def _returned_and_resubmitted(client, setting):
    monitor, coordinator, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    response.answers = complete_answers(shelter)
    assert submit_response(response, monitor).ok
    return_response(response, "Check the number of places", {"C1": "Is this the register figure?"}, coordinator)
    db.session.commit()
    before = response.answers["C1"]
    login(client, monitor)
    page = client.post(f"/responses/{response.id}/sections/C",
                       data=form_post("C", {**response.answers, "C1": before + 5}, response.version))
    assert page.status_code == 200
    client.post(f"/responses/{response.id}/submit")
    client.post("/logout")
    return response, before


def test_review_page_marks_the_answers_changed_since_the_return(client, setting):
    response, before = _returned_and_resubmitted(client, setting)
    login(client, setting[1])
    html = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "Changed since returned on" in html and "(1)</h2>" in html
    changed = re.findall(r'<div class="answer-row changed" id="a-(\w+)">', html)
    assert changed == ["C1"]
    row = re.search(r'<div class="answer-row changed" id="a-C1">(.*?)</div>', html, re.S)[1]
    assert f"Changed since returned</strong>: was {before}" in row
    assert 'class="answer-row" id="a-C2"' in html


def test_history_marks_what_happened_since_the_return(client, setting):
    response, before = _returned_and_resubmitted(client, setting)
    login(client, setting[1])
    history = _history(client.get(f"/responses/{response.id}").get_data(as_text=True))
    items = re.findall(r"<li( class=\"since-return\")?>\s*<time[^>]*>[^<]*</time> ([^<]+?)\s*(?:<|$)", history)
    assert [(bool(mark), text) for mark, text in items][:3] == [
        (True, "Submitted for review by Olena Monitor"),
        (True, "Saved by Olena Monitor: section C. Capacity and occupancy"),
        (False, "Returned to the monitor by Taras Coordinator"),
    ]
    assert "Check the number of places" in history and "comment “Is this the register figure?”" in history
    assert f"was {before}, now {before + 5}" in history


def test_a_change_undone_since_the_return_is_not_marked(client, setting):
    monitor, coordinator, shelter, round_ = setting
    response = start_response(shelter, round_, monitor)
    response.answers = complete_answers(shelter)
    submit_response(response, monitor)
    return_response(response, "Check C1", {}, coordinator)
    original = response.answers["C1"]
    save_page(response, "C", {"C1": original + 1}, response.version, {}, monitor)
    save_page(response, "C", {"C1": original}, response.version, {}, monitor)
    db.session.commit()
    login(client, monitor)
    html = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "No answer has changed since the response was returned." in html
    assert 'class="answer-row changed"' not in html


def test_review_page_words_children_questions_as_the_form_does(client, make):
    monitor = make.user(Role.MONITOR)
    coordinator = make.user(Role.COORDINATOR)
    shelter = make.shelter(monitors=[monitor], institution_type="child_shelter", name="Children's shelter")
    response = start_response(shelter, make.round(), monitor)
    response.answers = {**complete_answers(shelter), "C5a": 2, "C5b": 3, "C5c": 1, "C5d": 4}
    db.session.commit()
    login(client, monitor)
    form = client.get(f"/responses/{response.id}/sections/C").get_data(as_text=True)
    client.post("/logout")
    assert submit_response(response, monitor).ok
    db.session.commit()
    login(client, coordinator)
    review = client.get(f"/responses/{response.id}").get_data(as_text=True)
    for code, words in [("C5a", "boys aged 14-17"), ("C5b", "girls aged 14-17"), ("C5c", "boys under 14"),
                        ("C5d", "girls under 14")]:
        label = f"Child victims of trafficking accommodated, last 12 months: {words}"
        assert label in form, code
        assert re.search(rf'id="a-{code}">\s*<dt><span class="q-code">{code}</span> {label}</dt>', review), code
    assert "last 12 months: men" not in review and "last 12 months: women" not in review
