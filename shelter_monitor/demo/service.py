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
    DemoShelter,
    demo_answers,
    demo_historical_regional_answers,
    demo_regional_answers,
    demo_shelters,
)
from shelter_monitor.extensions import db
from shelter_monitor.programmes.models import Programme, Target
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, enter_value, load_programme
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import RegionalForm, Response, ResponseState
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.results import refresh_results
from shelter_monitor.shelters.models import Shelter

DEMO_LOGINS_FILE = "demo-logins.txt"
DEMO_ROUND = {"code": "2020-10", "name": "Моніторинг притулків, жовтень 2020",
              "name_en": "Shelter monitoring, October 2020",
              "period_start": dt.date(2020, 10, 1), "period_end": dt.date(2020, 10, 31)}
EARLIER_ROUND = {"code": "2019-10", "name": "Моніторинг притулків, жовтень 2019",
                 "name_en": "Shelter monitoring, October 2019",
                 "period_start": dt.date(2019, 10, 1), "period_end": dt.date(2019, 10, 31)}
QUESTIONNAIRE_VERSION = "2020.1"
SEED = 2020
UNSTARTED_EVERY = 12  # every 12th shelter has no response yet, so the demo monitors have questionnaires to fill
EARLIER_EVERY = 4  # three shelters in four were monitored in the 2019 round too
STAFF_SHELTER = 1  # the demo shelter staff account belongs to the second demo shelter

# Small closed rounds in the years of the 2012 State Programme (2013-2015), so its plan-against-actual page has
# measured values: (year, shelters monitored, regions with a regional programme among those with shelters in the
# round). The shelters come from those monitored in 2019 too (so the 2020 round still carries answers over from
# 2019), CSPAs and NGO shelters first, as the early monitoring did; each round's shelters include the previous one's.
HISTORY_ROUNDS = ((2013, 18, 5), (2014, 24, 7), (2015, 30, 10))
_HISTORY_TIERS = (("cspa", "ngo_tip", "medical_rehab"),
                  ("child_rehab", "child_shelter", "mother_child", "social_services_centre", "territorial_centre",
                   "other"),
                  ("homeless",))  # DV shelters, crisis rooms and CFS centres came later
_DEMO_NOTE = "Демонстраційне значення, вигадане для демо; не офіційні дані."
# Official figures the demo ministry user has entered (invented): (kind, code, year, value, source).
DEMO_FIGURES = tuple(
    (Target.INDICATOR.value, code, year, value, f"Ministry of Social Policy annual report {year} (demo figure)")
    for code, by_year in (("t8_assisted", {2013: "1078", 2014: "1146", 2015: "1203"}),
                          ("t4_trained", {2013: "141", 2014: "127", 2015: "139"}),
                          ("t2_monitoring_reports", {2013: "1", 2014: "1", 2015: "1"}),
                          ("t1_council_meetings", {2013: "4", 2014: "3"}))
    for year, value in by_year.items()
) + tuple(
    (Target.FUNDING.value, "state", year, value, f"State Treasury report on the State budget {year} (demo figure)")
    for year, value in ((2013, "936.2"), (2014, "702.5"))
)
# ... and the one the demo regional user (Lviv) has entered for the region: (kind, code, year, value, source).
DEMO_REGIONAL_REGION = "UA-46"
DEMO_REGIONAL_FIGURE = (Target.FUNDING.value, "local", 2015, "48.5",
                        "Lviv Regional State Administration report on the regional programme 2015 (demo figure)")


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
    regions' regional forms, an approved 2019-10 round (COVID section off) for trends, three small approved rounds
    in 2013-2015, availability updates, and the 2012 State Programme with a few official figures entered.
    Returns (email, role, password) for each demo user. Raises DemoAlreadyLoaded when the database is not empty.
    Nothing is committed: the caller commits."""
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
            _add_approved_response(shelter, earlier, profile, monitors[index % len(monitors)], coordinator, rng)
        visit = DEMO_ROUND["period_start"] + dt.timedelta(days=rng.randrange(0, 28))
        answers = demo_answers(profile, round_.code, visit, round_.covid_section, rng)
        if index % UNSTARTED_EVERY:
            _add_response(shelter, round_, answers, monitors[index % len(monitors)], coordinator, index)
    for iso in sorted({p.region for p in profiles} - set(DEMO_REGIONS_WITHOUT_FORM)):
        db.session.add(RegionalForm(region=regions[iso], round=round_, answers=demo_regional_answers(iso, rng),
                                    version=1, updated_by_id=None))
    users.append(_staff_user(password, shelters[STAFF_SHELTER]))
    _add_availability(shelters, monitors[0], rng)
    history = _add_history(profiles, shelters, regions, monitors, coordinator)
    db.session.flush()
    for closed in (*history, earlier, round_):
        refresh_results(closed)
    _load_programme(users, regions)
    return [(user.email, user.role, pw) for user, pw in users]


def history_round(year: int) -> dict:
    """Code, name and period of the demo's October round of a year."""
    return {"code": f"{year}-10", "name": f"Моніторинг притулків, жовтень {year}",
            "name_en": f"Shelter monitoring, October {year}",
            "period_start": dt.date(year, 10, 1), "period_end": dt.date(year, 10, 31)}


