"""The rules engine: shelter findings, regional and national recommendations, the catalogue's checks, the demo
round. Plain functions over plain data (no app, no database)."""
import copy
import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest

from shelter_monitor.demo.generator import (
    DEMO_REGIONS_WITHOUT_FORM,
    demo_answers,
    demo_regional_answers,
    demo_shelters,
)
from shelter_monitor.questionnaire.conditions import evaluate
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.rules.engine import (
    CATALOGUE_PATH,
    Condition,
    Finding,
    RegionalRecommendation,
    RoundEvaluation,
    RulesError,
    compile_condition,
    evaluate_response,
    evaluate_round,
    load_rules,
    to_cli_output,
)

DEFINITION = load_definition("2020.1")
RULES = load_rules(DEFINITION)
CASES = json.loads((Path(__file__).parents[1] / "questionnaire" / "condition_cases.json").read_text(encoding="utf-8"))

# A CSPA with no finding at all; every case below changes a few answers of it.
CLEAN_CSPA = {
    "B2": "UA-46", "B4": "cspa", "B5": "oblast", "B7": False,
    "C1": 20, "C2": 10, "C5a": 1, "C5b": 2, "C5c": 0, "C5d": 0, "C8": "no", "C10": "yes",
    "D1": ["adult_women", "adult_men", "mothers_children", "fathers_children"], "D2": 0, "D4": "yes",
    "D5": ["passport"], "D6": "no", "D10": ["intoxication"], "D11": 90, "D12": "yes", "D12a": ["criminal_proc"],
    "D13": "no", "D14": "yes",
    "F1": 10, "F4": 8, "F6": False, "H8": True, "K8": True,
    "I1": {"oblast": 100}, "I2": "sufficient", "J4": "yes", "J5": "yes",
}


def cspa(**changes) -> dict:
    """The clean CSPA with some answers changed; None removes an answer (absent)."""
    answers = dict(CLEAN_CSPA)
    for code, value in changes.items():
        if value is None:
            answers.pop(code, None)
        else:
            answers[code] = value
    return answers


def non_profile(**changes) -> dict:
    """A DV shelter of the hromada, not specialised: non-profile, and clean."""
    return cspa(**{"B4": "dv_shelter", "B5": "hromada", "I1": {"local": 100}, **changes})


def ngo(**changes) -> dict:
    """An NGO shelter for victims of trafficking that gets local money: clean."""
    return cspa(**{"B4": "ngo_tip", "B5": "ngo", "B7": True, "I1": {"local": 30, "donor": 40, "charity": 30},
                   "I2": "partly", "I3": "granted", **changes})


UNFUNDED = {"donor": 40, "charity": 60}


def refused(*reasons: str) -> dict:
    return {"C8": "yes", "C8a": len(reasons), "C8b": list(reasons)}


def severities(answers: dict) -> dict[str, str]:
    return {f.code: f.severity for f in evaluate_response(RULES, answers)}


# --- shelter level -----------------------------------------------------------------------------------------

