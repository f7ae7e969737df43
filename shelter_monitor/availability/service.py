"""Availability updates: record one, read the newest per shelter (one query for any number of shelters); find a
place: search, and whom to contact about a placement."""
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.auth.policy import Action, can
from shelter_monitor.availability.matching import (
    MATCH_CODES,
    READS,
    Candidate,
    Match,
    Profile,
    check_definition,
    find_places,
)
from shelter_monitor.availability.models import AvailabilityUpdate, LatestAnswers
from shelter_monitor.dashboards.indicators import Availability
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import available_versions, load_definition
from shelter_monitor.regions.models import Region
from shelter_monitor.regions.tiles import NEIGHBOURS
from shelter_monitor.responses.models import COUNTED_STATES, Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter

BOOL_CODES = frozenset(code for code, (kind, _) in READS.items() if kind == "bool")


def record_availability(shelter: Shelter, as_of: dt.datetime, free_women: int, free_men: int, free_children: int,
                        youngest_child_months: int | None, admissions_open: bool, note: str,
                        user: User) -> AvailabilityUpdate:
    """Add an availability update for the shelter (history is kept; the newest by `as_of` counts)."""
    update = AvailabilityUpdate(shelter=shelter, as_of=as_of, free_women=free_women, free_men=free_men,
                                free_children=free_children, youngest_child_months=youngest_child_months,
                                admissions_open=admissions_open, note=note.strip(), created_by=user)
    db.session.add(update)
    record(user, "availability.update", update, {
        "shelter": shelter.id, "as_of": as_of.isoformat(), "free": [free_women, free_men, free_children],
        "youngest_child_months": youngest_child_months, "admissions_open": admissions_open})
    return update


def history(shelter: Shelter, limit: int = 20) -> list[AvailabilityUpdate]:
    return list(db.session.scalars(select(AvailabilityUpdate).where(AvailabilityUpdate.shelter_id == shelter.id)
                                   .order_by(AvailabilityUpdate.as_of.desc(), AvailabilityUpdate.id.desc())
                                   .limit(limit)))


def known_capacity(shelter: Shelter) -> int | None:
    """The most places the shelter is known to have: the larger of its profile's capacity and the total places
    (C1) of its latest counted answers (either may be the newer); None when neither is known."""
    latest = db.session.get(LatestAnswers, shelter.id)
    answered = latest.answers.get("C1") if latest else None
    known = [n for n in (shelter.capacity, answered) if isinstance(n, int) and not isinstance(n, bool) and n > 0]
    return max(known) if known else None


def form_start(shelter: Shelter, now: dt.datetime) -> dict[str, Any]:
    """What the availability form starts from: now, and the newest update's figures, so that only what changed
    is typed; no figures when there is no update yet (a careless save is refused rather than read as no places)."""
    values: dict[str, Any] = {"as_of": now.replace(second=0, microsecond=0)}
    newest = newest_updates([shelter.id]).get(shelter.id)
    if newest is not None:
        values |= {"free_women": newest.free_women, "free_men": newest.free_men,
                   "free_children": newest.free_children, "youngest_child_months": newest.youngest_child_months,
                   "admissions_open": newest.admissions_open}
    return values


def newest_updates(shelter_ids: Iterable[int] | None = None) -> dict[int, AvailabilityUpdate]:
    """Shelter id -> its newest update, for the given shelters (all when None), in one query."""
    rank = func.row_number().over(partition_by=AvailabilityUpdate.shelter_id,
                                  order_by=(AvailabilityUpdate.as_of.desc(), AvailabilityUpdate.id.desc()))
    ranked = select(AvailabilityUpdate.id, rank.label("rank"))
    if shelter_ids is not None:
        ranked = ranked.where(AvailabilityUpdate.shelter_id.in_(list(shelter_ids)))
    ranked = ranked.subquery()
    statement = select(AvailabilityUpdate).join(ranked, ranked.c.id == AvailabilityUpdate.id).where(ranked.c.rank == 1)
    return {update.shelter_id: update for update in db.session.scalars(statement)}


def as_availability(update: AvailabilityUpdate | None) -> Availability | None:
    """The plain value the indicators and the matcher read."""
    if update is None:
        return None
    return Availability(as_of=update.as_of, free_women=update.free_women, free_men=update.free_men,
                        free_children=update.free_children, youngest_child_months=update.youngest_child_months,
                        admissions_open=update.admissions_open)


def is_stale(update: AvailabilityUpdate, now: dt.datetime | None = None) -> bool:
    """Older than AVAILABILITY_STALE_DAYS (14 by default)."""
    age = (now or utcnow()) - update.as_of
    return age > dt.timedelta(days=current_app.config["AVAILABILITY_STALE_DAYS"])