def history_shelters(profiles: list[DemoShelter], count: int) -> list[int]:
    """Indexes of the shelters monitored in a historical round of `count` shelters, in demo-list order: the first
    `count` of a fixed ranking (tier of the institution type, then a seeded shuffle), so each round's shelters
    include those of any smaller round."""
    order = list(range(len(profiles)))
    random.Random(SEED).shuffle(order)
    position = {index: rank for rank, index in enumerate(order)}
    tier = {kind: level for level, kinds in enumerate(_HISTORY_TIERS) for kind in kinds}
    eligible = [i for i, p in enumerate(profiles) if i % EARLIER_EVERY and p.institution_type in tier]
    ranked = sorted(eligible, key=lambda i: (tier[profiles[i].institution_type], position[i]))
    return sorted(ranked[:count])


def _add_history(profiles: list[DemoShelter], shelters: list[Shelter], regions: dict[str, Region],
                 monitors: list[User], coordinator: User) -> list[Round]:
    """The 2013-2015 rounds: closed, no COVID section, every response approved, a regional form per region with
    shelters in the round. Each year draws from its own seed, so the 2019 and 2020 data are as without them."""
    rounds = []
    for year, count, with_programme in HISTORY_ROUNDS:
        rng = random.Random(SEED * 10_000 + year)
        round_ = Round(questionnaire_version=QUESTIONNAIRE_VERSION, covid_section=False, is_open=False,
                       **history_round(year))
        db.session.add(round_)
        rounds.append(round_)
        chosen = history_shelters(profiles, count)
        for index in chosen:
            _add_approved_response(shelters[index], round_, profiles[index], monitors[index % len(monitors)],
                                   coordinator, rng)
        isos = sorted({profiles[index].region for index in chosen})
        for iso, answers in demo_historical_regional_answers(isos, with_programme, rng).items():
            db.session.add(RegionalForm(region=regions[iso], round=round_, answers=answers, version=1,
                                        updated_by_id=None))
    return rounds


def _load_programme(users: list[tuple[User, str]], regions: dict[str, Region]) -> Programme:
    """The shipped 2012 State Programme, with the figures the demo ministry and Lviv users have entered."""
    row, _ = load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    ministry = next(u for u, _ in users if u.role == Role.MINISTRY)
    for kind, code, year, value, source in DEMO_FIGURES:
        enter_value(ministry, row, kind, code, year, None, value, source, _DEMO_NOTE)
    lviv = regions[DEMO_REGIONAL_REGION]
    regional = next(u for u, _ in users if u.role == Role.REGIONAL and u.region is lviv)
    kind, code, year, value, source = DEMO_REGIONAL_FIGURE
    enter_value(regional, row, kind, code, year, lviv, value, source, _DEMO_NOTE)
    db.session.flush()
    return row


def _add_approved_response(shelter: Shelter, round_: Round, profile: DemoShelter, monitor: User, coordinator: User,
                           rng: random.Random) -> None:
    """An approved response in a closed round, visited in its first four weeks and approved on its last day."""
    visit = round_.period_start + dt.timedelta(days=rng.randrange(0, 28))
    answers = demo_answers(profile, round_.code, visit, round_.covid_section, random.Random(rng.random()))
    moment = dt.datetime.combine(round_.period_end, dt.time(12))
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
