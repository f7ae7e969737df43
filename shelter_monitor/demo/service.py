"""Loading the demo data set into an empty database."""
import datetime as dt
import random

from sqlalchemy import func, select

from shelter_monitor.auth.models import Role, User
from shelter_monitor.auth.service import create_user
from shelter_monitor.availability.models import AvailabilityUpdate
from shelter_monitor.db_types import utcnow
from shelter_monitor.demo.generator import (
    DEMO_REGIONS_WITHOUT_FORM,
    demo_answers,
    demo_regional_answers,
    demo_shelters,
)
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import RegionalForm, Response, ResponseState
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.results import refresh_results
from shelter_monitor.shelters.models import Shelter

DEMO_LOGINS_FILE = "demo-logins.txt"
DEMO_ROUND = {"code": "2020-10", "name": "Моніторинг притулків, жовтень 2020",
              "period_start": dt.date(2020, 10, 1), "period_end": dt.date(2020, 10, 31)}
EARLIER_ROUND = {"code": "2019-10", "name": "Моніторинг притулків, жовтень 2019",
                 "period_start": dt.date(2019, 10, 1), "period_end": dt.date(2019, 10, 31)}
QUESTIONNAIRE_VERSION = "2020.1"
SEED = 2020
UNSTARTED_EVERY = 12  # every 12th shelter has no response yet, so the demo monitors have questionnaires to fill
EARLIER_EVERY = 4  # three shelters in four were monitored in the 2019 round too
STAFF_SHELTER = 1  # the demo shelter staff account belongs to the second demo shelter


class DemoAlreadyLoaded(RuntimeError):
    """The database has users or shelters already; the demo is loaded only into an empty one."""


def _demo_users(password: str, regions: dict[str, Region]) -> list[tuple[User, str]]:
    people = [
        ("admin@demo.shelter-monitor.org", "Оксана Адмін", Role.ADMIN, None),
        ("coordinator@demo.shelter-monitor.org", "Марія Координаторка", Role.COORDINATOR, None),
        ("monitor@demo.shelter-monitor.org", "Андрій Моніторенко", Role.MONITOR, None),
        ("monitor2@demo.shelter-monitor.org", "Ірина Шевчук", Role.MONITOR, None),
        ("lviv@demo.shelter-monitor.org", "Львівська ОДА (демо)", Role.REGIONAL, regions["UA-46"]),
        ("ministry@demo.shelter-monitor.org", "Мінсоцполітики (демо)", Role.MINISTRY, None),
    ]
    return [(create_user(email, name, password, role, region), password) for email, name, role, region in people]


def _staff_user(password: str, shelter: Shelter) -> tuple[User, str]:
    user = create_user("staff@demo.shelter-monitor.org", "Персонал притулку (демо)", password, Role.SHELTER_STAFF,
                       shelter=shelter)
    return user, password


