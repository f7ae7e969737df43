"""Each role's main journey on a 390 x 844 phone in Ukrainian, on the demo, as a new user would walk it: through the
menu button and the folded section list rather than typed URLs. The pages of these journeys are checked with axe in
test_accessibility.py; the states only an action reaches (a form with errors) are checked here."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from shelter_monitor.auth.models import User
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.extensions import db
from shelter_monitor.recommendations.models import FollowUp
from shelter_monitor.responses.models import Response, ResponseState
from tests.e2e.axe import axe_violations
from tests.responses.helpers import complete_answers
from tests.test_html_validity import demo_world  # noqa: F401, F811 - the demo, with a draft for the monitor

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _once(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the journeys do not depend on the database: walked once, on SQLite")


@pytest.fixture
def phone(browser, live_server, demo_world):  # noqa: F811
    """log_in(role) -> a page on a phone, in Ukrainian, on the role's start page."""
    logins, _ = demo_world
    contexts = []

    def log_in(role: str):
        context = browser.new_context(viewport=PHONE)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server}/login")
        page.click("button[lang=uk]")
        page.fill("#email", logins[role][0])
        page.fill("#password", logins[role][1])
        page.click("button[type=submit].primary")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "uk"
        return page

    yield log_in
    for context in contexts:
        context.close()


def open_menu_item(page, href: str):
    """Follow a link of the main navigation, which a phone shows behind the menu button."""
    expect(page.locator(".mainnav")).to_be_hidden()
    page.click("summary.menu-button")
    page.click(f".mainnav a[href='{href}']")


