"""A monitor on a phone: log in, fill a section with a skip rule and a validation error, fix it, submit."""
import pytest
from playwright.sync_api import expect

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.responses.models import ResponseState
from shelter_monitor.responses.service import start_response
from tests.conftest import PASSWORD
from tests.responses.helpers import complete_answers

pytestmark = pytest.mark.e2e


@pytest.fixture
def monitor_with_response(make):
    monitor = make.user(Role.MONITOR, email="olena@example.org", name="Olena")
    shelter = make.shelter(region="UA-46", monitors=[monitor], name="Lviv CSPA", institution_type="cspa")
    round_ = make.round()
    response = start_response(shelter, round_, monitor)
    answers = complete_answers(shelter)
    response.answers = {code: value for code, value in answers.items() if not code.startswith("C")}
    db.session.commit()
    return monitor, response, {code: value for code, value in answers.items() if code.startswith("C")}


def log_in(page, live_server, email):
    page.goto(f"{live_server}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")


def test_monitor_fills_a_section_fixes_an_error_and_submits(page, live_server, monitor_with_response):
    monitor, response, section_c = monitor_with_response
    log_in(page, live_server, monitor.email)
    page.goto(f"{live_server}/responses/{response.id}/sections/C")

    expect(page.locator("#q-C8a")).to_be_hidden()
    page.check("input[name=C8][value=yes]")
    expect(page.locator("#q-C8a")).to_be_visible()
    expect(page.locator("#q-C8b")).to_be_visible()
    page.check("input[name=C8][value=no]")
    expect(page.locator("#q-C8a")).to_be_hidden()

    for code in ("C1", "C3", "C4", "C5a", "C5b", "C5c", "C5d", "C6", "C7", "C9"):
        page.fill(f"input[name={code}]", str(section_c[code]))
    page.fill("input[name=C2]", str(section_c["C1"] + 5))
    page.check(f"input[name=C10][value={section_c['C10']}]")
    page.click("button[name=continue]")

    c2 = page.locator("#q-C2")
    expect(c2.locator(".field-error")).to_contain_text("cannot exceed")
    expect(page.locator("input[name=C2]")).to_have_value(str(section_c["C1"] + 5))
    expect(page.locator("input[name=C9]")).to_have_value(str(section_c["C9"]))

    page.fill("input[name=C2]", str(section_c["C2"]))
    page.click("button[name=continue]")
    expect(page.locator("h1")).to_contain_text("Admission")

    page.goto(f"{live_server}/responses/{response.id}")
    page.click("text=Submit for review")
    expect(page.locator(".flash-success")).to_contain_text("Submitted for review")
    db.session.refresh(response)
    assert response.state == ResponseState.SUBMITTED
    assert response.answers["C2"] == section_c["C2"] and "C8a" not in response.answers


def test_typed_answers_survive_a_reload_until_saved(page, live_server, monitor_with_response):
    monitor, response, _ = monitor_with_response
    log_in(page, live_server, monitor.email)
    page.goto(f"{live_server}/responses/{response.id}/sections/C")
    page.fill("input[name=C1]", "17")
    page.check("input[name=C8][value=yes]")
    page.reload()
    expect(page.locator("#restored-notice")).to_be_visible()
    expect(page.locator("input[name=C1]")).to_have_value("17")
    expect(page.locator("#q-C8a")).to_be_visible()
    page.click("button[name=save]")
    expect(page.locator("#restored-notice")).to_be_hidden()
    page.reload()
    expect(page.locator("#restored-notice")).to_be_hidden()
    expect(page.locator("input[name=C1]")).to_have_value("17")


def test_answers_typed_when_the_session_expired_come_back_after_logging_in(page, live_server, monitor_with_response):
    monitor, response, _ = monitor_with_response
    log_in(page, live_server, monitor.email)
    page.goto(f"{live_server}/responses/{response.id}/sections/C")
    page.fill("input[name=C1]", "23")
    page.context.clear_cookies()
    page.click("button[name=save]")
    expect(page.locator(".flash")).to_contain_text("Your session has expired")
    page.fill("#email", monitor.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    expect(page.locator("#restored-notice")).to_be_visible()
    expect(page.locator("input[name=C1]")).to_have_value("23")
    page.click("button[name=save]")
    db.session.refresh(response)
    assert response.answers["C1"] == 23