SHELTER_CASES = [
    ("clean CSPA", cspa(), {}),
    ("clean non-profile shelter", non_profile(), {}),
    ("clean NGO shelter with public money", ngo(), {}),
    # M1
    ("M1 medium: stay cannot be extended", cspa(D12="no", D12a=None), {"M1": "medium"}),
    ("M1 medium: extension not for criminal proceedings", cspa(D12a=["health"]), {"M1": "medium"}),
    ("M1 medium: extension unknown", cspa(D12="unknown", D12a=None), {"M1": "medium"}),
    ("M1 boundary: D11 = 90 fires", cspa(D11=90, D12="no", D12a=None), {"M1": "medium"}),
    ("M1 boundary: D11 = 91 does not fire", cspa(D11=91, D12="no", D12a=None), {}),
    ("M1 boundary: D11 = 1 fires", cspa(D11=1, D12="no", D12a=None), {"M1": "medium"}),
    ("M1: D11 = 0 is no limit", cspa(D11=0, D12="no", D12a=None), {}),
    ("M1: D12 absent is unknown, not a finding", cspa(D11=60, D12=None, D12a=None), {}),
    ("M1: D11 absent", cspa(D11=None, D12="no", D12a=None), {}),
    ("M1 high: residents left before the court decision", cspa(D12="no", D12a=None, D13="yes"), {"M1": "high"}),
    ("M1 high: refused because of the stay limit", cspa(D12="no", D12a=None, **refused("stay_limit")),
     {"M1": "high"}),
    ("M1 high: one known true part is enough", cspa(D12="no", D12a=None, D13=None, **refused("stay_limit")),
     {"M1": "high"}),
    ("M1 high needs the medium condition", cspa(D13="yes", **refused("stay_limit")), {}),
    ("M1 only for CSPAs", cspa(B4="medical_rehab", D12="no", D12a=None, D13="yes"), {}),
    # M2
    ("M2 medium: no group within 24 h", cspa(C10="no"), {"M2": "medium"}),
    ("M2 medium: active TB excluded", cspa(D10=["active_tb"]), {"M2": "medium"}),
    ("M2 medium: other dangerous disease excluded", cspa(D10=["intoxication", "other_sdd"]), {"M2": "medium"}),
    ("M2 medium: HIV excluded", cspa(D10=["hiv"]), {"M2": "medium"}),
    ("M2 medium: no isolation room and no protocol", cspa(H8=False, K8=False), {"M2": "medium"}),
    ("M2: no isolation room but a protocol", cspa(H8=False), {}),
    ("M2: no isolation room, K8 absent (COVID section off)", cspa(H8=False, K8=None), {}),
    ("M2 medium: a known true part beside an absent one", cspa(C10=None, D10=["active_tb"]), {"M2": "medium"}),
    ("M2 high: refused a group", cspa(**refused("group")), {"M2": "high"}),
    ("M2 high: refused a person with a dangerous disease", cspa(**refused("dangerous_disease")), {"M2": "high"}),
    ("M2 only for CSPAs", cspa(B4="medical_rehab", C10="no", **refused("group")), {}),
    # M3
    ("M3 medium: no foreigners", cspa(D14="no"), {"M3": "medium"}),
    ("M3 medium: only with legal stay", cspa(D14="legal_stay_only"), {"M3": "medium"}),
    ("M3: with victim status only is fine", cspa(D14="with_status_only"), {}),
    ("M3 high: refused a foreigner", cspa(D14="no", **refused("foreigner")), {"M3": "high"}),
    ("M3 high needs the medium condition", cspa(D14="yes", **refused("foreigner")), {}),
    ("M3: D14 absent", cspa(D14=None, **refused("foreigner")), {}),
    # R1
    ("R1 medium: not on the list", cspa(J4="no"), {"R1": "medium"}),
    ("R1 medium: list unknown", cspa(J4="unknown"), {"R1": "medium"}),
    ("R1 medium: no oversight", cspa(J5="no"), {"R1": "medium"}),
    ("R1 medium: oversight unknown", cspa(J5="unknown"), {"R1": "medium"}),
    ("R1 medium: J4 absent, J5 no", cspa(J4=None, J5="no"), {"R1": "medium"}),
    ("R1: J4 absent, J5 yes is unknown", cspa(J4=None, J5="yes"), {}),
    ("R1 high: refused for lack of places, no oversight", cspa(J5="no", **refused("no_places")), {"R1": "high"}),
    ("R1: refused for lack of places, oversight unknown", cspa(J5="unknown", **refused("no_places")),
     {"R1": "medium"}),
    ("R1: refused for lack of places under oversight", cspa(**refused("no_places")), {}),
    # R2
    ("R2 medium: NGO without public money", ngo(I1=UNFUNDED), {"R2": "medium"}),
    ("R2 medium: charity without public money", ngo(B5="charity", I1=UNFUNDED), {"R2": "medium"}),
    ("R2 medium: religious without public money", ngo(B5="religious", I1=UNFUNDED), {"R2": "medium"}),
    ("R2: oblast money counts", ngo(I1={"oblast": 5, "donor": 95}), {}),
    ("R2: regional programme money counts", ngo(I1={"regional_ct_programme": 5, "donor": 95}), {}),
    ("R2: I1 absent is unknown", ngo(I1=None), {}),
    ("R2: not NGO-run", ngo(B5="state", I1=UNFUNDED), {}),
    ("R2 high: refused public money", ngo(I1=UNFUNDED, I3="refused"), {"R2": "high"}),
    ("R2 high: funding insufficient", ngo(I1=UNFUNDED, I2="insufficient"), {"R2": "high"}),
    ("R2 high: donors and IOs 70 %", ngo(I1={"donor": 50, "io": 20, "charity": 30}), {"R2": "high"}),
    ("R2 boundary: donors and IOs 69 %", ngo(I1={"donor": 50, "io": 19, "own": 31}), {"R2": "medium"}),
    ("R2 high: an io share alone", ngo(I1={"io": 70, "own": 30}), {"R2": "high"}),
    ("R2: high unknown stays medium", ngo(I1=UNFUNDED, I2=None, I3=None), {"R2": "medium"}),
    # R3
    ("R3 boundary: F4/F1 = 0.5 does not fire", non_profile(F1=100, F4=50), {}),
    ("R3 boundary: F4/F1 = 0.49 fires", non_profile(F1=100, F4=49), {"R3": "medium"}),
    ("R3 medium: under half trained", non_profile(F4=4), {"R3": "medium"}),
    ("R3 medium: training needed", non_profile(F6=True), {"R3": "medium"}),
    ("R3 medium: nobody trained, no victims", non_profile(F4=0, C5a=0, C5b=0), {"R3": "medium"}),
    ("R3 high: nobody trained, victims housed", non_profile(F4=0), {"R3": "high"}),
    ("R3 high: victims housed unknown stays medium", non_profile(F4=0, C5b=None), {"R3": "medium"}),
    ("R3: no staff, no victims", non_profile(F1=0, F4=0, C5a=0, C5b=0), {}),
    ("R3 high: no staff, victims housed", non_profile(F1=0, F4=0), {"R3": "high"}),
    ("R3: F1 absent", non_profile(F1=None, F4=4), {}),
    ("R3: specialised", non_profile(B7=True, F4=0), {}),
    ("R3: specialisation unknown", non_profile(B7=None, F4=0), {}),
    ("R3: a CSPA is not non-profile", cspa(F4=0), {}),
    ("R3 high: mother-and-child centre", non_profile(B4="mother_child", F4=0), {"R3": "high"}),
    # R4
    ("R4 medium: women only, refused a man", cspa(D1=["adult_women", "mothers_children"], **refused("male")),
     {"R4": "medium"}),
    ("R4 medium: men only, refused with children", cspa(D1=["adult_men"], D2=None, **refused("with_children")),
     {"R4": "medium"}),
    ("R4: both sexes, refused a man", cspa(**refused("male")), {}),
    ("R4: D1 absent, refused a man", cspa(D1=None, D2=None, **refused("male")), {}),
    ("R4 high: refused a child under three", cspa(**refused("child_under3")), {"R4": "high"}),
    ("R4 high: women only, refused a child under three", cspa(D1=["adult_women"], D2=None,
                                                               **refused("child_under3")), {"R4": "high"}),
    ("R4 boundary: D2 = 35 admits under-3s", cspa(D2=35), {}),
    ("R4 boundary: D2 = 36 does not", cspa(D2=36), {"R4": "medium"}),
    ("R4: D2 absent", cspa(D2=None), {}),
    ("R4: no children admitted", cspa(D1=["adult_women", "adult_men"], D2=None), {}),
    # R5
    ("R5 medium: a father cannot stay with his child", cspa(D4="no"), {"R5": "medium"}),
    ("R5 high: refused a father with his child", cspa(D4="no", **refused("father_with_child")), {"R5": "high"}),
    ("R5: case by case", cspa(D4="case_by_case", **refused("father_with_child")), {}),
    ("R5: D4 absent (children's institution)", cspa(D4=None, **refused("father_with_child")), {}),
    # R6
    ("R6 medium: registration required", cspa(D6="yes"), {"R6": "medium"}),
    ("R6 medium: registration required for some", cspa(D6="some_categories"), {"R6": "medium"}),
    ("R6 medium: registration among the documents", cspa(D5=["passport", "residence_registration"]),
     {"R6": "medium"}),
    ("R6 medium: D6 absent, registration among the documents", cspa(D6=None, D5=["residence_registration"]),
     {"R6": "medium"}),
    ("R6: D6 absent, no registration among the documents", cspa(D6=None), {}),
    ("R6 high: refused for lack of registration", cspa(**refused("no_registration")), {"R6": "high"}),
    # several at once
    ("several categories", cspa(D12="no", D12a=None, C10="no", D14="no", D4="no", J5="no"),
     {"M1": "medium", "M2": "medium", "M3": "medium", "R1": "medium", "R5": "medium"}),
]


