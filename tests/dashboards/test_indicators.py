"""Dashboard indicators: ratios of sums over known answers, None for empty denominators, gaps, demo sanity."""
import datetime as dt
import random

import pytest

from shelter_monitor.dashboards.indicators import (
    GAP_KEYS,
    INDICATORS,
    Availability,
    Indicators,
    ShelterSnapshot,
    availability_is_current,
    compute_indicators,
    free_places,
    indicator_value,
    indicators_by_region,
)
from shelter_monitor.demo.generator import demo_answers, demo_shelters
from shelter_monitor.i18n import catalog

VISIT = "2020-10-10"


def _update(day: int, women: int = 2, men: int = 1, children: int = 0, open_: bool = True) -> Availability:
    return Availability(as_of=dt.datetime(2020, 10, day, 12, 0), free_women=women, free_men=men,
                        free_children=children, youngest_child_months=None, admissions_open=open_)


def _snap(shelter_id: int = 1, region: str = "UA-46", availability: Availability | None = None,
          **answers) -> ShelterSnapshot:
    return ShelterSnapshot(shelter_id, region, {"A2": VISIT, **answers}, availability)


def _full(**overrides) -> dict:
    """A shelter answering everything the indicators read."""
    answers = {
        "C1": 20, "C2": 10, "C3": 15, "C4": 3, "C5a": 2, "C5b": 5, "C5c": 0, "C5d": 1,
        "C8": "yes", "C8a": 4, "C8b": ["no_places", "male"],
        "K1": "partly", "K1a_from": "2020-03-20", "K1a_to": "2020-05-19",
        "I1": {"oblast": 70, "donor": 20, "io": 10}, "F1": 10, "F4": 5,
        "D1": ["adult_women", "adult_men", "mothers_children", "fathers_children"], "D2": 0, "D3": 17,
        "D4": "yes", "D14": "yes",
    }
    answers.update(overrides)
    return answers


# ---------------------------------------------------------------------------------------------------------
# free places and the availability update
# ---------------------------------------------------------------------------------------------------------

def test_free_places_from_the_visit_when_there_is_no_update():
    assert free_places(_snap(C1=20, C3=15)) == 5


def test_free_places_never_negative():
    assert free_places(_snap(C1=10, C3=12)) == 0


def test_free_places_unknown_without_c1_or_c3():
    assert free_places(_snap(C1=10)) is None
    assert free_places(_snap(C3=10)) is None
    assert free_places(_snap(C1="ten", C3=2)) is None


def test_an_update_newer_than_the_visit_wins():
    assert free_places(_snap(availability=_update(12, women=2, men=1, children=3), C1=20, C3=15)) == 6


def test_an_update_older_than_the_visit_loses():
    assert free_places(_snap(availability=_update(5, women=0, men=0), C1=20, C3=15)) == 5


def test_an_update_on_the_visit_day_is_not_newer():
    assert free_places(_snap(availability=_update(10, women=0, men=0), C1=20, C3=15)) == 5
    assert not availability_is_current(_update(10), dt.date(2020, 10, 10))
    assert availability_is_current(_update(11), dt.date(2020, 10, 10))


def test_an_update_counts_when_the_visit_date_is_unknown():
    snapshot = ShelterSnapshot(1, "UA-46", {"C1": 20, "C3": 15}, _update(1, women=1, men=0))
    assert free_places(snapshot) == 1
    assert free_places(ShelterSnapshot(1, "UA-46", {}, _update(1, women=1, men=0))) == 1


def test_the_update_also_feeds_the_free_places_total():
    result = compute_indicators([
        _snap(1, availability=_update(20, women=4, men=0), C1=20, C3=20),
        _snap(2, availability=_update(1, women=9, men=9), C1=10, C3=7),
        _snap(3),
    ])
    assert result.free_places == 4 + 3
    assert result.places == 30 and result.residents == 27


# ---------------------------------------------------------------------------------------------------------
# aggregation
# ---------------------------------------------------------------------------------------------------------

