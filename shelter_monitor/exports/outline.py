"""What the round-table deck and the PDF report say: an outline of slides built from an ExportData.

Plain Python (no Flask, no python-pptx, no database). `build_outline` turns an ExportData into an Outline: the
structured facts (figures, charts, recommendations...) and `slides`, a sequence of Slide objects made of plain
blocks (Tiles, Text, Table, ChartBlock) in columns. The deck (deck.py) lays the slides out with python-pptx,
measuring every block and continuing it on a "(cont.)" slide when it does not fit; the PDF report (report.py)
renders the same slides as HTML sections. Neither decides what is said.

Fixed wording: MESSAGES maps each key (all start with `deck_`) to its English message id, translated through
`data.translations` (the catalog of the export's language, shelter_monitor.i18n); indicator labels are the
INDICATORS spec's message ids, translated the same way. Counted nouns ("3 regions", "1 shelter") go through the
catalog's ngettext, so Ukrainian gets its three forms. Question and choice labels come from the questionnaire
definition. Names (regions, shelters) are sorted by the Unicode Collation Algorithm (shelter_monitor.collation).
"""
import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from shelter_monitor.collation import sort_key
from shelter_monitor.dashboards.indicators import (
    GAP_KEYS,
    INDICATORS,
    Indicators,
    ShelterSnapshot,
    indicator_totals,
)
from shelter_monitor.exports.data import ExportData, FindingRow, RecommendationRow, measure_wording
from shelter_monitor.formatting import format_date, format_figure
from shelter_monitor.i18n import ENGLISH, N_, NullTranslations, ngettext
from shelter_monitor.programmes.figures import format_amount, format_measured, format_share
from shelter_monitor.programmes.measures import Measure
from shelter_monitor.programmes.overview import Cell, Overview, Row
from shelter_monitor.questionnaire.model import Question, localize

__all__ = ["CHART_INDICATORS", "FIGURE_KEYS", "MESSAGES", "Block", "ChartBlock", "Outline", "Slide", "Table",
           "Text", "Tile", "Tiles", "build_outline"]

MESSAGES: dict[str, str] = {
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
    # the indicator is a mean over the shelters that suspended (dashboards.indicators): the tile says so
    "deck_suspension_days": N_("Days admissions stayed suspended for COVID-19, on average"),
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
    "deck_cont": N_("{title} (cont.)"),
    "deck_n_shelters": N_("n = the shelters behind each bar"),
    "deck_category_n": N_("{name} (n = {n})"),
    "deck_covid_title": N_("COVID-19 impact"),
    "deck_question": N_("Question"),
    "deck_answer": N_("Answer"),
    "deck_share": N_("Share"),
    "deck_of_answered": N_("{count} of {answered}"),
    "deck_services_title": N_("Services offered"),
    "deck_service": N_("Service"),
    "deck_inhouse": N_("In-house"),
    "deck_referral": N_("Through partners"),
    "deck_not_offered": N_("Not offered"),
    "deck_unknown": N_("Not known"),
    "deck_staff_title": N_("Staff and training"),
    "deck_staff_total": N_("Staff (full-time equivalents)"),
    "deck_staff_trained": N_("Staff trained on trafficking in the last 24 months"),
    "deck_training_needed": N_("Shelters that need training on trafficking"),
    "deck_vacancies": N_("Vacancies on the visit date"),
    "deck_funding_title": N_("Funding sources"),
    "deck_source": N_("Source"),
    "deck_mean_share": N_("Average share of funding"),
    "deck_shelters_with_source": N_("Shelters funded from it"),
    "deck_yes": N_("Yes"),
    "deck_no": N_("No"),
    "deck_dont_know": N_("Don't know"),
    "deck_status_no_data": N_("No data"),
    "deck_no_data_regions": N_("No data (no regional form)"),
    "deck_region_among": N_("{region} is among the regions behind it."),
    "deck_region_not_among": N_("{region} is not among the regions behind it."),
    "deck_region_no_form": N_("{region} has not filled in the regional form: whether it applies is not known."),
    "deck_shelter": N_("Shelter"),
    "deck_evidence": N_("Answers that triggered it"),
    "deck_gap_status": N_("In the region"),
    "deck_gap_offering": N_("Shelters offering it"),
    "deck_gap_offered": N_("Offered"),
    "deck_gap_not_offered": N_("Not offered by any shelter that answered"),
    "deck_gap_unknown": N_("Not known: no shelter answered"),
    "deck_gaps_title_regional": N_("Access in {region}: a place for…"),
}

# The key figures, in the order shown, and the indicators charted by region.
FIGURE_KEYS = ("shelters", "places", "victim_places", "free_places", "occupancy", "victim_share", "male_share",
               "refusal_rate", "donor_dependence", "training_coverage", "suspended_shelters",
               "covid_suspension_days")
