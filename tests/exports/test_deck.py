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
    INDICATORS,
    ShelterSnapshot,
    compute_indicators,
    indicators_by_region,
)
from shelter_monitor.demo.generator import demo_answers, demo_shelters
from shelter_monitor.exports.data import ExportData, FindingRow, RecommendationRow, ResponseRow
from shelter_monitor.exports.deck import MESSAGES, write_deck
from shelter_monitor.exports.outline import FIGURE_KEYS, build_outline
from shelter_monitor.i18n import catalog, ngettext
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.model import localize
from shelter_monitor.regions.data import region_records

LABELS = {spec.key: spec.label for spec in INDICATORS}
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


def build_export(region: str | None = None, language: str = "en") -> ExportData:
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
        national=compute_indicators(snapshots), by_region=by_region, gaps=gaps, translations=catalog(language),
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


def titled(deck, title: str):
    return next(slide for slide in deck.slides if slide.shapes.title.text == title)


def n_of(name: str, count: int) -> str:
    return f"{name} (n = {count})"


def test_the_national_deck_has_its_slides_in_order(deck):
    titles = [slide.shapes.title.text for slide in deck.slides]
    first = [title for title in titles if not title.endswith("(cont.)")]
    assert first == [
        "Shelter monitoring 2020",
        "How the monitoring was done",
        "Key figures",
        "Occupancy by region",
        "Free places by region",
        f"{LABELS['refusal_rate']} by region",
        "Men among victims housed by region",
        "Training coverage by region",
        "COVID-19 impact",
        "Services offered",
        "Staff and training",
        "Funding sources",
        "Access gaps: regions with no place for…",
        "Recommendation M1: Ministry of Social Policy",
        "Recommendation M2: Ministry of Social Policy",
        "Recommendation R1: regional state administrations",
        "Recommendation R4: regional state administrations",
        "Recommendation R5: regional state administrations",
        "Recommendation R7: regional state administrations",
    ]
    for index, title in enumerate(titles):
        if title.endswith(" (cont.)"):  # a continuation follows its slide (or another continuation of it)
            assert titles[index - 1] in (title, title.removesuffix(" (cont.)"))
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


def test_the_key_figures_show_the_national_values_including_male_share_donors_and_training(deck, national):
    text = slide_text(deck.slides[2])
    figures = national.national
    assert f"{figures.places:,}" in text
    for key in ("occupancy", "refusal_rate", "male_share", "donor_dependence", "training_coverage"):
        share, label = getattr(figures, key), LABELS[key]
        assert f"{round(share * 100)}%\n{label}" in text
    reason, count = figures.top_refusal_reasons[0]
    label = localize(national.definitions["2020.1"].question("C8b").choice(reason).label, "en")
    assert f"{count}   {label}" in text


@pytest.mark.parametrize(("title", "attribute"), [("Occupancy by region", "occupancy"),
                                                  ("Free places by region", "free_places"),
                                                  (f"{LABELS['refusal_rate']} by region", "refusal_rate"),
                                                  ("Men among victims housed by region", "male_share"),
                                                  ("Training coverage by region", "training_coverage")])
def test_a_chart_holds_the_indicator_of_every_region_with_its_number_of_shelters(deck, national, title, attribute):
    slide = titled(deck, title)
    (chart,) = charts(slide)
    expected = {n_of(national.region_names[iso], ind.shelters): getattr(ind, attribute)
                for iso, ind in national.by_region.items()}
    values = chart_values(chart)
    assert values.keys() == expected.keys()
    assert values == pytest.approx(expected)
    assert "n = the shelters behind each bar" in slide_text(slide)


def test_shares_are_charted_as_fractions_shown_as_percentages(deck):
    (chart,) = charts(deck.slides[3])
    assert all(0 <= value <= 1.5 for value in chart.plots[0].series[0].values if value is not None)
    assert chart.plots[0].data_labels.number_format == "0%"


def _deck_text(deck, prefix: str) -> str:
    return "\n".join(slide_text(slide) for slide in deck.slides if slide.shapes.title.text.startswith(prefix))


