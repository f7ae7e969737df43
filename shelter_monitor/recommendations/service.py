"""Findings and recommendations of a round, stored as last computed, and the addressees' follow-up."""
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, func, insert, select

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.changes import usable_catalogue
from shelter_monitor.questionnaire.loader import load_definition, shipped_versions
from shelter_monitor.questionnaire.model import Definition
from shelter_monitor.recommendations.models import (
    Finding,
    FollowUp,
    NationalRecommendation,
    RecommendationStatus,
    RegionalRecommendation,
)
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import COUNTED_STATES, RegionalForm, Response
from shelter_monitor.rounds.models import RegionResult, Round
from shelter_monitor.rules.engine import (
    CATALOGUE_PATH,
    RoundEvaluation,
    RuleSet,
    evaluate_national,
    evaluate_region,
    evaluate_response,
    evaluate_round,
    load_rules,
)
from shelter_monitor.rules.engine import Finding as RuleFinding
from shelter_monitor.rules.engine import NationalRecommendation as EngineNationalRecommendation
from shelter_monitor.shelters.models import Shelter

REGIONAL_CODES = ("R1", "R2", "R3", "R4", "R5", "R6", "R7")
NATIONAL_CODES = ("M1", "M2", "M3")
_RULES: dict[str, tuple[Definition, RuleSet]] = {}


def rules_for(version: str) -> RuleSet:
    """The rules checked against the questionnaire version they read (once per process and definition). A
    stored version runs the rules that read only what it has (its import listed the others); a shipped version
    runs every rule, and a rule reading what it lacks is an error."""
    definition = load_definition(version)
    cached = _RULES.get(version)
    if cached is None or cached[0] is not definition:
        catalogue = None if version in shipped_versions() else usable_catalogue(
            json.loads(CATALOGUE_PATH.read_text(encoding="utf-8")), definition)
        cached = _RULES[version] = (definition, load_rules(definition, catalogue))
    return cached[1]


def evaluate_stored_round(round_: Round) -> tuple[RoundEvaluation, dict[str, int]]:
    """Run the rules over the round's submitted and approved responses and its regional forms. Returns the
    evaluation and the shelter id behind each response id. Two queries, whatever the number of responses."""
    rows = db.session.execute(
        select(Response.id, Response.shelter_id, Region.iso_code, Response.answers)
        .join(Shelter, Response.shelter_id == Shelter.id).join(Region, Shelter.region_id == Region.id)
        .where(Response.round_id == round_.id, Response.state.in_(COUNTED_STATES))
    ).all()
    regional = dict(db.session.execute(
        select(Region.iso_code, RegionalForm.answers).join(RegionalForm, RegionalForm.region_id == Region.id)
        .where(RegionalForm.round_id == round_.id)
    ).all())
    evaluation = evaluate_round(rules_for(round_.questionnaire_version),
                                [(str(r.id), r.iso_code, r.answers) for r in rows], regional,
                                medium_needed=current_app.config["RULES_MEDIUM_FINDINGS_NEEDED"])
    return evaluation, {str(r.id): r.shelter_id for r in rows}


def refresh_round(round_: Round) -> None:
    """Recompute and store all of the round's findings and recommendations, and each region's part of the
    national ones (RegionResult). Pages and exports read what is stored. The caller holds the round's results
    lock (rounds.service.lock_results)."""
    evaluation, shelter_of = evaluate_stored_round(round_)
    region_ids = dict(db.session.execute(select(Region.iso_code, Region.id)).all())
    for model in (Finding, RegionalRecommendation, NationalRecommendation):
        db.session.execute(delete(model).where(model.round_id == round_.id))
    for model, rows in ((Finding, _findings(round_, evaluation, shelter_of)),
                        (RegionalRecommendation, _regional(round_, evaluation, shelter_of, region_ids)),
                        (NationalRecommendation, _national(round_, evaluation.national, shelter_of))):
        rows = list(rows)
        if rows:
            db.session.execute(insert(model), rows)
    parts = {region_ids[iso]: held for iso, held in evaluation.national_conditions.items()}
    for row in db.session.scalars(select(RegionResult).where(RegionResult.round_id == round_.id)):
        if row.region_id not in parts:
            db.session.delete(row)
    for region_id, held in parts.items():
        _region_result(round_, region_id).national_conditions = [list(item) for item in held]