def test_empty_round_gives_zeros_and_nones_without_errors():
    result = compute_indicators([])
    assert result == Indicators(
        shelters=0, places=0, free_places=0, victim_places=0, residents=0, occupancy=None, victim_share=None,
        male_share=None, refusal_rate=None, top_refusal_reasons=(), covid_suspension_days=None,
        suspended_shelters=0, donor_dependence=None, training_coverage=None,
        gaps={key: False for key in GAP_KEYS})
    assert indicators_by_region([]) == {}


def test_ratios_are_ratios_of_sums_not_means_of_ratios():
    small = _snap(1, **_full(C1=10, C3=10, F1=4, F4=4))
    large = _snap(2, **_full(C1=90, C3=45, F1=16, F4=0))
    result = compute_indicators([small, large])
    assert result.occupancy == pytest.approx(55 / 100)  # the mean of ratios would be 0.75
    assert result.training_coverage == pytest.approx(4 / 20)


def test_full_answers_give_every_indicator():
    result = compute_indicators([_snap(**_full())])
    assert result.shelters == 1
    assert (result.places, result.free_places, result.victim_places, result.residents) == (20, 5, 10, 15)
    assert result.occupancy == pytest.approx(0.75)
    assert result.victim_share == pytest.approx(3 / 15)
    assert result.male_share == pytest.approx(2 / 8)
    assert result.refusal_rate == pytest.approx(4 / (4 + 8))
    assert result.top_refusal_reasons == (("male", 1), ("no_places", 1))
    assert result.covid_suspension_days == 60
    assert result.suspended_shelters == 1
    assert result.donor_dependence == pytest.approx(0.3)
    assert result.training_coverage == pytest.approx(0.5)
    assert result.gaps == {key: False for key in GAP_KEYS}


def test_a_region_with_zero_places_gives_none_not_an_error():
    zero = _full(C1=0, C2=0, C3=0, C4=0, C5a=0, C5b=0, C5c=0, C5d=0, C8="no", F1=0, F4=0, I1={})
    del zero["C8a"], zero["C8b"]
    by_region = indicators_by_region([_snap(1, "UA-77", **zero), _snap(2, "UA-46", **_full())])
    assert list(by_region) == ["UA-46", "UA-77"]
    empty = by_region["UA-77"]
    assert empty.shelters == 1 and empty.places == 0 and empty.free_places == 0
    assert empty.occupancy is None
    assert empty.victim_share is None
    assert empty.male_share is None
    assert empty.refusal_rate is None
    assert empty.training_coverage is None
    assert empty.donor_dependence is None  # an empty I1 is no answer
    assert by_region["UA-46"].occupancy == pytest.approx(0.75)


def test_absent_answers_are_left_out_not_counted_as_zero():
    partial = _snap(2, C1=30, C4=2, C5a=9, C5b=1, C8="yes", F4=3)  # C3, C5c/d, C8a, F1 absent
    result = compute_indicators([_snap(1, **_full()), partial])
    assert result.shelters == 2
    assert result.places == 50  # the count sums what is known
    assert result.residents == 15
    assert result.occupancy == pytest.approx(15 / 20)  # the second shelter has no C3
    assert result.victim_share == pytest.approx(3 / 15)
    assert result.male_share == pytest.approx(2 / 8)  # C5c and C5d unknown
    assert result.refusal_rate == pytest.approx(4 / 12)  # C8a unknown
    assert result.training_coverage == pytest.approx(5 / 10)  # F1 unknown
    assert result.free_places == 5


def test_a_shelter_without_refusals_counts_zero_refusals():
    none = _full(C8="no", C5a=1, C5b=1, C5c=0, C5d=0)
    del none["C8a"], none["C8b"]
    result = compute_indicators([_snap(1, **_full()), _snap(2, **none)])
    assert result.refusal_rate == pytest.approx(4 / (4 + 8 + 2))
    unknown = dict(none, C8="unknown")
    assert compute_indicators([_snap(2, **unknown)]).refusal_rate is None


def test_booleans_are_not_numbers():
    result = compute_indicators([_snap(C1=True, C3=1)])
    assert result.places == 0 and result.occupancy is None and result.free_places == 0