@pytest.mark.parametrize(("answers", "expected"), [c[1:] for c in SHELTER_CASES], ids=[c[0] for c in SHELTER_CASES])
def test_shelter_findings(answers, expected):
    assert severities(answers) == expected


def test_findings_are_sorted_by_code():
    findings = evaluate_response(RULES, cspa(D12="no", D12a=None, C10="no", D4="no", J5="no", D6="yes"))
    assert [f.code for f in findings] == ["M1", "M2", "R1", "R5", "R6"]


EVIDENCE_CASES = [
    ("all: every part; not: what made the inner part false; any: the true branches only",
     cspa(D12="no", D12a=None, D13="yes"), "M1", {"B4": "cspa", "D11": 90, "D12": "no", "D13": "yes"}),
    ("not over an all with an absent part", cspa(D12="no", D12a=None), "M1", {"B4": "cspa", "D11": 90, "D12": "no"}),
    ("not over an all with a known false part", cspa(D12a=["health"]), "M1",
     {"B4": "cspa", "D11": 90, "D12a": ["health"]}),
    ("two true branches of an any, not the false one", cspa(C10="no", D10=["active_tb"], H8=False), "M2",
     {"B4": "cspa", "C10": "no", "D10": ["active_tb"]}),
    ("any with one true branch", cspa(J4="no"), "R1", {"J4": "no"}),
    ("shares operands and definitions", ngo(I1=UNFUNDED, I2="insufficient"), "R2",
     {"B5": "ngo", "I1": UNFUNDED, "I2": "insufficient"}),
    ("ratio", non_profile(F4=4), "R3", {"B4": "dv_shelter", "B7": False, "F1": 10, "F4": 4}),
    ("sum", non_profile(F4=0), "R3", {"B4": "dv_shelter", "B7": False, "C5a": 1, "C5b": 2, "C5c": 0, "C5d": 0,
                                       "F4": 0}),
    ("definition inside an any", cspa(D2=36), "R4",
     {"D1": ["adult_women", "adult_men", "mothers_children", "fathers_children"], "D2": 36}),
    ("a single comparison", cspa(**refused("child_under3")), "R4", {"C8b": ["child_under3"]}),
    ("absent answers are not evidence", cspa(D6=None, D5=["residence_registration"]), "R6",
     {"D5": ["residence_registration"]}),
]