def refresh_response_findings(round_: Round, response: Response) -> None:
    """Replace the stored findings of one response: its rules' findings when it counts, none otherwise."""
    db.session.execute(delete(Finding).where(Finding.response_id == response.id))
    if response.state not in COUNTED_STATES:
        return
    rows = [{"round_id": round_.id, "response_id": response.id, "shelter_id": response.shelter_id,
             "code": finding.code, "severity": finding.severity, "evidence": dict(finding.evidence)}
            for finding in evaluate_response(rules_for(round_.questionnaire_version), response.answers)]
    if rows:
        db.session.execute(insert(Finding), rows)


def refresh_region(round_: Round, region: Region) -> None:
    """Recompute one region's recommendations, and its part of the national ones, from the region's own
    responses (their stored findings and their answers, which the region-level conditions read) and its
    regional form: the same as a whole round's evaluation gives for the region. Three reads and two writes,
    whatever the size of the other regions. The caller holds the round's results lock."""
    rows = db.session.execute(
        select(Response.id, Response.shelter_id, Response.answers).join(Shelter, Response.shelter_id == Shelter.id)
        .where(Response.round_id == round_.id, Response.state.in_(COUNTED_STATES), Shelter.region_id == region.id)
    ).all()
    form = db.session.scalar(select(RegionalForm.answers).where(RegionalForm.round_id == round_.id,
                                                                 RegionalForm.region_id == region.id))
    found: dict[str, list[RuleFinding]] = {str(row.id): [] for row in rows}
    if rows:
        stored = db.session.execute(
            select(Finding.response_id, Finding.code, Finding.severity).join(Shelter, Finding.shelter_id == Shelter.id)
            .where(Finding.round_id == round_.id, Shelter.region_id == region.id))
        for response_id, code, severity in stored:
            found[str(response_id)].append(RuleFinding(code, severity, {}))
    db.session.execute(delete(RegionalRecommendation).where(RegionalRecommendation.round_id == round_.id,
                                                            RegionalRecommendation.region_id == region.id))
    result = db.session.get(RegionResult, (round_.id, region.id))
    if not rows and form is None:
        if result is not None:
            db.session.delete(result)
        return
    part = evaluate_region(rules_for(round_.questionnaire_version), found, [row.answers for row in rows], form,
                           current_app.config["RULES_MEDIUM_FINDINGS_NEEDED"])
    shelter_of = {str(row.id): row.shelter_id for row in rows}
    evaluation = RoundEvaluation({}, {region.iso_code: part.recommendations}, {region.iso_code: part.no_data}, [])
    recommendations = list(_regional(round_, evaluation, shelter_of, {region.iso_code: region.id}))
    if recommendations:
        db.session.execute(insert(RegionalRecommendation), recommendations)
    _region_result(round_, region.id).national_conditions = [list(item) for item in part.national_conditions]


def refresh_national(round_: Round) -> None:
    """Recompute the round's national recommendations from the stored national-category findings and each
    region's stored part (RegionResult): no answers are read. The caller holds the round's results lock."""
    rules = rules_for(round_.questionnaire_version)
    codes = [c.code for c in rules.categories if c.national]
    findings = db.session.execute(
        select(Region.iso_code, Finding.response_id, Finding.shelter_id, Finding.code, Finding.severity)
        .join(Shelter, Finding.shelter_id == Shelter.id).join(Region, Shelter.region_id == Region.id)
        .where(Finding.round_id == round_.id, Finding.code.in_(codes))).all()
    parts = db.session.execute(select(Region.iso_code, RegionResult.national_conditions)
                               .join(Region, RegionResult.region_id == Region.id)
                               .where(RegionResult.round_id == round_.id)).all()
    national = evaluate_national(rules, [(iso, str(response_id), code, severity)
                                         for iso, response_id, _, code, severity in findings],
                                 [(iso, key, code, severity) for iso, held in parts for key, code, severity in held])
    db.session.execute(delete(NationalRecommendation).where(NationalRecommendation.round_id == round_.id))
    rows = list(_national(round_, national, {str(row.response_id): row.shelter_id for row in findings}))
    if rows:
        db.session.execute(insert(NationalRecommendation), rows)


