"""The round-table deck: slides in order, native charts holding the indicator values, recommendation slides for
the issued codes only, the regional deck beside the national figures, translated wording."""
import dataclasses
import datetime as dt
import io
import random

import pytest
from pptx import Presentation
from pptx.chart.chart import Chart

from shelter_monitor.dashboards.indicators import (
    GAP_KEYS,
    ShelterSnapshot,
    compute_indicators,
    indicators_by_region,
)
from shelter_monitor.demo.generator import demo_answers, demo_shelters
from shelter_monitor.exports.data import ExportData, FindingRow, RecommendationRow, ResponseRow
from shelter_monitor.exports.deck import TEXT_DEFAULTS, write_deck
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.model import localize
from shelter_monitor.regions.data import region_records

REGIONS = ("UA-30", "UA-46", "UA-12", "UA-51", "UA-63", "UA-65")
SENTINEL_ADDRESS = "вул. Вигадана, 999 (sentinel)"
TEXTS = {
    "en": {
        "M1": "Work out extending the period of stay in CSPAs for persons affected by trafficking",
        "M2": "Develop an algorithm for emergency placement in CSPAs of large groups of persons",
        "M3": "Work out placing foreigners and stateless persons in CSPAs",
        "R1": "Keep access of victims of trafficking to shelters under constant control",
        "R4": "Ensure shelters for persons of both sexes and, where needed, with children",
        "R5": "Where needed, ensure that a father can stay in the shelter with his child",
        "R7": "Provide funds in local budgets for counter-trafficking tasks and measures",
    },
    "uk": {
        "M1": "Опрацювати питання продовження строку перебування постраждалих осіб у ЦСПД",
        "M2": "Розробити алгоритм екстреного розміщення у ЦСПД великих груп осіб",
        "M3": "Опрацювати можливість розміщення у ЦСПД іноземців та осіб без громадянства",
        "R1": "Тримати на постійному контролі питання доступу постраждалих осіб до притулків",
        "R4": "Забезпечити можливість перебування у притулках осіб обох статей",
        "R5": "За потреби забезпечити можливість перебування батька з дитиною",
        "R7": "Передбачати у місцевих бюджетах кошти на заходи з протидії торгівлі людьми",
    },
}
UK_TEXTS = {
    "deck_method_title": "Як проводився моніторинг",
    "deck_key_figures_title": "Ключові показники",
    "deck_gaps_title": "Прогалини в доступі: регіони без місць для…",
    "deck_chart_by_region": "{indicator} за регіонами",
    "deck_chart_vs_national": "{region} порівняно з Україною",
    "deck_recommendation_title": "Рекомендація {code}: {addressee}",
    "deck_addressee_ministry": "Міністерство соціальної політики",
    "deck_addressee_regional": "обласні державні адміністрації",
    "deck_national": "Україна",
}


def _recommendations() -> tuple[RecommendationRow, ...]:
    def row(code, region, status="issued", severity="high", shelters=("Shelter A",), regions=(), reasons=(),
            previous=None):
        return RecommendationRow(code, region, status, severity if status == "issued" else None, shelters, regions,
                                 reasons, previous)

    return (
        row("M1", None, severity="medium", shelters=("Shelter A", "Shelter B"), regions=("UA-51", "UA-65"),
            previous="Partly implemented"),
        row("M2", None, shelters=("Shelter C",), regions=("UA-12",), reasons=("No isolation room in a region",)),
        row("R1", "UA-51", severity="medium", reasons=("Half the shelters not linked to the NRM",)),
        row("R1", "UA-12", shelters=("Shelter C", "Shelter D")),
        row("R4", "UA-65", reasons=("No place for men in the region",), previous="Not implemented"),
        row("R5", "UA-51", severity="medium"),
        row("R7", "UA-65", status="no_data", shelters=()),
        row("R7", "UA-51", status="no_data", shelters=()),
    )


