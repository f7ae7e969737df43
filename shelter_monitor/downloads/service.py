"""Everything an export holds, read from the database in a fixed number of queries, within what the user may
see; the builders in shelter_monitor/exports turn it into files."""


import io
from collections.abc import Mapping
from typing import Any

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.dashboards.indicators import compute_indicators
from shelter_monitor.dashboards.service import gap_regions, stored_dashboards
from shelter_monitor.exports.data import ExportData, FindingRow, RecommendationRow, ResponseRow
from shelter_monitor.exports.deck import write_deck
from shelter_monitor.exports.report import write_pdf
from shelter_monitor.exports.stats import write_dta, write_sav
from shelter_monitor.exports.tables import TableOptions, write_csv, write_xlsx
from shelter_monitor.extensions import db
from shelter_monitor.i18n import catalog
from shelter_monitor.programmes.service import overview, programme_note, round_programme
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.model import localize
from shelter_monitor.recommendations.forms import follow_up_labels
from shelter_monitor.recommendations.models import Finding, NationalRecommendation, RegionalRecommendation
from shelter_monitor.recommendations.service import follow_ups, previous_round, reason_labels, recommendation_texts
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import COUNTED_STATES, RegionalForm, Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter


def _responses(round_: Round | None, region: Region | None) -> list[ResponseRow]:
    """The counted responses of the round (None: of every round, oldest round first) within the region, with
    who submitted and reviewed them (names only); answers marked sensitive are left out."""
    submitter, reviewer = aliased(User), aliased(User)
    statement = (select(Response.id, Response.shelter_id, Shelter.name, Region.iso_code, Response.state,
                        Response.questionnaire_version, Response.answers, Response.sensitive_codes,
                        Round.code.label("round_code"), Response.submitted_at, submitter.name.label("submitted_by"),
                        Response.reviewed_at, reviewer.name.label("reviewed_by"))
                 .join(Shelter, Shelter.id == Response.shelter_id).join(Region, Region.id == Shelter.region_id)
                 .join(Round, Round.id == Response.round_id)
                 .outerjoin(submitter, submitter.id == Response.submitted_by_id)
                 .outerjoin(reviewer, reviewer.id == Response.reviewed_by_id)
                 .where(Response.state.in_(COUNTED_STATES))
                 .order_by(Round.period_start, Round.id, Region.iso_code, Shelter.name))
    if round_ is not None:
        statement = statement.where(Response.round_id == round_.id)
    if region is not None:
        statement = statement.where(Region.id == region.id)
    return [ResponseRow(*row[:6], answers={code: value for code, value in row.answers.items()
                                           if code not in row.sensitive_codes},
                        round=row.round_code, submitted_at=row.submitted_at, submitted_by=row.submitted_by,
                        reviewed_at=row.reviewed_at, reviewed_by=row.reviewed_by)
            for row in db.session.execute(statement)]


def _export_rounds(round_: Round, all_rounds: bool) -> list[Round]:
    """The rounds an export covers, oldest first: the round, or every round."""
    if not all_rounds:
        return [round_]
    return list(db.session.scalars(select(Round).order_by(Round.period_start, Round.id)))


def _findings(rounds: list[Round], region: Region | None) -> list[FindingRow]:
    statement = (select(Shelter.name, Region.iso_code, Finding.code, Finding.severity, Finding.evidence,
                        Round.code.label("round_code"))
                 .join(Shelter, Shelter.id == Finding.shelter_id).join(Region, Region.id == Shelter.region_id)
                 .join(Round, Round.id == Finding.round_id)
                 .where(Finding.round_id.in_([r.id for r in rounds]))
                 .order_by(Round.period_start, Round.id, Region.iso_code, Shelter.name, Finding.code))
    if region is not None:
        statement = statement.where(Region.id == region.id)
    return [FindingRow(*row[:5], round=row.round_code) for row in db.session.execute(statement)]


def _previous_statuses(round_: Round, region: Region | None, language: str) -> dict[tuple[str, str | None], str]:
    earlier = previous_round(round_)
    if earlier is None:
        return {}
    statuses = {}
    with force_locale(language):
        labels = follow_up_labels()
    for code, state in follow_ups(earlier, None).items():
        statuses[(code, None)] = labels.get(state.current.status, state.current.status)
    if region is not None:
        for code, state in follow_ups(earlier, region).items():
            statuses[(code, region.iso_code)] = labels.get(state.current.status, state.current.status)
    return statuses