def _region_result(round_: Round, region_id: int) -> RegionResult:
    """The region's stored part of the round's results, added when it has none yet (under the results lock, so
    nobody else adds it at the same time)."""
    result = db.session.get(RegionResult, (round_.id, region_id))
    if result is None:
        result = RegionResult(round_id=round_.id, region_id=region_id, national_conditions=[])
        db.session.add(result)
    return result


def _findings(round_: Round, evaluation: RoundEvaluation, shelter_of: dict[str, int]) -> Iterable[dict]:
    for response_id, findings in evaluation.shelters.items():
        for finding in findings:
            yield {"round_id": round_.id, "response_id": int(response_id), "shelter_id": shelter_of[response_id],
                   "code": finding.code, "severity": finding.severity, "evidence": dict(finding.evidence)}


def _regional(round_: Round, evaluation: RoundEvaluation, shelter_of: dict[str, int],
              region_ids: dict[str, int]) -> Iterable[dict]:
    for iso, recommendations in evaluation.regions.items():
        for item in recommendations:
            yield {"round_id": round_.id, "region_id": region_ids[iso], "code": item.code, "severity": item.severity,
                   "status": RecommendationStatus.ISSUED, "shelter_ids": sorted(shelter_of[s] for s in item.shelters),
                   "reasons": list(item.reasons), "counts": dict(item.counts)}
    for iso, codes in evaluation.no_data.items():
        for code in codes:
            yield {"round_id": round_.id, "region_id": region_ids[iso], "code": code, "severity": None,
                   "status": RecommendationStatus.NO_DATA, "shelter_ids": [], "reasons": [], "counts": {}}


def _national(round_: Round, national: list[EngineNationalRecommendation],
              shelter_of: dict[str, int]) -> Iterable[dict]:
    for item in national:
        yield {"round_id": round_.id, "code": item.code, "severity": item.severity, "region_codes": list(item.regions),
               "reasons": list(item.reasons), "shelter_ids": sorted(shelter_of[s] for s in item.shelters)}


def responded_regions(round_: Round) -> dict[int, int]:
    """Region id -> number of submitted or approved responses in the round."""
    return dict(db.session.execute(
        select(Shelter.region_id, func.count(Response.id)).join(Response, Response.shelter_id == Shelter.id)
        .where(Response.round_id == round_.id, Response.state.in_(COUNTED_STATES)).group_by(Shelter.region_id)
    ).all())


def findings_by_round(shelter: Shelter) -> dict[int, list[Finding]]:
    """The shelter's stored findings, per round id, ordered by code."""
    grouped: dict[int, list[Finding]] = defaultdict(list)
    for finding in db.session.scalars(select(Finding).where(Finding.shelter_id == shelter.id)
                                      .order_by(Finding.code)):
        grouped[finding.round_id].append(finding)
    return grouped


def regional_recommendations(round_: Round, region: Region) -> dict[str, RegionalRecommendation]:
    rows = db.session.scalars(select(RegionalRecommendation).where(
        RegionalRecommendation.round_id == round_.id, RegionalRecommendation.region_id == region.id))
    return {row.code: row for row in rows}


def national_table(round_: Round) -> dict[int, dict[str, RegionalRecommendation]]:
    """Region id -> code -> stored regional recommendation, for the whole round in one query."""
    table: dict[int, dict[str, RegionalRecommendation]] = defaultdict(dict)
    for row in db.session.scalars(select(RegionalRecommendation).where(RegionalRecommendation.round_id == round_.id)):
        table[row.region_id][row.code] = row
    return table


