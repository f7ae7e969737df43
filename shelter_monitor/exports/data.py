"""What an export holds, gathered once by the service and handed to the builders (deck, XLSX, CSV, PDF).

Plain data: the builders never import Flask or the database. Nothing confidential is in here: no shelter
address or phone, and no answer to a `text` question unless the caller chose to include them.
"""
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from shelter_monitor.dashboards.indicators import Indicators
from shelter_monitor.i18n import ENGLISH, NullTranslations
from shelter_monitor.programmes.measures import Measure
from shelter_monitor.programmes.overview import Overview
from shelter_monitor.questionnaire.model import Definition


@dataclass(frozen=True)
class ResponseRow:
    response_id: int
    shelter_id: int
    shelter_name: str
    region: str                 # ISO 3166-2
    state: str                  # submitted | approved (exports hold counted responses only)
    questionnaire_version: str
    answers: Mapping[str, Any]  # JSON values keyed by question code
    round: str = ""             # the round's code
    submitted_at: dt.datetime | None = None   # UTC, naive
    submitted_by: str | None = None           # the user's name
    reviewed_at: dt.datetime | None = None
    reviewed_by: str | None = None


@dataclass(frozen=True)
class FindingRow:
    shelter_name: str
    region: str
    code: str
    severity: str               # medium | high
    evidence: Mapping[str, Any]  # question code -> answer
    round: str = ""             # the round's code


@dataclass(frozen=True)
class RecommendationRow:
    code: str                   # M1..M3 (national) or R1..R7 (regional)
    region: str | None          # ISO for R codes, None for M codes
    status: str                 # issued | no_data
    severity: str | None
    shelters: tuple[str, ...]   # names of the shelters behind it
    regions: tuple[str, ...]    # ISO codes behind a national recommendation
    reasons: tuple[str, ...]    # labels of the region-level conditions that fired, in the export's language
    previous_status: str | None  # follow-up status given in the previous round, in the export's language
    round: str = ""             # the round's code


@dataclass(frozen=True)
class ExportData:
    language: str                               # "uk" | "en"
    round_code: str
    round_name: str
    period_start: dt.date
    period_end: dt.date
    region: str | None                          # None: national export; else the one region's ISO code
    region_names: Mapping[str, str]             # ISO -> name in the export's language
    definitions: Mapping[str, Definition]       # questionnaire version -> definition (labels, choices, order)
    responses: tuple[ResponseRow, ...]
    findings: tuple[FindingRow, ...]
    recommendations: tuple[RecommendationRow, ...]
    recommendation_texts: Mapping[str, str]     # code -> text in the export's language
    regional_forms: Mapping[str, Mapping[str, Any]]   # ISO -> I4 / I4a answers
    national: Indicators                        # national totals (always)
    by_region: Mapping[str, Indicators]         # per region (only the one region in a regional export)
    # gap key (men, mothers_children, under3, fathers_children, foreigners) -> ISO codes of regions with that gap
    gaps: Mapping[str, tuple[str, ...]]
    # the catalog of `language`, for the builders' fixed wording (slide titles, sheet names): i18n.catalog(language)
    translations: NullTranslations = ENGLISH
    programme: Overview | None = None           # the programme covering the round's year: plan against actual
    # None when a programme covers the round's year; else what to show instead, in the export's language
    # ("No programme covers 2020; the last one, <title>, ran 2013–2015.")
    programme_note: str | None = None
    # An all-rounds data file's regional forms: round code -> ISO -> answers, every round's (findings and
    # recommendations then hold every round's too); None: the round's own, regional_forms
    regional_forms_by_round: Mapping[str, Mapping[str, Mapping[str, Any]]] | None = None
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None))


def measure_wording(translations: NullTranslations, measure: Measure) -> tuple[str, str]:
    """A programme measure's label and honest qualifier in the catalog's language."""
    return translations.gettext(measure.label), translations.gettext(measure.qualifier)