def test_the_covid_slides_count_the_answers_to_k1_to_k10_as_labels(deck, national):
    text = _deck_text(deck, "COVID-19 impact")
    answered = sum(bool(r.answers.get("K2")) for r in national.responses)
    pcr = sum("pcr" in (r.answers.get("K2") or ()) for r in national.responses)
    assert "K2. Extra admission requirements introduced" in text
    assert f"PCR test\n{pcr} of {answered}" in text
    assert "K8. Written protocol for a suspected COVID / infectious case" in text
    assert "pcr" not in text.split("\n")


def test_the_services_slide_tells_in_house_partners_not_offered_and_unknown_apart(deck, national):
    text = _deck_text(deck, "Services offered")
    counts = [sum(r.answers["E1"].get("psych") == value for r in national.responses)
              for value in ("inhouse", "referral", "none")]
    assert "Psychological assistance\n" + "\n".join(map(str, counts)) + "\n0" in text


def test_the_staff_and_funding_slides(deck, national):
    staff = _deck_text(deck, "Staff and training")
    assert f"{sum(r.answers['F1'] for r in national.responses)}\nStaff (full-time equivalents)" in staff
    assert "F5. Training topics covered" in staff
    funding = _deck_text(deck, "Funding sources")
    using = sum(r.answers["I1"].get("donor", 0) > 0 for r in national.responses)
    assert f"International donors\n{using} of {len(national.responses)}" in funding
    assert "I2. Overall sufficiency of funding" in funding


def test_the_gaps_slide_names_the_regions_without_a_place_and_counts_them_in_words(deck, national):
    text = _deck_text(deck, "Access gaps")
    for key, isos in national.gaps.items():
        for iso in isos:
            assert national.region_names[iso] in text, key
    assert MESSAGES["deck_gap_under3"] in text
    assert "0 regions" in text or "1 region\n" in text


def test_recommendation_slides_exist_for_the_issued_codes_and_r7_without_data(deck, national):
    codes = [slide.shapes.title.text.split(":")[0].removeprefix("Recommendation ") for slide in deck.slides
             if slide.shapes.title.text.startswith("Recommendation")]
    assert codes == ["M1", "M2", "R1", "R4", "R5", "R7"]
    r7 = _deck_text(deck, "Recommendation R7")
    assert r7.count("No data (no regional form)") == 2
    assert national.region_names["UA-51"] in r7 and national.region_names["UA-65"] in r7


def test_a_national_recommendation_slide_shows_text_severity_evidence_and_follow_up(deck, national):
    text = _deck_text(deck, "Recommendation M1")
    assert national.recommendation_texts["M1"] in text
    assert "Medium" in text
    assert "2\nShelters" in text and "2\nRegions" in text
    assert national.region_names["UA-51"] in text and national.region_names["UA-65"] in text
    assert "Regions behind it (2 regions)" in text
    assert "Partly implemented" in text


def test_a_regional_code_is_one_slide_listing_its_regions(deck, national):
    text = _deck_text(deck, "Recommendation R1")
    assert national.recommendation_texts["R1"] in text
    assert national.region_names["UA-12"] in text and national.region_names["UA-51"] in text
    assert "High" in text and "Medium" in text
    assert "2\nRegions" in text and "3\nShelters" in text
    assert text.index(national.region_names["UA-12"]) < text.index(national.region_names["UA-51"])  # high first


def test_a_regional_deck_sets_the_region_beside_the_national_figure():
    data = build_export(region="UA-51")
    deck = open_deck(data)
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[3] == "Odesa Oblast compared with Ukraine"
    assert [t.split(":")[0] for t in titles if t.startswith("Recommendation")] == [
        "Recommendation M1", "Recommendation M2", "Recommendation R1", "Recommendation R5", "Recommendation R7"]
    region = data.by_region["UA-51"]
    figures = slide_text(deck.slides[2])
    assert f"{round(region.occupancy * 100)}%" in figures
    assert f"Ukraine: {round(data.national.occupancy * 100)}%" in figures
    assert "Odesa Oblast" in slide_text(deck.slides[0])
    occupancy, free, refusals = charts(deck.slides[3])
    here, ukraine = n_of("Odesa Oblast", region.shelters), n_of("Ukraine", data.national.shelters)
    assert chart_values(occupancy) == pytest.approx({here: region.occupancy, ukraine: data.national.occupancy})
    assert chart_values(free) == {here: region.free_places, ukraine: data.national.free_places}
    assert chart_values(refusals) == pytest.approx({here: region.refusal_rate, ukraine: data.national.refusal_rate})
    r1 = _deck_text(deck, "Recommendation R1")
    assert data.recommendation_texts["R1"] in r1 and "Medium\nSeverity" in r1 and "1\nShelters" in r1
    assert "Half the shelters not linked to the NRM" in r1
    r7 = _deck_text(deck, "Recommendation R7")
    assert "No data\nSeverity" in r7 and "Shelters" not in r7  # R7 is about the budget: no "0 shelters"
    assert "Odesa Oblast has not filled in the regional form" in r7


