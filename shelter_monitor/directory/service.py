"""The directory's data: the shelters a reader may see (auth.policy.scope_directory), a page at a time, each with
its latest submitted or approved answers and newest availability update, in the same few statements whatever the
number of shelters (a count, the page, its regions, its updates, its answers)."""
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import selectinload

from shelter_monitor.api.v1.paging import as_naive_utc, paginate
from shelter_monitor.auth.models import User
from shelter_monitor.auth.policy import scope_directory
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.availability.service import as_availability, newest_updates
from shelter_monitor.directory.hsds import ANSWER_CODES, READS, ShelterRecord, check_definition
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import available_versions, load_definition
from shelter_monitor.responses.models import COUNTED_STATES, Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter

BOOL_CODES = frozenset(code for code in ANSWER_CODES if READS[code][0] == "bool")


def check_directory_definitions() -> None:
    """Hold the directory's question codes and choice values against every questionnaire version
    (DirectoryError names the first mismatch); the app runs this when it starts."""
    for version in available_versions():
        check_definition(load_definition(version))


def directory_shelters(user: User, published: bool, modified_after: dt.datetime | None = None,
                       shelter_id: int | None = None) -> Select:
    """The shelters of the directory the reader sees, by id: those changed at or after `modified_after` (the
    record, a counted response or an availability update), or the one shelter asked for."""
    statement = select(Shelter).options(selectinload(Shelter.region)).order_by(Shelter.id)
    if shelter_id is not None:
        statement = statement.where(Shelter.id == shelter_id)
    if modified_after is not None:
        moment = as_naive_utc(modified_after)
        statement = statement.where(or_(
            Shelter.updated_at >= moment,
            exists().where(AvailabilityUpdate.shelter_id == Shelter.id, AvailabilityUpdate.created_at >= moment),
            exists().where(Response.shelter_id == Shelter.id, Response.state.in_(COUNTED_STATES),
                           or_(Response.updated_at >= moment, Response.submitted_at >= moment,
                               Response.reviewed_at >= moment))))
    return scope_directory(user, statement, published)


def directory_page(statement: Select, page: int, per_page: int, locale: str) -> tuple[list[ShelterRecord], int]:
    """One page of the shelters of the statement as records, and the number of shelters in every page."""
    found = paginate(statement, page, per_page)
    return shelter_records(found.items, locale), found.total


def shelter_records(shelters: Sequence[Shelter], locale: str) -> list[ShelterRecord]:
    """The shelters (their regions loaded) as the directory's records: two statements for any number."""
    if not shelters:
        return []
    ids = [shelter.id for shelter in shelters]
    updates = newest_updates(ids)
    answered = _latest_answers(ids)
    records = []
    for shelter in shelters:
        version, answers, answered_at = answered.get(shelter.id, (None, {}, None))
        update = updates.get(shelter.id)
        moments = [shelter.updated_at, answered_at, update.created_at if update else None]
        records.append(ShelterRecord(
            shelter_id=shelter.id, name=shelter.name, region=shelter.region.iso_code,
            region_name=shelter.region.name(locale), settlement=shelter.settlement or "",
            katottg=shelter.katottg or "", institution_type=shelter.institution_type, ownership=shelter.ownership,
            specialised=shelter.specialised, capacity=shelter.capacity, status=shelter.status,
            changed_at=max(moment for moment in moments if moment is not None),
            definition=load_definition(version) if version else load_definition(), answers=answers,
            availability=as_availability(update)))
    return records


def _latest_answers(shelter_ids: list[int]) -> dict[int, tuple[str, dict[str, Any], dt.datetime]]:
    """Shelter id -> (questionnaire version, the answers the directory reads without those marked sensitive,
    when they last changed) of its most recent submitted or approved response (by round, as "find a place" reads
    them); one statement."""
    rank = func.row_number().over(partition_by=Response.shelter_id,
                                  order_by=(Round.period_start.desc(), Response.id.desc()))
    ranked = (select(Response.id, rank.label("rank")).join(Round, Round.id == Response.round_id)
              .where(Response.state.in_(COUNTED_STATES), Response.shelter_id.in_(shelter_ids)).subquery())
    statement = (select(Response.shelter_id, Response.questionnaire_version, Response.sensitive_codes,
                        Response.updated_at, Response.submitted_at, Response.reviewed_at,
                        *(Response.answers[code] for code in ANSWER_CODES))
                 .join(ranked, ranked.c.id == Response.id).where(ranked.c.rank == 1))
    found = {}
    for row in db.session.execute(statement):
        shelter_id, version, sensitive, *moments = row[:6]
        hidden = set(sensitive or ())
        answers = {code: _as_answered(code, value) for code, value in zip(ANSWER_CODES, row[6:], strict=True)
                   if value is not None and code not in hidden}
        found[shelter_id] = (version, answers, max(moment for moment in moments if moment is not None))
    return found


def _as_answered(code: str, value: Any) -> Any:
    """SQLite's JSON_EXTRACT gives a JSON true or false as 1 or 0: a yes/no question's answer is a bool again."""
    return bool(value) if code in BOOL_CODES and isinstance(value, int) else value
