"""Readers see a question's number ("K1a"), never the code of one of its fields in the data ("K1a_from")."""
import re

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.model import question_number
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.responses.service import start_response

SHOWN_NUMBER = re.compile(r'<span class="q-code">([^<]*)</span>')


def test_a_fields_code_reads_as_its_questions_number():
    assert [question_number(code) for code in ("K1a_from", "K1a_to", "B3_katottg", "I4a_allocated", "C8b")] == [
        "K1a", "K1a", "B3", "I4a", "C8b"]


def test_the_form_shows_question_numbers(client, login_as, make):
    monitor = login_as(Role.MONITOR)
    response = start_response(make.shelter(monitors=[monitor]), make.round(), monitor)
    db.session.commit()
    numbers = []
    for section in ("B", "K"):
        page = client.get(f"/responses/{response.id}/sections/{section}").get_data(as_text=True)
        numbers += SHOWN_NUMBER.findall(page)
    assert "B3" in numbers and "K1a" in numbers
    assert [number for number in numbers if "_" in number] == []


def test_the_review_page_shows_question_numbers(client, login_as, make):
    shelter = make.shelter()
    db.session.add(Response(shelter=shelter, round=make.round(), questionnaire_version="2020.1",
                            state=ResponseState.SUBMITTED,
                            answers={"B3_katottg": "UA46060250010015733", "K1": "yes", "K1a_from": "2020-04-01",
                                     "K1a_to": "2020-05-15"}))
    db.session.commit()
    login_as(Role.COORDINATOR)
    response_id = db.session.scalars(db.select(Response.id)).one()
    numbers = SHOWN_NUMBER.findall(client.get(f"/responses/{response_id}").get_data(as_text=True))
    assert "B3" in numbers and "K1a" in numbers
    assert [number for number in numbers if "_" in number] == []