def refresh_latest_answers(round_: Round, shelter_ids: Iterable[int] | None = None) -> None:
    """Re-read, for every shelter with a response in the round (or for the given shelters), the matched answers
    of its most recent submitted or approved response (any round) into LatestAnswers: three statements, whatever
    the number of shelters. Rows are upserted, so two rounds refreshing one shelter at once do not collide."""
    shelters = (select(Response.shelter_id).where(Response.round_id == round_.id) if shelter_ids is None
                else select(Shelter.id).where(Shelter.id.in_(list(shelter_ids))))
    rank = func.row_number().over(partition_by=Response.shelter_id,
                                  order_by=(Round.period_start.desc(), Response.id.desc()))
    ranked = (select(Response.id, rank.label("rank")).join(Round, Round.id == Response.round_id)
              .where(Response.state.in_(COUNTED_STATES), Response.shelter_id.in_(shelters)).subquery())
    statement = (select(Response.shelter_id, Response.id, *(Response.answers[code] for code in MATCH_CODES))
                 .join(ranked, ranked.c.id == Response.id).where(ranked.c.rank == 1))
    rows = [{"shelter_id": row[0], "response_id": row[1],
             "answers": {code: _as_answered(code, value) for code, value in zip(MATCH_CODES, row[2:], strict=True)
                         if value is not None}}
            for row in db.session.execute(statement)]
    counted = select(Response.shelter_id).where(Response.state.in_(COUNTED_STATES), Response.shelter_id.in_(shelters))
    db.session.execute(delete(LatestAnswers).where(LatestAnswers.shelter_id.in_(shelters),
                                                   LatestAnswers.shelter_id.not_in(counted)))
    if rows:
        upsert = _insert_for_dialect()(LatestAnswers)
        db.session.execute(upsert.on_conflict_do_update(
            index_elements=[LatestAnswers.shelter_id],
            set_={"response_id": upsert.excluded.response_id, "answers": upsert.excluded.answers}), rows)


def _as_answered(code: str, value):
    """SQLite's JSON_EXTRACT gives a JSON true or false as 1 or 0: a yes/no question's answer is a bool again."""
    return bool(value) if code in BOOL_CODES and isinstance(value, int) else value


def _insert_for_dialect():
    """INSERT with ON CONFLICT, which PostgreSQL and SQLite both have under their own dialect's insert()."""
    return postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _newest_update_rows():
    """A subquery: each shelter's newest update (its columns), for joining."""
    rank = func.row_number().over(partition_by=AvailabilityUpdate.shelter_id,
                                  order_by=(AvailabilityUpdate.as_of.desc(), AvailabilityUpdate.id.desc()))
    columns = AvailabilityUpdate.__table__.c
    ranked = select(columns.shelter_id, columns.as_of, columns.free_women, columns.free_men, columns.free_children,
                    columns.youngest_child_months, columns.admissions_open, rank.label("rank")).subquery()
    return select(ranked).where(ranked.c.rank == 1).subquery()


def place_candidates(region_isos: Iterable[str] | None) -> list[Candidate]:
    """Every shelter (in those regions, or all) with its latest matched answers and newest availability: one
    query."""
    update = _newest_update_rows()
    statement = (select(Shelter.id, Shelter.name, Shelter.status, Shelter.institution_type, Region.iso_code,
                        LatestAnswers.answers,
                        update.c.as_of, update.c.free_women, update.c.free_men, update.c.free_children,
                        update.c.youngest_child_months, update.c.admissions_open)
                 .join(Region, Shelter.region_id == Region.id)
                 .outerjoin(LatestAnswers, LatestAnswers.shelter_id == Shelter.id)
                 .outerjoin(update, update.c.shelter_id == Shelter.id))
    if region_isos is not None:
        statement = statement.where(Region.iso_code.in_(list(region_isos)))
    candidates = []
    for row in db.session.execute(statement):
        answers = row.answers or {}
        visit = answers.get("A2")
        availability = None if row.as_of is None else Availability(
            as_of=row.as_of, free_women=row.free_women, free_men=row.free_men, free_children=row.free_children,
            youngest_child_months=row.youngest_child_months, admissions_open=row.admissions_open)
        candidates.append(Candidate(shelter_id=row.id, name=row.name, region=row.iso_code, status=row.status,
                                    answers=answers, visit_date=dt.date.fromisoformat(visit) if visit else None,
                                    availability=availability, institution_type=row.institution_type))
    return candidates


def check_matcher_definitions() -> None:
    """Hold the matcher's question codes and choice values against every questionnaire version (MatcherError
    names the first mismatch); the app runs this when it starts."""
    for version in available_versions():
        check_definition(load_definition(version))


def search_places(profile: Profile, today: dt.date) -> list[Match]:
    """The ranked matches for the profile among the shelters of the chosen region (and its neighbours when
    asked), or of every region."""
    area = None if profile.region is None else (
        {profile.region} | (set(NEIGHBOURS[profile.region]) if profile.include_neighbours else set()))
    return find_places(profile, place_candidates(area), NEIGHBOURS, today,
                       current_app.config["AVAILABILITY_STALE_DAYS"])


@dataclass(frozen=True)
class Contact:
    """How the searcher can make contact about a placement in a shelter: its phone where the policy lets them
    see it, else the people the policy names for it (its region's first), else neither."""

    shelter: Shelter
    phone: str | None
    people: tuple[User, ...]

    @property
    def dial(self) -> str:
        """The phone as a tel: link takes it: "+" and digits only."""
        return re.sub(r"[^\d+]", "", self.phone or "")


def placement_contacts(searcher: User, shelter_ids: Iterable[int]) -> dict[int, Contact]:
    """Shelter id -> Contact for these shelters; two queries."""
    shelters = db.session.scalars(select(Shelter).where(Shelter.id.in_(list(shelter_ids)))).all()
    if not shelters:
        return {}
    others = db.session.scalars(select(User).where(User.active, User.id != searcher.id).order_by(User.name)).all()
    contacts = {}
    for shelter in shelters:
        if shelter.phone and can(searcher, Action.VIEW_SHELTER_CONTACT, shelter):
            contacts[shelter.id] = Contact(shelter, shelter.phone, ())
            continue
        people = sorted((user for user in others if can(user, Action.ARRANGE_PLACEMENT, shelter)),
                        key=lambda user: user.region_id != shelter.region_id)
        contacts[shelter.id] = Contact(shelter, None, tuple(people))
    return contacts
