"""A regional officer, on a phone, enters its region's official figure and sees it beside the plan and history."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, load_programme
from shelter_monitor.responses.models import Response, ResponseState
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e


@pytest.fixture
def programme_data(make):
    load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    round_ = make.round("2013-10", dt.date(2013, 10, 1), dt.date(2013, 10, 31), is_open=False, covid_section=False)
    db.session.add(Response(shelter=make.shelter(region="UA-46"), round=round_, questionnaire_version="2020.1",
                            answers={"C5a": 2, "C5b": 31}, state=ResponseState.APPROVED))
    db.session.commit()
    return make.user(Role.REGIONAL, region="UA-46")


def test_regional_officer_enters_a_figure_for_its_region(page, live_server, programme_data):
    officer = programme_data
    page.goto(f"{live_server}/login")
    page.fill("#email", officer.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit].primary")
    page.click("summary.menu-button")  # a 412 px phone: the navigation is behind the menu button
    page.click("nav >> text=Programme")
    page.click("text=State Targeted Social Programme")
    page.click("a:has-text('Persons provided with assistance')")
    expect(page.locator("h1")).to_contain_text("Persons provided with assistance")
    page.select_option("#region-pick", "UA-46")
    page.wait_for_url("**region=UA-46")
    expect(page.locator(".plan-table td").first).to_contain_text("≥ 33")

    page.select_option("#year", "2013")
    page.fill("#value", "41,5x")
    page.fill("#source", "Lviv regional report 2013")
    page.click("text=Save figure")
    expect(page.locator(".field-error")).to_contain_text("Write a number")
    expect(page.locator("#source")).to_have_value("Lviv regional report 2013")

    page.fill("#value", "47")
    page.click("text=Save figure")
    expect(page.locator(".flash")).to_contain_text("Figure saved")
    expect(page.locator(".plan-table td").first.locator(".entered")).to_contain_text("47")
    expect(page.locator("table").last).to_contain_text("Lviv regional report 2013")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "programme-indicator-phone.png"), full_page=True)
