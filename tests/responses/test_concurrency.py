"""Nothing lost under concurrency: the database decides which of two writes from the same version lands (a
stale UPDATE or a duplicate INSERT is rolled back and compared again), workflow transitions decide under a row
lock, and the results a workflow step stores are exactly those of a whole-round recompute.

The stale paths are simulated on every database (a write by another connection between load and save); two real
concurrent writers (threads, each with its own application context, session and connection, released together by
a barrier) need PostgreSQL and are skipped without TEST_DATABASE_URL."""
import datetime as dt
import threading
from collections import Counter

import pytest
from sqlalchemy import select, update

from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.auth.models import Role, User
from shelter_monitor.availability.models import LatestAnswers
from shelter_monitor.availability.service import record_availability
from shelter_monitor.dashboards.models import RoundIndicators
from shelter_monitor.dashboards.service import refresh_indicators_for_shelter
from shelter_monitor.extensions import db
from shelter_monitor.recommendations.models import Finding, NationalRecommendation, RegionalRecommendation
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses import service
from shelter_monitor.responses.models import RegionalForm, Response, ResponseState
from shelter_monitor.responses.service import (
    Conflict,
    WorkflowError,
    approve_response,
    regional_form_for,
    return_response,
    save_page,
    save_regional_form,
    submit_response,
)
from shelter_monitor.rounds.models import RegionResult, Round
from shelter_monitor.rounds.results import refresh_results
from tests.conftest import login
from tests.responses.helpers import complete_answers

REPEATS = 50
REGIONS = ("UA-46", "UA-46", "UA-65", "UA-32", "UA-12")


def stored_results(round_id: int) -> dict:
    """Everything a round's refresh stores, as plain comparable values (ids of computed rows left out)."""
    def rows(statement):
        return sorted(tuple(map(repr, row)) for row in db.session.execute(statement))
    indicators = db.session.get(RoundIndicators, round_id)
    shelters = select(Response.shelter_id).where(Response.round_id == round_id)
    return {
        "findings": rows(select(Finding.response_id, Finding.shelter_id, Finding.code, Finding.severity,
                                Finding.evidence).where(Finding.round_id == round_id)),
        "regional": rows(select(RegionalRecommendation.region_id, RegionalRecommendation.code,
                                RegionalRecommendation.status, RegionalRecommendation.severity,
                                RegionalRecommendation.shelter_ids, RegionalRecommendation.reasons,
                                RegionalRecommendation.counts).where(RegionalRecommendation.round_id == round_id)),
        "national": rows(select(NationalRecommendation.code, NationalRecommendation.severity,
                                NationalRecommendation.region_codes, NationalRecommendation.shelter_ids,
                                NationalRecommendation.reasons).where(NationalRecommendation.round_id == round_id)),
        "indicators": None if indicators is None else (indicators.national, indicators.by_region),
        "latest": rows(select(LatestAnswers.shelter_id, LatestAnswers.response_id, LatestAnswers.answers)
                       .where(LatestAnswers.shelter_id.in_(shelters))),
        "parts": rows(select(RegionResult.region_id, RegionResult.national_conditions, RegionResult.indicator_totals)
                      .where(RegionResult.round_id == round_id)),
    }


def assert_equal_to_full_recompute(round_id: int) -> None:
    db.session.rollback()
    db.session.expire_all()
    stored = stored_results(round_id)
    refresh_results(db.session.get(Round, round_id))
    db.session.flush()
    db.session.expire_all()
    recomputed = stored_results(round_id)
    db.session.rollback()
    assert stored == recomputed


@pytest.fixture
def people(make):
    return {"monitor": make.user(Role.MONITOR), "other": make.user(Role.MONITOR),
            "coordinator": make.user(Role.COORDINATOR, name="Olena Coordinator"),
            "second": make.user(Role.COORDINATOR, name="Petro Coordinator"),
            "kherson": make.user(Role.REGIONAL, region="UA-65"), "ministry": make.user(Role.MINISTRY)}


def add_responses(make, round_, count: int, state: str, regions=REGIONS) -> list[int]:
    """`count` complete responses in `state`, one shelter each, spread over `regions`; committed."""
    ids = []
    for n in range(count):
        shelter = make.shelter(region=regions[n % len(regions)], capacity=10 + n)
        response = Response(shelter=shelter, round=round_, questionnaire_version="2020.1",
                            answers=complete_answers(shelter), state=state)
        if state != ResponseState.DRAFT:
            response.submitted_at = dt.datetime(2020, 10, 20)
        db.session.add(response)
        db.session.flush()
        ids.append(response.id)
    db.session.commit()
    return ids


