"""Loading the demo into a database: the 2013-2015 rounds behind the 2012 State Programme, the programme itself with
its entered figures, and the 2019/2020 rounds still the ones the pages pick."""
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shelter_monitor.auth.models import Role, User
from shelter_monitor.dashboards.models import RoundIndicators
from shelter_monitor.dashboards.service import latest_round
from shelter_monitor.demo.generator import demo_shelters
from shelter_monitor.demo.service import DEMO_FIGURES, HISTORY_ROUNDS, history_shelters, load_demo
from shelter_monitor.extensions import db
from shelter_monitor.programmes.models import ActualValue
from shelter_monitor.programmes.service import overview, programme_by_code
from shelter_monitor.questionnaire.answers import round_context, validate_answers
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.recommendations.service import previous_round
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.models import RegionalForm, Response, ResponseState
from shelter_monitor.responses.service import last_approved_response
from shelter_monitor.rounds.models import Round
from tests.conftest import PASSWORD, login

HISTORY_CODES = ("2013-10", "2014-10", "2015-10")
PLAN_LOCAL = {2013: Decimal("473.479"), 2014: Decimal("504.476"), 2015: Decimal("536.878")}


@pytest.fixture
def demo(ctx):
    load_demo(PASSWORD)
    db.session.commit()


def _round(code: str) -> Round:
    return db.session.scalar(select(Round).where(Round.code == code))


def _responses(round_: Round) -> list[Response]:
    return list(db.session.scalars(select(Response).where(Response.round_id == round_.id)))


def _forms(round_: Round) -> list[RegionalForm]:
    return list(db.session.scalars(select(RegionalForm).where(RegionalForm.round_id == round_.id)))


def test_history_shelters_grow_and_are_fixed():
    profiles = demo_shelters()
    chosen = [history_shelters(profiles, count) for _, count, _ in HISTORY_ROUNDS]
    assert [len(c) for c in chosen] == [18, 24, 30]
    assert set(chosen[0]) < set(chosen[1]) < set(chosen[2])
    assert chosen == [history_shelters(profiles, count) for _, count, _ in HISTORY_ROUNDS]
    assert all(index % 4 for index in chosen[2])  # monitored in 2019 too
    assert {profiles[i].institution_type for i in chosen[0]} <= {"cspa", "ngo_tip", "medical_rehab"}


def test_three_closed_historical_rounds_without_covid(demo):
    definition = load_definition("2020.1")
    covid_codes = {q.code for q in definition.section("K").questions}
    assert covid_codes and definition.section("K").show_if == {"ctx": "covid_section", "eq": True}
    earlier = _round("2019-10")
    sizes, with_programme, shelters = [], [], []
    for code in HISTORY_CODES:
        round_ = _round(code)
        year = int(code[:4])
        assert round_ is not None, code
        assert not round_.is_open and round_.covid_section is False
        assert round_.questionnaire_version == earlier.questionnaire_version
        assert (round_.period_start, round_.period_end) == (dt.date(year, 10, 1), dt.date(year, 10, 31))
        assert round_.name.endswith(str(year))
        context = round_context(False, round_.period_start, round_.period_end, today=dt.date(year, 12, 1))
        responses = _responses(round_)
        assert {r.state for r in responses} == {ResponseState.APPROVED}
        for response in responses:
            answers = response.answers
            assert not covid_codes & set(answers), (code, response.shelter.name)
            assert "covid_test" not in answers["D5"] and "covid" not in answers.get("C8b", [])
            assert answers["A1"] == code and round_.period_start <= dt.date.fromisoformat(answers["A2"]) <= \
                round_.period_end
            result = validate_answers(definition, answers, context, complete=True)
            assert result.ok and not result.warnings, (code, response.shelter.name)
            assert response.reviewed_by is not None and response.submitted_at.date() == round_.period_end
        regions = {r.shelter.region.iso_code for r in responses}
        forms = _forms(round_)
        assert {f.region.iso_code for f in forms} == regions
        for form in forms:
            assert validate_answers(definition, form.answers, context, complete=True, form="regional").ok
        sizes.append(len(responses))
        with_programme.append(sum(f.answers["I4"] == "yes" for f in forms) / len(forms))
        shelters.append({r.shelter_id for r in responses})
    assert sizes == [18, 24, 30]
    assert with_programme == sorted(with_programme) and with_programme[0] < with_programme[-1]
    assert shelters[0] < shelters[1] < shelters[2]
    stored = set(db.session.scalars(select(RoundIndicators.round_id)))
    assert stored == set(db.session.scalars(select(Round.id))) and len(stored) == 5