COVID_FIGURE_KEYS = ("suspended_shelters", "covid_suspension_days")  # only for a round that asked section K
CHART_INDICATORS = ("occupancy", "free_places", "refusal_rate", "male_share", "training_coverage")
COVID_CODES = ("K1", "K2", "K3", "K4", "K5", "K6", "K7", "K8", "K9", "K10")
FUNDING_CODES = ("I2", "I3")
# The programme slide: at most this many years (those up to the round's year); "≥" before a measured value that
# is a lower bound of what the target counts, as on the programme page; a dot where the row has no measure.
PROGRAMME_YEARS = 4
NOT_MEASURED = "·"
PROGRAMME_PARTS = (0.84, 1.15, 1.01)  # relative widths of a year's plan, official and measured columns
PROGRAMME_TONES = ("reached", "partly", "behind")  # overview statuses shown in colour
_SPECS = {spec.key: spec for spec in INDICATORS}


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
    counts: tuple[int, ...] = ()        # shelters with a counted response behind each category ("n =")


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
    status: str = "issued"             # issued | no_data (R7 in a region without the regional form)
    membership: str | None = None      # a regional export's national recommendation: is the region behind it
    findings: tuple["FindingLine", ...] = ()  # a regional export: the region's shelters behind it


@dataclass(frozen=True)
class FindingLine:
    shelter: str
    severity: str
    severity_key: str
    evidence: str                      # "Type of institution: CSPA; Maximum stay (days): 60"


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
class Tile:
    """A card: a figure and what it is (and, in a regional export, the national figure beside it)."""

    label: str
    value: str
    note: str | None = None
    tone: str = "accent"               # accent | navy | high | medium | no_data | grey


@dataclass(frozen=True)
class Tiles:
    tiles: tuple[Tile, ...]
    per_row: int = 4


@dataclass(frozen=True)
class Text:
    """A heading and lines (one paragraph each); `columns` sets the lines side by side (a list of regions)."""

    lines: tuple[str, ...]
    heading: str | None = None
    size: int = 14
    columns: int = 1
    tone: str = "ink"                  # ink | grey | accent | high
    big: str | None = None             # a large figure under the heading


@dataclass(frozen=True)
class Table:
    """A table: the header (and the group row above it) is repeated when its rows continue on the next slide or
    page. A toned cell is set in bold in its tone's colour."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    weights: tuple[float, ...]         # relative column widths
    numeric: tuple[int, ...] = ()      # right-aligned columns
    tones: tuple[str, ...] = ()        # per row, the tone of the `tone_column` cell ("" for plain)
    tone_column: int | None = None
    size: int = 12
    groups: tuple[tuple[str, int], ...] = ()  # a header row above the header: (label, columns it spans)
    cell_tones: tuple[tuple[str, ...], ...] = ()  # per row, a tone per cell (instead of `tones`)
    # a blank cell of this column belongs to the group named above it (a question over its answers): a row that
    # continues a group on a new slide or page repeats the group's name
    group_column: int | None = None

    def tone(self, row: int, column: int) -> str:
        """The tone of a body cell ("" when plain)."""
        if self.cell_tones:
            return self.cell_tones[row][column] if row < len(self.cell_tones) else ""
        if column == self.tone_column and row < len(self.tones):
            return self.tones[row]
        return ""

    def group_of(self, row: int) -> str:
        """The name of the group row `row` belongs to ("" without a group column)."""
        if self.group_column is None:
            return ""
        for index in range(row, -1, -1):
            if self.rows[index][self.group_column]:
                return self.rows[index][self.group_column]
        return ""


@dataclass(frozen=True)
class ChartBlock:
    """A bar chart; it takes the height left in its column."""

    chart: Chart
    note: str | None = None


Block = Tiles | Text | Table | ChartBlock


@dataclass(frozen=True)
class Slide:
    """A slide (a section of the report): a title and columns of blocks, side by side, each flowing down."""

    key: str
    title: str
    columns: tuple[tuple[Block, ...], ...]
    weights: tuple[float, ...] = (1.0,)


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
    slides: tuple["Slide", ...] = ()   # what the deck shows, slide by slide, and the report section by section
    translations: NullTranslations = field(default=ENGLISH, compare=False, repr=False)  # data.translations

    def text(self, key: str) -> str:
        return self.texts[key]


def _resolve_texts(translations: NullTranslations) -> dict[str, str]:
    texts = {key: translations.gettext(msgid) for key, msgid in MESSAGES.items()}
    for spec in INDICATORS:
        texts[f"indicator_{spec.key}"] = translations.gettext(spec.label)
    return texts


def _format_date(day: dt.date, language: str) -> str:
    return format_date(day, language, "d MMMM y")  # "1 October 2020", "1 жовтня 2020"


def _format_number(value: float | int | None, kind: str, language: str, missing: str) -> str:
    """A figure in the locale's writing (shelter_monitor.formatting, the one helper of pages, deck, PDF, XLSX)."""
    return format_figure(value, kind, language, missing)


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


def _counted(pairs: Counter) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(pairs.items(), key=lambda item: (-item[1], sort_key(item[0]))))