@pytest.mark.parametrize(("answers", "code", "expected"), [c[1:] for c in EVIDENCE_CASES],
                         ids=[c[0] for c in EVIDENCE_CASES])
def test_evidence(answers, code, expected):
    finding = next(f for f in evaluate_response(RULES, answers) if f.code == code)
    assert finding.evidence == expected
    assert list(finding.evidence) == sorted(expected)


# --- regional level ----------------------------------------------------------------------------------------

def run(*responses, regional=None, medium_needed=1) -> RoundEvaluation:
    """A round of (id, region, answers) rows, or (id, answers) rows in UA-46."""
    rows = [row if len(row) == 3 else (row[0], "UA-46", row[1]) for row in responses]
    return evaluate_round(RULES, rows, regional or {}, medium_needed=medium_needed)


def regional(evaluation: RoundEvaluation, region: str = "UA-46") -> dict[str, RegionalRecommendation]:
    return {r.code: r for r in evaluation.regions[region]}


def shape(recommendation: RegionalRecommendation | None) -> tuple | None:
    if recommendation is None:
        return None
    return recommendation.severity, recommendation.shelters, recommendation.reasons


REGION_CASES = [
    # R1: sum of C2
    ("R1 high: no place for victims at all", [("a", cspa(C2=0)), ("b", non_profile(C2=0))], 1, "R1",
     ("high", (), ("no_places_at_all",))),
    ("R1: some place for victims", [("a", cspa(C2=0)), ("b", non_profile(C2=3))], 1, "R1", None),
    ("R1: sum over the responses where C2 is known", [("a", cspa(C2=0)), ("b", non_profile(C2=None))], 1, "R1",
     ("high", (), ("no_places_at_all",))),
    ("R1: C2 known nowhere", [("a", cspa(C2=None)), ("b", non_profile(C2=None))], 1, "R1", None),
    # R1: share with J5 other than yes
    ("R1 medium: half without oversight lifts the bar", [("a", cspa(J5="no")), ("b", cspa())], 2, "R1",
     ("medium", ("a",), ("half_without_oversight",))),
    ("R1: a third without oversight, bar of 2", [("a", cspa(J5="no")), ("b", cspa()), ("c", cspa())], 2, "R1",
     None),
    ("R1: a third without oversight, bar of 1", [("a", cspa(J5="no")), ("b", cspa()), ("c", cspa())], 1, "R1",
     ("medium", ("a",), ())),
    ("R1: J5 unknown is other than yes", [("a", cspa(J5="unknown")), ("b", cspa())], 2, "R1",
     ("medium", ("a",), ("half_without_oversight",))),
    ("R1: share over the responses where J5 is known",
     [("a", cspa(J5="no")), ("b", cspa(J5=None)), ("c", cspa(J5=None))], 2, "R1",
     ("medium", ("a",), ("half_without_oversight",))),
    ("R1: J5 known nowhere", [("a", cspa(J5=None)), ("b", cspa(J5=None))], 1, "R1", None),
    ("R1: high finding with the share", [("a", cspa(J5="no", **refused("no_places"))), ("b", cspa())], 1, "R1",
     ("high", ("a",), ("half_without_oversight",))),
    # R4
    ("R4 high: no place for men", [("a", cspa(D1=["adult_women", "mothers_children"])),
                                   ("b", cspa(D1=["adult_women"], D2=None))], 1, "R4",
     ("high", (), ("no_place_for_men",))),
    ("R4 high: no mothers with children, no under-3s", [("a", cspa(D1=["adult_women", "adult_men"], D2=None))], 1,
     "R4", ("high", (), ("no_place_for_mothers_with_children", "no_place_for_under3s"))),
    ("R4 high: youngest child 36 months", [("a", cspa(D2=36))], 1, "R4",
     ("high", ("a",), ("no_place_for_under3s",))),
    ("R4: under-3s unknown is not none", [("a", cspa(D2=None))], 1, "R4", None),
    ("R4: D1 known nowhere", [("a", cspa(D1=None, D2=None))], 1, "R4", None),
    ("R4: judged over the responses where D1 is known",
     [("a", cspa(D1=None, D2=None)), ("b", cspa(D1=["adult_women", "mothers_children"]))], 1, "R4",
     ("high", (), ("no_place_for_men",))),
    # R5
    ("R5 high: no father can stay anywhere", [("a", cspa(D4="no")), ("b", cspa(D4="no"))], 1, "R5",
     ("high", ("a", "b"), ("no_place_for_fathers_with_children",))),
    ("R5 medium: one shelter", [("a", cspa(D4="no")), ("b", cspa())], 1, "R5", ("medium", ("a",), ())),
    ("R5: D4 known nowhere", [("a", cspa(D4=None))], 1, "R5", None),
    ("R5: judged over the responses where D4 is known", [("a", cspa(D4=None)), ("b", cspa(D4="no"))], 1, "R5",
     ("high", ("b",), ("no_place_for_fathers_with_children",))),
    # medium_needed
    ("bar of 2: one medium finding is not enough", [("a", cspa(D4="no")), ("b", cspa())], 2, "R5", None),
    ("bar of 2: two medium findings are", [("a", cspa(D4="no")), ("b", cspa(D4="no")), ("c", cspa())], 2, "R5",
     ("medium", ("a", "b"), ())),
    ("bar of 2: one high finding is enough", [("a", cspa(D4="no", **refused("father_with_child"))), ("b", cspa())],
     2, "R5", ("high", ("a",), ())),
    ("bar of 3: shelters below the bar are listed behind a high one",
     [("a", cspa(D4="no", **refused("father_with_child"))), ("b", cspa(D4="no")), ("c", cspa())],
     3, "R5", ("high", ("a", "b"), ())),
    ("R3 medium from findings", [("b", non_profile(F4=4)), ("a", non_profile(F6=True))], 1, "R3",
     ("medium", ("a", "b"), ())),
    ("R2 high from a finding", [("a", ngo(I1=UNFUNDED, I3="refused"))], 1, "R2", ("high", ("a",), ())),
    ("R6 high from a finding", [("a", cspa(**refused("no_registration")))], 1, "R6", ("high", ("a",), ())),
]