@pytest.fixture
def round_(make):
    return make.round()


def bump(response_id: int, **answers) -> None:
    """Another user's save, committed on another connection between this session's load and its save."""
    with db.engine.begin() as connection:
        current = connection.execute(select(Response.answers, Response.version)
                                     .where(Response.id == response_id)).one()
        connection.execute(update(Response).where(Response.id == response_id)
                           .values(answers={**current.answers, **answers}, version=current.version + 1))


# --- the stale paths, on every database --------------------------------------------------------------------------

def test_a_save_from_a_version_someone_just_replaced_is_a_conflict_not_a_lost_value(round_, people, make):
    [response_id] = add_responses(make, round_, 1, ResponseState.DRAFT)
    response = db.session.get(Response, response_id)
    base, original = response.version, {"C1": response.answers["C1"]}
    bump(response_id, C1=77)  # the page's session still holds the old version and answers
    outcome = save_page(response, "C", {"C1": 55}, base, original, people["monitor"])
    assert isinstance(outcome, Conflict)
    assert outcome.differences == {"C1": {"saved": 77, "yours": 55}}
    assert outcome.current_version == base + 1
    db.session.rollback()
    assert db.session.get(Response, response_id).answers["C1"] == 77


def test_a_stale_save_of_other_questions_merges_after_reading_the_row_again(round_, people, make):
    [response_id] = add_responses(make, round_, 1, ResponseState.DRAFT)
    response = db.session.get(Response, response_id)
    base, original = response.version, {"C3": response.answers["C3"]}
    bump(response_id, C1=77)
    outcome = save_page(response, "C", {"C3": 5}, base, original, people["monitor"])
    assert not isinstance(outcome, Conflict)
    db.session.commit()
    db.session.expire_all()
    saved = db.session.get(Response, response_id)
    assert (saved.answers["C1"], saved.answers["C3"], saved.version) == (77, 5, base + 2)


def test_a_regional_form_created_by_someone_else_meanwhile_is_a_conflict(round_, people):
    region = region_by_iso("UA-65")
    form = regional_form_for(region, round_)  # nobody has saved it yet: a new, unsaved form
    with db.engine.begin() as connection:
        connection.execute(RegionalForm.__table__.insert().values(
            region_id=region.id, round_id=round_.id, answers={"I4": "no"}, version=1,
            updated_at=dt.datetime(2020, 11, 1)))
    outcome = save_regional_form(form, {"I4": "yes", "I4a_allocated": 100, "I4a_disbursed": 10}, 0,
                                 people["kherson"])
    assert isinstance(outcome, Conflict)
    assert outcome.current_version == 1 and outcome.differences["I4"] == {"saved": "no", "yours": "yes"}
    db.session.rollback()
    assert db.session.scalars(select(RegionalForm)).one().answers == {"I4": "no"}


def test_a_stale_regional_form_update_is_a_conflict(round_, people):
    region = region_by_iso("UA-65")
    save_regional_form(regional_form_for(region, round_), {"I4": "no"}, 0, people["kherson"])
    db.session.commit()
    form = regional_form_for(region, round_)
    with db.engine.begin() as connection:
        connection.execute(update(RegionalForm).values(answers={"I4": "unknown"}, version=2))
    outcome = save_regional_form(form, {"I4": "yes"}, 1, people["kherson"])
    assert isinstance(outcome, Conflict) and outcome.current_version == 2
    db.session.rollback()
    assert db.session.scalars(select(RegionalForm)).one().answers == {"I4": "unknown"}


def test_the_regional_page_after_a_conflict_carries_the_version_saved_now(client, round_, people):
    login(client, people["kherson"])
    url = f"/rounds/{round_.id}/regions/UA-65"
    assert client.post(url, data={"version": "0", "I4": "no"}).status_code == 200
    page = client.post(url, data={"version": "0", "I4": "unknown"})
    assert b"someone else saved this form" in page.data
    assert b'name="version" type="hidden" value="1"' in page.data
    again = client.post(url, data={"version": "1", "I4": "unknown"})
    assert b"someone else saved" not in again.data
    assert db.session.scalars(select(RegionalForm)).one().answers == {"I4": "unknown"}