def _figure_value(indicators: Indicators | None, key: str, texts: Mapping[str, str], language: str) -> str:
    if indicators is None:
        return texts["deck_no_value"]
    if key == "suspended_shelters":
        return _format_number(indicators.suspended_shelters, "count", language, texts["deck_no_value"])
    spec = _SPECS[key]
    return _format_number(getattr(indicators, spec.attribute), spec.kind, language, texts["deck_no_value"])


def _figure_keys(data: ExportData) -> tuple[str, ...]:
    """The key figures of the export: without the COVID-19 ones when no shelter answered section K (a round
    before 2020, or one that did not ask it), where "0 shelters suspended admissions" would read as a finding."""
    if any(response.answers.get("K1") is not None for response in data.responses):
        return FIGURE_KEYS
    return tuple(key for key in FIGURE_KEYS if key not in COVID_FIGURE_KEYS)


def _figure_label(key: str, texts: Mapping[str, str]) -> str:
    if key == "suspended_shelters":
        return texts["deck_suspended_shelters"]
    if key == "covid_suspension_days":
        return texts["deck_suspension_days"]
    return texts[f"indicator_{key}"]


def _charts(data: ExportData, texts: Mapping[str, str], scope_name: str) -> tuple[Chart, ...]:
    charts = []
    for key in CHART_INDICATORS:
        spec = _SPECS[key]
        kind = "share" if spec.kind == "share" else "count"
        national_value = getattr(data.national, spec.attribute)
        if data.region is None:
            rows = [(data.region_names.get(iso, iso), getattr(ind, spec.attribute), ind.shelters)
                    for iso, ind in data.by_region.items()]
            # Alphabetical, so that every region finds itself (the bars show the ranking). A ranking order also
            # made LibreOffice drop every other region label of a 27-bar chart.
            rows.sort(key=lambda row: sort_key(row[0]))
            highlight = None
            title = texts["deck_chart_by_region"].format(indicator=texts[f"indicator_{key}"])
        else:
            regional = data.by_region.get(data.region)
            rows = [(scope_name, getattr(regional, spec.attribute) if regional else None,
                     regional.shelters if regional else 0),
                    (texts["deck_national"], national_value, data.national.shelters)]
            highlight = 0
            title = texts["deck_chart_vs_national"].format(region=scope_name)
        charts.append(Chart(
            key=key, label=texts[f"indicator_{key}"], title=title, kind=kind,
            categories=tuple(row[0] for row in rows), values=tuple(row[1] for row in rows),
            shown=tuple(_format_number(row[1], kind, data.language, texts["deck_no_value"]) for row in rows),
            counts=tuple(row[2] for row in rows),
            national=_format_number(national_value, kind, data.language, texts["deck_no_value"]),
            highlight=highlight,
        ))
    return tuple(charts)


def _severity(texts: Mapping[str, str], severity: str | None) -> str:
    return texts.get(f"deck_severity_{severity}", severity or texts["deck_no_value"])


def _issued(data: ExportData) -> tuple[list[RecommendationRow], list[RecommendationRow]]:
    """The national recommendations issued, and the regional ones issued or without data (R7 where the region
    has no regional form: shown as "no data", never left out)."""
    national = sorted((row for row in data.recommendations if row.region is None and row.status == "issued"),
                      key=lambda row: row.code)
    regional = [row for row in data.recommendations if row.region is not None
                and row.status in ("issued", "no_data") and (data.region is None or row.region == data.region)]
    regional.sort(key=lambda row: (row.code, sort_key(data.region_names.get(row.region, row.region))))
    return national, regional


def _status_severity(texts: Mapping[str, str], row: RecommendationRow) -> tuple[str, str]:
    if row.status == "no_data":
        return texts["deck_no_data_regions"], "no_data"
    return _severity(texts, row.severity), row.severity or ""


def _question(data: ExportData, code: str) -> Question | None:
    for definition in data.definitions.values():
        if definition.has_question(code):
            return definition.question(code)
    return None


def _answer_label(data: ExportData, code: str, value: Any, texts: Mapping[str, str]) -> str:
    """An answer as a reader reads it: choice labels in the export's language, never codes."""
    question = _question(data, code)
    language = data.language
    if question is None:
        return ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    kind = question.type

    def choice(item: Any) -> str:
        if kind == "tri" or (isinstance(item, str) and item in ("yes", "no", "unknown") and not question.choices):
            return {"yes": texts["deck_yes"], "no": texts["deck_no"], "unknown": texts["deck_dont_know"]}.get(
                item, str(item))
        found = question.choice(item) if isinstance(item, str) else None
        return localize(found.label, language) if found else str(item)

    if kind == "bool" or isinstance(value, bool):
        return texts["deck_yes"] if value else texts["deck_no"]
    if isinstance(value, list | tuple):
        return ", ".join(choice(item) for item in value)
    if isinstance(value, Mapping):
        if kind == "grid":
            rows = {row.value: localize(row.label, language) for row in question.rows}
            return "; ".join(f"{rows.get(key, key)}: {choice(item)}" for key, item in value.items())
        return "; ".join(f"{choice(key)} {item}%" for key, item in value.items())
    if isinstance(value, int | float):
        return _format_number(value, "count", language, texts["deck_no_value"])
    return choice(value)