@pytest.mark.parametrize(("responses", "medium_needed", "code", "expected"), [c[1:] for c in REGION_CASES],
                         ids=[c[0] for c in REGION_CASES])
def test_regional_recommendation(responses, medium_needed, code, expected):
    assert shape(regional(run(*responses, medium_needed=medium_needed)).get(code)) == expected


def test_regional_counts():
    evaluation = run(("a", cspa(D4="no")), ("b", cspa(D4="no", **refused("father_with_child"))), ("c", cspa()))
    assert regional(evaluation)["R5"].counts == {"responses": 3, "medium": 1, "high": 1}


def test_medium_needed_must_be_positive():
    with pytest.raises(ValueError, match="medium_needed"):
        run(("a", cspa()), medium_needed=0)


FORM_CASES = [
    ("no programme", {"I4": "no"}, ("high", (), ("no_programme_funds",)), []),
    ("programme without money", {"I4": "yes", "I4a_allocated": 0, "I4a_disbursed": 0},
     ("high", (), ("no_programme_funds",)), []),
    ("exactly half disbursed", {"I4": "yes", "I4a_allocated": 100_000, "I4a_disbursed": 50_000}, None, []),
    ("one hryvnia under half disbursed", {"I4": "yes", "I4a_allocated": 100_000, "I4a_disbursed": 49_999},
     ("medium", (), ("funds_under_half_disbursed",)), []),
    ("all disbursed", {"I4": "yes", "I4a_allocated": 100_000, "I4a_disbursed": 100_000}, None, []),
    ("disbursement not yet given", {"I4": "yes", "I4a_allocated": 100_000}, None, []),
    ("programme unknown: no data", {"I4": "unknown"}, None, ["R7"]),
    ("no regional form: no data", None, None, ["R7"]),
]


@pytest.mark.parametrize(("form", "expected", "no_data"), [c[1:] for c in FORM_CASES], ids=[c[0] for c in FORM_CASES])
def test_regional_form(form, expected, no_data):
    evaluation = run(("a", cspa()), regional=None if form is None else {"UA-46": form})
    assert shape(regional(evaluation).get("R7")) == expected
    assert evaluation.no_data["UA-46"] == no_data


def test_every_response_and_region_is_listed():
    evaluation = run(("a", "UA-46", cspa()), ("b", "UA-12", cspa(D4="no")),
                     regional={"UA-63": {"I4": "no"}, "UA-46": {"I4": "yes", "I4a_allocated": 10,
                                                                "I4a_disbursed": 10}})
    assert evaluation.shelters == {"a": [], "b": [Finding("R5", "medium", {"D4": "no"})]}
    assert evaluation.regions["UA-46"] == []
    assert [r.code for r in evaluation.regions["UA-12"]] == ["R5"]
    assert shape(regional(evaluation, "UA-63")["R7"]) == ("high", (), ("no_programme_funds",))
    assert regional(evaluation, "UA-63")["R7"].counts == {"responses": 0, "medium": 0, "high": 0}
    assert set(evaluation.regions) == set(evaluation.no_data) == {"UA-12", "UA-46", "UA-63"}
    assert evaluation.no_data == {"UA-12": ["R7"], "UA-46": [], "UA-63": []}


def test_ministry_codes_are_not_regional():
    evaluation = run(("a", cspa(D12="no", D12a=None, C10="no", D14="no")))
    assert [r.code for r in evaluation.regions["UA-46"]] == []


def test_duplicate_response_ids_are_refused():
    with pytest.raises(ValueError, match="'a'"):
        run(("a", cspa()), ("a", cspa()))


