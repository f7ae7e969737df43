"""The demo data generator: a realistic shelter list and complete, valid answers that exercise every rule."""
import datetime as dt
import random

import pytest
from flask import Flask
from flask_babel import Babel

from shelter_monitor.demo.generator import (
    DEMO_REGIONS_WITHOUT_FORM,
    demo_answers,
    demo_historical_regional_answers,
    demo_regional_answers,
    demo_shelters,
)
from shelter_monitor.questionnaire.answers import prune_hidden, round_context, validate_answers
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.data import region_records

ROUND_START, ROUND_END = dt.date(2020, 10, 1), dt.date(2020, 10, 31)
NGO_RUN = ("ngo", "charity", "religious")
NON_PROFILE = ("child_family_support", "mother_child", "territorial_centre", "social_services_centre",
               "homeless", "dv_shelter", "crisis_room")
CHILDREN = ("mothers_children", "fathers_children", "families")


def _context(covid: bool) -> dict:
    return round_context(covid, ROUND_START, ROUND_END, today=dt.date(2020, 11, 30))


def _data_set(seed: int, covid: bool) -> list[tuple]:
    """(shelter, answers) for every demo shelter, drawn the way the demo loader draws them."""
    rng = random.Random(seed)
    rows = []
    for shelter in demo_shelters():
        visit = ROUND_START + dt.timedelta(days=rng.randrange(0, 28))
        rows.append((shelter, demo_answers(shelter, "2020-10", visit, covid, rng)))
    return rows


def _regional(seed: int) -> dict[str, dict]:
    rng = random.Random(seed)
    regions = sorted({s.region for s in demo_shelters()} - set(DEMO_REGIONS_WITHOUT_FORM))
    return {iso: demo_regional_answers(iso, rng) for iso in regions}


def _readable(errors: dict) -> dict:
    app = Flask("demo-test")
    Babel(app)
    with app.test_request_context():
        return {code: [str(message) for message in messages] for code, messages in errors.items()}


def _public_share(answers: dict) -> int:
    shares = answers["I1"]
    return sum(shares.get(source, 0) for source in ("oblast", "local", "regional_ct_programme"))


def _housed(answers: dict) -> int:
    return answers["C5a"] + answers["C5b"] + answers["C5c"] + answers["C5d"]


def _refusals(answers: dict) -> list[str]:
    return answers.get("C8b", [])


# --- the shelter list ------------------------------

def test_about_sixty_shelters_with_unique_keys():
    shelters = demo_shelters()
    assert 55 <= len(shelters) <= 65
    assert len({s.key for s in shelters}) == len(shelters)
    assert len({s.name for s in shelters}) == len(shelters)
    assert demo_shelters() == shelters  # a fixed list


def test_regions_cover_the_main_ones():
    regions = {s.region for s in demo_shelters()}
    assert len(regions) >= 12
    assert {"UA-30", "UA-46", "UA-12", "UA-51", "UA-63"} <= regions
    assert regions <= {r.iso_code for r in region_records()}


def test_every_institution_type_present():
    b4 = load_definition("2020.1").question("B4").choice_values()
    types = [s.institution_type for s in demo_shelters()]
    assert set(types) == set(b4)
    assert len(b4) == 13
    assert types.count("cspa") >= 10  # CSPAs are the backbone, as in 2020


def test_shelter_records_are_consistent():
    b5 = set(load_definition("2020.1").question("B5").choice_values())
    for s in demo_shelters():
        assert s.ownership in b5, s.key
        if s.institution_type == "cspa":
            assert s.ownership in ("hromada", "oblast", "district"), s.key
        if s.institution_type == "ngo_tip":
            assert s.ownership in NGO_RUN and s.specialised, s.key
        assert s.capacity > 0 and s.settlement and s.address and s.name
        assert s.phone.startswith("+380 ")
        assert s.status in ("open", "suspended", "closed")
    statuses = [s.status for s in demo_shelters()]
    assert statuses.count("closed") == 1
    assert statuses.count("suspended") >= 2
    assert statuses.count("open") > len(statuses) * 0.9


def test_some_regions_without_regional_form():
    regions = {s.region for s in demo_shelters()}
    assert DEMO_REGIONS_WITHOUT_FORM
    assert set(DEMO_REGIONS_WITHOUT_FORM) <= regions
    assert not {"UA-30", "UA-46"} & set(DEMO_REGIONS_WITHOUT_FORM)


# --- answers: complete and valid ------------------------------