def _evidence(data: ExportData, evidence: Mapping[str, Any], texts: Mapping[str, str]) -> str:
    parts = []
    for code, value in evidence.items():
        question = _question(data, code)
        label = localize(question.label, data.language) if question else code
        separator = " " if label.endswith("?") else ": "  # "Can a father stay with his child? No"
        parts.append(f"{label}{separator}{_answer_label(data, code, value, texts)}")
    return "; ".join(parts)


def _finding_lines(data: ExportData, code: str, texts: Mapping[str, str]) -> tuple[FindingLine, ...]:
    """The export region's shelters with a finding of `code`, highest severity first, with their answers."""
    rank = {"high": 0, "medium": 1}
    rows: list[FindingRow] = sorted((f for f in data.findings if f.code == code and f.region == data.region),
                                    key=lambda f: (rank.get(f.severity, 2), sort_key(f.shelter_name)))
    return tuple(FindingLine(f.shelter_name, _severity(texts, f.severity), f.severity,
                             _evidence(data, f.evidence, texts)) for f in rows)


def _recommendations(data: ExportData, texts: Mapping[str, str]) -> tuple[RecommendationItem, ...]:
    national, regional = _issued(data)
    names = data.region_names
    items = []
    title = texts["deck_recommendation_title"]
    region_name = names.get(data.region, data.region) if data.region else None
    for row in national:
        membership = None
        if data.region is not None:
            among = data.region in row.regions
            membership = texts["deck_region_among" if among else "deck_region_not_among"].format(region=region_name)
            if among and row.shelters:
                membership += " " + ngettext("%(num)d shelter of the region is behind it.",
                                             "%(num)d shelters of the region are behind it.", len(row.shelters),
                                             data.translations)
        items.append(RecommendationItem(
            code=row.code, title=title.format(code=row.code, addressee=texts["deck_addressee_ministry"]),
            text=data.recommendation_texts.get(row.code, ""), severity=_severity(texts, row.severity),
            severity_key=row.severity, shelters=len(row.shelters), region_count=len(row.regions),
            region_names=tuple(sorted((names.get(iso, iso) for iso in row.regions), key=sort_key)),
            reasons=row.reasons, previous_status=row.previous_status, regions=(), membership=membership,
            findings=_finding_lines(data, row.code, texts) if data.region else ()))
    if data.region is not None:
        for row in regional:
            severity, key = _status_severity(texts, row)
            items.append(RecommendationItem(
                code=row.code, title=title.format(code=row.code, addressee=texts["deck_addressee_regional"]),
                text=data.recommendation_texts.get(row.code, ""), severity=severity, severity_key=key,
                shelters=len(row.shelters), region_count=None, region_names=(),
                reasons=row.reasons, previous_status=row.previous_status, regions=(), status=row.status,
                membership=texts["deck_region_no_form"].format(region=region_name) if row.status == "no_data"
                else None,
                findings=_finding_lines(data, row.code, texts)))
        return tuple(items)
    by_code: dict[str, list[RecommendationRow]] = {}
    for row in regional:
        by_code.setdefault(row.code, []).append(row)
    rank = {"high": 0, "medium": 1}
    for code, rows in by_code.items():
        rows.sort(key=lambda row: (rank.get(row.severity, 2) if row.status == "issued" else 3,
                                   sort_key(names.get(row.region, row.region))))
        issued = [row for row in rows if row.status == "issued"]
        reasons = Counter(reason for row in issued for reason in row.reasons)
        entries = []
        for row in rows:
            severity, key = _status_severity(texts, row)
            entries.append(RegionEntry(name=names.get(row.region, row.region), severity=severity, severity_key=key,
                                       shelters=len(row.shelters), previous_status=row.previous_status))
        items.append(RecommendationItem(
            code=code, title=title.format(code=code, addressee=texts["deck_addressee_regional"]),
            text=data.recommendation_texts.get(code, ""), severity=None, severity_key=None,
            shelters=sum(len(row.shelters) for row in issued), region_count=len(issued), region_names=(),
            reasons=tuple(f"{reason} — {_regions_count(count, data.translations)}"
                          for reason, count in _counted(reasons)),
            previous_status=None, regions=tuple(entries), status="issued" if issued else "no_data"))
    return tuple(items)


def _programme_years(years: tuple[int, ...], round_year: int) -> tuple[int, ...]:
    """The years on the slide: all of them, or the last PROGRAMME_YEARS up to the round's year."""
    if len(years) <= PROGRAMME_YEARS:
        return years
    upto = [year for year in years if year <= round_year]
    return tuple(upto[-PROGRAMME_YEARS:]) if upto else years[:PROGRAMME_YEARS]


def _with_share(text: str, value: Decimal | None, language: str) -> str:
    return text if value is None else f"{text} ({format_share(value, language)})"