# --- national level ----------------------------------------------------------------------------------------

def national(evaluation: RoundEvaluation) -> dict[str, tuple]:
    return {n.code: (n.severity, n.regions, n.shelters, n.reasons) for n in evaluation.national}


NATIONAL_CASES = [
    ("nothing", [("a", "UA-46", cspa())], {}),
    ("M1 from a finding", [("a", "UA-46", cspa(D12="no", D12a=None)), ("b", "UA-12", cspa())],
     {"M1": ("medium", ("UA-46",), ("a",), ())}),
    ("M1 highest over regions", [("a", "UA-46", cspa(D12="no", D12a=None)),
                                 ("b", "UA-12", cspa(D12="no", D12a=None, D13="yes"))],
     {"M1": ("high", ("UA-12", "UA-46"), ("a", "b"), ())}),
    ("M2 from a region where no shelter takes a group", [("a", "UA-46", non_profile(C10="no")),
                                                         ("b", "UA-12", cspa())],
     {"M2": ("high", ("UA-46",), (), ("no_group_placement_in_region",))}),
    ("M2: one shelter can take a group", [("a", "UA-46", non_profile(C10="no")),
                                          ("b", "UA-46", non_profile(C10="conditional"))], {}),
    ("M2: C10 known nowhere", [("a", "UA-46", non_profile(C10=None))], {}),
    ("M2: finding and region condition", [("a", "UA-46", cspa(C10="no")), ("b", "UA-12", cspa(**refused("group")))],
     {"M2": ("high", ("UA-12", "UA-46"), ("a", "b"), ("no_group_placement_in_region",))}),
    ("M3 from a region where no shelter takes foreigners", [("a", "UA-46", non_profile(D14="no"))],
     {"M3": ("medium", ("UA-46",), (), ("no_foreigner_placement_in_region",))}),
    ("M3: legal stay only is not taking foreigners", [("a", "UA-46", non_profile(D14="legal_stay_only")),
                                                      ("b", "UA-46", non_profile(D14="no"))],
     {"M3": ("medium", ("UA-46",), (), ("no_foreigner_placement_in_region",))}),
    ("M3: status only is", [("a", "UA-46", non_profile(D14="with_status_only")),
                            ("b", "UA-46", non_profile(D14="no"))], {}),
    ("M3: judged over the responses where D14 is known", [("a", "UA-46", non_profile(D14=None)),
                                                          ("b", "UA-46", non_profile(D14="no"))],
     {"M3": ("medium", ("UA-46",), (), ("no_foreigner_placement_in_region",))}),
    ("M3 high finding over a medium region condition", [("a", "UA-46", non_profile(D14="no")),
                                                        ("b", "UA-12", cspa(D14="no", **refused("foreigner")))],
     {"M3": ("high", ("UA-12", "UA-46"), ("b",), ("no_foreigner_placement_in_region",))}),
]


@pytest.mark.parametrize(("responses", "expected"), [c[1:] for c in NATIONAL_CASES], ids=[c[0] for c in NATIONAL_CASES])
def test_national_recommendation(responses, expected):
    assert national(run(*responses)) == expected


def test_medium_needed_does_not_apply_nationally():
    evaluation = run(("a", cspa(D12="no", D12a=None)), medium_needed=5)
    assert national(evaluation) == {"M1": ("medium", ("UA-46",), ("a",), ())}


# --- output for the command line -----------------------------------------------------------------------------

def test_cli_output_shape_and_order():
    evaluation = run(("b-2", "UA-46", cspa(D4="no", D12="no", D12a=None)), ("a-1", "UA-46", cspa()),
                     ("c-3", "UA-12", cspa(B2="UA-12")),
                     regional={"UA-63": {"I4": "no"},
                               "UA-46": {"I4": "yes", "I4a_allocated": 100000, "I4a_disbursed": 20000}})
    expected = {
        "shelters": {
            "a-1": [],
            "b-2": [{"code": "M1", "severity": "medium", "evidence": {"B4": "cspa", "D11": 90, "D12": "no"}},
                    {"code": "R5", "severity": "medium", "evidence": {"D4": "no"}}],
            "c-3": [],
        },
        "regions": {
            "UA-12": [],
            "UA-46": [{"code": "R5", "severity": "medium", "shelters": ["b-2"]},
                      {"code": "R7", "severity": "medium", "shelters": []}],
            "UA-63": [{"code": "R7", "severity": "high", "shelters": []}],
        },
        "national": [{"code": "M1", "severity": "medium", "regions": ["UA-46"], "shelters": ["b-2"]}],
    }
    output = to_cli_output(evaluation)
    assert json.dumps(output) == json.dumps(expected)  # key order too