def build_export(region: str | None = None, language: str = "en", texts: dict | None = None) -> ExportData:
    """An export of about twenty demo responses in six regions; regional (only that region's responses and
    figures, next to the national ones) when `region` is given."""
    rng = random.Random(3)
    definition = load_definition("2020.1")
    shelters = [s for s in demo_shelters() if s.region in REGIONS]
    picked = [s for index, s in enumerate(shelters) if index % 2 == 0 or s.region == "UA-65"][:22]
    responses, snapshots = [], []
    for shelter_id, shelter in enumerate(picked, start=1):
        answers = demo_answers(shelter, "2020", dt.date(2020, 10, 5), True, rng)
        responses.append(ResponseRow(shelter_id, shelter_id, shelter.name, shelter.region, "submitted", "2020.1",
                                     answers))
        snapshots.append(ShelterSnapshot(shelter_id, shelter.region, answers))
    by_region = indicators_by_region(snapshots)
    gaps = {key: tuple(iso for iso, ind in by_region.items() if ind.gaps[key]) for key in GAP_KEYS}
    recommendations = _recommendations()
    findings = (FindingRow(picked[0].name, picked[0].region, "R1", "medium", {"J5": "no"}),)
    if region is not None:
        responses = [r for r in responses if r.region == region]
        by_region = {iso: ind for iso, ind in by_region.items() if iso == region}
        gaps = {key: tuple(iso for iso in isos if iso == region) for key, isos in gaps.items()}
        recommendations = tuple(r for r in recommendations if r.region in (None, region))
    names = {r.iso_code: (r.name_en if language == "en" else r.name_uk) for r in region_records()}
    return ExportData(
        language=language, round_code="2020", round_name="Shelter monitoring 2020",
        period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 10, 31), region=region,
        region_names=names, definitions={"2020.1": definition}, responses=tuple(responses), findings=findings,
        recommendations=recommendations, recommendation_texts=TEXTS[language], regional_forms={},
        national=compute_indicators(snapshots), by_region=by_region, gaps=gaps, texts=texts or {},
        generated_at=dt.datetime(2020, 10, 16, 9, 30))


def open_deck(data: ExportData):
    stream = io.BytesIO()
    write_deck(data, stream)
    stream.seek(0)
    return Presentation(stream)


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def charts(slide) -> list[Chart]:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def chart_values(chart: Chart) -> dict[str, float | None]:
    plot = chart.plots[0]
    return dict(zip(plot.categories, plot.series[0].values, strict=True))


@pytest.fixture(scope="module")
def national():
    return build_export()


@pytest.fixture(scope="module")
def deck(national):
    return open_deck(national)


def test_the_national_deck_has_its_slides_in_order(deck):
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == [
        "Shelter monitoring 2020",
        "How the monitoring was done",
        "Key figures",
        "Occupancy by region",
        "Free places by region",
        "Refusals (any applicant) among refusals and victims housed by region",
        "Access gaps: regions with no place for…",
        "Recommendation M1: Ministry of Social Policy",
        "Recommendation M2: Ministry of Social Policy",
        "Recommendation R1: regional state administrations",
        "Recommendation R4: regional state administrations",
        "Recommendation R5: regional state administrations",
    ]
    assert deck.slide_width * 9 == deck.slide_height * 16


def test_the_title_slide_gives_period_scope_and_date(deck):
    text = slide_text(deck.slides[0])
    assert "1 October 2020 – 31 October 2020" in text
    assert "Ukraine (national)" in text
    assert "16 October 2020" in text


def test_the_method_slide_counts_types_regions_and_methods(deck, national):
    text = slide_text(deck.slides[1])
    definition = national.definitions["2020.1"]
    cspas = len({r.shelter_id for r in national.responses if r.answers["B4"] == "cspa"})
    assert f"{cspas}  Centre of social and psychological assistance" in text
    for iso in {r.region for r in national.responses}:
        assert national.region_names[iso] in text
    onsite = sum(r.answers["A3"] == "onsite" for r in national.responses)
    assert f"{onsite}  {localize(definition.question('A3').choice('onsite').label, 'en')}" in text


def test_the_key_figures_show_the_national_values(deck, national):
    text = slide_text(deck.slides[2])
    assert f"{national.national.places:,}" in text
    assert f"{round(national.national.occupancy * 100)}%" in text
    assert f"{round(national.national.refusal_rate * 100)}%" in text
    reason, count = national.national.top_refusal_reasons[0]
    label = localize(national.definitions["2020.1"].question("C8b").choice(reason).label, "en")
    assert f"{count}   {label}" in text


@pytest.mark.parametrize(("index", "attribute"), [(3, "occupancy"), (4, "free_places"), (5, "refusal_rate")])
def test_a_chart_holds_the_indicator_of_every_region(deck, national, index, attribute):
    (chart,) = charts(deck.slides[index])
    expected = {national.region_names[iso]: getattr(ind, attribute) for iso, ind in national.by_region.items()}
    values = chart_values(chart)
    assert values.keys() == expected.keys()
    assert values == pytest.approx(expected)


def test_shares_are_charted_as_fractions_shown_as_percentages(deck):
    (chart,) = charts(deck.slides[3])
    assert all(0 <= value <= 1.5 for value in chart.plots[0].series[0].values if value is not None)
    assert chart.plots[0].data_labels.number_format == "0%"


