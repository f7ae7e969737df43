"""Every shape on every slide fits: the national deck and every region's deck, in both languages, on the demo data
(with the shipped programme) and on a stress data set where every recommendation is issued in all 27 regions (with a
programme of four years and thirty long indicators, large figures entered).

Checked per slide: every shape lies inside the slide; no text shape (a text box or placeholder with text, or a
table) overlaps another; nothing but the footer reaches below the footer's top; every title is one line at its
size; and every text box and table row is tall enough for its text as the deck measures it (font size, lines
after wrapping at the shape's width)."""
import dataclasses
import datetime as dt
import io
import random
from itertools import combinations

import pytest
from pptx import Presentation
from pptx.util import Inches, Pt

from shelter_monitor.dashboards.indicators import GAP_KEYS, ShelterSnapshot, compute_indicators, indicators_by_region
from shelter_monitor.demo.generator import demo_answers, demo_regional_answers, demo_shelters
from shelter_monitor.exports import deck
from shelter_monitor.exports.data import ExportData, FindingRow, RecommendationRow, ResponseRow
from shelter_monitor.i18n import catalog
from shelter_monitor.programmes.overview import Overview, build_overview
from shelter_monitor.programmes.plan import parse_programme
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.data import region_records
from shelter_monitor.rules.engine import evaluate_round, load_rules
from tests.exports.test_programme import ENTERED, LONG_PROGRAMME, MEASURED, entered

VERSION = "2020.1"
REGIONS = tuple(record.iso_code for record in region_records())
CODES = ("M1", "M2", "M3", "R1", "R2", "R3", "R4", "R5", "R6", "R7")


def _names(language: str) -> dict[str, str]:
    return {r.iso_code: (r.name_en if language == "en" else r.name_uk) for r in region_records()}


def _export(language: str, responses: list[ResponseRow], findings: list[FindingRow],
            recommendations: list[RecommendationRow], forms: dict) -> ExportData:
    snapshots = [ShelterSnapshot(r.shelter_id, r.region, r.answers) for r in responses]
    by_region = indicators_by_region(snapshots)
    gaps = {key: tuple(iso for iso, ind in sorted(by_region.items()) if ind.gaps[key] and ind.shelters)
            for key in GAP_KEYS}
    definition = load_definition(VERSION)
    texts = {code: f"{code}: " + " ".join(["a recommendation text of a realistic length"] * 4) for code in CODES}
    return ExportData(
        language=language, round_code="2020-10", round_name="Моніторинг притулків 2020 / Shelter monitoring 2020",
        period_start=dt.date(2020, 10, 1), period_end=dt.date(2020, 10, 31), region=None,
        region_names=_names(language), definitions={VERSION: definition}, responses=tuple(responses),
        findings=tuple(findings), recommendations=tuple(recommendations), recommendation_texts=texts,
        regional_forms=forms, national=compute_indicators(snapshots), by_region=by_region, gaps=gaps,
        translations=catalog(language), generated_at=dt.datetime(2020, 11, 2, 9, 0))


