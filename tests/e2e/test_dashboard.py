"""An officer opens the dashboard, switches the indicator and follows a region's tile."""
import re

import pytest
from playwright.sync_api import expect

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.responses.service import start_response, submit_response
from tests.conftest import PASSWORD
from tests.responses.helpers import complete_answers

pytestmark = pytest.mark.e2e


@pytest.fixture
def dashboard_data(make):
    monitor = make.user(Role.MONITOR)
    round_ = make.round()
    for region in ("UA-46", "UA-12"):
        shelter = make.shelter(region=region, monitors=[monitor])
        response = start_response(shelter, round_, monitor)
        response.answers = complete_answers(shelter)
        submit_response(response, monitor)
    db.session.commit()
    return round_, make.user(Role.MINISTRY)


def test_dashboard_indicator_switch_and_tile(page, live_server, dashboard_data):
    round_, officer = dashboard_data
    page.goto(f"{live_server}/login")
    page.fill("#email", officer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.click("summary.menu-button")  # a 412 px phone: the navigation is behind the menu button
    page.click("nav >> text=Dashboard")
    expect(page.locator("h2", has_text="Map")).to_contain_text("Occupancy")
    page.select_option("#indicator", "refusal_rate")
    page.wait_for_url(re.compile(r"indicator=refusal_rate"))
    expect(page.locator("h2", has_text="Map")).to_contain_text("Refusals (any applicant)")
    tile = page.locator("a.tile.r1", has_text="Lviv").first
    expect(tile).to_contain_text("%")
    tile.click()
    expect(page.locator("h1")).to_have_text("Lviv Oblast")
    expect(page.locator("table").first).to_contain_text("Free places")
