"""The round-table deck: a 16:9 PowerPoint file of a round's results, national or for one region.

Plain Python (python-pptx; no Flask, no database). `build_outline` turns an ExportData into what the deck says
(the PDF report renders the same outline), `write_deck` lays it out. Charts are native PowerPoint charts whose
data a presenter can edit; their categories are the region names and their values the Indicators values
(shares as 0..1 numbers formatted as percentages), so tests and people can read them back.

Fixed wording comes from `data.texts[key]`, else from TEXT_DEFAULTS (English). Every key starts with `deck_`
(the caller passes one dict of texts for all builders); the PDF report uses the same keys. After the prefix:

    subtitle                       line under the round name on the title slide
    period, scope, generated       labels on the title slide
    national_scope                 the scope of a national export ("Ukraine (national)")
    national                       the national figure's name next to a region's ("Ukraine")
    method_title                   title of the slide on how the monitoring was done
    shelters_by_type, regions_covered, methods    its three column headings
    key_figures_title, top_reasons, shelters_citing, no_refusals    the key-figures slide
    suspended_shelters             the COVID-19 suspensions card
    chart_by_region                title of a national chart slide; {indicator} is the indicator label
    chart_vs_national              title of the regional chart slide; {region} is the region name
    gaps_title, gap_none, gap_present, gap_absent    the access-gaps slide
    gap_men, gap_mothers_children, gap_under3, gap_fathers_children, gap_foreigners    the five gaps
    recommendations                heading of the recommendations part of the PDF report
    recommendation_title           title of a recommendation slide; {code} and {addressee}
    addressee_ministry, addressee_regional    who a recommendation is addressed to
    severity, severity_high, severity_medium  severity label and values
    reasons, previous_status, region, regions, regions_behind, shelters    labels on recommendation slides
    previous_short                 the previous round's follow-up as a table heading
    no_value                       shown for a figure nothing is known about
    no_data                        shown instead of a chart when no region has a counted response
    programme_title                title of the programme slide (plan against actual; only with data.programme)
    programme_row, programme_plan, programme_entered, programme_measured    its table headings
    programme_funding              its funding total row; {unit} is the funding unit
    programme_legend               its footnote on what plan, official (entered) and measured mean
    programme_measures             heads the footnote's list of the measures and their honest labels

Programme measures' labels and qualifiers come from `data.texts` too (exports.data.measure_wording).

Indicator labels come from `data.texts["indicator_<key>"]`, else from the INDICATORS spec in data.language.
"""
import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_TICK_MARK
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Inches, Pt

from shelter_monitor.dashboards.indicators import GAP_KEYS, INDICATORS, Indicators
from shelter_monitor.exports import N_
from shelter_monitor.exports.data import ExportData, RecommendationRow, measure_wording
from shelter_monitor.programmes.figures import format_amount, format_measured, format_share
from shelter_monitor.programmes.measures import Measure
from shelter_monitor.programmes.overview import Cell, Overview, Row
from shelter_monitor.questionnaire.model import localize

__all__ = ["CHART_INDICATORS", "FIGURE_KEYS", "TEXT_DEFAULTS", "build_outline", "write_deck"]

TEXT_DEFAULTS: dict[str, str] = {
    "deck_subtitle": N_("Monitoring of shelters for persons affected by human trafficking"),
    "deck_period": N_("Period"),
    "deck_scope": N_("Scope"),
    "deck_generated": N_("Generated"),
    "deck_national_scope": N_("Ukraine (national)"),
    "deck_national": N_("Ukraine"),
    "deck_method_title": N_("How the monitoring was done"),
    "deck_shelters_by_type": N_("Shelters monitored, by type of institution"),
    "deck_regions_covered": N_("Regions covered"),
    "deck_methods": N_("Data collection methods"),
    "deck_key_figures_title": N_("Key figures"),
    "deck_top_reasons": N_("Top reasons for refusal"),
    "deck_shelters_citing": N_("shelters citing it"),
    "deck_no_refusals": N_("No refusal reasons reported"),
    "deck_suspended_shelters": N_("Shelters that suspended admissions for COVID-19"),
    "deck_chart_by_region": N_("{indicator} by region"),
    "deck_chart_vs_national": N_("{region} compared with Ukraine"),
    "deck_gaps_title": N_("Access gaps: regions with no place for…"),
    "deck_gap_none": N_("No region"),
    "deck_gap_present": N_("No shelter in the region offers this"),
    "deck_gap_absent": N_("Offered, or not known"),
    "deck_gap_men": N_("Men"),
    "deck_gap_mothers_children": N_("Mothers with children"),
    "deck_gap_under3": N_("Children under 3"),
    "deck_gap_fathers_children": N_("Fathers with a child"),
    "deck_gap_foreigners": N_("Foreigners and stateless persons"),
    "deck_recommendations": N_("Recommendations"),
    "deck_recommendation_title": N_("Recommendation {code}: {addressee}"),
    "deck_addressee_ministry": N_("Ministry of Social Policy"),
    "deck_addressee_regional": N_("regional state administrations"),
    "deck_severity": N_("Severity"),
    "deck_severity_high": N_("High"),
    "deck_severity_medium": N_("Medium"),
    "deck_reasons": N_("Conditions found"),
    "deck_previous_status": N_("Follow-up in the previous round"),
    "deck_previous_short": N_("Previous round"),
    "deck_region": N_("Region"),
    "deck_regions": N_("Regions"),
    "deck_regions_behind": N_("Regions behind it"),
    "deck_shelters": N_("Shelters"),
    "deck_no_value": N_("–"),
    "deck_no_data": N_("No counted responses yet"),
    "deck_programme_title": N_("Programme: plan against actual"),
    "deck_programme_row": N_("Task and indicator"),
    "deck_programme_plan": N_("Plan"),
    "deck_programme_entered": N_("Official"),
    "deck_programme_measured": N_("Measured"),
    "deck_programme_funding": N_("Funding in total, {unit}"),
    "deck_programme_legend": N_("Plan: the programme's target. Official: the official figure entered on the "
                                "platform. Measured: counted by the platform from the monitoring. In brackets: the "
                                "share of the plan."),
    "deck_programme_measures": N_("Measured:"),
}