def demo_export(language: str) -> ExportData:
    """The demo's 2020 round: its shelters and answers, regional forms for every other region, and what the rules
    make of them."""
    rng = random.Random(7)
    shelters = demo_shelters()
    responses = [ResponseRow(index, index, s.name, s.region, "submitted", VERSION,
                             demo_answers(s, "2020", dt.date(2020, 10, 5), True, rng))
                 for index, s in enumerate(shelters, start=1)]
    regions = sorted({s.region for s in shelters})
    forms = {iso: demo_regional_answers(iso, rng) for iso in regions[::2]}
    rules = load_rules(load_definition(VERSION))
    evaluation = evaluate_round(rules, [(str(r.response_id), r.region, r.answers) for r in responses], forms)
    by_id = {str(r.response_id): r for r in responses}
    findings = [FindingRow(by_id[rid].shelter_name, by_id[rid].region, f.code, f.severity, f.evidence)
                for rid, found in evaluation.shelters.items() for f in found]
    recommendations = [RecommendationRow(n.code, None, "issued", n.severity,
                                         tuple(by_id[s].shelter_name for s in n.shelters), n.regions, n.reasons, None)
                       for n in evaluation.national]
    for iso, items in evaluation.regions.items():
        recommendations += [RecommendationRow(r.code, iso, "issued", r.severity,
                                              tuple(by_id[s].shelter_name for s in r.shelters), (), r.reasons, None)
                            for r in items]
    for iso, codes in evaluation.no_data.items():
        recommendations += [RecommendationRow(code, iso, "no_data", None, (), (), (), None) for code in codes]
    shipped = build_overview(parse_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8")), None, ENTERED, MEASURED)
    return dataclasses.replace(_export(language, responses, findings, recommendations, forms), programme=shipped)


def long_programme() -> Overview:
    """Thirty indicators with long titles over 2016-2021 (the slide shows 2017-2020), large targets and figures."""
    indicators = "\n".join(
        f"      - code: i{n}\n        title: {{en: Indicator number {n} with a rather long title that takes some "
        f"room on the slide, uk: 'Показник номер {n} з досить довгою назвою, що займає місце на слайді'}}\n"
        f"        targets: {{2017: 1234567.891, 2018: {n}, 2019: 98765.4, 2020: {n * 1000}}}"
        for n in range(1, 31))
    figures = {("indicator", f"i{n}", year): entered("1234567.891") for n in range(1, 31) for year in (2017, 2020)}
    return build_overview(parse_programme(LONG_PROGRAMME % indicators), "UA-46", figures, {})


def stress_export(language: str) -> ExportData:
    """Four shelters with long names in each of the 27 regions, every shelter with a finding of every code, every
    recommendation issued in every region (R7 "no data" in a third of them), long reasons and follow-ups."""
    rng = random.Random(11)
    base = demo_shelters()
    responses, findings = [], []
    evidence = {"B4": "cspa", "D11": 60, "D12": "no", "C8b": ["no_places", "male", "child_under3", "foreigner"],
                "D14": "legal_stay_only", "J5": "unknown"}
    for region_index, iso in enumerate(REGIONS):
        for number in range(4):
            template = base[(region_index * 4 + number) % len(base)]
            name = f"{template.name} — відділення №{number + 1} (Центр соціально-психологічної допомоги)"
            shelter = dataclasses.replace(template, region=iso, name=name)
            shelter_id = len(responses) + 1
            responses.append(ResponseRow(shelter_id, shelter_id, name, iso, "submitted", VERSION,
                                         demo_answers(shelter, "2020", dt.date(2020, 10, 5), True, rng)))
            findings += [FindingRow(name, iso, code, "high" if number % 2 else "medium", evidence)
                         for code in CODES[:-1]]
    names = {}
    for r in responses:
        names.setdefault(r.region, []).append(r.shelter_name)
    reasons = ("No place for victims of trafficking in the region at all (the sum of C2 is 0)",
               "Half or more of the region's shelters are not linked to the national referral mechanism")
    recommendations = [RecommendationRow(code, None, "issued", "high", tuple(r.shelter_name for r in responses),
                                         REGIONS, reasons, "Partly implemented (the programme was not funded)")
                       for code in CODES[:3]]
    for index, iso in enumerate(REGIONS):
        for code in CODES[3:]:
            if code == "R7" and index % 3 == 0:
                recommendations.append(RecommendationRow(code, iso, "no_data", None, (), (), (), None))
                continue
            recommendations.append(RecommendationRow(code, iso, "issued", "high" if index % 2 else "medium",
                                                     tuple(names[iso]), (), reasons,
                                                     "Partly implemented (the programme was not funded)"))
    return dataclasses.replace(_export(language, responses, findings, recommendations, {}),
                               programme=long_programme())


def regional(data: ExportData, iso: str) -> ExportData:
    """The export of one region, as gather_export makes it: its shelters and figures, the national totals."""
    rows = []
    for row in data.recommendations:
        if row.region not in (None, iso):
            continue
        if row.region is None:
            names = {r.shelter_name for r in data.responses if r.region == iso}
            row = dataclasses.replace(row, shelters=tuple(s for s in row.shelters if s in names),
                                      regions=tuple(r for r in row.regions if r == iso))
        rows.append(row)
    return dataclasses.replace(
        data, region=iso, responses=tuple(r for r in data.responses if r.region == iso),
        findings=tuple(f for f in data.findings if f.region == iso), recommendations=tuple(rows),
        by_region={k: v for k, v in data.by_region.items() if k == iso},
        gaps={key: tuple(i for i in isos if i == iso) for key, isos in data.gaps.items()},
        regional_forms={k: v for k, v in data.regional_forms.items() if k == iso})


def _box(shape) -> tuple[int, int, int, int]:
    return shape.left, shape.top, shape.left + shape.width, shape.top + shape.height


def _has_text(shape) -> bool:
    return shape.has_table if getattr(shape, "has_table", False) else (
        shape.has_text_frame and bool(shape.text_frame.text.strip()))


def _paragraph_size(paragraph) -> float:
    sizes = [run.font.size.pt for run in paragraph.runs if run.font.size is not None]
    return max(sizes) if sizes else 18.0


def _needed(frame, width: int) -> int:
    """The height the deck's own measure gives a text box's text at `width` (inner margins included)."""
    inner = width - (frame.margin_left or 0) - (frame.margin_right or 0)
    return (frame.margin_top or 0) + (frame.margin_bottom or 0) + _text_height(frame, inner)


def _text_height(frame, inner: int) -> int:
    total = 0
    for paragraph in frame.paragraphs:
        size = _paragraph_size(paragraph)
        bold = any(run.font.bold for run in paragraph.runs)
        total += int(deck.wrapped_lines(paragraph.text, size, inner, bold) * size * deck.LINE * deck.PT)
        total += paragraph.space_after or 0
    return total


def geometry_problems(prs) -> list[str]:
    problems = []
    width, height = prs.slide_width, prs.slide_height
    for number, slide in enumerate(prs.slides, start=1):
        where = f"slide {number} ({slide.shapes.title.text if slide.shapes.title else ''})"
        titled = number > 1
        texts = []
        for shape in slide.shapes:
            left, top, right, bottom = _box(shape)
            if left < 0 or top < 0 or right > width or bottom > height:
                problems.append(f"{where}: {shape.name} outside the slide {_box(shape)}")
            footer = titled and top == deck.FOOTER_TOP
            if titled and not footer and bottom > deck.FOOTER_TOP:
                problems.append(f"{where}: {shape.name} reaches below the footer's top ({bottom} > {deck.FOOTER_TOP})")
            if _has_text(shape):
                texts.append(shape)
            if getattr(shape, "has_table", False) and shape.has_table:
                columns = [column.width for column in shape.table.columns]
                for row in shape.table.rows:
                    for cell, column_w in zip(row.cells, columns, strict=True):
                        need = _text_height(cell.text_frame, column_w - cell.margin_left - cell.margin_right)
                        need += cell.margin_top + cell.margin_bottom
                        if need > row.height:
                            problems.append(f"{where}: table row too low for {cell.text[:40]!r}")
            elif (shape.has_text_frame and shape.text_frame.text.strip() and shape != slide.shapes.title
                  and _needed(shape.text_frame, shape.width) > shape.height + Pt(1)):
                problems.append(f"{where}: text does not fit its box: {shape.text_frame.text[:50]!r}")
        if titled:
            title = slide.shapes.title
            size = _paragraph_size(title.text_frame.paragraphs[0])
            lines = deck.wrapped_lines(title.text_frame.text, size, title.width - 2 * deck.MARGIN, True)
            if lines != 1 or size < 16:
                problems.append(f"{where}: title on {lines} lines at {size} pt")
        for one, other in combinations(texts, 2):
            a, b = _box(one), _box(other)
            if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1]):
                problems.append(f"{where}: {one.name} {one.text_frame.text[:30] if one.has_text_frame else ''!r} "
                                f"overlaps {other.name}")
    return problems