def _programme_cell(cell: Cell, measure: Measure | None, language: str) -> tuple[ProgrammeValue, ...]:
    plan = ProgrammeValue(format_amount(cell.target, language), "")
    entered_value = cell.entered.value if cell.entered else None
    entered = ProgrammeValue(_with_share(format_amount(entered_value, language), cell.entered_share, language),
                             cell.entered_status)
    if measure is None or cell.measured is None:
        return plan, entered, ProgrammeValue(NOT_MEASURED, "")
    text = format_measured(cell.measured.value, measure.lower_bound, language)
    return plan, entered, ProgrammeValue(_with_share(text, cell.measured_share, language), cell.measured_status)


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
        label, qualifier = measure_wording(data.translations, measure)
        notes.append(f"{label} — {qualifier}")
    return ProgrammeTable(name=name, years=years, lines=tuple(lines), measures=tuple(notes))


def _regions_count(num: int, translations: NullTranslations) -> str:
    return ngettext("%(num)d region", "%(num)d regions", num, translations)


def _shelters_count(num: int, translations: NullTranslations) -> str:
    return ngettext("%(num)d shelter", "%(num)d shelters", num, translations)


def _percent(count: int, total: int, language: str, missing: str) -> str:
    return _format_number(count / total if total else None, "share", language, missing)


def _distribution(data: ExportData, code: str, texts: Mapping[str, str]) -> tuple[str, list[tuple[str, int]], int]:
    """A choice question's answers over the export's shelters: its label, (answer label, shelters) for every
    answer given, and how many shelters answered."""
    question = _question(data, code)
    if question is None:
        return code, [], 0
    counts: Counter[Any] = Counter()
    answered = 0
    for response in data.responses:
        value = response.answers.get(code)
        if value is None or value == [] or value == "":
            continue
        answered += 1
        if isinstance(value, list):
            counts.update(value)
        elif isinstance(value, bool):
            counts[value] += 1
        else:
            counts[value] += 1
    if question.type == "bool":
        order: list[Any] = [True, False]
    elif question.type == "tri":
        order = ["yes", "no", "unknown"]
    else:
        order = [choice.value for choice in question.choices]
    order += [value for value in counts if value not in order]
    rows = [(_answer_label(data, code, value, texts), counts[value]) for value in order if counts[value]]
    return f"{code}. {localize(question.label, data.language)}", rows, answered


def _distribution_table(data: ExportData, codes: Sequence[str], texts: Mapping[str, str]) -> Table | None:
    rows = []
    language, missing = data.language, texts["deck_no_value"]
    for code in codes:
        label, answers, answered = _distribution(data, code, texts)
        for index, (answer, count) in enumerate(answers):
            rows.append((label if index == 0 else "", answer,
                         texts["deck_of_answered"].format(count=count, answered=answered),
                         _percent(count, answered, language, missing)))
    if not rows:
        return None
    return Table((texts["deck_question"], texts["deck_answer"], texts["deck_shelters"], texts["deck_share"]),
                 tuple(rows), (3.2, 2.4, 1.1, 0.8), numeric=(2, 3), size=11, group_column=0)


def _sum(data: ExportData, code: str) -> tuple[int, int]:
    """The sum of an integer answer over the export's shelters, and how many answered it."""
    values = [r.answers.get(code) for r in data.responses]
    known = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return sum(known), len(known)


def _cont(texts: Mapping[str, str], title: str) -> str:
    return texts["deck_cont"].format(title=title)


def _method_slide(o: Outline) -> Slide:
    t = o.texts
    types = (Text(tuple(f"{count}  {label}" for label, count in o.shelters_by_type), t["deck_shelters_by_type"],
                  size=14 if len(o.shelters_by_type) <= 8 else 12),)
    methods = (Text(tuple(f"{count}  {label}" for label, count in o.methods), t["deck_methods"]),)
    if o.regional:  # the title slide names the one region: no "Regions covered: 1"
        return Slide("method", t["deck_method_title"], (types, methods), (1.25, 0.85))
    many = len(o.regions_covered) > 12
    regions = (Text(tuple(o.regions_covered), t["deck_regions_covered"], size=11 if many else 14,
                    columns=2 if many else 1, big=str(len(o.regions_covered))),)
    return Slide("method", t["deck_method_title"], (types, regions, methods), (1.25, 1.2, 0.85))


def _key_figures_slide(o: Outline) -> Slide:
    t = o.texts
    tiles = tuple(Tile(figure.label, figure.value,
                       f"{t['deck_national']}: {figure.national}" if figure.national is not None else None)
                  for figure in o.figures)
    reasons = (tuple(f"{count}   {label}" for label, count in o.top_reasons) if o.top_reasons
               else (t["deck_no_refusals"],))
    return Slide("key_figures", t["deck_key_figures_title"], (
        (Tiles(tiles, per_row=4),),
        (Text((f"({t['deck_shelters_citing']})",), t["deck_top_reasons"], size=11, tone="grey"),
         Text(reasons, size=13)),
    ), (2.6, 1.0))


