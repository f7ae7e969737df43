"""A submitted or approved response is locked for its monitor: the pages say so (not "your role"), and the
warnings of the answers stay in view after submitting, for the monitor and the coordinator."""
import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.auth.policy import Action, refusal
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import approve_response, start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers

UNDER_REVIEW = "This response is under review since"
OUTSIDE_ROUND = "The date of visit (A2) is outside the monitoring round"


@pytest.fixture
def submitted(make):
    """A response submitted by its monitor, with the visit date before the round (a warning, not an error)."""
    monitor, coordinator = make.user(Role.MONITOR), make.user(Role.COORDINATOR)
    shelter = make.shelter(monitors=[monitor])
    response = start_response(shelter, make.round(), monitor)
    response.answers = {**complete_answers(shelter), "A2": "2020-09-15"}
    assert submit_response(response, monitor).ok
    db.session.commit()
    return response, monitor, coordinator


def test_opening_a_section_of_a_submitted_response_shows_it_read_only_with_the_reason(client, submitted):
    response, monitor, _ = submitted
    login(client, monitor)
    opened = client.get(f"/responses/{response.id}/sections/B")
    assert opened.status_code == 302 and opened.location.endswith(f"/responses/{response.id}")
    page = client.get(opened.location).get_data(as_text=True)
    assert UNDER_REVIEW in page and "the coordinator can return it to you" in page
    assert "does not give access" not in page


def test_saving_a_section_of_a_submitted_response_is_refused_with_the_reason(client, submitted):
    response, monitor, _ = submitted
    login(client, monitor)
    refused = client.post(f"/responses/{response.id}/sections/B", data={})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403 and UNDER_REVIEW in page and "does not give access" not in page


def test_an_approved_response_says_it_was_approved(client, submitted):
    response, monitor, coordinator = submitted
    approve_response(response, coordinator)
    db.session.commit()
    login(client, monitor)
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert "This response was approved on" in page and UNDER_REVIEW not in page


def test_the_role_stays_the_reason_for_anyone_but_the_responses_monitor(client, submitted, ctx):
    response, monitor, coordinator = submitted
    assert refusal(coordinator, Action.EDIT_RESPONSE, response) is None
    assert refusal(monitor, Action.EDIT_RESPONSE, response).startswith(UNDER_REVIEW)
    login(client, coordinator)
    refused = client.get(f"/responses/{response.id}/sections/B")
    assert refused.status_code == 403 and "does not give access" in refused.get_data(as_text=True)


def test_an_editable_response_has_no_refusal(submitted, make, ctx):
    _, monitor, _ = submitted
    shelter = make.shelter(monitors=[monitor])
    draft = start_response(shelter, make.round("2021-10"), monitor)
    db.session.commit()
    assert refusal(monitor, Action.EDIT_RESPONSE, draft) is None


def test_warnings_stay_on_the_overview_after_submitting_and_on_the_review_page(client, submitted):
    response, monitor, coordinator = submitted
    login(client, monitor)
    assert OUTSIDE_ROUND in client.get(f"/responses/{response.id}").get_data(as_text=True)
    client.post("/logout")
    login(client, coordinator)
    page = client.get(f"/responses/{response.id}").get_data(as_text=True)
    assert OUTSIDE_ROUND in page and 'href="#a-A2">A2 Date of visit / interview</a>' in page and 'id="approve"' in page