# The key figures, in the order shown, and the indicators charted by region.
FIGURE_KEYS = ("shelters", "places", "victim_places", "free_places", "occupancy", "refusal_rate",
               "suspended_shelters", "covid_suspension_days")
CHART_INDICATORS = ("occupancy", "free_places", "refusal_rate")
# The programme slide: at most this many years (those up to the round's year); "≥" before a measured value that
# is a lower bound of what the target counts, as on the programme page; a dot where the row has no measure.
PROGRAMME_YEARS = 4
NOT_MEASURED = "·"
_SPECS = {spec.key: spec for spec in INDICATORS}
_UK_ALPHABET = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ"
_UK_ORDER = {letter: 0x1000 + index for index, letter in enumerate(_UK_ALPHABET)}
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


# ------------------------------------------------------------------------------------------------------------
# Outline: what the deck (and the PDF report) says
# ------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str
    national: str | None  # the national figure beside a region's; None in a national export


@dataclass(frozen=True)
class Chart:
    key: str
    label: str                          # the indicator label
    title: str
    kind: str                           # "share" or "count"
    categories: tuple[str, ...]         # region names (and, in a regional export, the national name)
    values: tuple[float | int | None, ...]
    shown: tuple[str, ...]              # the values as text
    national: str                       # the national figure as text
    highlight: int | None               # index of the export's region in a regional chart


@dataclass(frozen=True)
class RegionEntry:
    name: str
    severity: str
    severity_key: str
    shelters: int
    previous_status: str | None


@dataclass(frozen=True)
class RecommendationItem:
    code: str
    title: str
    text: str
    severity: str | None               # label; None on a grouped slide (each region has its own)
    severity_key: str | None
    shelters: int                      # shelters with a finding of the code
    region_count: int | None           # regions behind it (None on a regional export's R slide)
    region_names: tuple[str, ...]      # the regions behind a national recommendation
    reasons: tuple[str, ...]           # region-level conditions that fired (grouped: "label (regions)")
    previous_status: str | None
    regions: tuple[RegionEntry, ...]   # a national export's regional recommendation: one row per region


@dataclass(frozen=True)
class ProgrammeValue:
    text: str                          # as the programme page writes it: "1 078 (87%)", "—"
    status: str                        # reached | partly | behind | none (overview.status); "" for the plan


@dataclass(frozen=True)
class ProgrammeLine:
    label: str                         # "8. Persons provided with assistance"
    cells: tuple[tuple[ProgrammeValue, ProgrammeValue, ProgrammeValue], ...]  # per year: plan, entered, measured
    funding: bool = False


@dataclass(frozen=True)
class ProgrammeTable:
    name: str                          # the programme's title (and the region of a regional view)
    years: tuple[int, ...]
    lines: tuple[ProgrammeLine, ...]   # indicators with a target or a measure, then the funding total
    measures: tuple[str, ...]          # "label — qualifier" of each measure in the table (its honest label)


@dataclass(frozen=True)
class Outline:
    language: str
    texts: Mapping[str, str]
    round_name: str
    period: str
    scope: str
    generated: str
    regional: bool
    region_name: str | None
    shelters_by_type: tuple[tuple[str, int], ...]
    regions_covered: tuple[str, ...]
    methods: tuple[tuple[str, int], ...]
    figures: tuple[Figure, ...]
    top_reasons: tuple[tuple[str, int], ...]
    charts: tuple[Chart, ...]
    gaps: tuple[tuple[str, tuple[str, ...]], ...]   # gap label -> region names without it
    gap_flags: tuple[tuple[str, bool], ...]           # regional export: gap label -> the region has the gap
    recommendations: tuple[RecommendationItem, ...]
    programme: ProgrammeTable | None = None

    def text(self, key: str) -> str:
        return self.texts[key]


def _resolve_texts(data: ExportData) -> dict[str, str]:
    texts = {**TEXT_DEFAULTS, **{k: v for k, v in data.texts.items() if v}}
    for spec in INDICATORS:
        texts.setdefault(f"indicator_{spec.key}", localize(spec.label, data.language))
    return texts


def _format_date(day: dt.date, language: str) -> str:
    if language == "en":
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    return day.strftime("%d.%m.%Y")


def _format_number(value: float | int | None, kind: str, language: str, missing: str) -> str:
    if value is None:
        return missing
    if kind == "share":
        return f"{round(value * 100)}%"
    if kind == "days":
        text = f"{value:.1f}"
        return text.replace(".", ",") if language != "en" else text
    text = f"{round(value):,}"
    return text.replace(",", "\u00a0") if language != "en" else text


def _choice_label(data: ExportData, version: str, code: str, value: str) -> str:
    definition = data.definitions.get(version)
    if definition is None or not definition.has_question(code):
        return value
    choice = definition.question(code).choice(value)
    return localize(choice.label, data.language) if choice else value


def _any_choice_label(data: ExportData, code: str, value: str) -> str:
    """A choice label from whichever definition knows the question (for figures that span versions)."""
    for version in data.definitions:
        label = _choice_label(data, version, code, value)
        if label != value:
            return label
    return value


def name_key(name: str) -> tuple[int, ...]:
    """Sort key for region names in Ukrainian alphabetical order (code points put Є, І, Ї before А)."""
    return tuple(_UK_ORDER.get(char, ord(char)) for char in name.upper())


def _counted(pairs: Counter) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(pairs.items(), key=lambda item: (-item[1], item[0])))


def _figure_value(indicators: Indicators | None, key: str, texts: Mapping[str, str], language: str) -> str:
    if indicators is None:
        return texts["deck_no_value"]
    if key == "suspended_shelters":
        return _format_number(indicators.suspended_shelters, "count", language, texts["deck_no_value"])
    spec = _SPECS[key]
    return _format_number(getattr(indicators, spec.attribute), spec.kind, language, texts["deck_no_value"])


def _figure_label(key: str, texts: Mapping[str, str]) -> str:
    return texts["deck_suspended_shelters"] if key == "suspended_shelters" else texts[f"indicator_{key}"]


