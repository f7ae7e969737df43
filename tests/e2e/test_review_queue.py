"""The review queue's select-all box in Chromium: it ticks every row, shows a partial choice, and the bulk approval
still asks to confirm the number."""
import pytest
from playwright.sync_api import expect

from tests.test_html_validity import demo_world  # noqa: F401, F811 - the demo, with submitted responses

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _once(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the page does not depend on the database: checked once, on SQLite")


def test_select_all_ticks_the_rows_and_the_approval_asks_to_confirm(page, live_server, demo_world):  # noqa: F811
    logins, _ = demo_world
    page.goto(f"{live_server}/login")
    page.fill("#email", logins["coordinator"][0])
    page.fill("#password", logins["coordinator"][1])
    page.click("button[type=submit].primary")
    page.goto(f"{live_server}/review?region=UA-46")
    rows = page.locator("tbody input[name=response_ids]")
    count = rows.count()
    assert count >= 2
    page.check("#pick-all")
    assert all(rows.nth(n).is_checked() for n in range(count))
    rows.first.uncheck()
    assert page.eval_on_selector("#pick-all", "box => box.indeterminate && !box.checked")
    page.click("text=Approve selected…")
    expect(page.locator("h1")).to_have_text(f"Approve {count - 1} responses?")
    page.click("text=Cancel: back to the queue")
    assert page.url.endswith("/review?region=UA-46")