def test_covid_days_mean_over_shelters_that_suspended_with_both_dates():
    shelters = [
        _snap(1, K1="fully", K1a_from="2020-03-17", K1a_to="2020-04-16"),  # 30 days
        _snap(2, K1="partly", K1a_from="2020-04-01", K1a_to="2020-05-21"),  # 50 days
        _snap(3, K1="partly", K1a_from="2020-04-01"),  # no end date: suspended, but no days
        _snap(4, K1="no"),
        _snap(5, K1a_from="2020-04-01", K1a_to="2020-06-01"),  # K1 not answered
        _snap(6, K1="fully", K1a_from="2020-06-01", K1a_to="2020-04-01"),  # broken period
        _snap(7, K1="fully", K1a_from="not a date", K1a_to="2020-04-01"),
    ]
    result = compute_indicators(shelters)
    assert result.covid_suspension_days == pytest.approx(40)
    assert result.suspended_shelters == 5  # 1, 2, 3, 6 and 7 said fully or partly
    assert compute_indicators([_snap(1, K1="no")]).covid_suspension_days is None


def test_donor_dependence_counts_missing_sources_as_zero():
    result = compute_indicators([_snap(1, I1={"local": 100}), _snap(2, I1={"donor": 50, "io": 30, "own": 20}),
                                 _snap(3)])
    assert result.donor_dependence == pytest.approx((0 + 0.8) / 2)


def test_top_refusal_reasons_most_first_ties_by_value_top_five():
    reasons = [
        ["no_places", "male", "group"],
        ["no_places", "male", "foreigner"],
        ["no_places", "covid", "stay_limit", "other"],
        ["with_children"],
    ]
    shelters = [_snap(i, C8="yes", C8b=r) for i, r in enumerate(reasons)]
    shelters.append(_snap(9, C8="no"))
    result = compute_indicators(shelters)
    assert result.top_refusal_reasons == (
        ("no_places", 3), ("male", 2), ("covid", 1), ("foreigner", 1), ("group", 1))


def test_reasons_count_shelters_not_mentions():
    result = compute_indicators([_snap(1, C8="yes", C8b=["male", "male"])])
    assert result.top_refusal_reasons == (("male", 1),)


# ---------------------------------------------------------------------------------------------------------
# gaps
# ---------------------------------------------------------------------------------------------------------

def test_gaps_when_no_shelter_offers_it():
    women_only = _snap(1, D1=["adult_women"], D4="no", D14="no")
    result = compute_indicators([women_only])
    assert result.gaps == {"men": True, "mothers_children": True, "under3": True, "fathers_children": True,
                           "foreigners": True}


def test_one_shelter_offering_closes_the_gap():
    women_only = _snap(1, D1=["adult_women"], D4="no", D14="no")
    mixed = _snap(2, D1=["adult_men", "mothers_children"], D2=12, D4="case_by_case", D14="with_status_only")
    assert compute_indicators([women_only, mixed]).gaps == {key: False for key in GAP_KEYS}


def test_under3_needs_children_admitted_and_d2_below_36():
    assert compute_indicators([_snap(D1=["mothers_children"], D2=36)]).gaps["under3"] is True
    assert compute_indicators([_snap(D1=["families"], D2=35)]).gaps["under3"] is False
    assert compute_indicators([_snap(D1=["adult_women"], D2=0)]).gaps["under3"] is True


def test_legal_stay_only_is_not_an_opening_for_foreigners():
    assert compute_indicators([_snap(D14="legal_stay_only")]).gaps["foreigners"] is True


def test_unknown_answers_are_not_gaps():
    unanswered = compute_indicators([_snap(1)])
    assert unanswered.gaps == {key: False for key in GAP_KEYS}
    d2_absent = compute_indicators([_snap(1, D1=["mothers_children"])])
    assert d2_absent.gaps["under3"] is False
    assert d2_absent.gaps["men"] is True


def test_no_shelters_is_no_data_not_a_gap():
    assert not any(compute_indicators([]).gaps.values())


# ---------------------------------------------------------------------------------------------------------
# specs and values
# ---------------------------------------------------------------------------------------------------------