def _recommendations(round_: Round, region: Region | None, language: str,
                     names_by_id: dict[int, str]) -> list[RecommendationRow]:
    reasons = {key: localize(label, language) for key, label in reason_labels(round_.questionnaire_version).items()}
    previous = _previous_statuses(round_, region, language)
    rows = []
    in_scope = (lambda iso: True) if region is None else (lambda iso: iso == region.iso_code)
    national = db.session.scalars(select(NationalRecommendation).where(NationalRecommendation.round_id == round_.id)
                                  .order_by(NationalRecommendation.code))
    for item in national:
        # in a regional export a national recommendation names only the region's own shelters (and region)
        rows.append(RecommendationRow(item.code, None, "issued", item.severity,
                                      tuple(names_by_id[i] for i in item.shelter_ids if i in names_by_id),
                                      tuple(iso for iso in item.region_codes if in_scope(iso)),
                                      tuple(reasons.get(r, r) for r in item.reasons), previous.get((item.code, None)),
                                      round=round_.code))
    statement = (select(RegionalRecommendation, Region.iso_code).join(Region)
                 .where(RegionalRecommendation.round_id == round_.id)
                 .order_by(Region.iso_code, RegionalRecommendation.code))
    if region is not None:
        statement = statement.where(Region.id == region.id)
    for item, iso in db.session.execute(statement):
        rows.append(RecommendationRow(item.code, iso, item.status, item.severity,
                                      tuple(names_by_id[i] for i in item.shelter_ids if i in names_by_id), (),
                                      tuple(reasons.get(r, r) for r in item.reasons), previous.get((item.code, iso)),
                                      round=round_.code))
    return rows


def gather_export(round_: Round, region: Region | None, language: str, all_rounds: bool = False) -> ExportData:
    """The export of a round, nationally or for one region (which then holds only that region's shelters and
    figures, next to the national totals: nothing names or counts another region's shelters, national
    recommendations included), with the programme it reports on (plan against actual, for the
    region in a regional export) when one is loaded. With all_rounds (for the data files: layout_for), the
    responses, findings, recommendations and regional forms are those of every round (every user who may export
    may read every round), each with its round, within the same region (a fixed number of queries per round); the
    figures and the programme are the round's."""
    rounds = _export_rounds(round_, all_rounds)
    responses = _responses(None if all_rounds else round_, region)
    regions = db.session.scalars(select(Region)).all()
    names_in_scope = select(Shelter.id, Shelter.name)
    if region is not None:
        names_in_scope = names_in_scope.where(Shelter.region_id == region.id)
    shelter_names = dict(db.session.execute(names_in_scope).all())
    stored = stored_dashboards([round_.id]).get(round_.id)
    national = stored.national if stored else compute_indicators([])
    by_region = dict(stored.by_region) if stored else {}
    if region is not None:
        by_region = {iso: value for iso, value in by_region.items() if iso == region.iso_code}
    forms_by_round: dict[str, dict[str, Any]] = {r.code: {} for r in rounds}
    form_rows = db.session.execute(select(Round.code, Region.iso_code, RegionalForm.answers)
                                   .join(RegionalForm, RegionalForm.region_id == Region.id)
                                   .join(Round, Round.id == RegionalForm.round_id)
                                   .where(RegionalForm.round_id.in_([r.id for r in rounds])))
    for code, iso, answers in form_rows:
        if region is None or iso == region.iso_code:
            forms_by_round[code][iso] = answers
    versions = {r.questionnaire_version for r in responses} | {round_.questionnaire_version}
    texts_by_code = {code: localize(label, language)
                     for code, label in recommendation_texts(round_.questionnaire_version).items()}
    found = round_programme(round_, region)
    return ExportData(
        language=language, round_code=round_.code, round_name=round_.display_name(language),
        period_start=round_.period_start, period_end=round_.period_end, region=region.iso_code if region else None,
        region_names={r.iso_code: r.name(language) for r in regions},
        definitions={version: load_definition(version) for version in sorted(versions)},
        responses=tuple(responses), findings=tuple(_findings(rounds, region)),
        recommendations=tuple(row for r in rounds for row in _recommendations(r, region, language, shelter_names)),
        recommendation_texts=texts_by_code,
        regional_forms=forms_by_round[round_.code],
        regional_forms_by_round=forms_by_round if all_rounds else None,
        national=national, by_region=by_region,
        gaps={key: tuple(isos) for key, isos in gap_regions(by_region).items()}, translations=catalog(language),
        programme=overview(found.covering, region) if found.covering else None,
        programme_note=programme_note(found, language))