def _chart_slides(o: Outline) -> list[Slide]:
    t = o.texts
    if o.regional:
        slides = []
        for start in range(0, len(o.charts), 3):
            part = o.charts[start:start + 3]
            title = o.charts[0].title if start == 0 else _cont(t, o.charts[0].title)
            slides.append(Slide(f"chart_regional_{start}", title,
                                tuple((Text((), chart.label, size=16), ChartBlock(chart, t["deck_n_shelters"]))
                                      for chart in part), (1.0,) * len(part)))
        return slides
    return [Slide(f"chart_{chart.key}", chart.title,
                  ((Text((f"{t['deck_national']}: {chart.national}",), size=16, tone="accent"),
                    ChartBlock(chart, t["deck_n_shelters"])),))
            for chart in o.charts]


def _covid_slide(data: ExportData, o: Outline) -> Slide | None:
    t = o.texts
    table = _distribution_table(data, COVID_CODES, t)
    if table is None:
        return None
    figures = {figure.key: figure for figure in o.figures}
    tiles = tuple(Tile(figures[key].label, figures[key].value,
                       f"{t['deck_national']}: {figures[key].national}" if figures[key].national else None)
                  for key in COVID_FIGURE_KEYS if key in figures)
    return Slide("covid", t["deck_covid_title"], ((Tiles(tiles, per_row=2), table),))


def _services_slide(data: ExportData, o: Outline) -> Slide | None:
    t = o.texts
    question = _question(data, "E1")
    if question is None or not data.responses:
        return None
    rows = []
    for row in question.rows:
        counts: Counter[str] = Counter()
        for response in data.responses:
            grid = response.answers.get("E1")
            value = grid.get(row.value) if isinstance(grid, Mapping) else None
            counts[value if value in ("inhouse", "referral", "none") else "unknown"] += 1
        rows.append((localize(row.label, data.language), *(str(counts[key]) for key in
                                                             ("inhouse", "referral", "none", "unknown"))))
    header = (f"{t['deck_service']} ({_shelters_count(len(data.responses), data.translations)})", t["deck_inhouse"],
              t["deck_referral"], t["deck_not_offered"], t["deck_unknown"])
    return Slide("services", t["deck_services_title"],
                 ((Table(header, tuple(rows), (3.4, 1, 1.2, 1, 1), numeric=(1, 2, 3, 4), size=10),),))


def _staff_slide(data: ExportData, o: Outline) -> Slide | None:
    t = o.texts
    if not data.responses:
        return None
    language, missing = data.language, t["deck_no_value"]
    staff, _ = _sum(data, "F1")
    trained, _ = _sum(data, "F4")
    vacancies, _ = _sum(data, "F7")
    needing = sum(r.answers.get("F6") is True for r in data.responses)
    needing_known = sum(isinstance(r.answers.get("F6"), bool) for r in data.responses)
    figures = {figure.key: figure for figure in o.figures}
    coverage = figures["training_coverage"]
    tiles = (
        Tile(t["deck_staff_total"], _format_number(staff, "count", language, missing)),
        Tile(t["deck_staff_trained"], _format_number(trained, "count", language, missing)),
        Tile(coverage.label, coverage.value,
             f"{t['deck_national']}: {coverage.national}" if coverage.national else None),
        Tile(t["deck_training_needed"], t["deck_of_answered"].format(count=needing, answered=needing_known)),
        Tile(t["deck_vacancies"], _format_number(vacancies, "count", language, missing)),
    )
    blocks: list[Block] = [Tiles(tiles, per_row=5)]
    table = _distribution_table(data, ("F5",), t)
    if table is not None:
        blocks.append(table)
    return Slide("staff", t["deck_staff_title"], (tuple(blocks),))


def _funding_slide(data: ExportData, o: Outline) -> Slide | None:
    t = o.texts
    question = _question(data, "I1")
    if question is None or not data.responses:
        return None
    language, missing = data.language, t["deck_no_value"]
    answered = [r.answers["I1"] for r in data.responses if isinstance(r.answers.get("I1"), Mapping)
                and r.answers["I1"]]
    rows = []
    for choice in question.choices:
        shares = [Fraction(str(answer.get(choice.value, 0) or 0)) for answer in answered]
        using = sum(share > 0 for share in shares)
        mean = sum(shares, Fraction(0)) / 100 / len(shares) if shares else None
        rows.append((localize(choice.label, language),
                     t["deck_of_answered"].format(count=using, answered=len(answered)),
                     _format_number(float(mean) if mean is not None else None, "share", language, missing)))
    figures = {figure.key: figure for figure in o.figures}
    donor = figures["donor_dependence"]
    blocks: list[Block] = [
        Tiles((Tile(donor.label, donor.value, f"{t['deck_national']}: {donor.national}" if donor.national else None),),
              per_row=1),
        Table((t["deck_source"], t["deck_shelters_with_source"], t["deck_mean_share"]), tuple(rows), (3, 1.4, 1.4),
              numeric=(1, 2), size=11),
    ]
    other = _distribution_table(data, FUNDING_CODES, t)
    if other is None:
        return Slide("funding", t["deck_funding_title"], (tuple(blocks),))
    return Slide("funding", t["deck_funding_title"], (tuple(blocks), (other,)), (1.0, 1.25))