def test_a_regional_deck_says_whether_the_region_is_behind_each_ministry_recommendation():
    deck = open_deck(build_export(region="UA-51"))
    assert "Odesa Oblast is among the regions behind it." in _deck_text(deck, "Recommendation M1")
    assert "Odesa Oblast is not among the regions behind it." in _deck_text(deck, "Recommendation M2")


def test_a_regional_deck_names_the_shelters_behind_a_finding_with_the_answers_as_labels():
    base = build_export(region="UA-12")
    shelter = base.responses[0].shelter_name
    data = dataclasses.replace(base, findings=(FindingRow(shelter, "UA-12", "R1", "high",
                                                          {"B4": "cspa", "J5": "no"}),))
    r1 = _deck_text(open_deck(data), "Recommendation R1")
    definition = data.definitions["2020.1"]
    assert shelter in r1
    cspa = localize(definition.question("B4").choice("cspa").label, "en")
    assert f"{localize(definition.question('B4').label, 'en')}: {cspa}" in r1
    assert f"{localize(definition.question('J5').label, 'en')} No" in r1  # the question ends in "?"
    assert "J5: no" not in r1 and "cspa" not in r1


def test_the_regional_gaps_slide_tells_offered_not_offered_and_unknown_apart():
    data = build_export(region="UA-51")
    answers = {r.shelter_name: r.answers for r in data.responses}
    unknown = dataclasses.replace(data, responses=tuple(dataclasses.replace(r, answers={
        **r.answers, "D14": None}) for r in data.responses))
    text = _deck_text(open_deck(data), "Access in Odesa Oblast: a place for…")
    men = [name for name, a in answers.items() if "adult_men" in a.get("D1", ())]
    assert ("Offered" if men else "Not offered by any shelter that answered") in text
    for name in men:
        assert name in text
    if men:  # how many of the region's shelters offer it, named unless all of them do
        assert f"{len(men)} of {len(answers)}" + (": " if len(men) < len(answers) else "\n") in text
    assert "Not known: no shelter answered" in _deck_text(open_deck(unknown), "Access in Odesa Oblast")


def test_counted_nouns_take_the_languages_plural_forms():
    assert [ngettext("%(num)d region", "%(num)d regions", n, catalog("en")) for n in (1, 2, 5)] == [
        "1 region", "2 regions", "5 regions"]
    # Ukrainian's catalog chooses among three forms: 1 область, 2 області, 5 областей (and 21 область)
    assert [catalog("uk").plural(n) for n in (1, 2, 5, 11, 21, 0)] == [0, 1, 2, 2, 0, 2]


def test_ukrainian_texts_and_labels_appear_when_passed():
    data = build_export(language="uk")
    deck = open_deck(data)
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[1:4] == ["Як проводився моніторинг", "Ключові показники", "Заповнюваність за областями"]
    assert "Рекомендація M1: Міністерство соціальної політики" in titles
    assert "Центр соціально-психологічної допомоги" in slide_text(deck.slides[1])
    assert data.recommendation_texts["R4"] in "\n".join(slide_text(s) for s in deck.slides)
    (chart,) = charts(deck.slides[3])
    assert any(category.startswith("Одеська область (n = ") for category in chart.plots[0].categories)


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
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert "COVID-19 impact" not in titles and "Services offered" not in titles
    assert not charts(deck.slides[3])
    assert MESSAGES["deck_no_data"] in slide_text(deck.slides[3])
    assert "–" in slide_text(deck.slides[2])  # occupancy unknown, not 0%