def test_cli_output_sorts_what_it_is_given():
    evaluation = RoundEvaluation(
        shelters={"z": [Finding("R5", "medium", {"D4": "no"}), Finding("M1", "high", {})], "a": []},
        regions={"UA-46": [RegionalRecommendation("R5", "medium", ("z",), (), {}),
                           RegionalRecommendation("R1", "high", (), ("no_places_at_all",), {})], "UA-12": []},
        no_data={},
        national=[],
    )
    output = to_cli_output(evaluation)
    assert list(output["shelters"]) == ["a", "z"]
    assert [f["code"] for f in output["shelters"]["z"]] == ["M1", "R5"]
    assert list(output["regions"]) == ["UA-12", "UA-46"]
    assert [r["code"] for r in output["regions"]["UA-46"]] == ["R1", "R5"]


# --- the catalogue -----------------------------------------------------------------------------------------

def test_catalogue_has_the_ten_categories():
    assert [(c.code, c.addressee) for c in RULES.categories] == [
        ("M1", "ministry"), ("M2", "ministry"), ("M3", "ministry"), ("R1", "regional"), ("R2", "regional"),
        ("R3", "regional"), ("R4", "regional"), ("R5", "regional"), ("R6", "regional"), ("R7", "regional")]
    for category in RULES.categories:
        assert category.text["en"] and category.text["uk"] != category.text["en"]
    assert RULES.category("R7").medium is None and RULES.category("R7").high is None


def test_definitions_are_written_once():
    text = CATALOGUE_PATH.read_text(encoding="utf-8")
    assert text.count('"fathers_children"') == 1
    assert text.count('"regional_ct_programme"') == 1
    assert text.count('"C5a"') == 1
    assert text.count('"territorial_centre"') == 1


def _raw_catalogue() -> dict:
    return json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))


def _category(raw: dict, code: str) -> dict:
    return next(c for c in raw["categories"] if c["code"] == code)


def _region_condition(raw: dict, key: str) -> dict:
    return next(c for c in raw["region_conditions"] if c["key"] == key)


BROKEN_CATALOGUES = [
    ("unknown question code",
     lambda raw: _category(raw, "M1")["medium"]["all"].append({"q": "Z9", "eq": 1}), r"rule M1 medium.*'Z9'"),
    ("unknown choice of a known question",
     lambda raw: _category(raw, "R5").update(medium={"q": "D4", "eq": "sometimes"}), r"rule R5 medium.*sometimes"),
    ("unknown choice in a high condition",
     lambda raw: _category(raw, "R6").update(high={"q": "C8b", "has": "no_passport"}), r"rule R6 high.*no_passport"),
    ("unknown choice in a definition",
     lambda raw: raw["definitions"].update(ngo_run={"q": "B5", "in": ["ngo", "charities"]}), r"ngo_run.*charities"),
    ("unknown definition",
     lambda raw: _category(raw, "R2")["medium"]["all"].__setitem__(0, {"def": "ngo_rum"}), r"rule R2.*ngo_rum"),
    ("a condition compared like a value",
     lambda raw: _category(raw, "R2")["medium"]["all"].__setitem__(0, {"def": "ngo_run", "eq": True}),
     r"rule R2.*ngo_run.*not a value"),
    ("definition referring to itself",
     lambda raw: raw["definitions"].update(loop={"any": [{"def": "loop"}]}), r"loop.*itself"),
    ("unknown source of a shares answer",
     lambda raw: raw["definitions"]["public_share"]["keys"].append("lottery"), r"public_share.*lottery"),
    ("shares operand without keys",
     lambda raw: raw["definitions"]["public_share"].pop("keys"), r"public_share.*keys"),
    ("ratio of a question that is no number",
     lambda raw: _category(raw, "R3")["medium"]["all"][2]["any"][1].update(ratio=["F4", "B4"]), r"rule R3.*B4"),
    ("medium referred to where there is none",
     lambda raw: _category(raw, "R5").update(medium=None, high={"all": [{"rule": "medium"}]}), r"rule R5 high"),
    ("round context in a rule",
     lambda raw: _category(raw, "R5").update(medium={"ctx": "covid_section", "eq": True}), r"rule R5.*context"),
    ("malformed comparison",
     lambda raw: _category(raw, "R5").update(medium={"q": "D4", "eq": "no", "ne": "yes"}), r"rule R5.*malformed"),
    ("empty any",
     lambda raw: _category(raw, "R6").update(medium={"any": []}), r"rule R6 medium.*non-empty"),
    ("unknown addressee",
     lambda raw: _category(raw, "R6").update(addressee="parliament"), r"rule R6.*addressee"),
    ("recommendation without Ukrainian",
     lambda raw: _category(raw, "R6")["recommendation"].pop("uk"), r"rule R6.*'uk'"),
    ("duplicate category code",
     lambda raw: _category(raw, "R6").update(code="R5"), r"duplicate category codes: R5"),
    ("region condition with an unknown choice",
     lambda raw: _region_condition(raw, "no_group_placement_in_region")["where"].update({"in": ["always"]}),
     r"no_group_placement_in_region.*always"),
    ("region condition of an unknown category",
     lambda raw: _region_condition(raw, "no_place_for_men").update(code="R9"), r"no_place_for_men.*R9"),
    ("region condition with an unknown aggregate",
     lambda raw: _region_condition(raw, "no_place_for_men").update(aggregate="most"), r"no_place_for_men.*most"),
    ("region share without a comparison",
     lambda raw: _region_condition(raw, "half_without_oversight").pop("ge"), r"half_without_oversight.*malformed"),
    ("regional-form condition reading a shelter question",
     lambda raw: _region_condition(raw, "no_programme_funds").update(condition={"q": "C2", "eq": 0}),
     r"no_programme_funds.*C2"),
    ("shelter condition reading a regional-form question",
     lambda raw: _category(raw, "R6").update(high={"q": "I4", "eq": "no"}), r"rule R6 high.*I4"),
    ("category that is no object",
     lambda raw: raw["categories"].append("M4"), r"a category needs a code"),
    ("region condition with a malformed code",
     lambda raw: _region_condition(raw, "no_place_for_men").update(code=["R4"]), r"malformed entry"),
    ("duplicate region condition key",
     lambda raw: _region_condition(raw, "no_place_for_men").update(key="no_places_at_all"),
     r"duplicate region condition keys: no_places_at_all"),
]