def test_approving_a_response_someone_just_returned_names_them(round_, people, make):
    [response_id] = add_responses(make, round_, 1, ResponseState.SUBMITTED)
    response = db.session.get(Response, response_id)
    _ = response.state  # loaded as submitted
    with db.engine.begin() as connection:
        connection.execute(update(Response).values(state=ResponseState.RETURNED, version=Response.version + 1,
                                                   reviewed_by_id=people["second"].id))
    with pytest.raises(WorkflowError, match="already returned to the monitor by Petro Coordinator"):
        approve_response(response, people["coordinator"])
    db.session.rollback()
    assert db.session.get(Response, response_id).state == ResponseState.RETURNED


@pytest.mark.parametrize(("button", "data", "message"), [
    ("approve", {}, b"already approved by Petro Coordinator"),
    ("return", {"reason": "Check C1"}, b"already approved by Petro Coordinator"),
])
def test_a_step_someone_else_just_took_is_a_message_not_an_error(client, round_, people, make, monkeypatch,
                                                                  button, data, message):
    [response_id] = add_responses(make, round_, 1, ResponseState.SUBMITTED)
    second = people["second"].id
    lock = service.lock_response

    def approved_meanwhile(response):
        # the other coordinator's approval lands after this request's permission check, before its lock
        with db.engine.begin() as connection:
            connection.execute(update(Response).values(state=ResponseState.APPROVED, reviewed_by_id=second,
                                                       version=Response.version + 1))
        lock(response)
    monkeypatch.setattr(service, "lock_response", approved_meanwhile)
    login(client, people["coordinator"])
    page = client.post(f"/responses/{response_id}/{button}", data=data, follow_redirects=True)
    assert page.status_code == 200 and message in page.data
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(
        ["response.approve", "response.return"]))).all()


# --- results: a step recomputes its part, and the parts equal the whole ---------------------------------------

def test_every_workflow_step_stores_what_a_full_recompute_stores(round_, people, make):
    old = make.round(code="2019-10", start=dt.date(2019, 10, 1), end=dt.date(2019, 10, 31))
    add_responses(make, old, 3, ResponseState.APPROVED)
    refresh_results(old)
    submitted = add_responses(make, round_, 6, ResponseState.SUBMITTED)
    drafts = add_responses(make, round_, 5, ResponseState.DRAFT)
    refresh_results(round_)
    db.session.commit()
    coordinator, monitor = people["coordinator"], people["monitor"]

    def step(action) -> None:
        action()
        db.session.commit()
        assert_equal_to_full_recompute(round_.id)

    for response_id in drafts:
        step(lambda r=response_id: submit_response(db.session.get(Response, r), monitor))
    step(lambda: return_response(db.session.get(Response, submitted[0]), "Check C1", {}, coordinator))
    step(lambda: return_response(db.session.get(Response, drafts[2]), "Check C3", {}, coordinator))
    step(lambda: approve_response(db.session.get(Response, submitted[1]), coordinator))
    step(lambda: save_regional_form(regional_form_for(region_by_iso("UA-65"), round_),
                                    {"I4": "yes", "I4a_allocated": 100000, "I4a_disbursed": 20000}, 0,
                                    people["kherson"]))
    step(lambda: save_regional_form(regional_form_for(region_by_iso("UA-05"), round_), {"I4": "no"}, 0,
                                    people["kherson"]))

    def resubmit() -> None:
        response = db.session.get(Response, submitted[0])
        response.answers = {**response.answers, "C1": 3, "C3": 3, "D1": ["adult_men"]}
        submit_response(response, monitor)
    step(resubmit)
    [lonely] = add_responses(make, round_, 1, ResponseState.DRAFT, regions=("UA-05",))

    def submit_lonely() -> None:
        # the only response of its region places neither groups nor foreigners: national reasons change
        response = db.session.get(Response, lonely)
        response.answers = {**response.answers, "D14": "no", "C10": "no"}
        assert submit_response(response, monitor).ok
    step(submit_lonely)
    national = {row.code: row for row in db.session.scalars(select(NationalRecommendation))}
    assert "no_foreigner_placement_in_region" in national["M3"].reasons
    assert "UA-05" in national["M2"].region_codes
    step(lambda: return_response(db.session.get(Response, lonely), "Check D14", {}, coordinator))
    shelter_id = db.session.get(Response, submitted[3]).shelter_id

    def availability() -> None:
        shelter = db.session.get(Response, submitted[3]).shelter
        record_availability(shelter, dt.datetime(2020, 12, 1, 9), 3, 1, 2, None, True, "", people["ministry"])
        refresh_indicators_for_shelter(shelter_id)
    step(availability)
    assert_equal_to_full_recompute(old.id)


