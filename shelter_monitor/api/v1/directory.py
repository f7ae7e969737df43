"""Regions, shelters (profile, status, latest free places; address and phone only where the policy allows),
their availability (latest, history; an update posted by those the policy lets), and "find a place"."""
from collections.abc import Callable

from flask.views import MethodView
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shelter_monitor.api.v1.common import (
    LIST_HEADERS,
    READ_ERRORS,
    WRITE_ERRORS,
    api_blueprint,
    api_language,
    errors,
    get_or_404,
)
from shelter_monitor.api.v1.paging import as_naive_utc, paginate, since
from shelter_monitor.api.v1.schemas import (
    AvailabilityInput,
    AvailabilitySchema,
    PageArgs,
    PlaceQuery,
    PlaceSchema,
    RegionSchema,
    ShelterArgs,
    ShelterSchema,
)
from shelter_monitor.auth.policy import Action, can, require, scope_shelters
from shelter_monitor.availability.matching import Match, Note, Profile
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.availability.notes import note_text
from shelter_monitor.availability.service import newest_updates, record_availability, search_places
from shelter_monitor.dashboards.service import refresh_indicators_for_shelter
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.models import Region
from shelter_monitor.regions.tiles import NEIGHBOURS
from shelter_monitor.shelters.models import Shelter

PROFILE = ("id", "name", "settlement", "katottg", "institution_type", "ownership", "specialised", "capacity", "status",
           "updated_at")

blueprint = api_blueprint("api_directory", "Regions, shelters, free places and finding a place")


@blueprint.get("/regions")
@blueprint.response(200, RegionSchema(many=True))
@errors(blueprint, *READ_ERRORS)
def list_regions():
    """The regions (ISO 3166-2 codes, names in Ukrainian and English).

    No `updated_since`: regions are reference data without a timestamp; the list is short, read it whole."""
    return db.session.scalars(select(Region).order_by(Region.iso_code)).all()


def _shelter_rows(shelters: list[Shelter]) -> list[dict]:
    """The shelters as the API shows them to the current user: two statements whatever their number."""
    latest = newest_updates([s.id for s in shelters])
    return [{**_profile(s), "latest_availability": latest.get(s.id)} for s in shelters]


def _profile(shelter: Shelter) -> dict:
    contact = ({"address": shelter.address, "phone": shelter.phone}
               if can(current_user, Action.VIEW_SHELTER_CONTACT, shelter) else None)
    return {**{key: getattr(shelter, key) for key in PROFILE}, "region": shelter.region,
            "contact": contact}


@blueprint.get("/shelters")
@blueprint.arguments(ShelterArgs, location="query")
@blueprint.response(200, ShelterSchema(many=True), headers=LIST_HEADERS)
@errors(blueprint, *READ_ERRORS)
def list_shelters(args):
    """The shelters the token's user may see, by id; `updated_since` compares the record's last change."""
    statement = scope_shelters(current_user, select(Shelter).options(
        selectinload(Shelter.region), selectinload(Shelter.monitors)).order_by(Shelter.id))
    if args["region"]:
        statement = statement.join(Region).where(Region.iso_code == args["region"])
    statement = since(statement, Shelter.updated_at, args["updated_since"])
    page = paginate(statement, args["page"], args["page_size"])
    return _shelter_rows(page.items), 200, page.headers()


def _shelter(shelter_id: int) -> Shelter:
    shelter = get_or_404(Shelter, shelter_id)
    require(current_user, Action.VIEW_SHELTER, shelter)
    return shelter


@blueprint.get("/shelters/<int:shelter_id>")
@blueprint.response(200, ShelterSchema)
@errors(blueprint, *READ_ERRORS)
def get_shelter(shelter_id: int):
    """One shelter."""
    return _shelter_rows([_shelter(shelter_id)])[0]