def national_recommendations(round_: Round) -> dict[str, NationalRecommendation]:
    rows = db.session.scalars(select(NationalRecommendation).where(NationalRecommendation.round_id == round_.id))
    return {row.code: row for row in rows}


@dataclass(frozen=True)
class RegionBehind:
    """One region a national recommendation lists: its shelters with a finding of the code, and the region-level
    conditions of the code that hold there (a region can be listed for either, or both)."""

    iso_code: str
    shelter_ids: tuple[int, ...]
    reasons: tuple[str, ...]


def regions_behind(round_: Round, issued: dict[str, NationalRecommendation],
                   shelters: dict[int, Shelter]) -> dict[str, dict[str, RegionBehind]]:
    """Code -> ISO code -> what puts each listed region behind the national recommendation, so that the
    shelters counted under a recommendation add up region by region to what it lists (M2 lists the regions where
    no shelter can admit a group even when none of their shelters has a finding). Two queries."""
    held: dict[str, list] = dict(db.session.execute(
        select(Region.iso_code, RegionResult.national_conditions).join(Region, RegionResult.region_id == Region.id)
        .where(RegionResult.round_id == round_.id)).all())
    iso_of = dict(db.session.execute(select(Region.id, Region.iso_code)).all())
    behind: dict[str, dict[str, RegionBehind]] = {}
    for code, item in issued.items():
        by_region: dict[str, list[int]] = defaultdict(list)
        for shelter_id in item.shelter_ids:
            if shelter_id in shelters:
                by_region[iso_of[shelters[shelter_id].region_id]].append(shelter_id)
        behind[code] = {iso: RegionBehind(iso, tuple(by_region.get(iso, ())),
                                          tuple(key for key, held_code, _ in held.get(iso) or () if held_code == code))
                        for iso in item.region_codes}
    return behind


def shelters_by_id(ids: Iterable[int]) -> dict[int, Shelter]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {s.id: s for s in db.session.scalars(select(Shelter).where(Shelter.id.in_(wanted)))}


def previous_round(round_: Round) -> Round | None:
    return db.session.scalar(select(Round).where(Round.period_start < round_.period_start)
                             .order_by(Round.period_start.desc()).limit(1))


@dataclass
class FollowUpState:
    current: FollowUp | None
    history: list[FollowUp]


def follow_ups(round_: Round, region: Region | None) -> dict[str, FollowUpState]:
    """Code -> current status and history (newest first) for the round's recommendations to a region (R1-R7)
    or, with region None, to the Ministry (M1-M3)."""
    statement = select(FollowUp).where(FollowUp.round_id == round_.id).order_by(FollowUp.at.desc(),
                                                                                FollowUp.id.desc())
    statement = statement.where(FollowUp.region_id == region.id) if region else statement.where(
        FollowUp.region_id.is_(None))
    states: dict[str, FollowUpState] = defaultdict(lambda: FollowUpState(None, []))
    for item in db.session.scalars(statement):
        state = states[item.code]
        state.current = state.current or item
        state.history.append(item)
    return dict(states)


def record_follow_up(round_: Round, code: str, region: Region | None, status: str, comment: str,
                     user: User) -> FollowUp:
    """Add a status update to an issued recommendation (the history keeps every update)."""
    item = FollowUp(round_id=round_.id, region=region, code=code, status=status, comment=comment.strip(), user=user)
    db.session.add(item)
    record(user, "recommendation.follow_up", item, {"code": code, "status": status, "comment": item.comment,
                                                    "region": region.iso_code if region else None})
    return item


def recommendation_texts(version: str) -> dict[str, dict[str, str]]:
    """Code -> {"en", "uk"} text of each recommendation category."""
    return {category.code: category.text for category in rules_for(version).categories}


def reason_labels(version: str) -> dict[str, dict[str, str]]:
    """Key -> {"en", "uk"} text of each region-level condition, for the reasons a recommendation shows."""
    return {condition.key: condition.label for condition in rules_for(version).region_conditions}
