"""Shelters: listing within a user's scope, creating, editing, assigning monitors."""
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from shelter_monitor.audit.service import diff, record
from shelter_monitor.auth.models import User
from shelter_monitor.auth.policy import Action, can, scope_shelters
from shelter_monitor.collation import sort_key
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter, ShelterStatus

STATUS_LABELS = {
    ShelterStatus.OPEN: _l("Open"),
    ShelterStatus.SUSPENDED: _l("Admissions suspended"),
    ShelterStatus.CLOSED: _l("Closed"),
}
# On a monitor's start page: what needs doing first (returned for correction, then started, then not started),
# then what waits for review, then what is done; the page shows one group at a time, "to do" first.
WORK_ORDER = {"returned": 0, "draft": 1, None: 2, "submitted": 3, "approved": 4}
WORK_GROUP_OF = {"returned": "todo", "draft": "todo", None: "todo", "submitted": "submitted", "approved": "approved"}
WORK_GROUPS = ("todo", "submitted", "approved")
EDITABLE_FIELDS = ("name", "settlement", "katottg", "institution_type", "ownership", "specialised", "capacity",
                   "status", "address", "phone")


def institution_type_choices():
    """B4's choices: the one list of institution types."""
    return load_definition().question("B4").choices


def ownership_choices():
    return load_definition().question("B5").choices


def in_reading_order(shelters: Iterable[Shelter], locale: str) -> list[Shelter]:
    """The shelters by region name in the locale, then by name, both collated (Ukrainian alphabet order)."""
    return sorted(shelters, key=lambda shelter: (sort_key(shelter.region.name(locale)), sort_key(shelter.name)))


def shelters_for(user: User, region_iso: str | None = None, institution_type: str | None = None,
                 status: str | None = None) -> Select:
    """Shelters the user may see, filtered, ordered by region then name."""
    statement = (select(Shelter).join(Region).options(selectinload(Shelter.region))
                 .order_by(Region.name_en, Shelter.name))
    if region_iso:
        statement = statement.where(Region.iso_code == region_iso)
    if institution_type:
        statement = statement.where(Shelter.institution_type == institution_type)
    if status:
        statement = statement.where(Shelter.status == status)
    return scope_shelters(user, statement)


def _snapshot(shelter: Shelter) -> dict[str, Any]:
    values = {name: getattr(shelter, name) for name in EDITABLE_FIELDS}
    values["region"] = shelter.region.iso_code if shelter.region else None
    return values


def create_shelter(values: Mapping[str, Any], region: Region, actor: User) -> Shelter:
    """Add a shelter with the given profile."""
    shelter = Shelter(region=region, **{k: values[k] for k in EDITABLE_FIELDS if k in values})
    db.session.add(shelter)
    record(actor, "shelter.create", shelter, {"after": _snapshot(shelter)})
    return shelter


def update_shelter(shelter: Shelter, values: Mapping[str, Any], region: Region, actor: User) -> None:
    """Change a shelter's profile; the audit entry keeps the values before and after."""
    before = _snapshot(shelter)
    for name in EDITABLE_FIELDS:
        if name in values:
            setattr(shelter, name, values[name])
    shelter.region = region
    record(actor, "shelter.update", shelter, {"changes": diff(before, _snapshot(shelter))})


def assignable_monitors() -> list[User]:
    """The active users the policy lets be assigned to a shelter as its monitors, by name."""
    users = db.session.scalars(select(User).where(User.active).order_by(User.name)).all()
    return [user for user in users if can(user, Action.BE_ASSIGNED_TO_SHELTER)]


def assign_monitors(shelter: Shelter, monitors: Iterable[User], actor: User) -> None:
    """Set the monitors who fill this shelter's responses (users the policy does not let be assigned are left
    out)."""
    chosen = [user for user in monitors if can(user, Action.BE_ASSIGNED_TO_SHELTER)]
    before = sorted(user.email for user in shelter.monitors)
    shelter.monitors = chosen
    record(actor, "shelter.assign", shelter, {"before": before, "after": sorted(u.email for u in chosen)})


def responses_by_round(shelter: Shelter) -> list[tuple[Round, Response | None]]:
    """Every round, newest first, with the shelter's response in it (or None)."""
    rounds = db.session.scalars(select(Round).order_by(Round.period_start.desc())).all()
    responses = {r.round_id: r for r in db.session.scalars(select(Response).where(Response.shelter_id == shelter.id))}
    return [(round_, responses.get(round_.id)) for round_ in rounds]


def monitor_worklist(user: User, locale: str) -> list[tuple[Shelter, Round, Response | None]]:
    """For a monitor: each assigned shelter in each open round, with its response if started; unfinished work
    first, then the newest round first, then in reading order (region, then name, collated in the locale)."""
    shelters = in_reading_order(db.session.scalars(shelters_for(user)), locale)
    rounds = db.session.scalars(select(Round).where(Round.is_open).order_by(Round.period_start.desc())).all()
    ids = [s.id for s in shelters]
    responses = {(r.shelter_id, r.round_id): r for r in db.session.scalars(
        select(Response).where(Response.shelter_id.in_(ids), Response.round_id.in_([r.id for r in rounds])))}
    worklist = [(s, r, responses.get((s.id, r.id))) for r in rounds for s in shelters]
    return sorted(worklist, key=lambda item: WORK_ORDER[_state(item[2])])


def _state(response: Response | None) -> str | None:
    return str(response.state) if response is not None else None


def work_groups(worklist: list[tuple[Shelter, Round, Response | None]]) -> dict[str, list]:
    """The worklist's items by group ("todo": returned, draft or not started; "submitted"; "approved"), each
    group in work order, every group present even when empty."""
    groups: dict[str, list] = {key: [] for key in WORK_GROUPS}
    for item in worklist:
        groups[WORK_GROUP_OF[_state(item[2])]].append(item)
    return groups


def only_round(worklist: Iterable[tuple[Shelter, Round, Response | None]]) -> Round | None:
    """The round every item of the worklist belongs to, or None when they belong to several (or there are none):
    the start page names a single round once, above the cards, instead of on each."""
    rounds = {item[1].id: item[1] for item in worklist}
    return next(iter(rounds.values())) if len(rounds) == 1 else None


def shown_group(asked: str | None, groups: Mapping[str, list]) -> str:
    """The group the start page shows: the one asked for ("all" too), else "todo" while there is something to
    do, else "all"."""
    if asked in groups or asked == "all":
        return asked
    return "todo" if groups["todo"] else "all"
