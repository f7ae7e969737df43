"""What the platform measures itself, from a hand-built round, against the shipped programme's years."""
import datetime as dt
from decimal import Decimal

import pytest

from shelter_monitor.extensions import db
from shelter_monitor.programmes.charts import latest_year_with_actuals, share_groups
from shelter_monitor.programmes.measures import RegionSums, RoundFacts, measured_values
from shelter_monitor.programmes.service import SHIPPED_PROGRAMME, load_programme, overview, programme_by_code
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.responses.models import RegionalForm, Response, ResponseState
from tests.conftest import recorded_statements

LVIV, DNIPRO = "UA-46", "UA-12"


def test_a_year_without_a_round_has_no_measured_value_and_zero_rounds_held():
    rounds = [RoundFacts("2013-10", 2013, True, {LVIV: RegionSums(victims=40, victims_shelters=2)})]
    values = measured_values(rounds, (2013, 2014), [LVIV])
    assert values["rounds_held", 2014, None].value == 0
    assert values["persons_accommodated", 2014, None].value is None
    assert values["persons_accommodated", 2014, LVIV].value is None
    assert values["persons_accommodated", 2013, LVIV].value == 40


def test_only_the_latest_round_of_a_year_counts_persons_but_every_closed_round_is_held():
    rounds = [RoundFacts("2014-03", 2014, True, {LVIV: RegionSums(victims=30, victims_shelters=1)}),
              RoundFacts("2014-10", 2014, True, {LVIV: RegionSums(victims=25, victims_shelters=1)}),
              RoundFacts("2014-12", 2014, False, {})]
    values = measured_values(rounds[:2], (2014,), [])
    assert values["persons_accommodated", 2014, None].value == 25
    assert measured_values(rounds, (2014,), [])["rounds_held", 2014, None].value == 2


def test_money_is_measured_in_thousand_uah_from_the_forms_that_answered():
    rounds = [RoundFacts("2015-10", 2015, True, {
        LVIV: RegionSums(has_form=True, has_programme=True, disbursed=48_500),
        DNIPRO: RegionSums(has_form=True, has_programme=False, disbursed=None)})]
    values = measured_values(rounds, (2015,), [LVIV, DNIPRO])
    assert values["local_disbursed", 2015, None].value == Decimal("48.5")
    assert values["local_disbursed", 2015, None].basis == 1
    assert values["regions_with_programme", 2015, None].value == 2 - 1
    assert values["regions_with_programme", 2015, None].basis == 2
    assert values["local_disbursed", 2015, DNIPRO].value is None


def _response(shelter, round_, state, **answers):
    response = Response(shelter=shelter, round=round_, questionnaire_version="2020.1", answers=answers, state=state)
    db.session.add(response)
    return response


@pytest.fixture
def hand_built(make):
    """2013: a closed round with two counted responses and a draft in Lviv, one in Dnipro, two regional forms.
    2014: no round. 2015: an open round with one approved response."""
    load_programme(SHIPPED_PROGRAMME.read_text(encoding="utf-8"), SHIPPED_PROGRAMME.name)
    lviv_a, lviv_b, lviv_c = (make.shelter(region=LVIV) for _ in range(3))
    dnipro = make.shelter(region=DNIPRO)
    r2013 = make.round("2013-10", dt.date(2013, 10, 1), dt.date(2013, 10, 31), is_open=False, covid_section=False)
    r2015 = make.round("2015-10", dt.date(2015, 10, 1), dt.date(2015, 10, 31), is_open=True, covid_section=False)
    _response(lviv_a, r2013, ResponseState.APPROVED, C5a=2, C5b=10, C5c=1, C5d=0, F4=3)
    _response(lviv_b, r2013, ResponseState.SUBMITTED, C5b=7, F4=2)
    _response(lviv_c, r2013, ResponseState.DRAFT, C5b=100, F4=50)
    _response(dnipro, r2013, ResponseState.APPROVED, C5a=0, C5b=4, C5c=0, C5d=1)
    _response(lviv_a, r2015, ResponseState.APPROVED, C5b=9, F4=4)
    db.session.add_all([
        RegionalForm(region=region_by_iso(LVIV), round=r2013, answers={"I4": "yes", "I4a_allocated": 90_000,
                                                                         "I4a_disbursed": 61_250}),
        RegionalForm(region=region_by_iso(DNIPRO), round=r2013, answers={"I4": "no"}),
    ])
    db.session.commit()
    return programme_by_code("ua-thb-2012")


