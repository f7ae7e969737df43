"""Rounds, responses (answers keyed by question code; a monitor's draft save with the page's version check), the
questionnaire definitions, findings, recommendations with their follow-up, and a round's indicators."""
import datetime as dt

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from shelter_monitor.api.problems import problem
from shelter_monitor.api.v1.common import (
    LIST_HEADERS,
    READ_ERRORS,
    WRITE_ERRORS,
    api_blueprint,
    errors,
    get_or_404,
    load_region,
    load_round,
)
from shelter_monitor.api.v1.paging import as_naive_utc, paginate, since
from shelter_monitor.api.v1.schemas import (
    DefinitionSchema,
    FindingSchema,
    IndicatorsSchema,
    PlainPageArgs,
    RecommendationArgs,
    RecommendationSchema,
    ResponseArgs,
    ResponseSchema,
    RoundIndicatorsSchema,
    RoundSchema,
    SaveInput,
    SaveResultSchema,
    VersionSchema,
)
from shelter_monitor.auth.policy import Action, require, scope_region, scope_shelters
from shelter_monitor.dashboards.indicators import compute_indicators
from shelter_monitor.dashboards.service import national_dashboard
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.answers import value_problems
from shelter_monitor.questionnaire.conditions import is_absent
from shelter_monitor.questionnaire.loader import available_versions, load_definition
from shelter_monitor.recommendations.models import Finding
from shelter_monitor.recommendations.service import (
    FollowUpState,
    follow_ups,
    national_recommendations,
    regional_recommendations,
)
from shelter_monitor.responses.models import Response
from shelter_monitor.responses.service import Conflict, asked_sections, definition_for, save_page
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.service import rounds_newest_first
from shelter_monitor.shelters.models import Shelter

blueprint = api_blueprint("api_monitoring", "Rounds, responses, questionnaires, recommendations and indicators")


@blueprint.get("/rounds")
@blueprint.arguments(PlainPageArgs, location="query")
@blueprint.response(200, RoundSchema(many=True), headers=LIST_HEADERS)
@errors(blueprint, *READ_ERRORS)
def list_rounds(args):
    """Monitoring rounds, newest first.

    No `updated_since`: a round has no timestamp of its last change; the list is short, read it whole."""
    page = paginate(rounds_newest_first().order_by(Round.id.desc()), args["page"], args["page_size"])
    return page.items, 200, page.headers()


@blueprint.get("/rounds/<int:round_id>")
@blueprint.response(200, RoundSchema)
@errors(blueprint, *READ_ERRORS)
def get_round(round_id: int):
    return load_round(round_id)


@blueprint.get("/responses")
@blueprint.arguments(ResponseArgs, location="query")
@blueprint.response(200, ResponseSchema(many=True), headers=LIST_HEADERS)
@errors(blueprint, *READ_ERRORS)
def list_responses(args):
    """Responses of the shelters the token's user may see, by id (`updated_since`: saved at or after)."""
    statement = scope_shelters(current_user, select(Response).join(Shelter, Shelter.id == Response.shelter_id)
                               .order_by(Response.id))
    if args["round"]:
        statement = statement.where(Response.round_id == args["round"])
    if args["shelter"]:
        statement = statement.where(Response.shelter_id == args["shelter"])
    page = paginate(since(statement, Response.updated_at, args["updated_since"]), args["page"], args["page_size"])
    return page.items, 200, page.headers()


def _response(response_id: int) -> Response:
    response = get_or_404(Response, response_id)
    require(current_user, Action.VIEW_RESPONSE, response)
    return response


@blueprint.get("/responses/<int:response_id>")
@blueprint.response(200, ResponseSchema)
@errors(blueprint, *READ_ERRORS)
def get_response(response_id: int):
    return _response(response_id)


def _answer_errors(response: Response, section: str, answers: dict) -> list[dict[str, str]]:
    """Answers the page's form would refuse: a code not of this section, a value of the wrong type or range."""
    codes = {q.code for q in definition_for(response).section(section).questions if q.form == "shelter"}
    found = []
    for code, value in answers.items():
        if code not in codes:
            found.append({"field": f"answers.{code}", "in": "json", "detail": f"Not a question of section {section}."})
        elif not is_absent(value):
            found.extend({"field": f"answers.{code}", "in": "json", "detail": str(message)}
                         for message in value_problems(definition_for(response).question(code), value))
    return found


@blueprint.put("/responses/<int:response_id>/sections/<code:section>")
@blueprint.arguments(SaveInput)
@blueprint.response(200, SaveResultSchema)
@errors(blueprint, *WRITE_ERRORS, 409, 422)
def save_section(values, response_id: int, section: str):
    """Save one section's answers as a draft, as the section page does: only if nobody changed these answers
    since `version` (their changes to other questions merge); otherwise 409 with the current version and the
    differences, and nothing is saved."""
    response = _response(response_id)
    require(current_user, Action.EDIT_RESPONSE, response)
    if section not in {s.code for s in asked_sections(response)}:
        abort(404)
    refused = _answer_errors(response, section, values["answers"])
    if refused:
        return problem(422, "Unprocessable Content", "Some answers are not valid.", refused)
    outcome = save_page(response, section, values["answers"], values["version"], values["original"], current_user)
    if isinstance(outcome, Conflict):
        db.session.rollback()
        return problem(409, "Conflict", "The response was changed since this version; nothing was saved.",
                       current_version=outcome.current_version, differences=outcome.differences)
    db.session.commit()
    return {"response": response, "problems": _texts(outcome.errors), "warnings": _texts(outcome.warnings)}