@pytest.mark.parametrize("covid", [True, False])
@pytest.mark.parametrize("seed", [2020, 1, 77])
def test_answers_are_complete_and_valid(seed, covid):
    definition = load_definition("2020.1")
    context = _context(covid)
    regional_codes = {q.code for q in definition.regional_questions()}
    for shelter, answers in _data_set(seed, covid):
        result = validate_answers(definition, answers, context, complete=True)
        assert result.ok, (shelter.key, _readable(result.errors))
        assert not result.warnings, (shelter.key, _readable(result.warnings))
        assert prune_hidden(definition, answers, context) == answers, shelter.key
        assert not regional_codes & set(answers)
        assert answers["A1"] == "2020-10"
        assert ROUND_START <= dt.date.fromisoformat(answers["A2"]) <= ROUND_END
        assert answers["A5"] is True
        assert (answers["B1"], answers["B2"], answers["B3"], answers["B4"], answers["B5"], answers["B7"]) == (
            shelter.name, shelter.region, shelter.settlement, shelter.institution_type, shelter.ownership,
            shelter.specialised)
        assert ("K1" in answers) is covid
        assert sum(answers["I1"].values()) == 100


@pytest.mark.parametrize("seed", [2020, 1, 77])
def test_without_the_covid_section_nothing_mentions_covid(seed):
    covid_codes = {q.code for q in load_definition("2020.1").section("K").questions}
    for shelter, answers in _data_set(seed, False):
        assert not covid_codes & set(answers), shelter.key
        assert "covid_test" not in answers["D5"] and "covid" not in _refusals(answers), shelter.key
    with_covid = _data_set(seed, True)
    assert any("covid_test" in a["D5"] or "covid" in _refusals(a) for _, a in with_covid)


def test_historical_regional_answers():
    definition = load_definition("2020.1")
    context = round_context(False, dt.date(2013, 10, 1), dt.date(2013, 10, 31), today=dt.date(2013, 12, 1))
    regions = ["UA-65", "UA-12", "UA-46", "UA-30", "UA-05", "UA-14"]
    forms = demo_historical_regional_answers(regions, 3, random.Random(1))
    assert list(forms) == sorted(regions)
    assert {iso for iso, f in forms.items() if f["I4"] == "yes"} == {"UA-30", "UA-46", "UA-12"}
    for iso, answers in forms.items():
        result = validate_answers(definition, answers, context, complete=True, form="regional")
        assert result.ok, (iso, _readable(result.errors))
        assert prune_hidden(definition, answers, context, form="regional") == answers
        if answers["I4"] == "yes":
            assert 0 < answers["I4a_disbursed"] <= answers["I4a_allocated"] <= 70_000
    assert forms == demo_historical_regional_answers(regions, 3, random.Random(1))
    assert all(f["I4"] == "no" for f in demo_historical_regional_answers(regions, 0, random.Random(1)).values())


def test_answers_are_deterministic_for_a_seed():
    assert _data_set(5, True) == _data_set(5, True)
    assert _regional(5) == _regional(5)
    assert _data_set(5, True) != _data_set(6, True)


def test_regional_answers_are_valid():
    definition = load_definition("2020.1")
    context = _context(True)
    for seed in (2020, 3):
        for iso, answers in _regional(seed).items():
            result = validate_answers(definition, answers, context, complete=True, form="regional")
            assert result.ok, (iso, _readable(result.errors))
            assert prune_hidden(definition, answers, context, form="regional") == answers
            assert set(answers) <= {"I4", "I4a_allocated", "I4a_disbursed"}


# --- answers: every recommendation has its evidence somewhere --------------------

@pytest.fixture(scope="module", params=[2020, 11])
def data_set(request):
    return [answers for _, answers in _data_set(request.param, True)]


def _cspas(data_set):
    return [a for a in data_set if a["B4"] == "cspa"]


def test_m1_signals(data_set):
    limited = [a for a in _cspas(data_set) if 1 <= a["D11"] <= 90
               and not (a["D12"] == "yes" and "criminal_proc" in a.get("D12a", []))]
    assert limited
    assert any(a["D13"] == "yes" for a in limited)
    assert any("stay_limit" in _refusals(a) for a in limited)
    assert any(a["D12"] == "yes" and "criminal_proc" in a["D12a"] for a in _cspas(data_set))  # clean ones too


def test_m2_signals(data_set):
    cspas = _cspas(data_set)
    assert any(a["C10"] == "no" for a in cspas)
    assert any("active_tb" in a["D10"] for a in cspas)
    assert any({"other_sdd", "hiv"} & set(a["D10"]) for a in cspas)
    assert any(a["H8"] is False and a["K8"] is False for a in cspas)
    assert any("group" in _refusals(a) for a in cspas)
    assert any("dangerous_disease" in _refusals(a) for a in cspas)