def _gaps_slide(data: ExportData, o: Outline, texts: Mapping[str, str]) -> Slide:
    t = texts
    if not o.regional:
        rows = tuple((label, _regions_count(len(regions), data.translations),
                      ", ".join(regions) if regions else t["deck_gap_none"]) for label, regions in o.gaps)
        tones = tuple("high" if regions else "" for _, regions in o.gaps)
        return Slide("gaps", t["deck_gaps_title"], ((Table(("", t["deck_regions"], ""), rows, (1.7, 1.0, 4.3),
                                                           tones=tones, tone_column=1, size=12),),))
    offering: dict[str, list[str]] = {key: [] for key in GAP_KEYS}
    judged = dict.fromkeys(GAP_KEYS, False)
    shelters = len({response.shelter_id for response in data.responses})
    for response in data.responses:
        totals = indicator_totals([ShelterSnapshot(response.shelter_id, response.region, response.answers)])
        for key in GAP_KEYS:
            judged[key] = judged[key] or totals["judged"][key]
            if totals["offered"][key]:
                offering[key].append(response.shelter_name)
    rows, tones = [], []
    for key in GAP_KEYS:
        if offering[key]:
            status, tone = t["deck_gap_offered"], "accent"
        elif judged[key]:
            status, tone = t["deck_gap_not_offered"], "high"
        else:
            status, tone = t["deck_gap_unknown"], "grey"
        names = sorted(set(offering[key]), key=sort_key)
        offered_by = t["deck_of_answered"].format(count=len(names), answered=shelters) if names else t["deck_no_value"]
        if names and len(names) < shelters:  # the names only where some shelters do not offer it
            offered_by += ": " + ", ".join(names)
        rows.append((t[f"deck_gap_{key}"], status, offered_by))
        tones.append(tone)
    header = ("", t["deck_gap_status"], t["deck_gap_offering"])
    title = t["deck_gaps_title_regional"].format(region=o.region_name)
    return Slide("gaps", title, ((Table(header, tuple(rows), (1.5, 1.5, 3.8), tones=tuple(tones), tone_column=1,
                                        size=11),),))


def _programme_weights(years: int) -> tuple[float, ...]:
    """The programme table's relative column widths: the label, then each year's plan, official and measured
    figures, in inches of a slide's 12.1 in wide body: up to three years get 3 in each, room for "2,000.5 (84%)"
    on one line at 9 pt; four (PROGRAMME_YEARS) share what the label's 3.1 in leave, at 8 pt."""
    part = min(3.0, (12.1 - 3.1) / years)
    return (12.1 - part * years, *(part * weight / sum(PROGRAMME_PARTS) for _ in range(years)
                                   for weight in PROGRAMME_PARTS))


def _programme_slide(table: ProgrammeTable, texts: Mapping[str, str]) -> Slide:
    """Plan against actual: a row per indicator (and the funding total), per year the plan, the official figure
    entered and the platform's measured value with their share of the plan, coloured by how far it is reached;
    the years over their three columns; a legend naming each measure's honest label."""
    t = texts
    parts = (t["deck_programme_plan"], t["deck_programme_entered"], t["deck_programme_measured"])
    header = (t["deck_programme_row"], *(part for _ in table.years for part in parts))
    rows = tuple((line.label, *(value.text for values in line.cells for value in values)) for line in table.lines)
    tones = tuple(("navy" if line.funding else "",
                   *(value.status if value.status in PROGRAMME_TONES else "" for values in line.cells
                     for value in values))
                  for line in table.lines)
    legend = [t["deck_programme_legend"]]
    if table.measures:
        legend.append(f"{t['deck_programme_measures']} " + "; ".join(table.measures) + ".")
    size = 9 if len(table.years) <= 3 else 8
    return Slide("programme", t["deck_programme_title"], ((
        Text((), table.name, size=10),
        Table(header, rows, _programme_weights(len(table.years)), numeric=tuple(range(1, len(header))),
              size=size, groups=(("", 1), *((str(year), 3) for year in table.years)), cell_tones=tones),
        Text(tuple(legend), size=9, tone="grey"),
    ),))