def in_first_screen(locator) -> bool:
    """Whether the element is wholly inside the phone's first screen (the page not scrolled)."""
    box = locator.bounding_box()
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] \
        and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_the_phone_header_is_one_row_with_a_menu_button(phone):
    page = phone("coordinator")
    assert page.locator("header").bounding_box()["height"] <= 72
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # the name
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "menu-button"
    page.keyboard.press("Enter")
    expect(page.locator("nav.mainnav")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('nav.mainnav') !== null")
    assert axe_violations(page) == []  # the open menu over the page


def test_monitor_opens_an_assignment_fills_a_section_saves_and_submits(phone, demo_world):  # noqa: F811
    _, values = demo_world
    draft = db.session.get(Response, values["response_id"][0])
    answers = complete_answers(draft.shelter)
    draft.answers = {code: value for code, value in answers.items() if not code.startswith("C")}
    db.session.commit()
    section_c = {code: value for code, value in answers.items() if code.startswith("C")}

    page = phone("monitor")
    expect(page.locator(".state-tabs a").first).to_have_attribute("aria-current", "page")  # "To do" first
    page.click(f".worklist a[href='/responses/{draft.id}']")
    expect(page.locator(".section-list")).to_have_attribute("open", "")  # the overview opens the list
    page.click(f".section-nav a[href='/responses/{draft.id}/sections/C']")

    nav_list = page.locator(".section-nav ol")
    expect(nav_list).to_be_hidden()  # a section folds the list behind its summary
    expect(page.locator(".section-list summary")).to_contain_text("11")  # "done 11 of 12"
    page.click(".section-list summary")
    expect(nav_list).to_be_visible()
    page.click(".section-list summary")

    for code, value in section_c.items():
        if isinstance(value, list):
            for choice in value:
                page.check(f"input[name={code}][value='{choice}']")
        elif page.locator(f"[name={code}]").first.get_attribute("type") == "radio":
            page.check(f"input[name={code}][value='{value}']")
        else:
            page.fill(f"[name={code}]", str(value))
    page.click("button[name=save]")
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".section-nav li.current .status")).to_have_class("status status-done")

    page.click(".crumbs a")
    page.click(f"form[action='/responses/{draft.id}/submit'] button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    db.session.refresh(draft)
    assert draft.state == ResponseState.SUBMITTED


def test_coordinator_filters_the_queue_opens_a_response_and_approves_it(phone):
    page = phone("coordinator")
    assert page.url.endswith("/review")
    # each response is a card as wide as the phone, its columns named; the first one and the approve button in view
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    cards = page.locator("table.queue tbody tr")
    assert page.evaluate("Math.max(...Array.from(document.querySelectorAll('table.queue tr'),"
                         " row => row.getBoundingClientRect().right))") <= PHONE["width"]
    assert in_first_screen(cards.first.locator("td.shelter a"))
    assert in_first_screen(page.locator(".form-actions button[type=submit].primary"))
    region = cards.first.locator("td[data-label]").first
    assert page.evaluate("cell => getComputedStyle(cell, '::before').content", region.element_handle()) \
        == '"Область: "'
    flag = page.locator("table.queue .flag").first
    expect(flag).to_be_visible()
    assert flag.bounding_box()["x"] + flag.bounding_box()["width"] <= PHONE["width"]
    page.click("label[for=pick-all]")  # the select-all box, its label shown on a phone
    boxes = page.locator("table.queue tbody input[name=response_ids]")
    assert boxes.count() > 1 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    assert axe_violations(page) == []
    page.click("label[for=pick-all]")
    assert not any(boxes.nth(i).is_checked() for i in range(boxes.count()))
    boxes.first.check()
    expect(page.locator("#pick-all")).to_have_js_property("indeterminate", True)

    page.select_option("select[name=region]", "UA-46")
    page.click("form.filters button[type=submit]")
    rows = page.locator("table.queue tbody tr")
    count = rows.count()
    assert count >= 1 and "region=UA-46" in page.url
    link = rows.first.locator("a[href^='/responses/']").first
    response_id = int(link.get_attribute("href").rsplit("/", 1)[1])
    link.click()
    page.click("#approve button[type=submit]")
    expect(page.locator(".flash-success")).to_be_visible()
    assert db.session.get(Response, response_id).state == ResponseState.APPROVED


def test_regional_user_opens_its_region_and_finds_a_place(phone):
    page = phone("lviv")
    assert page.url.endswith("/dashboard")
    page.click("a.tile")  # the one tile a regional user may open: its own region
    expect(page.locator("h1")).to_contain_text("Львівська")
    open_menu_item(page, "/find-a-place")
    page.select_option("select[name=sex]", "female")
    page.fill("input[name=children_ages]", "4")
    page.click("form button[type=submit].primary")
    expect(page.locator(".matches > li").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]


def test_ministry_goes_from_the_dashboard_to_a_recommendation_and_sets_its_follow_up(phone, demo_world):  # noqa: F811
    _, values = demo_world
    page = phone("ministry")
    assert page.url.endswith(f"/rounds/{values['round_id'][0]}/dashboard")
    page.click(f"main a[href='/rounds/{values['round_id'][0]}/recommendations']")
    form = page.locator("form.follow-up-form").first
    status = form.locator("select[name=status]")
    chosen = status.locator("option[value]:not([value=''])").nth(1).get_attribute("value")
    status.select_option(chosen)
    form.locator("textarea[name=comment]").fill("Лист до міністерства надіслано")
    form.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    saved = db.session.scalars(select(FollowUp).order_by(FollowUp.id)).all()
    assert [(str(f.status), f.comment) for f in saved][-1] == (chosen, "Лист до міністерства надіслано")


def test_shelter_staff_post_free_places(phone, demo_world):  # noqa: F811
    _, values = demo_world
    shelter_id = values["shelter_id"][1]
    page = phone("staff")
    assert page.url.endswith(f"/shelters/{shelter_id}")
    # the free places and the update action before the profile, in the first screen
    update = page.locator(f"#availability a[href='/shelters/{shelter_id}/availability']")
    assert in_first_screen(update)
    assert page.locator("#availability").bounding_box()["y"] < page.locator("dl.profile").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    assert axe_violations(page) == []
    update.click()
    page.fill("input[name=free_women]", "2")
    page.fill("input[name=free_men]", "0")
    page.fill("input[name=free_children]", "1")
    page.click("form button[type=submit].primary")
    expect(page.locator(".flash-success")).to_be_visible()
    newest = db.session.scalar(select(AvailabilityUpdate).where(AvailabilityUpdate.shelter_id == shelter_id)
                               .order_by(AvailabilityUpdate.id.desc()))
    assert (newest.free_women, newest.free_men, newest.free_children) == (2, 0, 1)
    page.evaluate("window.scrollTo(0, 0)")
    figures = page.locator("#availability p").first
    expect(figures).to_contain_text("3 вільні місця (жінки: 2, чоловіки: 0, діти: 1)")
    assert in_first_screen(figures)


def test_admin_adds_a_user_after_a_refused_field(phone):
    page = phone("admin")
    open_menu_item(page, "/admin/users")
    page.click("a[href='/admin/users/new']")
    page.fill("input[name=email]", "new.monitor@example.org")
    page.fill("input[name=name]", "Нова Моніторка")
    page.select_option("select[name=role]", "monitor")
    page.select_option("select[name=region]", "UA-46")  # a monitor has no region: refused next to the field
    page.click("form button[type=submit].primary")
    expect(page.locator(".error-summary")).to_be_focused()
    region = page.locator("select[name=region]")
    expect(region).to_have_attribute("aria-invalid", "true")
    assert page.locator(f"#{region.get_attribute('aria-describedby').split()[0]}").inner_text()
    found = axe_violations(page)
    region.select_option("")
    page.click("form button[type=submit].primary")
    expect(page.locator("main")).to_contain_text("new.monitor@example.org")
    assert db.session.scalar(select(User).where(User.email == "new.monitor@example.org")).name == "Нова Моніторка"
    assert found == []