def _texts(messages: dict) -> dict[str, list[str]]:
    return {code: [str(m) for m in found] for code, found in messages.items()}


@blueprint.get("/questionnaires")
@blueprint.response(200, VersionSchema(many=True))
@errors(blueprint, *READ_ERRORS)
def list_questionnaires():
    """The questionnaire versions (a response names its own).

    No `updated_since`: the versions shipped with the software have no timestamp; a version never changes once a
    round uses it."""
    return [{"version": version} for version in available_versions()]


@blueprint.get("/questionnaires/<code:version>")
@blueprint.response(200, DefinitionSchema)
@errors(blueprint, *READ_ERRORS)
def get_questionnaire(version: str):
    """A version's sections and questions: codes, types, labels, choices, bounds and skip logic."""
    if version not in available_versions():
        abort(404)
    return load_definition(version)


@blueprint.get("/rounds/<int:round_id>/findings")
@blueprint.arguments(PlainPageArgs, location="query")
@blueprint.response(200, FindingSchema(many=True), headers=LIST_HEADERS)
@errors(blueprint, *READ_ERRORS)
def list_findings(args, round_id: int):
    """The round's shelter findings, of the shelters the token's user may see.

    No `updated_since`: findings have no timestamp (they are recomputed as responses are counted and as the
    round is evaluated again); read the round's list whole."""
    round_ = load_round(round_id)
    statement = scope_shelters(current_user, select(Finding).join(Shelter, Shelter.id == Finding.shelter_id)
                               .where(Finding.round_id == round_.id).order_by(Finding.id))
    page = paginate(statement, args["page"], args["page_size"])
    return page.items, 200, page.headers()


def _follow_up(item) -> dict | None:
    return None if item is None else {"status": item.status, "comment": item.comment, "at": item.at}


def _followed_up_since(state: FollowUpState | None, moment: dt.datetime | None) -> bool:
    return moment is None or (state is not None and state.current.at >= as_naive_utc(moment))


def _recommendations(stored: dict, region_iso: str | None, states: dict[str, FollowUpState],
                     moment: dt.datetime | None) -> list[dict]:
    """The stored recommendations by code with their follow-up; with a moment, those followed up since."""
    return [_recommendation(code, item, region_iso, states.get(code)) for code, item in sorted(stored.items())
            if _followed_up_since(states.get(code), moment)]


def _recommendation(code: str, stored, region_iso: str | None, state: FollowUpState | None) -> dict:
    return {"code": code, "region": region_iso, "status": getattr(stored, "status", "issued"),
            "severity": stored.severity, "shelter_ids": list(stored.shelter_ids),
            "region_codes": list(getattr(stored, "region_codes", [])), "reasons": list(stored.reasons),
            "follow_up": _follow_up(state.current) if state else None,
            "follow_up_history": [_follow_up(item) for item in state.history] if state else []}


@blueprint.get("/rounds/<int:round_id>/recommendations/national")
@blueprint.arguments(RecommendationArgs, location="query")
@blueprint.response(200, RecommendationSchema(many=True))
@errors(blueprint, *READ_ERRORS)
def national(args, round_id: int):
    """The Ministry's recommendations (M1-M3) issued in the round, with their follow-up."""
    round_ = load_round(round_id)
    require(current_user, Action.VIEW_NATIONAL_RECOMMENDATIONS)
    return _recommendations(national_recommendations(round_), None, follow_ups(round_, None), args["updated_since"])


@blueprint.get("/rounds/<int:round_id>/recommendations/regions/<code:iso_code>")
@blueprint.arguments(RecommendationArgs, location="query")
@blueprint.response(200, RecommendationSchema(many=True))
@errors(blueprint, *READ_ERRORS)
def regional(args, round_id: int, iso_code: str):
    """A region's recommendations (R1-R7) in the round, issued or without data, with their follow-up."""
    round_ = load_round(round_id)
    region = load_region(iso_code)
    require(current_user, Action.VIEW_REGIONAL_RECOMMENDATIONS, region)
    return _recommendations(regional_recommendations(round_, region), region.iso_code, follow_ups(round_, region),
                            args["updated_since"])


@blueprint.get("/rounds/<int:round_id>/indicators")
@blueprint.response(200, RoundIndicatorsSchema)
@errors(blueprint, *READ_ERRORS)
def indicators(round_id: int):
    """The round's indicators nationally and per region (a regional user: national totals and its region)."""
    round_ = load_round(round_id)
    require(current_user, Action.VIEW_DASHBOARD)
    own = scope_region(current_user)
    return national_dashboard(round_, only_region=own.iso_code if own is not None else None)


@blueprint.get("/rounds/<int:round_id>/indicators/<code:iso_code>")
@blueprint.response(200, IndicatorsSchema)
@errors(blueprint, *READ_ERRORS)
def region_indicators(round_id: int, iso_code: str):
    """One region's indicators in the round."""
    round_ = load_round(round_id)
    region = load_region(iso_code)
    require(current_user, Action.VIEW_REGION_DASHBOARD, region)
    return national_dashboard(round_, only_region=region.iso_code).by_region.get(region.iso_code) \
        or compute_indicators([])