def load_demo(password: str) -> list[tuple[str, str, str]]:
    """Load about 60 shelters, demo users for every role, the 2020-10 round with submitted responses and most
    regions' regional forms, an approved 2019-10 round (COVID section off) for trends, and availability updates.
    Returns (email, role, password) for each demo user. Raises DemoAlreadyLoaded when the database is not empty."""
    if db.session.scalar(select(func.count(User.id))) or db.session.scalar(select(func.count(Shelter.id))):
        raise DemoAlreadyLoaded("the database already has users or shelters")
    rng = random.Random(SEED)
    regions = {r.iso_code: r for r in db.session.scalars(select(Region))}
    users = _demo_users(password, regions)
    coordinator = next(u for u, _ in users if u.role == Role.COORDINATOR)
    monitors = [u for u, _ in users if u.role == Role.MONITOR]
    earlier = Round(questionnaire_version=QUESTIONNAIRE_VERSION, covid_section=False, is_open=False, **EARLIER_ROUND)
    round_ = Round(questionnaire_version=QUESTIONNAIRE_VERSION, covid_section=True, is_open=True, **DEMO_ROUND)
    db.session.add_all([earlier, round_])
    shelters = []
    profiles = demo_shelters()
    for index, profile in enumerate(profiles):
        shelter = Shelter(name=profile.name, region=regions[profile.region], settlement=profile.settlement,
                          institution_type=profile.institution_type, ownership=profile.ownership,
                          specialised=profile.specialised, capacity=profile.capacity, status=profile.status,
                          address=profile.address, phone=profile.phone, monitors=[monitors[index % len(monitors)]])
        db.session.add(shelter)
        shelters.append(shelter)
        if index % EARLIER_EVERY:
            _add_earlier_response(shelter, earlier, profile, monitors[index % len(monitors)], coordinator, rng)
        visit = DEMO_ROUND["period_start"] + dt.timedelta(days=rng.randrange(0, 28))
        answers = demo_answers(profile, round_.code, visit, round_.covid_section, rng)
        if index % UNSTARTED_EVERY:
            _add_response(shelter, round_, answers, monitors[index % len(monitors)], coordinator, index)
    for iso in sorted({p.region for p in profiles} - set(DEMO_REGIONS_WITHOUT_FORM)):
        db.session.add(RegionalForm(region=regions[iso], round=round_, answers=demo_regional_answers(iso, rng),
                                    version=1, updated_by_id=None))
    users.append(_staff_user(password, shelters[STAFF_SHELTER]))
    _add_availability(shelters, monitors[0], rng)
    db.session.flush()
    refresh_results(earlier)
    refresh_results(round_)
    return [(user.email, user.role, pw) for user, pw in users]


def _add_earlier_response(shelter: Shelter, round_: Round, profile, monitor: User, coordinator: User,
                          rng: random.Random) -> None:
    visit = EARLIER_ROUND["period_start"] + dt.timedelta(days=rng.randrange(0, 28))
    answers = demo_answers(profile, round_.code, visit, False, random.Random(rng.random()))
    moment = dt.datetime.combine(EARLIER_ROUND["period_end"], dt.time(12))
    db.session.add(Response(shelter=shelter, round=round_, questionnaire_version=round_.questionnaire_version,
                            answers=answers, state=ResponseState.APPROVED, version=3, updated_by=monitor,
                            submitted_at=moment, submitted_by=monitor, reviewed_at=moment, reviewed_by=coordinator))


def _add_availability(shelters: list[Shelter], user: User, rng: random.Random) -> None:
    """Recent updates for every third shelter (some of them older than two weeks, so shown as stale)."""
    now = utcnow().replace(second=0, microsecond=0)
    for shelter in shelters[::3]:
        as_of = now - dt.timedelta(days=rng.choice([0, 1, 2, 5, 9, 20, 40]), hours=rng.randrange(0, 12))
        women = rng.randrange(0, 6)
        db.session.add(AvailabilityUpdate(
            shelter=shelter, as_of=as_of, free_women=women, free_men=rng.randrange(0, 3),
            free_children=rng.randrange(0, 4), youngest_child_months=rng.choice([None, 0, 12, 36]),
            admissions_open=shelter.status == "open", note="", created_by=user, created_at=as_of))


def _add_response(shelter: Shelter, round_: Round, answers: dict, monitor: User, coordinator: User,
                  index: int) -> None:
    """Most demo responses wait for review; every fifth is already approved, so both queues have content."""
    submitted_at = utcnow()
    approved = index % 5 == 4
    db.session.add(Response(
        shelter=shelter, round=round_, questionnaire_version=round_.questionnaire_version, answers=answers,
        state=ResponseState.APPROVED if approved else ResponseState.SUBMITTED, version=2,
        created_by_id=None, updated_by=monitor, submitted_at=submitted_at, submitted_by=monitor,
        reviewed_at=submitted_at if approved else None, reviewed_by=coordinator if approved else None,
    ))