def _charts(data: ExportData, texts: Mapping[str, str], scope_name: str) -> tuple[Chart, ...]:
    charts = []
    for key in CHART_INDICATORS:
        spec = _SPECS[key]
        kind = "share" if spec.kind == "share" else "count"
        national_value = getattr(data.national, spec.attribute)
        if data.region is None:
            rows = [(data.region_names.get(iso, iso), getattr(ind, spec.attribute))
                    for iso, ind in data.by_region.items()]
            # Alphabetical, so that every region finds itself (the bars show the ranking). A ranking order also
            # made LibreOffice drop every other region label of a 27-bar chart.
            rows.sort(key=lambda row: name_key(row[0]))
            highlight = None
            title = texts["deck_chart_by_region"].format(indicator=texts[f"indicator_{key}"])
        else:
            regional = data.by_region.get(data.region)
            rows = [(scope_name, getattr(regional, spec.attribute) if regional else None),
                    (texts["deck_national"], national_value)]
            highlight = 0
            title = texts["deck_chart_vs_national"].format(region=scope_name)
        charts.append(Chart(
            key=key, label=texts[f"indicator_{key}"], title=title, kind=kind,
            categories=tuple(name for name, _ in rows), values=tuple(value for _, value in rows),
            shown=tuple(_format_number(value, kind, data.language, texts["deck_no_value"]) for _, value in rows),
            national=_format_number(national_value, kind, data.language, texts["deck_no_value"]),
            highlight=highlight,
        ))
    return tuple(charts)


def _severity(texts: Mapping[str, str], severity: str | None) -> str:
    return texts.get(f"deck_severity_{severity}", severity or texts["deck_no_value"])


def _issued(data: ExportData) -> tuple[list[RecommendationRow], list[RecommendationRow]]:
    issued = [row for row in data.recommendations if row.status == "issued"]
    national = sorted((row for row in issued if row.region is None), key=lambda row: row.code)
    regional = [row for row in issued if row.region is not None
                and (data.region is None or row.region == data.region)]
    regional.sort(key=lambda row: (row.code, name_key(data.region_names.get(row.region, row.region))))
    return national, regional


def _recommendations(data: ExportData, texts: Mapping[str, str]) -> tuple[RecommendationItem, ...]:
    national, regional = _issued(data)
    names = data.region_names
    items = []
    title = texts["deck_recommendation_title"]
    for row in national:
        items.append(RecommendationItem(
            code=row.code, title=title.format(code=row.code, addressee=texts["deck_addressee_ministry"]),
            text=data.recommendation_texts.get(row.code, ""), severity=_severity(texts, row.severity),
            severity_key=row.severity, shelters=len(row.shelters), region_count=len(row.regions),
            region_names=tuple(sorted((names.get(iso, iso) for iso in row.regions), key=name_key)),
            reasons=row.reasons,
            previous_status=row.previous_status, regions=()))
    if data.region is not None:
        for row in regional:
            items.append(RecommendationItem(
                code=row.code, title=title.format(code=row.code, addressee=texts["deck_addressee_regional"]),
                text=data.recommendation_texts.get(row.code, ""), severity=_severity(texts, row.severity),
                severity_key=row.severity, shelters=len(row.shelters), region_count=None, region_names=(),
                reasons=row.reasons, previous_status=row.previous_status, regions=()))
        return tuple(items)
    by_code: dict[str, list[RecommendationRow]] = {}
    for row in regional:
        by_code.setdefault(row.code, []).append(row)
    rank = {"high": 0, "medium": 1}
    for code, rows in by_code.items():
        rows.sort(key=lambda row: (rank.get(row.severity, 2), name_key(names.get(row.region, row.region))))
        reasons = Counter(reason for row in rows for reason in row.reasons)
        items.append(RecommendationItem(
            code=code, title=title.format(code=code, addressee=texts["deck_addressee_regional"]),
            text=data.recommendation_texts.get(code, ""), severity=None, severity_key=None,
            shelters=sum(len(row.shelters) for row in rows), region_count=len(rows), region_names=(),
            reasons=tuple(f"{reason} ({count})" for reason, count in _counted(reasons)),
            previous_status=None,
            regions=tuple(RegionEntry(name=names.get(row.region, row.region),
                                      severity=_severity(texts, row.severity), severity_key=row.severity or "",
                                      shelters=len(row.shelters), previous_status=row.previous_status)
                          for row in rows)))
    return tuple(items)


def _programme_years(years: tuple[int, ...], round_year: int) -> tuple[int, ...]:
    """The years on the slide: all of them, or the last PROGRAMME_YEARS up to the round's year."""
    if len(years) <= PROGRAMME_YEARS:
        return years
    upto = [year for year in years if year <= round_year]
    return tuple(upto[-PROGRAMME_YEARS:]) if upto else years[:PROGRAMME_YEARS]


def _with_share(text: str, value: Decimal | None) -> str:
    return text if value is None else f"{text} ({format_share(value)})"


def _programme_cell(cell: Cell, measure: Measure | None, language: str) -> tuple[ProgrammeValue, ...]:
    plan = ProgrammeValue(format_amount(cell.target, language), "")
    entered_value = cell.entered.value if cell.entered else None
    entered = ProgrammeValue(_with_share(format_amount(entered_value, language), cell.entered_share),
                             cell.entered_status)
    if measure is None or cell.measured is None:
        return plan, entered, ProgrammeValue(NOT_MEASURED, "")
    text = format_measured(cell.measured.value, measure.lower_bound, language)
    return plan, entered, ProgrammeValue(_with_share(text, cell.measured_share), cell.measured_status)


def _programme_line(label: str, row: Row, years: tuple[int, ...], language: str, funding: bool) -> ProgrammeLine:
    return ProgrammeLine(label, tuple(_programme_cell(row.cell(year), row.measure, language) for year in years),
                         funding)