@pytest.mark.parametrize(("change", "message"), [c[1:] for c in BROKEN_CATALOGUES],
                         ids=[c[0] for c in BROKEN_CATALOGUES])
def test_broken_catalogue_is_refused(change, message):
    raw = copy.deepcopy(_raw_catalogue())
    change(raw)
    with pytest.raises(RulesError, match=message):
        load_rules(DEFINITION, raw)


def test_unchanged_catalogue_loads_from_data():
    rules = load_rules(DEFINITION, _raw_catalogue())
    assert [c.code for c in rules.categories] == [c.code for c in RULES.categories]


def test_rules_import_no_flask():
    sources = Path(CATALOGUE_PATH).parent.glob("*.py")
    imports = [line for path in sources for line in path.read_text(encoding="utf-8").splitlines()
               if re.match(r"\s*(from|import)\s+flask", line)]
    assert imports == []


# --- the compiled evaluator agrees with the questionnaire's --------------------------------------------------

def _without_context(case) -> bool:
    return '"ctx"' not in json.dumps(case["condition"])


@pytest.mark.parametrize("case", [c for c in CASES if _without_context(c)],
                         ids=[c["name"] for c in CASES if _without_context(c)])
def test_compiled_condition_agrees_with_the_case_table(case):
    assert compile_condition(case["condition"]).test(case["answers"]) == case["expected"]


def _parts(condition: Condition):
    yield condition
    for part in condition.parts:
        yield from _parts(part)


def _all_conditions(rules):
    for category in rules.categories:
        for condition in (category.medium, category.high):
            if condition is not None:
                yield from _parts(condition)
    for region_condition in rules.region_conditions:
        if region_condition.form is not None:
            yield from _parts(region_condition.form)


def _demo_round(seed: int = 2020, covid: bool = True):
    rng = random.Random(seed)
    shelters = demo_shelters()
    responses = [(s.key, s.region, demo_answers(s, "2020-10", dt.date(2020, 10, 12), covid, rng)) for s in shelters]
    regions = sorted({s.region for s in shelters} - set(DEMO_REGIONS_WITHOUT_FORM))
    return responses, {iso: demo_regional_answers(iso, rng) for iso in regions}


@pytest.mark.parametrize(("seed", "covid"), [(2020, True), (7, False)])
def test_compiled_conditions_agree_with_the_evaluator_on_demo_data(seed, covid):
    responses, forms = _demo_round(seed, covid)
    answer_sets = [answers for _, _, answers in responses] + list(forms.values())
    for condition in _all_conditions(RULES):
        for answers in answer_sets:
            assert condition.test(answers) == evaluate(condition.source, answers), condition.source


# --- the demo data set ---------------------------------------------------------------------------------------

def test_demo_round_issues_every_category():
    responses, forms = _demo_round()
    evaluation = evaluate_round(RULES, responses, forms)
    national_codes = {n.code for n in evaluation.national}
    regional_codes = {r.code for recommendations in evaluation.regions.values() for r in recommendations}
    assert national_codes == {"M1", "M2", "M3"}
    assert regional_codes == {"R1", "R2", "R3", "R4", "R5", "R6", "R7"}
    found = {(f.code, f.severity) for findings in evaluation.shelters.values() for f in findings}
    both = [c.code for c in RULES.categories if c.medium is not None and c.high is not None]
    assert len(both) == 9
    assert {(code, severity) for code in both for severity in ("medium", "high")} <= found
    r7 = {r.severity for recommendations in evaluation.regions.values() for r in recommendations if r.code == "R7"}
    assert r7 == {"medium", "high"}
    with_shelters = {s.region for s in demo_shelters()}
    assert {region for region, codes in evaluation.no_data.items() if codes == ["R7"]} == \
        set(DEMO_REGIONS_WITHOUT_FORM) & with_shelters
    assert set(evaluation.shelters) == {s.key for s in demo_shelters()}
