"""The printable report: a PDF from WeasyPrint, HTML holding the deck's content, escaped, with no shelter contact."""
import dataclasses
import io

import pytest

from shelter_monitor.demo.generator import demo_shelters
from shelter_monitor.exports.report import render_report_html, write_pdf
from shelter_monitor.programmes.overview import build_overview
from shelter_monitor.programmes.plan import parse_programme
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME
from tests.exports.test_deck import SENTINEL_ADDRESS, build_export
from tests.exports.test_programme import ENTERED, MEASURED, deck_data


@pytest.fixture(scope="module")
def national():
    return build_export()


@pytest.fixture(scope="module")
def html(national):
    return render_report_html(national)


def test_the_pdf_is_a_pdf(national):
    stream = io.BytesIO()
    write_pdf(national, stream)
    assert stream.getvalue().startswith(b"%PDF")
    assert len(stream.getvalue()) > 10_000


def test_the_html_holds_the_issued_recommendations_only(html, national):
    for code in ("M1", "M2", "R1", "R4", "R5"):
        assert national.recommendation_texts[code] in html
    assert national.recommendation_texts["R7"] in html  # no data in two regions: said, not left out
    assert html.count("No data (no regional form)") == 2
    assert national.recommendation_texts["M3"] not in html  # not issued


def test_the_html_names_every_region_and_its_figures(html, national):
    for iso, indicators in national.by_region.items():
        assert national.region_names[iso] in html
        assert f"{round(indicators.occupancy * 100)}%" in html
    assert "Partly implemented" in html
    assert html.count("<svg") == 5 * len(national.by_region)  # five charted indicators
    assert html.count('class="num count-n"') == 5 * len(national.by_region)  # n = shelters behind each bar


def test_the_html_is_a4_with_page_numbers_and_dejavu(html):
    assert "size: A4" in html
    assert "counter(page)" in html
    assert '"DejaVu Sans"' in html


def test_text_from_the_data_is_escaped():
    data = build_export()
    data = dataclasses.replace(data, round_name="<b>Round</b> & co",
                               recommendation_texts={**data.recommendation_texts, "M1": "<script>x</script>"})
    html = render_report_html(data)
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;b&gt;Round&lt;/b&gt; &amp; co" in html


def test_a_regional_report_sets_the_region_beside_ukraine():
    data = build_export(region="UA-51")
    html = render_report_html(data)
    assert "Odesa Oblast compared with Ukraine" in html
    assert f"Ukraine: {round(data.national.occupancy * 100)}%" in html
    assert data.region_names["UA-12"] not in html.split('id="recommendations"')[0]


def test_ukrainian_texts_appear_and_render():
    data = build_export(language="uk")
    html = render_report_html(data)
    assert "Як проводився моніторинг" in html and "Одеська область" in html
    assert data.recommendation_texts["M1"] in html
    stream = io.BytesIO()
    write_pdf(data, stream)
    assert stream.getvalue().startswith(b"%PDF")


def test_no_address_phone_or_free_text_answer_reaches_the_report(html, national):
    assert SENTINEL_ADDRESS not in html
    for shelter in demo_shelters():
        assert shelter.address not in html and shelter.phone not in html
    for response in national.responses:
        for code in ("L2", "L3"):
            if response.answers.get(code):
                assert response.answers[code] not in html


def _section(html: str, key: str) -> str:
    start = html.index(f'<section id="{key}"')
    return html[start:html.index("</section>", start)]


def test_a_question_and_its_answers_are_one_row_group_a_page_does_not_split(html, national):
    covid = _section(html, "covid")
    groups = covid.split("<tbody>")[1:]
    answered = [code for code in ("K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K10")
                if any(r.answers.get(code) not in (None, [], "") for r in national.responses)]
    assert [group.split("<td")[1].split(">", 1)[1].split(".")[0] for group in groups] == answered
    assert "table.data tbody { break-inside: avoid; }" in html or "table.data tr, table.data tbody" in html


def test_charts_and_recommendations_keep_with_their_heading(html):
    assert 'id="chart_occupancy" class="slide keep"' in html
    assert 'id="recommendation_M1" class="slide keep"' in html
    assert 'id="covid" class="slide"' in html  # a long table may run over pages (its header repeated)


def test_table_columns_take_the_outlines_proportions(html):
    services = _section(html, "services")
    assert '<col style="width: 44.74%">' in services  # 3.4 of (3.4 + 1 + 1.2 + 1 + 1)


def test_the_programme_goes_on_a_landscape_page_with_its_years_over_their_columns():
    programme = parse_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"))
    html = render_report_html(deck_data(build_overview(programme, None, ENTERED, MEASURED)))
    section = _section(html, "programme")
    assert 'class="slide landscape"' in section and "@page landscape { size: A4 landscape; }" in html
    assert '<th colspan="3" class="group">2013</th>' in section
    assert 'class="num tone-partly">1,078 (87%)</td>' in section
    assert "Plan: the programme&#39;s target." in section