def test_the_gaps_slide_names_the_regions_without_a_place(deck, national):
    text = slide_text(deck.slides[6])
    for key, isos in national.gaps.items():
        for iso in isos:
            assert national.region_names[iso] in text, key
    assert TEXT_DEFAULTS["deck_gap_under3"] in text


def test_recommendation_slides_exist_for_the_issued_codes_only(deck, national):
    codes = [slide.shapes.title.text.split(":")[0].removeprefix("Recommendation ") for slide in list(deck.slides)[7:]]
    assert codes == ["M1", "M2", "R1", "R4", "R5"]
    assert "R7" not in "\n".join(slide_text(slide) for slide in deck.slides)  # no_data only


def test_a_national_recommendation_slide_shows_text_severity_evidence_and_follow_up(deck, national):
    text = slide_text(deck.slides[7])
    assert national.recommendation_texts["M1"] in text
    assert "Medium" in text
    assert "Shelters\n2" in text and "Regions\n2" in text
    assert national.region_names["UA-51"] in text and national.region_names["UA-65"] in text
    assert "Partly implemented" in text


def test_a_regional_code_is_one_slide_listing_its_regions(deck, national):
    text = slide_text(deck.slides[9])
    assert national.recommendation_texts["R1"] in text
    assert national.region_names["UA-12"] in text and national.region_names["UA-51"] in text
    assert "High" in text and "Medium" in text
    assert "Regions\n2" in text and "Shelters\n3" in text
    assert text.index(national.region_names["UA-12"]) < text.index(national.region_names["UA-51"])  # high first


def test_a_regional_deck_sets_the_region_beside_the_national_figure():
    data = build_export(region="UA-51")
    deck = open_deck(data)
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[3] == "Odesa Oblast compared with Ukraine"
    assert [t.split(":")[0] for t in titles[5:]] == ["Recommendation M1", "Recommendation M2",
                                                     "Recommendation R1", "Recommendation R5"]
    region = data.by_region["UA-51"]
    figures = slide_text(deck.slides[2])
    assert f"{round(region.occupancy * 100)}%" in figures
    assert f"Ukraine: {round(data.national.occupancy * 100)}%" in figures
    assert "Odesa Oblast" in slide_text(deck.slides[0])
    occupancy, free, refusals = charts(deck.slides[3])
    assert chart_values(occupancy) == pytest.approx({"Odesa Oblast": region.occupancy,
                                                     "Ukraine": data.national.occupancy})
    assert chart_values(free) == {"Odesa Oblast": region.free_places, "Ukraine": data.national.free_places}
    assert chart_values(refusals) == pytest.approx({"Odesa Oblast": region.refusal_rate,
                                                    "Ukraine": data.national.refusal_rate})
    r1 = slide_text(deck.slides[7])
    assert data.recommendation_texts["R1"] in r1 and "Severity\nMedium" in r1 and "Shelters\n1" in r1
    assert "Half the shelters not linked to the NRM" in r1


def test_ukrainian_texts_and_labels_appear_when_passed():
    data = build_export(language="uk", texts=UK_TEXTS)
    deck = open_deck(data)
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[1:4] == ["Як проводився моніторинг", "Ключові показники", "Заповнюваність за регіонами"]
    assert titles[7] == "Рекомендація M1: Міністерство соціальної політики"
    assert "Центр соціально-психологічної допомоги" in slide_text(deck.slides[1])
    assert data.recommendation_texts["R4"] in "\n".join(slide_text(s) for s in deck.slides)
    (chart,) = charts(deck.slides[3])
    assert "Одеська область" in chart.plots[0].categories


def test_no_address_phone_or_free_text_answer_reaches_the_deck(national):
    text = "\n".join(slide_text(slide) for slide in open_deck(national).slides)
    assert SENTINEL_ADDRESS not in text
    for shelter in demo_shelters():
        assert shelter.address not in text and shelter.phone not in text
    for response in national.responses:
        for code in ("L2", "L3"):
            if response.answers.get(code):
                assert response.answers[code] not in text


def test_an_export_without_responses_still_builds():
    empty = dataclasses.replace(build_export(), responses=(), findings=(), recommendations=(), by_region={}, gaps={},
                                national=compute_indicators([]))
    deck = open_deck(empty)
    assert len(deck.slides) == 7
    assert not charts(deck.slides[3])
    assert TEXT_DEFAULTS["deck_no_data"] in slide_text(deck.slides[3])
    assert "–" in slide_text(deck.slides[2])  # occupancy unknown, not 0%
