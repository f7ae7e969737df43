"""The dashboard on a 390 px phone and a desktop, on the demo: every tile names its region in text that fits, chart
labels are at least 11 px as drawn, wide tables scroll in a focusable labelled region, and axe finds nothing
serious; officers land on it after logging in."""
import re

import pytest

from tests.e2e.axe import axe_violations
from tests.test_html_validity import demo_world  # noqa: F401, F811 - the demo, with a draft for the monitor

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = (390, 844), (1280, 900)

# For each tile: the name it shows (the short name or the abbreviation, whichever CSS displays), whether that text
# fits inside the tile, and its font size in px.
TILE_NAMES = """() => [...document.querySelectorAll('.tile-map .tile')].map(tile => {
  const shown = [...tile.querySelectorAll('.tile-short, .tile-abbr')].filter(e => getComputedStyle(e).display !== 'none');
  if (shown.length !== 1) { return {text: '', fits: false, size: 0, kind: String(shown.length)}; }
  const range = document.createRange();
  range.selectNodeContents(shown[0]);
  const text = range.getBoundingClientRect(), box = tile.getBoundingClientRect();
  return {text: shown[0].textContent.trim(), kind: shown[0].className,
          fits: text.left >= box.left && text.right <= box.right,
          size: parseFloat(getComputedStyle(shown[0]).fontSize)};
})"""
# The size each chart text is drawn at: its CSS font size times the SVG's scale on screen.
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('.chart svg text')].map(
  text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)"""


@pytest.fixture(autouse=True)
def _once(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the pages do not depend on the database: checked once, on SQLite")


def _logged_in(browser, live_server, logins, who, viewport, language):
    context = browser.new_context(viewport=dict(zip(("width", "height"), viewport, strict=True)))
    page = context.new_page()
    page.goto(f"{live_server}/login")
    if language == "uk":
        page.click("button[lang=uk]")
    page.fill("#email", logins[who][0])
    page.fill("#password", logins[who][1])
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    return context, page


@pytest.mark.parametrize("language", ["uk", "en"])
def test_phone_dashboard_names_every_tile_with_legible_charts(browser, live_server, demo_world,  # noqa: F811
                                                              language):
    logins, values = demo_world
    context, page = _logged_in(browser, live_server, logins, "ministry", PHONE, language)
    assert re.search(rf"/rounds/{values['round_id'][0]}/dashboard$", page.url)  # the start page, latest round
    tiles = page.evaluate(TILE_NAMES)
    assert len(tiles) == 27
    assert [t for t in tiles if not (t["text"] and t["fits"] and t["size"] >= 11)] == []
    assert len({t["text"] for t in tiles}) == 27
    sizes = page.evaluate(CHART_TEXT_SIZES)
    assert sizes and min(sizes) >= 11
    table = page.locator(".table-wrap:has(table.wide)")
    assert table.get_attribute("tabindex") == "0" and table.get_attribute("role") == "region"
    assert table.get_attribute("aria-label")
    assert page.locator("#kpis .scope").inner_text() == ("Усі області" if language == "uk" else "All regions")
    found = axe_violations(page)
    for url in ("/dashboard/UA-46", "/dashboard/trends"):
        target = url if url.startswith("/dashboard/trends") else f"/rounds/{values['round_id'][0]}{url}"
        page.goto(live_server + target)
        assert min(page.evaluate(CHART_TEXT_SIZES)) >= 11
        found += axe_violations(page)
    context.close()
    assert found == []


def test_desktop_tiles_show_whole_short_names(browser, live_server, demo_world):  # noqa: F811
    logins, _ = demo_world
    context, page = _logged_in(browser, live_server, logins, "ministry", DESKTOP, "uk")
    tiles = page.evaluate(TILE_NAMES)
    assert [t for t in tiles if not (t["kind"] == "tile-short" and t["fits"] and t["size"] >= 11)] == [], page.url
    assert {"Хмельницька", "Дніпропетровська", "Івано-Франківська", "м. Київ"} <= {t["text"] for t in tiles}
    context.close()


def test_regional_phone_dashboard_labels_its_scope(browser, live_server, demo_world):  # noqa: F811
    logins, _ = demo_world
    context, page = _logged_in(browser, live_server, logins, "lviv", PHONE, "uk")
    assert page.url.endswith("/dashboard")
    assert page.locator("#kpis .scope").inner_text() == "Львівська область"
    assert page.locator(".kpi-compare").first.inner_text().startswith("Усі області: ")
    assert page.locator("a.tile").count() == 1 and page.locator("span.tile.tile-other").count() == 26
    assert [t for t in page.evaluate(TILE_NAMES) if not (t["text"] and t["fits"])] == []
    found = axe_violations(page)
    context.close()
    assert found == []


# Each programme chart text that is cut: outside its chart's box, or (a series label) running into the bars.
CLIPPED_CHART_TEXT = """() => [...document.querySelectorAll('.chart svg')].flatMap(svg => {
  const box = svg.getBoundingClientRect();
  const barsStart = Math.min(...[...svg.querySelectorAll('rect.bar')].map(bar => bar.getBoundingClientRect().left));
  return [...svg.querySelectorAll('text')].filter(text => {
    const shown = text.getBoundingClientRect();
    return shown.left < box.left - 0.5 || shown.right > box.right + 0.5
      || (text.classList.contains('bar-label') && shown.right > barsStart);
  }).map(text => text.textContent);
})"""


@pytest.mark.parametrize("path", ["", "/indicators/t8_assisted", "/funding"])
def test_phone_programme_charts_are_drawn_at_the_pages_size(browser, live_server, demo_world, path):  # noqa: F811
    """The grouped charts of the programme pages in Ukrainian on a 390 px phone: labels at 14 px like the
    dashboard's ("Офіційно", the longest series label, whole and clear of the bars), nothing cut at the edge."""
    logins, values = demo_world
    context, page = _logged_in(browser, live_server, logins, "ministry", PHONE, "uk")
    page.goto(f"{live_server}/programmes/{values['programme'][0]}{path}")
    sizes = page.evaluate(CHART_TEXT_SIZES)
    labels = page.evaluate("() => [...document.querySelectorAll('.chart svg text.bar-label')].map(t => t.textContent)")
    clipped = page.evaluate(CLIPPED_CHART_TEXT)
    no_page_scroll = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
    assert sizes and min(sizes) >= 14
    assert "Офіційно" in labels
    assert clipped == [] and no_page_scroll