@blueprint.route("/shelters/<int:shelter_id>/availability", endpoint="availability")
class ShelterAvailability(MethodView):
    """One rule for both methods (two rules on one path answer 405 instead of 404 for an id out of range)."""

    @blueprint.arguments(PageArgs, location="query")
    @blueprint.response(200, AvailabilitySchema(many=True), headers=LIST_HEADERS)
    @errors(blueprint, *READ_ERRORS)
    def get(self, args, shelter_id: int):
        """The shelter's availability updates, newest first (`updated_since`: posted at or after)."""
        shelter = _shelter(shelter_id)
        statement = (select(AvailabilityUpdate).where(AvailabilityUpdate.shelter_id == shelter.id)
                     .order_by(AvailabilityUpdate.as_of.desc(), AvailabilityUpdate.id.desc()))
        statement = since(statement, AvailabilityUpdate.created_at, args["updated_since"])
        page = paginate(statement, args["page"], args["page_size"])
        return page.items, 200, page.headers()

    @blueprint.arguments(AvailabilityInput)
    @blueprint.response(201, AvailabilitySchema)
    @errors(blueprint, *WRITE_ERRORS)
    def post(self, values, shelter_id: int):
        """Post the shelter's free places now (shelter staff for their own shelter, its monitors, coordinators)."""
        shelter = _shelter(shelter_id)
        require(current_user, Action.UPDATE_AVAILABILITY, shelter)
        as_of = as_naive_utc(values["as_of"]) or utcnow().replace(microsecond=0)
        update = record_availability(shelter, as_of, values["free_women"], values["free_men"],
                                     values["free_children"], values["youngest_child_months"],
                                     values["admissions_open"], values["note"], current_user)
        refresh_indicators_for_shelter(shelter.id)
        db.session.commit()
        return update


LANGUAGE_HEADERS = {
    "Content-Language": {"description": "The language of the notes' `text`", "schema": {"type": "string"}},
    "Vary": {"description": "Accept-Language", "schema": {"type": "string"}},
}


def _note(note: Note, text: Callable[[Note], str]) -> dict:
    return {"key": note.key, "params": dict(note.params), "text": text(note)}


def _place(match: Match, text: Callable[[Note], str]) -> dict:
    return {"shelter_id": match.candidate.shelter_id, "name": match.candidate.name, "region": match.candidate.region,
            "free_places": match.free_places, "as_of": match.as_of.isoformat() if match.as_of else None,
            "in_region": match.in_region, "known": match.known, "from_update": match.from_update,
            "reasons": [_note(n, text) for n in match.reasons], "risks": [_note(n, text) for n in match.risks],
            "unknowns": [_note(n, text) for n in match.unknowns]}


@blueprint.get("/places")
@blueprint.arguments(PlaceQuery, location="query")
@blueprint.response(200, PlaceSchema(many=True), headers=LANGUAGE_HEADERS)
@errors(blueprint, 304, 401, 403, 429)
def find_a_place(query):
    """The shelters that may take the person, with the reasons and risks, ranked as on the "find a place" page
    (children's ages: repeat `children_ages_months`). Each note has a stable `key` and `params`, and the page's
    sentence in `text`, in the language of `lang` or `Accept-Language`.

    No `updated_since`: a search ranked at the time of the request; each place's `as_of` says how fresh its free
    places are."""
    require(current_user, Action.FIND_PLACE)
    region = query["region"] or None
    profile = Profile(sex=query["sex"], children_ages_months=tuple(query["children_ages_months"]),
                      foreigner=query["foreigner"], no_registration=query["no_registration"], no_id=query["no_id"],
                      dangerous_disease=query["dangerous_disease"], group_size=query["group_size"], region=region,
                      include_neighbours=query["include_neighbours"], out_of_hours=query["out_of_hours"])
    language = api_language(query["lang"])
    headers = {"Content-Language": language, "Vary": "Accept-Language"}
    if region is not None and region not in NEIGHBOURS:
        return [], 200, headers  # a well-formed code of no region: nowhere to search
    definition = load_definition()
    with force_locale(language):
        places = [_place(match, lambda note: note_text(note, definition, language))
                  for match in search_places(profile, utcnow().date())]
    return places, 200, headers
