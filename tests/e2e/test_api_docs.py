"""/api/v1/docs in Chromium: the vendored Swagger UI renders the OpenAPI document with no console error and no
failed request, every request stays on this server (no CDN), and axe finds nothing serious or critical with an
operation open (static/css/api_docs.css and static/js/api_docs.js mend Swagger UI's own contrast and labels)."""
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from shelter_monitor.auth.models import Role
from tests.conftest import PASSWORD
from tests.e2e.axe import axe_violations

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _once(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the page does not depend on the database: checked once, on SQLite")


def test_the_api_docs_render_from_this_server_only_without_errors_or_serious_axe_violations(browser, live_server,
                                                                                             make):
    user = make.user(Role.MINISTRY)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors, hosts = [], set()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc or request.url))
    page.on("response", lambda answer: errors.append(answer.url) if answer.status >= 400 else None)
    page.goto(f"{live_server}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server}/api/v1/docs")
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    operations = page.locator(".opblock")
    assert operations.count() >= 20
    page.locator(".opblock-summary", has_text="/api/v1/places").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert errors == []
    assert hosts == {urlsplit(live_server).netloc}, hosts
    assert axe_violations(page) == []
    context.close()