FORMATS = {
    "deck": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "pdf": ("pdf", "application/pdf"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv"),
    "sav": ("sav", "application/x-spss-sav"),
    "dta": ("dta", "application/x-stata-dta"),
}
# The data files' layout choices (besides `multi`) and their defaults; `delimiter` None: by the language.
LAYOUT_DEFAULTS: dict[str, Any] = {"values": "codes", "header": "codes", "delimiter": None, "all_rounds": False}
DATA_KINDS = ("xlsx", "csv", "sav", "dta")


def layout_for(kind: str, layout: Mapping[str, Any] | None) -> dict[str, Any]:
    """The layout choices as they apply to a kind of file: all of them to the data files; the deck and the PDF
    report tell the story of their round alone, so never of every round."""
    applied = {**LAYOUT_DEFAULTS, **(layout or {})}
    if kind not in DATA_KINDS:
        applied["all_rounds"] = False
    return applied


def table_options(multi: str = "split", layout: Mapping[str, Any] | None = None) -> TableOptions:
    """The table layout of the data files, free-text answers included (gather_export has left out those marked
    sensitive)."""
    layout = {**LAYOUT_DEFAULTS, **(layout or {})}
    return TableOptions(multi=multi, include_text=True, values=layout["values"], header=layout["header"],
                        delimiter=layout["delimiter"] or None)


def build_file(kind: str, data: ExportData, multi: str = "split", layout: Mapping[str, Any] | None = None) -> bytes:
    """The export file's bytes. Free-text answers are included, except those marked sensitive (gather_export
    leaves them out); the data files are laid out as `multi` and `layout` (LAYOUT_DEFAULTS) say."""
    stream = io.BytesIO()
    options = table_options(multi, layout)
    if kind == "deck":
        write_deck(data, stream)
    elif kind == "pdf":
        write_pdf(data, stream)
    elif kind == "xlsx":
        write_xlsx(data, stream, options=options)
    elif kind == "sav":
        write_sav(data, stream, options=options)
    elif kind == "dta":
        write_dta(data, stream, options=options)
    else:
        write_csv(data, stream, options=options)
    return stream.getvalue()


def file_name(kind: str, data: ExportData, all_rounds: bool = False) -> str:
    scope = data.region or "national"
    rounds = "all-rounds" if all_rounds else data.round_code
    return f"shelter-monitor-{rounds}-{scope}-{data.language}.{FORMATS[kind][0]}"


def responses_in_scope(round_: Round, region: Region | None, all_rounds: bool = False) -> int:
    """How many responses an export of the round (or of every round), nationally or of one region, holds:
    decides whether it runs as a job."""
    statement = (select(func.count(Response.id)).join(Shelter, Shelter.id == Response.shelter_id)
                 .where(Response.state.in_(COUNTED_STATES)))
    if not all_rounds:
        statement = statement.where(Response.round_id == round_.id)
    if region is not None:
        statement = statement.where(Shelter.region_id == region.id)
    return db.session.scalar(statement) or 0


def record_export(user: User | None, round_: Round, region: Region | None, kind: str, language: str, multi: str,
                  mode: str, layout: Mapping[str, Any] | None = None) -> None:
    """Audit an export: who asked (None from the command line), which kind of file of which round, its region
    (None: national), language and layout (the layout choices other than their defaults), and whether it was
    built at once, as a job or by the CLI."""
    changes = {"kind": kind, "region": region.iso_code if region else None, "language": language, "multi": multi,
               "mode": mode}
    changes.update({key: value for key, value in (layout or {}).items()
                    if key in LAYOUT_DEFAULTS and value != LAYOUT_DEFAULTS[key] and value not in ("", None)})
    record(user, "export.download", round_, changes)
