"""Monitoring rounds: creating, editing, and how far each region has got."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, exists, func, select, update

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.auth.policy import scope_shelters
from shelter_monitor.collation import collated
from shelter_monitor.errors import FieldError
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import RegionalForm, Response, ResponseState
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter

NOT_STARTED = "not_started"


class RoundError(FieldError):
    """A round cannot be saved as asked."""


def lock_results(round_: Round) -> None:
    """Take the round's results lock until the transaction ends: whoever writes the round's stored results
    (findings, recommendations, indicators, latest answers) holds it, so two workflow steps in one round write
    one after the other and each reads what the other committed. On PostgreSQL a row lock on the round (FOR NO
    KEY UPDATE: inserts that refer to the round are not blocked); SQLite lets one writer in at a time anyway."""
    db.session.execute(select(Round.id).where(Round.id == round_.id).with_for_update(key_share=True))


def _change_version(round_: Round, version: str) -> None:
    """Put the round on another questionnaire version while it has no response and no regional form: answers
    are read under the version they were given in. The database decides, in the UPDATE's WHERE (an answer
    saved meanwhile is seen by the statement), and RoundError says the round keeps its version."""
    changed = db.session.execute(
        update(Round)
        .where(Round.id == round_.id, ~exists().where(Response.round_id == Round.id),
               ~exists().where(RegionalForm.round_id == Round.id))
        .values(questionnaire_version=version)
        .execution_options(synchronize_session="fetch"))
    if changed.rowcount != 1:
        raise RoundError("questionnaire_version", _l(
            "This round has answers, so its questionnaire version cannot be changed: they were given under "
            "version %(version)s.", version=round_.questionnaire_version))


def rounds_newest_first() -> Select:
    return select(Round).order_by(Round.period_start.desc())


def save_round(round_: Round | None, code: str, name: str, name_en: str, period_start: dt.date,
               period_end: dt.date, questionnaire_version: str, covid_section: bool, is_open: bool,
               actor: User) -> Round:
    """Create (round_ is None) or change a round, with its name in Ukrainian and in English. Raises RoundError
    for a reversed period, a taken code, or a new questionnaire version for a round that has answers."""
    if period_end < period_start:
        raise RoundError("period_end", _l("The period ends before it starts."))
    taken = db.session.scalar(select(Round).where(Round.code == code))
    if taken is not None and taken is not round_:
        raise RoundError("code", _l("This code is taken by another round."))
    creating = round_ is None
    if creating:
        round_ = Round(questionnaire_version=questionnaire_version)
    elif questionnaire_version != round_.questionnaire_version:
        _change_version(round_, questionnaire_version)
    round_.code, round_.name, round_.name_en = code, name, name_en
    round_.period_start, round_.period_end = period_start, period_end
    round_.covid_section, round_.is_open = covid_section, is_open
    db.session.add(round_)
    record(actor, "round.create" if creating else "round.update", round_,
           {"code": code, "open": is_open, "covid_section": covid_section, "version": questionnaire_version})
    return round_


@dataclass
class RegionProgress:
    region: Region
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    programme: Any = None  # the regional form's I4 (a regional anti-trafficking programme?); None: not filled in

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def done(self) -> int:
        return self.counts[ResponseState.SUBMITTED] + self.counts[ResponseState.APPROVED]

    @property
    def in_progress(self) -> int:
        return self.counts[ResponseState.DRAFT] + self.counts[ResponseState.RETURNED]


def round_progress(round_: Round, user: User, locale: str = "en") -> list[RegionProgress]:
    """Per region (within the user's scope), in the collation order of the regions' names in `locale`: shelters
    with an approved, submitted, returned or draft response, those not started, and the regional form's answer to
    I4. Two queries, whatever the number of shelters."""
    statement = scope_shelters(user, (
        select(Region, Response.state, func.count(Shelter.id))
        .select_from(Shelter).join(Region)
        .outerjoin(Response, and_(Response.shelter_id == Shelter.id, Response.round_id == round_.id))
        .group_by(Region.id, Response.state)
    ))
    progress: dict[int, RegionProgress] = {}
    for region, state, count in db.session.execute(statement):
        entry = progress.setdefault(region.id, RegionProgress(region))
        entry.counts[state or NOT_STARTED] += count
    forms = select(RegionalForm.region_id, RegionalForm.answers).where(RegionalForm.round_id == round_.id,
                                                                      RegionalForm.region_id.in_(list(progress)))
    for region_id, answers in db.session.execute(forms):
        progress[region_id].programme = (answers or {}).get("I4")
    return collated(progress.values(), key=lambda p: p.region.name(locale))