def test_approving_a_submitted_response_recomputes_nothing(round_, people, make):
    [response_id] = add_responses(make, round_, 1, ResponseState.SUBMITTED)
    refresh_results(round_)
    db.session.commit()
    computed = db.session.get(RoundIndicators, round_.id).computed_at
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    from sqlalchemy import event
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        approve_response(db.session.get(Response, response_id), people["coordinator"])
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert db.session.get(RoundIndicators, round_.id).computed_at == computed
    assert not [s for s in statements if "finding" in s or "round_indicators" in s or "region_result" in s]


def test_a_round_computed_before_the_regional_parts_is_recomputed_whole_once(round_, people, make):
    submitted = add_responses(make, round_, 4, ResponseState.SUBMITTED)
    refresh_results(round_)
    db.session.execute(RegionResult.__table__.delete())  # as a round computed before revision 0009 stands
    db.session.commit()
    return_response(db.session.get(Response, submitted[0]), "Check", {}, people["coordinator"])
    db.session.commit()
    assert db.session.scalars(select(RegionResult)).all()
    assert_equal_to_full_recompute(round_.id)


# --- two real concurrent writers (PostgreSQL) -----------------------------------------------------------------

@pytest.fixture
def postgres(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("two concurrent writers need PostgreSQL (set TEST_DATABASE_URL)")
    return app


def at_once(app, *jobs) -> list:
    """Run each job in its own thread with its own application context (so its own session and connection),
    all released together by a barrier; the jobs' results, or the exceptions they raised."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job) -> None:
        with app.test_request_context():
            try:
                results[index] = job(barrier)
            except Exception as error:  # noqa: BLE001 - reported to the test
                results[index] = error
                db.session.rollback()
            finally:
                db.session.remove()
    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_saves_of_one_section_from_one_version_one_lands_the_other_conflicts(postgres, round_, people, make):
    [response_id] = add_responses(make, round_, 1, ResponseState.DRAFT)
    user_ids = (people["monitor"].id, people["other"].id)
    db.session.commit()

    def saver(user_id, value, base, original):
        def job(barrier):
            response, user = db.session.get(Response, response_id), db.session.get(User, user_id)
            _ = response.answers, user.name
            barrier.wait()
            outcome = save_page(response, "C", {"C1": value}, base, original, user)
            if isinstance(outcome, Conflict):
                db.session.rollback()
                return ("conflict", value)
            db.session.commit()
            return ("saved", value)
        return job

    tally = Counter()
    for n in range(REPEATS):
        db.session.expire_all()
        current = db.session.get(Response, response_id)
        base, original = current.version, {"C1": current.answers["C1"]}
        db.session.rollback()
        values = (1000 + 2 * n, 1001 + 2 * n)
        outcomes = at_once(postgres, *(saver(u, v, base, original) for u, v in zip(user_ids, values, strict=True)))
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        kinds = sorted(kind for kind, _ in outcomes)
        assert kinds == ["conflict", "saved"], outcomes
        winner = next(value for kind, value in outcomes if kind == "saved")
        db.session.expire_all()
        stored = db.session.get(Response, response_id)
        assert stored.answers["C1"] == winner and stored.version == base + 1  # the loser's value is not lost:
        db.session.rollback()  # it never was acknowledged, and the winner's is the one stored
        tally.update(kinds)
    saves = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "response.save")).all()
    assert len(saves) == REPEATS and tally == {"saved": REPEATS, "conflict": REPEATS}


def test_approve_and_return_of_one_response_at_once_exactly_one_wins(postgres, round_, people, make):
    ids = add_responses(make, round_, REPEATS, ResponseState.SUBMITTED)
    refresh_results(round_)
    db.session.commit()
    coordinators = (people["coordinator"].id, people["second"].id)

    def approver(response_id):
        def job(barrier):
            response, user = db.session.get(Response, response_id), db.session.get(User, coordinators[0])
            _ = response.state, user.name
            barrier.wait()
            try:
                approve_response(response, user)
            except WorkflowError:
                db.session.rollback()
                return "refused"
            db.session.commit()
            return "approved"
        return job

    def returner(response_id):
        def job(barrier):
            response, user = db.session.get(Response, response_id), db.session.get(User, coordinators[1])
            _ = response.state, user.name
            barrier.wait()
            try:
                return_response(response, "Check C1", {}, user)
            except WorkflowError:
                db.session.rollback()
                return "refused"
            db.session.commit()
            return "returned"
        return job

    tally = Counter()
    for response_id in ids:
        outcomes = at_once(postgres, approver(response_id), returner(response_id))
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert sorted(outcomes) in (["approved", "refused"], ["refused", "returned"]), outcomes
        db.session.expire_all()
        state = db.session.get(Response, response_id).state
        assert state == ("approved" if "approved" in outcomes else "returned")
        db.session.rollback()
        tally.update(outcomes)
    assert tally["refused"] == REPEATS
    assert_equal_to_full_recompute(round_.id)


def test_concurrent_steps_on_different_responses_and_regional_forms_never_fail(postgres, round_, people, make):
    submitted = add_responses(make, round_, 2 * REPEATS, ResponseState.SUBMITTED)
    drafts = add_responses(make, round_, 2 * REPEATS, ResponseState.DRAFT, regions=("UA-46", "UA-65", "UA-46"))
    refresh_results(round_)
    db.session.commit()
    ids = {name: people[name].id for name in ("monitor", "coordinator", "second", "kherson")}
    round_id = round_.id

    def as_user(name, action):
        def job(barrier):
            user = db.session.get(User, ids[name])
            _ = user.name
            barrier.wait()
            outcome = action(user)
            db.session.commit()
            return outcome
        return job

    def submit(response_id):
        return as_user("monitor", lambda user: submit_response(db.session.get(Response, response_id), user).ok)

    def approve(response_id, name):
        return as_user(name, lambda user: approve_response(db.session.get(Response, response_id), user))

    def regional(iso, value, name="kherson"):
        def save(user):
            form = regional_form_for(region_by_iso(iso), db.session.get(Round, round_id))
            return save_regional_form(form, {"I4": "yes", "I4a_allocated": 1000, "I4a_disbursed": value},
                                      form.version, user)
        return as_user(name, save)

    conflicts = 0
    regions = ("UA-65", "UA-46", "UA-32", "UA-12", "UA-05")
    for n in range(REPEATS):
        outcomes = at_once(postgres, submit(drafts[2 * n]), submit(drafts[2 * n + 1]),
                           approve(submitted[2 * n], "coordinator"), approve(submitted[2 * n + 1], "second"),
                           regional(regions[n % 5], 100 + n), regional(regions[(n + 1) % 5], 200 + n))
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert outcomes[:2] == [True, True]
        conflicts += sum(isinstance(o, Conflict) for o in outcomes)
    assert conflicts == 0
    db.session.expire_all()
    assert {r.state for r in db.session.scalars(select(Response))} == {ResponseState.APPROVED,
                                                                         ResponseState.SUBMITTED}
    assert_equal_to_full_recompute(round_.id)


def test_two_people_creating_one_regional_form_at_once_one_lands(postgres, round_, people):
    kherson, round_id = people["kherson"].id, round_.id
    db.session.commit()

    def creator(value):
        def job(barrier):
            user = db.session.get(User, kherson)
            form = regional_form_for(region_by_iso("UA-65"), db.session.get(Round, round_id))
            _ = user.name, form.round.questionnaire_version
            barrier.wait()
            outcome = save_regional_form(form, {"I4": "yes", "I4a_allocated": 1000, "I4a_disbursed": value}, 0,
                                         user)
            if isinstance(outcome, Conflict):
                db.session.rollback()
                return ("conflict", value)
            db.session.commit()
            return ("saved", value)
        return job

    for n in range(REPEATS):
        outcomes = at_once(postgres, creator(10 + n), creator(500 + n))
        assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
        assert sorted(kind for kind, _ in outcomes) == ["conflict", "saved"], outcomes
        winner = next(value for kind, value in outcomes if kind == "saved")
        stored = db.session.scalars(select(RegionalForm).execution_options(populate_existing=True)).one()
        assert stored.answers["I4a_disbursed"] == winner
        db.session.delete(stored)
        db.session.commit()
