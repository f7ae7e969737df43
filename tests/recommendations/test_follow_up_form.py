"""The follow-up form of a recommendation: unset until the addressee sets it, then showing what was saved; the
statuses have their own words (not the questionnaire sections' "In progress" and "Done")."""
import re

import pytest

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import login
from tests.responses.helpers import complete_answers


@pytest.fixture
def r5_page(client, make):
    """A round where R5 is issued to Kherson Oblast, its regional user logged in; returns the page's URL."""
    monitor, kherson = make.user(Role.MONITOR), make.user(Role.REGIONAL, region="UA-65")
    round_ = make.round()
    shelter = make.shelter(region="UA-65", monitors=[monitor], institution_type="cspa", ownership="oblast")
    response = start_response(shelter, round_, monitor)
    response.answers = {**complete_answers(shelter), "D4": "no"}
    assert submit_response(response, monitor).ok
    db.session.commit()
    login(client, kherson)
    return round_, f"/rounds/{round_.id}/recommendations/UA-65"


def _form(page: str, code: str) -> str:
    start = page.index(f'id="status-{code}"')
    return page[start:page.index("</form>", start)]


def _selected(form: str) -> str:
    return re.search(r'<option selected value="([^"]*)">', form).group(1)


def test_an_unset_status_shows_as_not_set(client, r5_page):
    _, url = r5_page
    page = client.get(url).get_data(as_text=True)
    form = _form(page, "R5")
    assert _selected(form) == "" and '<option selected value="">Not set</option>' in form
    assert "<strong>Status:</strong> Not set" in page


def test_after_saving_the_form_shows_the_saved_status_and_comment(client, r5_page):
    round_, url = r5_page
    client.post(f"/rounds/{round_.id}/recommendations/R5/follow-up",
                data={"region": "UA-65", "status": "in_progress", "comment": "Room being prepared"})
    form = _form(client.get(url).get_data(as_text=True), "R5")
    assert _selected(form) == "in_progress"
    assert re.search(r"<textarea[^>]*>\s*Room being prepared</textarea>", form)


def test_not_set_cannot_be_saved(client, r5_page):
    round_, url = r5_page
    response = client.post(f"/rounds/{round_.id}/recommendations/R5/follow-up",
                           data={"region": "UA-65", "status": "", "comment": "x"}, follow_redirects=True)
    assert "Choose a status." in response.get_data(as_text=True)


def test_statuses_have_their_own_ukrainian_words(client, r5_page):
    """Waits on the merge of /work/tr/fixes.po into the catalog."""
    round_, url = r5_page
    client.post("/language/uk")
    page = client.get(url).get_data(as_text=True)
    form = _form(page, "R5")
    assert ">Виконується</option>" in form and ">Виконано</option>" in form and ">Не вказано</option>" in form
    assert "Заповнюється" not in form and "Заповнено" not in form
    assert "Не надавалася" in page and "Не надано" not in page  # R1-R4, R6 are not issued here
