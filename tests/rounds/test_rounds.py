"""Round progress per region, and the regional form (I4, I4a)."""
import datetime as dt
import re

import pytest
from sqlalchemy import select

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.versions import raw_definition, store_version
from shelter_monitor.responses.models import RegionalForm
from shelter_monitor.responses.service import start_response, submit_response
from shelter_monitor.rounds.service import round_progress
from tests.conftest import login
from tests.responses.helpers import complete_answers


def test_progress_counts_done_in_progress_and_not_started_per_region(make):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    lviv = [make.shelter(region="UA-46", monitors=[monitor]) for _ in range(3)]
    make.shelter(region="UA-12")
    start_response(lviv[0], round_, monitor)
    done = start_response(lviv[1], round_, monitor)
    done.answers = complete_answers(lviv[1])
    submit_response(done, monitor)
    db.session.commit()
    progress = {p.region.iso_code: p for p in round_progress(round_, make.user(Role.MINISTRY))}
    assert (progress["UA-46"].done, progress["UA-46"].in_progress, progress["UA-46"].counts["not_started"]) == (
        1, 1, 1)
    assert progress["UA-12"].total == 1
    regional = {p.region.iso_code for p in round_progress(round_, make.user(Role.REGIONAL, region="UA-12"))}
    assert regional == {"UA-12"}


def test_round_page_shows_the_progress_table(client, make, login_as):
    login_as(Role.COORDINATOR)
    round_ = make.round()
    make.shelter(region="UA-46")
    page = client.get(f"/rounds/{round_.id}").get_data(as_text=True)
    assert "Lviv Oblast" in page and "Not started" in page


def test_regional_user_fills_its_regional_form_and_skip_logic_applies(client, make):
    round_ = make.round()
    user = make.user(Role.REGIONAL, region="UA-46")
    login(client, user)
    page = client.post(f"/rounds/{round_.id}/regions/UA-46",
                       data={"version": "0", "I4": "no", "I4a_allocated": "1000", "I4a_disbursed": "10"})
    assert page.status_code == 200
    form = db.session.scalar(select(RegionalForm))
    assert form.answers == {"I4": "no"} and form.version == 1
    client.post(f"/rounds/{round_.id}/regions/UA-46",
                data={"version": "1", "I4": "yes", "I4a_allocated": "100000", "I4a_disbursed": "20000"})
    db.session.refresh(form)
    assert form.answers == {"I4": "yes", "I4a_allocated": 100000, "I4a_disbursed": 20000}
    stale = client.post(f"/rounds/{round_.id}/regions/UA-46",
                        data={"version": "1", "I4": "no"}).get_data(as_text=True)
    assert "someone else saved this form" in stale
    db.session.refresh(form)
    assert form.answers["I4"] == "yes"
    assert client.get(f"/rounds/{round_.id}/regions/UA-12").status_code == 403


def test_rounds_list_and_response_page_write_dates_in_the_readers_language(client, make, login_as):
    """The round's period and a response's submission time through Babel (were "2020-10-01" and
    "2020-10-05 09:30")."""
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    shelter = make.shelter(monitors=[monitor])
    response = start_response(shelter, round_, monitor)
    response.answers = complete_answers(shelter)
    submit_response(response, monitor)
    response.submitted_at = dt.datetime(2020, 10, 5, 9, 30)
    db.session.commit()
    login_as(Role.COORDINATOR)
    rounds, page = client.get("/rounds").get_data(as_text=True), client.get(f"/responses/{response.id}").get_data(
        as_text=True)
    assert "Oct 1, 2020 – Oct 31, 2020" in rounds and "2020-10-01" not in rounds
    assert "submitted 10/5/20, 9:30\u202fAM by" in page
    client.post("/language/uk")
    assert "1 жовт. 2020\u202fр. – 31 жовт. 2020\u202fр." in client.get("/rounds").get_data(as_text=True)


def _second_version() -> str:
    store_version({**raw_definition("2020.1"), "version": "2021.1"}, "2020.1", None)
    db.session.commit()
    return "2021.1"


def _edit(client, round_, version: str):
    return client.post(f"/rounds/{round_.id}/edit", data={
        "code": round_.code, "name": round_.name, "name_en": "October 2020", "period_start": "2020-10-01",
        "period_end": "2020-10-31", "questionnaire_version": version, "covid_section": "y", "is_open": "y"})


def _version_error(html: str) -> str:
    """The error written under the questionnaire version field (empty when there is none)."""
    match = re.search(r'id="questionnaire_version-error"[^>]*>(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else ""


def _add_response(make, round_) -> None:
    start_response(make.shelter(), round_, make.user(Role.MONITOR))


def _add_regional_form(make, round_) -> None:
    db.session.add(RegionalForm(region=make.shelter().region, round=round_, answers={"I4": "no"}, version=1))


@pytest.mark.parametrize("answer", [_add_response, _add_regional_form], ids=["response", "regional-form"])
def test_a_round_with_answers_keeps_its_questionnaire_version(client, make, login_as, answer):
    version = _second_version()
    round_ = make.round()
    answer(make, round_)
    db.session.commit()
    login_as(Role.ADMIN)
    page = _edit(client, round_, version)
    assert page.status_code == 200
    assert _version_error(page.get_data(as_text=True)) == (
        "This round has answers, so its questionnaire version cannot be changed: they were given under version "
        "2020.1.")
    db.session.expire_all()
    assert db.session.get(type(round_), round_.id).questionnaire_version == "2020.1"
    client.post("/language/uk")
    assert _version_error(_edit(client, round_, version).get_data(as_text=True)) == (
        "Цей раунд має відповіді, тож його версію анкети змінити не можна: їх дано за версією 2020.1.")


def test_a_round_without_answers_moves_to_another_questionnaire_version(client, make, login_as):
    version = _second_version()
    round_ = make.round()
    login_as(Role.ADMIN)
    assert _edit(client, round_, version).status_code == 302
    db.session.expire_all()
    assert db.session.get(type(round_), round_.id).questionnaire_version == version