def test_indicator_specs_are_complete_and_labelled():
    keys = [spec.key for spec in INDICATORS]
    assert keys == ["shelters", "places", "free_places", "victim_places", "occupancy", "victim_share",
                    "male_share", "refusal_rate", "covid_suspension_days", "donor_dependence",
                    "training_coverage"]
    fields = set(Indicators.__dataclass_fields__)
    for spec in INDICATORS:
        assert spec.attribute in fields
        assert spec.kind in ("share", "count", "days")
    ukrainian = catalog("uk")
    for spec in INDICATORS:
        assert spec.label and ukrainian.gettext(spec.label) != spec.label  # translated
    labels = {spec.key: ukrainian.gettext(spec.label) for spec in INDICATORS}
    assert labels["occupancy"] == "Заповнюваність"
    assert labels["free_places"] == "Вільні місця"
    assert labels["refusal_rate"] == "Відмови (усім заявникам) серед відмов і розміщених постраждалих"


def test_indicator_value_reads_the_attribute():
    result = compute_indicators([_snap(**_full())])
    assert indicator_value(result, "occupancy") == result.occupancy
    assert indicator_value(result, "shelters") == 1
    assert indicator_value(compute_indicators([]), "occupancy") is None
    with pytest.raises(KeyError):
        indicator_value(result, "no_such_indicator")


# ---------------------------------------------------------------------------------------------------------
# demo data
# ---------------------------------------------------------------------------------------------------------

def _demo_snapshots(covid: bool = True) -> list[ShelterSnapshot]:
    rng = random.Random(2020)
    snapshots = []
    for index, shelter in enumerate(demo_shelters()):
        visit = dt.date(2020, 10, 1) + dt.timedelta(days=rng.randrange(0, 28))
        answers = demo_answers(shelter, "2020-10", visit, covid, rng)
        snapshots.append(ShelterSnapshot(index + 1, shelter.region, answers))
    return snapshots


@pytest.mark.parametrize("covid", [True, False])
def test_demo_round_gives_sane_values(covid):
    snapshots = _demo_snapshots(covid)
    national = compute_indicators(snapshots)
    by_region = indicators_by_region(snapshots)
    assert national.shelters == len(snapshots) == sum(r.shelters for r in by_region.values())
    assert national.places == sum(r.places for r in by_region.values())
    assert set(by_region) == {s.region for s in demo_shelters()}
    for indicators in [national, *by_region.values()]:
        for spec in INDICATORS:
            value = indicator_value(indicators, spec.key)
            if spec.kind == "share" and value is not None:
                assert 0 <= value <= 1, (spec.key, value)
            if spec.kind in ("count", "days") and value is not None:
                assert value >= 0, (spec.key, value)
        assert 0 <= indicators.free_places <= indicators.places
        assert indicators.victim_places <= indicators.places
        assert len(indicators.top_refusal_reasons) <= 5
        counts = [count for _, count in indicators.top_refusal_reasons]
        assert counts == sorted(counts, reverse=True)
    assert national.occupancy is not None and national.refusal_rate is not None
    assert (national.covid_suspension_days is not None) is covid
    assert national.gaps == {key: False for key in GAP_KEYS}  # the country as a whole offers everything
    # the scenarios behind R4/R5/M3: Kherson takes no men, Mykolaiv no under-3s, Chernivtsi no foreigners
    assert by_region["UA-65"].gaps["men"] is True
    assert by_region["UA-65"].gaps["fathers_children"] is True
    assert by_region["UA-48"].gaps["under3"] is True
    assert by_region["UA-77"].gaps["foreigners"] is True
    assert by_region["UA-30"].gaps == {key: False for key in GAP_KEYS}


def test_the_refusals_indicator_says_what_it_counts():
    (spec,) = [s for s in INDICATORS if s.key == "refusal_rate"]
    assert "Refusal rate" not in spec.label and "any applicant" in spec.label
    assert "not only victims" in spec.note and "C8a" in catalog("uk").gettext(spec.note)
    assert all(s.note is None for s in INDICATORS if s.key != "refusal_rate")