def test_a_regional_code_without_shelters_behind_it_shows_no_shelter_count(deck, national):
    text = _deck_text(deck, "Recommendation R7")
    assert "Shelters" not in text  # a regional budget matter: "0 shelters" would read as a finding
    table = next(shape.table for slide in deck.slides if slide.shapes.title.text.startswith("Recommendation R7")
                 for shape in slide.shapes if shape.has_table)
    assert [cell.text for cell in table.rows[0].cells] == ["Region", "Severity"]
    assert "Shelters" in [cell.text for cell in next(
        shape.table for slide in deck.slides if slide.shapes.title.text.startswith("Recommendation R1")
        for shape in slide.shapes if shape.has_table).rows[0].cells]


def test_the_conditions_of_a_regional_code_count_their_regions_in_words():
    base = build_export()
    rows = tuple(dataclasses.replace(row, reasons=("No place for men in the region",))
                 if row.code == "R1" else row for row in base.recommendations)
    text = _deck_text(open_deck(dataclasses.replace(base, recommendations=rows)), "Recommendation R1")
    assert "• No place for men in the region — 2 regions" in text


def test_an_answer_to_a_question_ending_in_a_question_mark_takes_no_colon():
    base = build_export(region="UA-12")
    shelter = base.responses[0].shelter_name
    data = dataclasses.replace(base, findings=(FindingRow(shelter, "UA-12", "R1", "high", {"J5": "no"}),))
    label = localize(data.definitions["2020.1"].question("J5").label, "en")
    assert label.endswith("?")
    text = _deck_text(open_deck(data), "Recommendation R1")
    assert f"{label} No" in text and "?:" not in text


def test_the_suspension_days_tile_says_it_is_an_average(deck):
    assert "Days admissions stayed suspended for COVID-19, on average" in _deck_text(deck, "Key figures")


def test_a_table_continued_on_the_next_slide_repeats_the_question_of_its_first_answer(deck):
    continued = [slide for slide in deck.slides if slide.shapes.title.text == "COVID-19 impact (cont.)"]
    assert continued, "the COVID-19 table of the test data no longer runs over one slide"
    for slide in continued:
        table = next(shape.table for shape in slide.shapes if shape.has_table)
        assert [cell.text for cell in table.rows[0].cells][:2] == ["Question", "Answer"]
        assert table.rows[1].cells[0].text.startswith("K")  # the question, not a blank cell


def test_the_regional_gaps_slide_names_the_shelters_offering_a_place_only_when_not_all_do():
    data = build_export(region="UA-51")
    everyone = dataclasses.replace(data, responses=tuple(dataclasses.replace(r, answers={
        **r.answers, "D1": ["adult_men", "adult_women"]}) for r in data.responses))
    count = len(data.responses)
    (slide,) = [s for s in build_outline(everyone).slides if s.key == "gaps"]
    (table,) = slide.columns[0]
    men = next(row for row in table.rows if row[0] == "Men")
    assert men[1:] == ("Offered", f"{count} of {count}")


def test_a_round_without_the_covid_section_shows_no_covid_figures():
    base = build_export()
    before = dataclasses.replace(base, responses=tuple(dataclasses.replace(r, answers={
        code: value for code, value in r.answers.items() if not code.startswith("K")}) for r in base.responses))
    outline = build_outline(before)
    assert [figure.key for figure in outline.figures] == [
        key for key in FIGURE_KEYS if key not in ("suspended_shelters", "covid_suspension_days")]
    assert "covid" not in [slide.key for slide in outline.slides]
    assert "suspended" not in _deck_text(open_deck(before), "Key figures")
    assert "suspended_shelters" in [figure.key for figure in build_outline(base).figures]


def test_a_regional_method_slide_does_not_count_the_one_region_covered():
    regional = [s for s in build_outline(build_export(region="UA-51")).slides if s.key == "method"][0]
    national = [s for s in build_outline(build_export()).slides if s.key == "method"][0]
    headings = [[block.heading for block in column] for column in regional.columns]
    assert headings == [["Shelters monitored, by type of institution"], ["Data collection methods"]]
    assert len(national.columns) == 3 and national.columns[1][0].heading == "Regions covered"