def _programme(data: ExportData, texts: Mapping[str, str]) -> ProgrammeTable | None:
    """The programme's indicators that have a target or a measure, and the funding total, year by year."""
    overview: Overview | None = data.programme
    if overview is None:
        return None
    language = data.language
    years = _programme_years(overview.years, data.period_end.year)
    lines: list[ProgrammeLine] = []
    measures: list[Measure] = []
    for task in overview.tasks:
        for row in task.rows:
            if row.measure is None and all(cell.target is None for cell in row.cells):
                continue
            label = f"{task.task.number}. {localize(row.title, language)}"
            lines.append(_programme_line(label, row, years, language, funding=False))
            if row.measure is not None and row.measure not in measures:
                measures.append(row.measure)
    total = overview.funding_total
    if total is not None and any(c.target is not None or c.entered is not None for c in total.cells):
        label = texts["deck_programme_funding"].format(unit=localize(overview.programme.funding_unit, language))
        lines.append(_programme_line(label, total, years, language, funding=True))
    if not lines:
        return None
    name = localize(overview.programme.title, language)
    if overview.region is not None:
        name = f"{name} · {data.region_names.get(overview.region, overview.region)}"
    notes = []
    for measure in measures:
        label, qualifier = measure_wording(texts, measure)
        notes.append(f"{label} — {qualifier}")
    return ProgrammeTable(name=name, years=years, lines=tuple(lines), measures=tuple(notes))


def build_outline(data: ExportData) -> Outline:
    """What the deck and the report say about a round, in the export's language: plain strings and numbers.

    A national export compares the regions; a regional one (data.region set) shows the region's figures with
    the national ones beside them. Only issued recommendations appear; in a national export the regional ones
    are grouped per code with one row per region."""
    texts = _resolve_texts(data)
    language = data.language
    regional = data.region is not None
    region_name = data.region_names.get(data.region, data.region) if regional else None
    scope_indicators = data.by_region.get(data.region) if regional else data.national

    types: dict[str, set[int]] = {}
    methods: Counter[str] = Counter()
    for response in data.responses:
        kind = response.answers.get("B4")
        if isinstance(kind, str):
            label = _choice_label(data, response.questionnaire_version, "B4", kind)
            types.setdefault(label, set()).add(response.shelter_id)
        method = response.answers.get("A3")
        if isinstance(method, str):
            methods[_choice_label(data, response.questionnaire_version, "A3", method)] += 1
    regions_covered = sorted({data.region_names.get(r.region, r.region) for r in data.responses}, key=name_key)

    figures = tuple(
        Figure(key=key, label=_figure_label(key, texts),
               value=_figure_value(scope_indicators, key, texts, language),
               national=_figure_value(data.national, key, texts, language) if regional else None)
        for key in FIGURE_KEYS)
    reasons = tuple((_any_choice_label(data, "C8b", reason), count)
                    for reason, count in (scope_indicators.top_refusal_reasons if scope_indicators else ()))

    gaps = tuple((texts[f"deck_gap_{key}"],
                  tuple(sorted((data.region_names.get(iso, iso) for iso in data.gaps.get(key, ())), key=name_key)))
                 for key in GAP_KEYS)
    gap_flags = tuple((texts[f"deck_gap_{key}"], data.region in data.gaps.get(key, ()))
                      for key in GAP_KEYS) if regional else ()

    return Outline(
        language=language, texts=texts, round_name=data.round_name,
        period=f"{_format_date(data.period_start, language)} – {_format_date(data.period_end, language)}",
        scope=region_name if regional else texts["deck_national_scope"],
        generated=_format_date(data.generated_at.date(), language),
        regional=regional, region_name=region_name,
        shelters_by_type=_counted(Counter({label: len(ids) for label, ids in types.items()})),
        regions_covered=tuple(regions_covered), methods=_counted(methods),
        figures=figures, top_reasons=reasons,
        charts=_charts(data, texts, region_name or ""),
        gaps=gaps, gap_flags=gap_flags,
        recommendations=_recommendations(data, texts),
        programme=_programme(data, texts),
    )


# ------------------------------------------------------------------------------------------------------------
# Layout
# ------------------------------------------------------------------------------------------------------------

FONT = "Arial"  # on every Office machine, has Cyrillic; LibreOffice substitutes the metric-equal Liberation Sans
NAVY = RGBColor(0x1F, 0x3A, 0x5F)
ACCENT = RGBColor(0x2A, 0x7F, 0x9E)
MUTED = RGBColor(0x9A, 0xA8, 0xB5)
INK = RGBColor(0x22, 0x2B, 0x33)
GREY = RGBColor(0x5A, 0x65, 0x70)
CARD = RGBColor(0xF1, 0xF4, 0xF7)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
SEVERITY_COLOURS = {"high": RGBColor(0xC0, 0x39, 0x2B), "medium": RGBColor(0xD9, 0x8C, 0x00)}
STATUS_COLOURS = {"reached": RGBColor(0x2E, 0x7D, 0x32), "partly": SEVERITY_COLOURS["medium"],
                  "behind": SEVERITY_COLOURS["high"]}

SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in, exactly 16:9
MARGIN = Inches(0.6)
BAR_H = Inches(1.05)
BODY_TOP = Inches(1.35)
BODY_W = SLIDE_W - 2 * MARGIN
LAYOUT_TITLE, LAYOUT_TITLE_ONLY = 0, 5
# The programme table: 10 pt; a row of one line is PROGRAMME_ROW_H high, one whose label wraps about
# PROGRAMME_WRAPPED rows; a slide holds PROGRAMME_ROWS rows below the two header rows (and above the footnote).
PROGRAMME_FONT = 10
CELL_MARGIN, NUMBER_MARGIN = Inches(0.06), Inches(0.04)
PROGRAMME_ROW_H = Inches(0.27)
PROGRAMME_ROWS = 15
PROGRAMME_WRAPPED = 1.4
PROGRAMME_CHAR_W = Inches(0.075)  # a 10 pt character, on average (Cyrillic is a little wider than Latin)
PROGRAMME_WEIGHTS = (0.72, 1.2, 1.08)  # plan, entered, measured: "2 391.103 (100%)" on one line