def _open(data: ExportData):
    stream = io.BytesIO()
    deck.write_deck(data, stream)
    stream.seek(0)
    return Presentation(stream)


BUILDERS = {"demo": demo_export, "stress": stress_export}


@pytest.mark.parametrize("language", ["uk", "en"])
@pytest.mark.parametrize("dataset", ["demo", "stress"])
def test_every_shape_of_every_deck_fits(dataset, language):
    national = BUILDERS[dataset](language)
    problems = [f"national: {p}" for p in geometry_problems(_open(national))]
    for iso in REGIONS:
        problems += [f"{iso}: {p}" for p in geometry_problems(_open(regional(national, iso)))]
    assert not problems, "\n".join(problems[:40])


def test_a_long_table_continues_on_cont_slides_with_its_header():
    data = stress_export("en")
    prs = _open(data)
    titles = [slide.shapes.title.text for slide in prs.slides]
    r1 = [index for index, title in enumerate(titles) if title.startswith("Recommendation R1")]
    assert titles[r1[0] + 1] == f"{titles[r1[0]]} (cont.)"
    tables = [shape.table for index in (r1[0], r1[0] + 1) for shape in prs.slides[index].shapes if shape.has_table]
    assert all(table.cell(0, 0).text == "Region" for table in tables)
    regions = [table.cell(row, 0).text for table in tables for row in range(1, len(table.rows))]
    continued = [slide for slide in prs.slides if slide.shapes.title.text == f"{titles[r1[0]]} (cont.)"]
    regions += [shape.table.cell(row, 0).text for slide in continued[1:] for shape in slide.shapes if shape.has_table
                for row in range(1, len(shape.table.rows))]
    assert sorted(regions) == sorted(data.region_names.values())


def test_the_geometry_check_finds_an_overflow():
    prs = Presentation()
    prs.slide_width, prs.slide_height = deck.SLIDE_W, deck.SLIDE_H
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Title"
    box = slide.shapes.add_textbox(Inches(1), Inches(6.5), Inches(2), Inches(0.3))
    box.text_frame.text = "below the footer " * 10
    other = slide.shapes.add_textbox(Inches(1.5), Inches(6.6), Inches(2), Inches(0.3))
    other.text_frame.text = "overlapping"
    problems = "\n".join(geometry_problems(prs))
    assert "below the footer" in problems and "overlaps" in problems and "does not fit" in problems


def test_the_data_sets_hold_a_programme_slide_and_the_stress_one_its_continuation():
    stress = [slide.shapes.title.text for slide in _open(stress_export("en")).slides]
    assert "Programme: plan against actual (cont.)" in stress
    demo = [slide.shapes.title.text for slide in _open(demo_export("en")).slides]
    assert demo.count("Programme: plan against actual") == 1