def test_m3_signals(data_set):
    cspas = _cspas(data_set)
    assert any(a["D14"] == "no" for a in cspas)
    assert any(a["D14"] == "legal_stay_only" and "foreigner" in _refusals(a) for a in cspas)


def test_r1_signals(data_set):
    assert any(a["J4"] in ("no", "unknown") for a in data_set)
    assert any(a["J5"] in ("no", "unknown") for a in data_set)
    assert any("no_places" in _refusals(a) and a["J5"] == "no" for a in data_set)
    by_region: dict[str, list] = {}
    for a in data_set:
        by_region.setdefault(a["B2"], []).append(a)
    assert any(sum(a["C2"] for a in rows) == 0 for rows in by_region.values())


def test_r2_signals(data_set):
    ngo = [a for a in data_set if a["B5"] in NGO_RUN]
    unfunded = [a for a in ngo if _public_share(a) == 0]
    assert unfunded
    assert any(a["I3"] == "refused" for a in unfunded)
    assert any(a["I1"].get("donor", 0) + a["I1"].get("io", 0) >= 70 for a in unfunded)
    assert any(a["I2"] == "insufficient" for a in unfunded)
    assert any(a["I3"] != "refused" and a["I2"] != "insufficient"
               and a["I1"].get("donor", 0) + a["I1"].get("io", 0) < 70 for a in unfunded)  # medium only
    assert any(_public_share(a) > 0 for a in ngo)  # and NGO shelters that do get public money


def test_r3_signals(data_set):
    non_profile = [a for a in data_set if a["B7"] is False and a["B4"] in NON_PROFILE]
    assert any(a["F4"] == 0 and _housed(a) > 0 for a in non_profile)
    assert any(a["F4"] == 0 and _housed(a) == 0 for a in non_profile)
    assert any(0 < a["F4"] < a["F1"] / 2 for a in non_profile)
    assert any(a["F6"] is True for a in non_profile)
    assert any(a["F4"] >= a["F1"] / 2 and a["F6"] is False for a in non_profile)  # trained, needs nothing


def test_r4_signals(data_set):
    women_only = [a for a in data_set if "adult_women" in a["D1"] and "adult_men" not in a["D1"]]
    assert any("male" in _refusals(a) for a in women_only)
    assert any("with_children" in _refusals(a) for a in women_only)
    assert any("child_under3" in _refusals(a) for a in data_set)
    assert any(set(CHILDREN) & set(a["D1"]) and a["D2"] >= 36 for a in data_set)
    regions = {a["B2"] for a in data_set}
    assert any(not any("adult_men" in a["D1"] for a in data_set if a["B2"] == iso) for iso in regions)


def test_r5_signals(data_set):
    assert any(a.get("D4") == "no" for a in data_set)
    assert any(a.get("D4") == "no" and "father_with_child" in _refusals(a) for a in data_set)
    regions = {a["B2"] for a in data_set}
    assert any(not any(a.get("D4") in ("yes", "case_by_case") for a in data_set if a["B2"] == iso)
               for iso in regions)


def test_r6_signals(data_set):
    assert any(a["D6"] == "yes" for a in data_set)
    assert any(a["D6"] == "some_categories" for a in data_set)
    assert any("residence_registration" in a["D5"] for a in data_set)
    assert any("no_registration" in _refusals(a) for a in data_set)


def test_r7_signals():
    regional = _regional(2020).values()
    assert any(f["I4"] == "no" for f in regional)
    assert any(f["I4"] == "yes" and f["I4a_allocated"] == 0 for f in regional)
    assert any(f["I4"] == "yes" and f["I4a_allocated"] > 0 and f["I4a_disbursed"] * 2 < f["I4a_allocated"]
               for f in regional)
    assert any(f["I4"] == "yes" and f["I4a_allocated"] > 0 and f["I4a_disbursed"] * 2 >= f["I4a_allocated"]
               for f in regional)


def test_kyiv_and_lviv_cspas_are_clean(data_set):
    for a in _cspas(data_set):
        if a["B2"] in ("UA-30", "UA-46"):
            assert a["D12"] == "yes" and "criminal_proc" in a["D12a"]
            assert a["C10"] in ("yes", "conditional")
            assert a["D14"] in ("yes", "with_status_only")
            assert a["D4"] in ("yes", "case_by_case")
            assert a["D6"] == "no" and "residence_registration" not in a["D5"]
            assert a["J4"] == a["J5"] == "yes"
            assert not {"stay_limit", "group", "foreigner", "no_places", "male", "child_under3",
                        "father_with_child", "no_registration", "dangerous_disease"} & set(_refusals(a))