def _programme_widths(years: int) -> tuple[int, int]:
    """The label column's width and that of each year's three columns."""
    part_w = min(Inches(3.0), (BODY_W - Inches(3.1)) // years)
    return BODY_W - part_w * years, part_w


@dataclass(frozen=True)
class Run:
    text: str
    size: int = 14
    bold: bool = False
    colour: RGBColor = INK
    space_after: int = 4


def _style_run(run, size: int, bold: bool, colour: RGBColor) -> None:
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _fill_frame(frame, paragraphs: Sequence[Run], align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP) -> None:
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = anchor
    for index, part in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.space_after = Pt(part.space_after)
        run = paragraph.add_run()
        run.text = part.text
        _style_run(run, part.size, part.bold, part.colour)
        # an empty paragraph takes its height from here, else from the 18 pt default
        paragraph._p.get_or_add_endParaRPr().set("sz", str(part.size * 100))


def _textbox(slide, left, top, width, height, paragraphs: Sequence[Run], align=PP_ALIGN.LEFT,
             anchor=MSO_ANCHOR.TOP, columns: int = 1):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.margin_left = frame.margin_right = Inches(0.05)
    _fill_frame(frame, paragraphs, align, anchor)
    if columns > 1:
        frame._txBody.bodyPr.set("numCol", str(columns))
        frame._txBody.bodyPr.set("spcCol", str(Inches(0.3)))
    return box


def _rectangle(slide, left, top, width, height, colour: RGBColor, shape=MSO_SHAPE.RECTANGLE):
    rect = slide.shapes.add_shape(shape, left, top, width, height)
    rect.fill.solid()
    rect.fill.fore_color.rgb = colour
    rect.line.fill.background()
    style = rect._element.find(qn("p:style"))
    if style is not None:  # the theme's style adds a shadow some renderers draw despite an empty effect list
        rect._element.remove(style)
    return rect


def _send_to_back(slide, shape) -> None:
    tree = slide.shapes._spTree
    tree.remove(shape._element)
    tree.insert(2, shape._element)  # after the group's nvGrpSpPr and grpSpPr


class _Deck:
    def __init__(self, outline: Outline):
        self.outline = outline
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H

    # frame -----------------------------------------------------------------------------------------------
    def title_slide(self) -> None:
        o = self.outline
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE])
        slide.background.fill.solid()
        slide.background.fill.fore_color.rgb = NAVY
        _rectangle(slide, 0, Inches(5.2), SLIDE_W, Inches(0.08), ACCENT)
        title = slide.shapes.title
        title.left, title.top, title.width, title.height = MARGIN, Inches(1.5), BODY_W, Inches(2.2)
        _fill_frame(title.text_frame, [Run(o.round_name, 40, True, WHITE)], anchor=MSO_ANCHOR.BOTTOM)
        subtitle = slide.placeholders[1]
        subtitle.left, subtitle.top, subtitle.width, subtitle.height = MARGIN, Inches(3.8), BODY_W, Inches(1.2)
        _fill_frame(subtitle.text_frame, [Run(o.text("deck_subtitle"), 22, False, MUTED)])
        facts = [(o.text("deck_period"), o.period), (o.text("deck_scope"), o.scope),
                 (o.text("deck_generated"), o.generated)]
        widths = (Inches(5.4), Inches(4.2), BODY_W - Inches(9.6))
        left = MARGIN
        for (label, value), width in zip(facts, widths, strict=True):
            _textbox(slide, left, Inches(5.55), width, Inches(1.2),
                     [Run(label.upper(), 12, True, MUTED), Run(value, 20, False, WHITE)])
            left += width

    def slide(self, title: str):
        slide = self.prs.slides.add_slide(self.prs.slide_layouts[LAYOUT_TITLE_ONLY])
        bar = _rectangle(slide, 0, 0, SLIDE_W, BAR_H, NAVY)
        _send_to_back(slide, bar)
        _rectangle(slide, 0, BAR_H, SLIDE_W, Inches(0.05), ACCENT)
        shape = slide.shapes.title
        shape.left, shape.top, shape.width, shape.height = MARGIN, 0, BODY_W, BAR_H
        size = 28 if len(title) <= 60 else 24
        _fill_frame(shape.text_frame, [Run(title, size, True, WHITE)], anchor=MSO_ANCHOR.MIDDLE)
        footer = f"{self.outline.round_name} · {self.outline.scope}"
        _textbox(slide, MARGIN, SLIDE_H - Inches(0.45), BODY_W - Inches(1), Inches(0.35),
                 [Run(footer, 10, False, GREY)])
        _textbox(slide, SLIDE_W - MARGIN - Inches(1), SLIDE_H - Inches(0.45), Inches(1), Inches(0.35),
                 [Run(str(len(self.prs.slides)), 10, False, GREY)], align=PP_ALIGN.RIGHT)
        return slide

    # content ---------------------------------------------------------------------------------------------
    def method_slide(self) -> None:
        o = self.outline
        slide = self.slide(o.text("deck_method_title"))
        column = (BODY_W - Inches(0.8)) // 3
        top, height = BODY_TOP + Inches(0.1), Inches(5.4)
        types = [Run(o.text("deck_shelters_by_type"), 16, True, NAVY, 10)]
        types += [Run(f"{count}  {label}", 14 if len(o.shelters_by_type) <= 10 else 12, False, INK, 4)
                  for label, count in o.shelters_by_type]
        _textbox(slide, MARGIN, top, column + Inches(0.6), height, types)
        left = MARGIN + column + Inches(0.8)
        _textbox(slide, left, top, column, Inches(1.3),
                 [Run(o.text("deck_regions_covered"), 16, True, NAVY, 2),
                  Run(str(len(o.regions_covered)), 40, True, ACCENT, 0)])
        many = len(o.regions_covered) > 12
        _textbox(slide, left, top + Inches(1.35), column, height - Inches(1.35),
                 [Run(name, 11 if many else 14, False, INK, 2) for name in o.regions_covered],
                 columns=2 if many else 1)
        left += column + Inches(0.4)
        methods = [Run(o.text("deck_methods"), 16, True, NAVY, 10)]
        methods += [Run(f"{count}  {label}", 14, False, INK, 4) for label, count in o.methods]
        _textbox(slide, left, top, column, height, methods)

    def key_figures_slide(self) -> None:
        o = self.outline
        slide = self.slide(o.text("deck_key_figures_title"))
        grid_w = Inches(8.4)
        gap = Inches(0.18)
        card_w = (grid_w - 3 * gap) // 4
        card_h = Inches(2.55)
        for index, figure in enumerate(o.figures):
            left = MARGIN + (index % 4) * (card_w + gap)
            top = BODY_TOP + Inches(0.15) + (index // 4) * (card_h + gap)
            _rectangle(slide, left, top, card_w, card_h, CARD)
            _rectangle(slide, left, top, Inches(0.07), card_h, ACCENT)
            value_size = 40 if len(figure.value) <= 6 else 30
            parts = [Run(figure.value, value_size, True, NAVY, 4), Run(figure.label, 14, False, INK, 8)]
            if figure.national is not None:
                parts.append(Run(f"{o.text('deck_national')}: {figure.national}", 14, True, GREY, 0))
            _textbox(slide, left + Inches(0.2), top + Inches(0.15), card_w - Inches(0.3), card_h - Inches(0.25),
                     parts)
        left = MARGIN + grid_w + Inches(0.35)
        width = SLIDE_W - MARGIN - left
        top = BODY_TOP + Inches(0.15)
        _rectangle(slide, left, top, width, 2 * card_h + gap, CARD)
        parts = [Run(o.text("deck_top_reasons"), 16, True, NAVY, 2),
                 Run(f"({o.text('deck_shelters_citing')})", 11, False, GREY, 12)]
        if o.top_reasons:
            parts += [Run(f"{count}   {label}", 14, False, INK, 8) for label, count in o.top_reasons]
        else:
            parts.append(Run(o.text("deck_no_refusals"), 14, False, GREY))
        _textbox(slide, left + Inches(0.2), top + Inches(0.15), width - Inches(0.35), 2 * card_h, parts)

    def chart_slides(self) -> None:
        o = self.outline
        if o.regional:
            slide = self.slide(o.charts[0].title)
            width = (BODY_W - 2 * Inches(0.3)) // 3
            for index, chart in enumerate(o.charts):
                left = MARGIN + index * (width + Inches(0.3))
                _textbox(slide, left, BODY_TOP + Inches(0.1), width, Inches(0.5),
                         [Run(chart.label, 18, True, NAVY)])
                self.bar_chart(slide, chart, left, BODY_TOP + Inches(0.7), width, Inches(4.9), font=14)
            return
        for chart in o.charts:
            slide = self.slide(chart.title)
            _textbox(slide, MARGIN, BODY_TOP, BODY_W, Inches(0.4),
                     [Run(f"{o.text('deck_national')}: {chart.national}", 16, True, ACCENT)], align=PP_ALIGN.RIGHT)
            rows = len(chart.categories)
            font = 12 if rows <= 12 else 10 if rows <= 20 else 9
            self.bar_chart(slide, chart, MARGIN, BODY_TOP + Inches(0.3), BODY_W, SLIDE_H - BODY_TOP - Inches(0.85),
                           font=font)

    def bar_chart(self, slide, chart: Chart, left, top, width, height, font: int) -> None:
        if not chart.categories:  # no region has a response yet: nothing to chart
            _textbox(slide, left, top, width, Inches(1), [Run(self.outline.text("deck_no_data"), 18, False, GREY)])
            return
        number_format = "0%" if chart.kind == "share" else "#,##0"
        chart_data = CategoryChartData(number_format=number_format)
        chart_data.categories = chart.categories
        chart_data.add_series(chart.label, chart.values)
        frame = slide.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, chart_data)
        pptx_chart = frame.chart
        pptx_chart.has_legend = False
        pptx_chart.has_title = False
        pptx_chart.font.name = FONT
        pptx_chart.font.size = Pt(font)
        pptx_chart.font.color.rgb = INK
        plot = pptx_chart.plots[0]
        plot.gap_width = 45 if len(chart.categories) > 2 else 80
        plot.vary_by_categories = False
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = number_format
        labels.number_format_is_linked = False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(font)
        labels.font.bold = True
        series = plot.series[0]
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = ACCENT if chart.highlight is None else MUTED
        if chart.highlight is not None:
            point = series.points[chart.highlight]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = ACCENT
        categories = pptx_chart.category_axis
        categories.reverse_order = True  # the first category on top, as the outline lists them
        categories.has_major_gridlines = False
        categories.format.line.color.rgb = MUTED
        categories.tick_labels.font.size = Pt(font)
        categories.major_tick_mark = XL_TICK_MARK.NONE
        skip = OxmlElement("c:tickLblSkip")  # every region named: renderers otherwise drop labels when crowded
        skip.set("val", "1")
        categories._element.insert_element_before(skip, "c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")
        values = pptx_chart.value_axis
        values.minimum_scale = 0
        values.has_major_gridlines = False
        values.visible = False

    def gaps_slide(self) -> None:
        o = self.outline
        slide = self.slide(o.text("deck_gaps_title"))
        top = BODY_TOP + Inches(0.1)
        row_h = Inches(1.0)
        label_w = Inches(3.6)
        for index, (label, regions) in enumerate(o.gaps):
            y = top + index * (row_h + Inches(0.08))
            _rectangle(slide, MARGIN, y, BODY_W, row_h, CARD)
            if o.regional:
                flag = dict(o.gap_flags)[label]
                colour = SEVERITY_COLOURS["high"] if flag else GREY
                _rectangle(slide, MARGIN, y, Inches(0.07), row_h, colour)
                _textbox(slide, MARGIN + Inches(0.2), y, label_w, row_h, [Run(label, 18, True, NAVY)],
                         anchor=MSO_ANCHOR.MIDDLE)
                text = o.text("deck_gap_present") if flag else o.text("deck_gap_absent")
                _textbox(slide, MARGIN + label_w + Inches(0.3), y, BODY_W - label_w - Inches(0.5), row_h,
                         [Run(text, 16, flag, colour)], anchor=MSO_ANCHOR.MIDDLE)
                continue
            colour = SEVERITY_COLOURS["high"] if regions else ACCENT
            _rectangle(slide, MARGIN, y, Inches(0.07), row_h, colour)
            _textbox(slide, MARGIN + Inches(0.2), y, label_w, row_h,
                     [Run(label, 18, True, NAVY, 0), Run(f"{len(regions)} {o.text('deck_regions').lower()}", 13,
                                                         False, colour, 0)],
                     anchor=MSO_ANCHOR.MIDDLE)
            names = ", ".join(regions) if regions else o.text("deck_gap_none")
            size = 14 if len(names) <= 160 else 12 if len(names) <= 260 else 10
            _textbox(slide, MARGIN + label_w + Inches(0.3), y, BODY_W - label_w - Inches(0.5), row_h,
                     [Run(names, size, False, INK, 0)], anchor=MSO_ANCHOR.MIDDLE)

    def recommendation_slide(self, item: RecommendationItem) -> None:
        o = self.outline
        slide = self.slide(item.title)
        top = BODY_TOP + Inches(0.1)
        code_w = Inches(1.3)
        badge = _rectangle(slide, MARGIN, top, code_w, Inches(1.0), NAVY, MSO_SHAPE.ROUNDED_RECTANGLE)
        _fill_frame(badge.text_frame, [Run(item.code, 32, True, WHITE, 0)], align=PP_ALIGN.CENTER,
                    anchor=MSO_ANCHOR.MIDDLE)
        text_size = 24 if len(item.text) <= 150 else 20 if len(item.text) <= 260 else 16
        many = len(item.regions) > 9  # two tables of regions below: leave them the room
        if many:
            text_size = min(text_size, 20)
        _textbox(slide, MARGIN + code_w + Inches(0.3), top - Inches(0.05), BODY_W - code_w - Inches(0.3),
                 Inches(1.35 if many else 1.6), [Run(item.text, text_size, False, INK)])
        top += Inches(1.45 if many else 1.75)
        if item.regions:
            self.grouped_evidence(slide, item, top)
            return
        tiles = []
        if item.severity is not None:
            tiles.append((o.text("deck_severity"), item.severity,
                          SEVERITY_COLOURS.get(item.severity_key or "", GREY)))
        tiles.append((o.text("deck_shelters"), str(item.shelters), NAVY))
        if item.region_count is not None:
            tiles.append((o.text("deck_regions"), str(item.region_count), NAVY))
        if item.previous_status:
            tiles.append((o.text("deck_previous_status"), item.previous_status, NAVY))
        gap = Inches(0.2)
        tile_w = (BODY_W - 3 * gap) // 4
        for index, (label, value, colour) in enumerate(tiles):
            self.tile(slide, MARGIN + index * (tile_w + gap), top, tile_w, Inches(1.25), label, value, colour)
        top += Inches(1.45)
        height = SLIDE_H - Inches(0.55) - top
        columns = [(o.text("deck_regions_behind"), [", ".join(item.region_names)] if item.region_names else []),
                   (o.text("deck_reasons"), [f"• {reason}" for reason in item.reasons])]
        columns = [(label, lines) for label, lines in columns if lines]
        width = (BODY_W - gap) // 2
        for index, (label, lines) in enumerate(columns):
            size = 14 if sum(len(line) for line in lines) <= 300 else 11
            _textbox(slide, MARGIN + index * (width + gap), top, width, height,
                     [Run(label, 14, True, NAVY, 4)] + [Run(line, size, False, INK, 3) for line in lines])

    @staticmethod
    def tile(slide, left, top, width, height, label: str, value: str, colour: RGBColor) -> None:
        _rectangle(slide, left, top, width, height, CARD)
        _rectangle(slide, left, top, Inches(0.07), height, colour)
        size = 32 if len(value) <= 8 else 20 if len(value) <= 24 else 16
        _textbox(slide, left + Inches(0.2), top + Inches(0.1), width - Inches(0.3), height - Inches(0.15),
                 [Run(label, 12, True, GREY, 2), Run(value, size, True, colour, 0)])

    def grouped_evidence(self, slide, item: RecommendationItem, top) -> None:
        """A national export's regional recommendation: the counts and conditions on the left, the regions with
        their severity (and previous follow-up) in one or two side-by-side tables on the right."""
        o = self.outline
        side_w = Inches(2.6)
        tile_w = (side_w - Inches(0.2)) // 2
        self.tile(slide, MARGIN, top, tile_w, Inches(1.15), o.text("deck_regions"), str(item.region_count), NAVY)
        self.tile(slide, MARGIN + tile_w + Inches(0.2), top, tile_w, Inches(1.15), o.text("deck_shelters"),
                  str(item.shelters), NAVY)
        if item.reasons:
            _textbox(slide, MARGIN, top + Inches(1.3), side_w, SLIDE_H - Inches(0.55) - top - Inches(1.3),
                     [Run(o.text("deck_reasons"), 14, True, NAVY, 4)]
                     + [Run(f"• {reason}", 12, False, INK, 3) for reason in item.reasons])
        left = MARGIN + side_w + Inches(0.3)
        width = SLIDE_W - MARGIN - left
        rows = list(item.regions)
        per_table = 14  # two tables of 14 rows hold all 27 regions
        chunks = [rows[:per_table], rows[per_table:]] if len(rows) > 9 else [rows]
        chunks = [chunk for chunk in chunks if chunk]
        with_previous = any(entry.previous_status for entry in rows)
        header = [o.text("deck_region"), o.text("deck_severity"), o.text("deck_shelters")]
        if with_previous:
            header.append(o.text("deck_previous_short"))
        table_w = (width - Inches(0.2) * (len(chunks) - 1)) // len(chunks)
        size = 14 if len(chunks) == 1 else 9
        row_h = Inches(0.4) if len(chunks) == 1 else Inches(0.25)
        weights = [1.9, 0.75, 0.8] + ([1.3] if with_previous else [])
        for index, chunk in enumerate(chunks):
            x = left + index * (table_w + Inches(0.2))
            table = slide.shapes.add_table(len(chunk) + 1, len(header), x, top, table_w,
                                           Emu(row_h * (len(chunk) + 1))).table
            for col, weight in enumerate(weights):
                table.columns[col].width = int(table_w * weight / sum(weights))
            for row in table.rows:
                row.height = row_h
            for col, label in enumerate(header):
                self.cell(table.cell(0, col), label, size, True, WHITE, NAVY)
            for row, entry in enumerate(chunk, start=1):
                values = [entry.name, entry.severity, str(entry.shelters)]
                if with_previous:
                    # a dash, not an empty cell: LibreOffice sizes an empty cell at 18 pt whatever the run says
                    values.append(entry.previous_status or o.text("deck_no_value"))
                fill = CARD if row % 2 else WHITE
                for col, value in enumerate(values):
                    colour = SEVERITY_COLOURS.get(entry.severity_key, INK) if col == 1 else INK
                    self.cell(table.cell(row, col), value, size, col == 1, colour, fill)

    def programme_slides(self, table: ProgrammeTable) -> None:
        """Plan against actual: a native table, a row per indicator (and the funding total), per year the plan, the
        entered official figure and the platform's measured value with their % of the plan. Rows that do not fit
        one slide go on as many slides as needed, evenly."""
        o = self.outline
        label_w, part_w = _programme_widths(len(table.years))
        per_line = int(label_w / PROGRAMME_CHAR_W)
        heights = [1 if len(line.label) <= per_line else PROGRAMME_WRAPPED for line in table.lines]
        count = math.ceil(sum(heights) / PROGRAMME_ROWS)
        share = sum(heights) / count
        pages: list[list[ProgrammeLine]] = [[]]
        used = 0.0
        for line, height in zip(table.lines, heights, strict=True):
            if pages[-1] and (used + height > PROGRAMME_ROWS or (len(pages) < count and used + height / 2 > share)):
                pages.append([])
                used = 0.0
            pages[-1].append(line)
            used += height
        for index, lines in enumerate(pages):
            title = o.text("deck_programme_title") + (f" ({index + 1}/{len(pages)})" if len(pages) > 1 else "")
            self.programme_slide(self.slide(title), table, lines, label_w, part_w)

    def programme_slide(self, slide, table: ProgrammeTable, lines: Sequence[ProgrammeLine], label_w, part_w) -> None:
        o = self.outline
        size = PROGRAMME_FONT
        _textbox(slide, MARGIN, BODY_TOP, BODY_W, Inches(0.35), [Run(table.name, 12, True, NAVY, 0)])
        years = len(table.years)
        shape = slide.shapes.add_table(len(lines) + 2, 1 + 3 * years, MARGIN, BODY_TOP + Inches(0.38),
                                       label_w + part_w * years, Emu(PROGRAMME_ROW_H * (len(lines) + 2)))
        grid = shape.table
        grid.first_row = False
        grid.horz_banding = False
        grid.columns[0].width = label_w
        weights = PROGRAMME_WEIGHTS
        for year in range(years):
            for part, weight in enumerate(weights):
                grid.columns[1 + 3 * year + part].width = int(part_w * weight / sum(weights))
        for row in grid.rows:
            row.height = PROGRAMME_ROW_H
        heading = grid.cell(0, 0)
        heading.merge(grid.cell(1, 0))
        self.cell(heading, o.text("deck_programme_row"), size, True, WHITE, NAVY)
        parts = [o.text(key) for key in ("deck_programme_plan", "deck_programme_entered", "deck_programme_measured")]
        for year_index, year in enumerate(table.years):
            first = 1 + 3 * year_index
            group = grid.cell(0, first)
            group.merge(grid.cell(0, first + 2))
            self.cell(group, str(year), size, True, WHITE, NAVY, align=PP_ALIGN.CENTER)
            for part, label in enumerate(parts):
                self.cell(grid.cell(1, first + part), label, size, True, WHITE, ACCENT, align=PP_ALIGN.CENTER)
        for row_index, line in enumerate(lines, start=2):
            fill = CARD if row_index % 2 else WHITE
            self.cell(grid.cell(row_index, 0), line.label, size, line.funding, NAVY if line.funding else INK, fill)
            for year_index, values in enumerate(line.cells):
                for part, value in enumerate(values):
                    colour = STATUS_COLOURS.get(value.status, MUTED if value.text == NOT_MEASURED else INK)
                    self.cell(grid.cell(row_index, 1 + 3 * year_index + part), value.text, size,
                              value.status in STATUS_COLOURS, colour, fill, align=PP_ALIGN.RIGHT,
                              margin=NUMBER_MARGIN)
        notes = [Run(o.text("deck_programme_legend"), 9, False, GREY, 2)]
        if table.measures:
            notes.append(Run(f"{o.text('deck_programme_measures')} " + "; ".join(table.measures) + ".", 9, False,
                             GREY, 0))
        _textbox(slide, MARGIN, SLIDE_H - Inches(1.05), BODY_W, Inches(0.6), notes, anchor=MSO_ANCHOR.BOTTOM)

    @staticmethod
    def cell(cell, text: str, size: int, bold: bool, colour: RGBColor, fill: RGBColor,
             align=PP_ALIGN.LEFT, margin=CELL_MARGIN) -> None:
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        cell.margin_left = cell.margin_right = margin
        cell.margin_top = cell.margin_bottom = Inches(0.02)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
        _fill_frame(cell.text_frame, [Run(text, size, bold, colour, 0)], align=align)

    def build(self) -> Presentation:
        self.title_slide()
        self.method_slide()
        self.key_figures_slide()
        self.chart_slides()
        self.gaps_slide()
        if self.outline.programme is not None:
            self.programme_slides(self.outline.programme)
        for item in self.outline.recommendations:
            self.recommendation_slide(item)
        return self.prs


def write_deck(data: ExportData, stream: BinaryIO | Any) -> None:
    """Write the round-table deck of `data` (PPTX, 16:9) to `stream` (a binary file object or a path).

    Slides: title; how the monitoring was done; key figures; the charted indicators by region (one slide
    each; a regional export has one slide comparing the region with Ukraine); access gaps; the programme's plan
    against actual (when data.programme is set; split over slides when it has many rows); one slide per
    issued recommendation (national export: regional recommendations grouped per code)."""
    _Deck(build_outline(data)).build().save(stream)