def _measured(view, kind, code):
    row = view.row(kind, code)
    return {cell.year: cell.measured.value for cell in row.cells}


def test_national_measures_from_a_hand_built_round(hand_built):
    view = overview(hand_built, None)
    # counted = submitted or approved; the draft's 100 persons and 50 trained are not counted
    assert _measured(view, "indicator", "t8_assisted") == {2013: 2 + 10 + 1 + 7 + 4 + 1, 2014: None, 2015: 9}
    assert _measured(view, "indicator", "t4_trained") == {2013: 5, 2014: None, 2015: 4}
    # the 2015 round is still open: it is not "held" yet
    assert _measured(view, "indicator", "t2_monitoring_reports") == {2013: 1, 2014: 0, 2015: 0}
    assert _measured(view, "indicator", "t3_regional_programmes") == {2013: 1, 2014: None, 2015: None}
    assert _measured(view, "funding", "local") == {2013: Decimal("61.25"), 2014: None, 2015: None}
    # period totals: rounds add up; a 24-month count and a number of regions do not; a gap year leaves no total
    assert view.row("indicator", "t2_monitoring_reports").total.measured.value == 1
    assert view.row("indicator", "t4_trained").total.measured.value is None
    assert view.row("indicator", "t8_assisted").total.measured.value is None
    t8 = view.row("indicator", "t8_assisted").cell(2013)
    assert t8.target == 1242 and t8.measured.basis == 3 and t8.measured_status == "behind"
    assert t8.measured_share == Decimal(25) / Decimal(1242)


def test_regional_view_measures_only_that_region(hand_built):
    view = overview(hand_built, region_by_iso(DNIPRO))
    assert _measured(view, "indicator", "t8_assisted") == {2013: 5, 2014: None, 2015: None}
    assert view.row("indicator", "t2_monitoring_reports").measure is None  # rounds are national
    assert view.row("indicator", "t8_assisted").cell(2013).target is None  # no regional target in the file


def test_measures_take_a_fixed_number_of_queries(hand_built, make):
    def count_queries():
        assert hand_built.document and hand_built.region is None  # loaded before counting
        with recorded_statements() as statements:
            overview(hand_built, None)
        return len(statements)

    before = count_queries()
    extra_round = make.round("2014-10", dt.date(2014, 10, 1), dt.date(2014, 10, 31), is_open=False)
    for _ in range(5):
        _response(make.shelter(region=DNIPRO), extra_round, ResponseState.APPROVED, C5b=1)
    db.session.commit()
    assert count_queries() == before


def test_share_chart_puts_official_and_measured_shares_of_the_year_on_one_scale(hand_built):
    view = overview(hand_built, None)
    assert latest_year_with_actuals(view) == 2015  # the open 2015 round measured persons and staff
    groups = {g.label: g for g in share_groups(view, 2013, "en")}
    assisted = groups["Persons provided with assistance"]
    assert assisted.bar("entered").value is None and assisted.bar("measured").value == Decimal(25) / 1242
    assert assisted.bar("measured").at_least and not groups["Trained specialists"].bar("measured").at_least
    reports = groups["Reports on monitoring and on training of specialists assisting victims"]
    assert reports.bar("measured").value == 1 and reports.bar("measured").width == 1.0  # 100% is the full scale
    assert "Regions with a counter-trafficking programme" not in groups  # no target: nothing to be a share of
    assert "Prevention activities" not in groups  # a target, but neither an official nor a measured figure
    assert groups["Trained specialists"].bar("measured").width == pytest.approx(5 / 138)