def _recommendation_slide(item: RecommendationItem, o: Outline) -> Slide:
    t = o.texts
    blocks: list[Block] = [Text((item.text,), size=20 if len(item.text) <= 200 else 16)]
    if item.regions:
        blocks[0] = Text((item.text,), size=18 if len(item.text) <= 200 else 14)
        # shelters only where some are behind it: R7 is about the regional budget, "0 shelters" would read as news
        with_shelters = any(entry.shelters for entry in item.regions)
        tiles = [Tile(t["deck_regions"], str(item.region_count), tone="navy")]
        if with_shelters:
            tiles.append(Tile(t["deck_shelters"], str(item.shelters), tone="navy"))
        blocks.append(Tiles(tuple(tiles), per_row=2))
        if item.reasons:
            blocks.append(Text(tuple(f"• {reason}" for reason in item.reasons), t["deck_reasons"], size=12))
        with_previous = any(entry.previous_status for entry in item.regions)
        header = ((t["deck_region"], t["deck_severity"]) + ((t["deck_shelters"],) if with_shelters else ())
                  + ((t["deck_previous_short"],) if with_previous else ()))
        rows = tuple((entry.name, entry.severity) + ((str(entry.shelters),) if with_shelters else ())
                     + ((entry.previous_status or t["deck_no_value"],) if with_previous else ())
                     for entry in item.regions)
        weights = (2.2, 1.6) + ((0.8,) if with_shelters else ()) + ((1.6,) if with_previous else ())
        table = Table(header, rows, weights, numeric=(2,) if with_shelters else (),
                      tones=tuple(entry.severity_key for entry in item.regions), tone_column=1, size=11)
        return Slide(f"recommendation_{item.code}", item.title, (tuple(blocks), (table,)), (1.0, 1.35))
    tiles = []
    if item.status == "no_data":
        # the severity is not known: the sentence below says the region has not filled in its form
        tiles.append(Tile(t["deck_severity"], t["deck_status_no_data"], tone="no_data"))
    elif item.severity is not None:
        tiles.append(Tile(t["deck_severity"], item.severity, tone=item.severity_key or "grey"))
    if item.shelters:
        # (none in a regional deck's national recommendation the region is not behind: the sentence says so)
        tiles.append(Tile(t["deck_shelters"], str(item.shelters), tone="navy"))
    if item.region_count is not None and not o.regional:
        tiles.append(Tile(t["deck_regions"], str(item.region_count), tone="navy"))
    if item.previous_status:
        tiles.append(Tile(t["deck_previous_status"], item.previous_status, tone="navy"))
    if tiles:
        blocks.append(Tiles(tuple(tiles), per_row=4))
    if item.membership:
        blocks.append(Text((item.membership,), size=16, tone="accent"))
    if item.region_names and not o.regional:
        blocks.append(Text((", ".join(item.region_names),), f"{t['deck_regions_behind']} "
                           f"({_regions_count(len(item.region_names), o.translations)})", size=13))
    if item.reasons:
        blocks.append(Text(tuple(f"• {reason}" for reason in item.reasons), t["deck_reasons"], size=13))
    if item.findings:
        blocks.append(Table((t["deck_shelter"], t["deck_severity"], t["deck_evidence"]),
                            tuple((f.shelter, f.severity, f.evidence) for f in item.findings), (2.2, 1.0, 4.6),
                            tones=tuple(f.severity_key for f in item.findings), tone_column=1, size=11))
    return Slide(f"recommendation_{item.code}", item.title, (tuple(blocks),))


def _slides(data: ExportData, o: Outline) -> tuple[Slide, ...]:
    slides: list[Slide | None] = [_method_slide(o), _key_figures_slide(o), *_chart_slides(o),
                                  _covid_slide(data, o), _services_slide(data, o), _staff_slide(data, o),
                                  _funding_slide(data, o),
                                  _gaps_slide(data, o, o.texts)]
    if o.programme is not None:
        slides.append(_programme_slide(o.programme, o.texts))
    elif data.programme_note:
        # no programme covers the round's year: say so instead of showing an expired plan
        slides.append(Slide("programme_note", o.texts["deck_programme_title"],
                            ((Text((data.programme_note,), size=16, tone="grey"),),)))
    slides += [_recommendation_slide(item, o) for item in o.recommendations]
    return tuple(slide for slide in slides if slide is not None)


def build_outline(data: ExportData) -> Outline:
    """What the deck and the report say about a round, in the export's language: plain strings and numbers.

    A national export compares the regions; a regional one (data.region set) shows the region's figures with
    the national ones beside them. Only issued recommendations appear; in a national export the regional ones
    are grouped per code with one row per region."""
    texts = _resolve_texts(data.translations)
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
    regions_covered = sorted({data.region_names.get(r.region, r.region) for r in data.responses}, key=sort_key)

    figures = tuple(
        Figure(key=key, label=_figure_label(key, texts),
               value=_figure_value(scope_indicators, key, texts, language),
               national=_figure_value(data.national, key, texts, language) if regional else None)
        for key in _figure_keys(data))
    reasons = tuple((_any_choice_label(data, "C8b", reason), count)
                    for reason, count in (scope_indicators.top_refusal_reasons if scope_indicators else ()))

    gaps = tuple((texts[f"deck_gap_{key}"],
                  tuple(sorted((data.region_names.get(iso, iso) for iso in data.gaps.get(key, ())), key=sort_key)))
                 for key in GAP_KEYS)
    gap_flags = tuple((texts[f"deck_gap_{key}"], data.region in data.gaps.get(key, ()))
                      for key in GAP_KEYS) if regional else ()

    outline = Outline(
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
        translations=data.translations,
    )
    return dataclasses.replace(outline, slides=_slides(data, outline))