def test_2020_is_still_the_latest_round_and_2019_the_previous(demo):
    current, earlier = _round("2020-10"), _round("2019-10")
    assert latest_round().id == current.id
    assert previous_round(current).id == earlier.id
    assert previous_round(_round("2014-10")).code == "2013-10"
    assert previous_round(_round("2013-10")) is None
    # carry-over into 2020 reads the shelter's 2019 response, not an older one
    in_both = [r.shelter for r in _responses(_round("2013-10"))]
    assert all(last_approved_response(shelter, current).round_id == earlier.id for shelter in in_both)
    assert {r.code for r in db.session.scalars(select(Round).where(Round.is_open))} == {"2020-10"}


def test_dashboards_and_recommendations_show_2019_and_2020(demo, client):
    coordinator = db.session.scalar(select(User).where(User.role == Role.COORDINATOR))
    login(client, coordinator)
    current, earlier = _round("2020-10"), _round("2019-10")
    start = client.get("/dashboard")
    assert start.status_code == 302 and start.headers["Location"].endswith(f"/rounds/{current.id}/dashboard")
    for round_ in (current, earlier, _round("2013-10")):
        assert client.get(f"/rounds/{round_.id}/dashboard").status_code == 200
        assert client.get(f"/rounds/{round_.id}/recommendations").status_code == 200
        assert client.get(f"/rounds/{round_.id}/recommendations/UA-46").status_code == 200
    trends = client.get("/dashboard/trends")
    assert trends.status_code == 200 and all(code in trends.get_data(as_text=True) for code in HISTORY_CODES)
    assert client.get("/programmes/ua-thb-2012").status_code == 200


def test_programme_loaded_with_entered_figures(demo):
    row = programme_by_code("ua-thb-2012")
    assert row is not None and (row.first_year, row.last_year) == (2013, 2015)
    values = db.session.scalars(select(ActualValue).where(ActualValue.programme_id == row.id)).all()
    national = [v for v in values if v.region_id is None]
    assert len(national) == len(DEMO_FIGURES) and len(values) == len(DEMO_FIGURES) + 1
    assert {v.entered_by.role for v in national} == {Role.MINISTRY}
    assert all("demo" in v.source for v in values)
    regional = next(v for v in values if v.region_id is not None)
    assert (regional.region.iso_code, regional.target, regional.code, regional.year, regional.value) == (
        "UA-46", "funding", "local", 2015, Decimal("48.5"))
    assert regional.entered_by.role == Role.REGIONAL and regional.entered_by.region.iso_code == "UA-46"
    assert db.session.scalar(select(func.count(ActualValue.id)).where(ActualValue.code == "t8_assisted")) == 3

    view = overview(row, None)
    assisted = view.row("indicator", "t8_assisted")
    assert assisted.cell(2013).entered.value == 1078
    assert [assisted.cell(y).entered.value for y in (2014, 2015)] == [1146, 1203]
    trained = view.row("indicator", "t4_trained")
    assert [trained.cell(y).entered.value for y in (2013, 2014, 2015)] == [141, 127, 139]
    assert view.row("indicator", "t1_council_meetings").cell(2015).entered is None
    assert view.row("funding", "state").cell(2013).entered.value == Decimal("936.2")
    local = view.row("funding", "local")
    rounds_held = view.row("indicator", "t2_monitoring_reports")
    for year in (2013, 2014, 2015):
        persons = assisted.cell(year).measured.value
        assert 150 <= persons < 1242, (year, persons)
        assert 0 < trained.cell(year).measured.value < 200, year
        assert rounds_held.cell(year).measured.value == 1 and rounds_held.cell(year).measured.rounds == (f"{year}-10",)
        disbursed = local.cell(year).measured.value  # thousand UAH
        assert 150 <= disbursed <= 450 and disbursed < PLAN_LOCAL[year], (year, disbursed)
        assert local.cell(year).entered is None
    assert assisted.cell(2013).measured.value > 0
    regions = [view.row("indicator", "t3_regional_programmes").cell(y).measured.value for y in (2013, 2014, 2015)]
    assert regions == sorted(regions) and regions[0] < regions[-1]

    lviv = overview(row, region_by_iso("UA-46"))
    assert lviv.row("funding", "local").cell(2015).entered.value == Decimal("48.5")
    assert lviv.row("funding", "local").cell(2015).measured.value > 0
