"""Find a place: who each shelter would admit, with reasons and risks, region filters, freshness and order."""
import datetime as dt
import random
from dataclasses import replace

import pytest

from shelter_monitor.availability.matching import (
    Candidate,
    MatcherError,
    Note,
    Profile,
    RegionSummary,
    check_definition,
    find_places,
    summarise_region,
)
from shelter_monitor.dashboards.indicators import Availability
from shelter_monitor.demo.generator import demo_answers, demo_shelters
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.model import Definition
from shelter_monitor.regions.tiles import NEIGHBOURS

TODAY = dt.date(2020, 10, 20)
VISIT = dt.date(2020, 10, 10)

SHELTERS = {
    # women and mothers only; foreigners with legal stay; passport asked, but admits temporarily without
    "women_cspa": {"D1": ["adult_women", "mothers_children"], "D2": 0, "D3": 17, "D4": "no", "D5": ["passport"],
                   "D6": "no", "D7": "temporary", "D10": ["intoxication"], "D14": "legal_stay_only",
                   "D8": True, "C10": "yes", "C1": 20, "C2": 20, "C3": 10},
    # everyone, children from 12 months, fathers welcome
    "mixed_cspa": {"D1": ["adult_women", "adult_men", "mothers_children", "fathers_children", "families"],
                   "D2": 12, "D3": 17, "D4": "yes", "D5": ["referral"], "D6": "no", "D7": "yes",
                   "D8": True, "D10": ["none"], "D14": "yes", "C10": "yes", "C1": 30, "C2": 30, "C3": 20},
    # men only; registration required; no active TB; foreigners with status; groups under conditions
    "men_homeless": {"D1": ["adult_men", "elderly"], "D4": "no", "D5": ["xray"], "D6": "yes", "D7": "temporary",
                     "D8": False, "D10": ["active_tb"], "D14": "with_status_only", "C10": "conditional", "C1": 40,
                     "C2": 40, "C3": 30},
    # families: a father case by case; registration for some; no one without ID; no foreigners; no groups
    "family_centre": {"D1": ["adult_women", "adult_men", "families"], "D2": 0, "D3": 18, "D4": "case_by_case",
                      "D5": ["passport", "residence_registration"], "D6": "some_categories", "D7": "no",
                      "D8": True, "D10": ["hiv"], "D14": "no", "C10": "no", "C1": 10, "C2": 4, "C3": 8},
    # children from three years only
    "older_children": {"D1": ["adult_women", "adult_men", "mothers_children", "fathers_children"], "D2": 36,
                       "D3": 17, "D4": "yes", "D5": ["referral"], "D6": "no", "D7": "yes", "D10": ["none"],
                       "D14": "yes", "D8": True, "C10": "yes", "C1": 12, "C2": 12, "C3": 2},
    # little answered: who is admitted, nothing else
    "sparse": {"D1": ["adult_women", "adult_men", "fathers_children"]},
}

PROFILES = {
    "woman": Profile("female"),
    "man": Profile("male"),
    "father_with_2_year_old": Profile("male", children_ages_months=(24,)),
    "mother_with_baby": Profile("female", children_ages_months=(3,)),
    "mother_with_teenager": Profile("female", children_ages_months=(216,)),  # 18 years old
    "foreign_man": Profile("male", foreigner=True),
    "woman_without_registration": Profile("female", no_registration=True),
    "woman_without_id": Profile("female", no_id=True),
    "man_with_tb": Profile("male", dangerous_disease=True),
    "group_of_6_men": Profile("male", group_size=6),
    "mother_with_two": Profile("female", children_ages_months=(40, 60)),
}

EXPECTED = {
    "woman": {"women_cspa", "mixed_cspa", "family_centre", "older_children", "sparse"},
    "man": {"mixed_cspa", "men_homeless", "family_centre", "older_children", "sparse"},
    # fathers_children or families, D2 <= 24, D4 yes or case_by_case (sparse: D2-D4 unknown, kept with risks)
    "father_with_2_year_old": {"mixed_cspa", "family_centre", "sparse"},
    "mother_with_baby": {"women_cspa", "family_centre"},
    # only family_centre takes children up to 18 (D3 = 18 -> up to 18 years 11 months)
    "mother_with_teenager": {"family_centre"},
    "foreign_man": {"mixed_cspa", "men_homeless", "older_children", "sparse"},
    "woman_without_registration": {"women_cspa", "mixed_cspa", "family_centre", "older_children", "sparse"},
    "woman_without_id": {"women_cspa", "mixed_cspa", "older_children", "sparse"},
    "man_with_tb": {"mixed_cspa", "family_centre", "older_children", "sparse"},
    # C10 = no excludes family_centre (it has only 2 free places too); older_children has 10 free
    "group_of_6_men": {"mixed_cspa", "men_homeless", "older_children", "sparse"},
    # three places needed: family_centre has two
    "mother_with_two": {"women_cspa", "mixed_cspa", "older_children"},
}


def _candidate(name: str, answers: dict | None = None, *, shelter_id: int | None = None, region: str = "UA-46",
               status: str = "open", visit: dt.date | None = VISIT,
               availability: Availability | None = None) -> Candidate:
    answers = dict(SHELTERS[name] if answers is None else answers)
    if visit is not None:
        answers["A2"] = visit.isoformat()
    ids = list(SHELTERS)
    return Candidate(shelter_id=shelter_id or (ids.index(name) + 1 if name in ids else 99), name=name,
                     region=region, status=status, answers=answers, visit_date=visit, availability=availability)


def _update(when: dt.datetime, women: int = 3, men: int = 3, children: int = 3, open_: bool = True,
            youngest: int | None = None) -> Availability:
    return Availability(as_of=when, free_women=women, free_men=men, free_children=children,
                        youngest_child_months=youngest, admissions_open=open_)


def _find(profile: Profile, candidates, **kwargs):
    return find_places(profile, candidates, NEIGHBOURS, TODAY, **kwargs)


def _by_name(matches) -> dict:
    return {match.candidate.name: match for match in matches}


def _keys(notes) -> set[str]:
    return {note.key for note in notes}


def _unanswered(match) -> set[str]:
    return {note.params["code"] for note in match.unknowns}


def _unknown_topics(match) -> set[str]:
    return {note.params["about"] for note in match.unknowns}


ALL = [_candidate(name) for name in SHELTERS]


@pytest.mark.parametrize("profile_name", sorted(EXPECTED))
def test_who_matches_whom(profile_name):
    matches = _find(PROFILES[profile_name], ALL)
    assert set(_by_name(matches)) == EXPECTED[profile_name]


def test_father_with_a_two_year_old():
    matches = _by_name(_find(PROFILES["father_with_2_year_old"], ALL))
    welcome = matches["mixed_cspa"]
    assert {"admits_fathers_children", "father_with_child", "children_from_months"} <= _keys(welcome.reasons)
    assert Note("children_from_months", {"months": 12}) in welcome.reasons
    assert welcome.risks == (Note("documents_required", {"documents": ("referral",)}),)
    assert welcome.known
    case_by_case = matches["family_centre"]
    assert "admits_families" in _keys(case_by_case.reasons)
    assert "father_with_child_case_by_case" in _keys(case_by_case.risks)
    assert _unanswered(matches["sparse"]) == {"D2", "D3", "D4", "C1"}
    assert _unknown_topics(matches["sparse"]) == {"youngest_child", "oldest_child", "father_with_child",
                                                  "free_places"}
    assert matches["sparse"].free_places is None and not matches["sparse"].known


def test_a_father_is_refused_where_d4_is_no_even_with_families():
    answers = dict(SHELTERS["mixed_cspa"], D4="no")
    assert _find(PROFILES["father_with_2_year_old"], [_candidate("x", answers)]) == []
    assert len(_find(PROFILES["mother_with_baby"], [_candidate("x", dict(answers, D2=0))])) == 1


def test_a_foreign_man():
    matches = _by_name(_find(PROFILES["foreign_man"], ALL))
    assert "admits_foreigners" in _keys(matches["mixed_cspa"].reasons)
    assert "foreigners_with_status_only" in _keys(matches["men_homeless"].risks)
    assert _unanswered(matches["sparse"]) == {"D14", "C1"}
    legal = _find(Profile("female", foreigner=True), [_candidate("women_cspa")])
    assert "foreigners_legal_stay_only" in _keys(legal[0].risks)


def test_a_woman_without_registration():
    matches = _by_name(_find(PROFILES["woman_without_registration"], ALL))
    assert "registration_not_required" in _keys(matches["women_cspa"].reasons)
    assert matches["women_cspa"].risks == (Note("documents_required", {"documents": ("passport",)}),)
    assert {"registration_for_some", "registration_document_required"} <= _keys(matches["family_centre"].risks)
    assert Note("documents_required", {"documents": ("passport",)}) in matches["family_centre"].risks
    assert _unanswered(matches["sparse"]) == {"D5", "D6", "C1"}
    required = _find(Profile("male", no_registration=True), [_candidate("men_homeless")])
    assert len(required) == 1 and "registration_required" in _keys(required[0].risks)


def test_a_person_without_id():
    matches = _by_name(_find(PROFILES["woman_without_id"], ALL))
    assert {"id_temporary", "passport_required"} <= _keys(matches["women_cspa"].risks)
    assert "admits_without_id" in _keys(matches["mixed_cspa"].reasons)


def test_a_group_of_six():
    matches = _by_name(_find(PROFILES["group_of_6_men"], ALL))
    assert "admits_groups" in _keys(matches["mixed_cspa"].reasons)
    assert "group_conditional" in _keys(matches["men_homeless"].risks)
    assert _unanswered(matches["sparse"]) == {"C10", "C1"}
    assert Note("has_free_places", {"free": 10, "needed": 6}) in matches["mixed_cspa"].reasons
    too_small = dict(SHELTERS["mixed_cspa"], C3=25)  # 5 free places for 6 persons
    assert _find(PROFILES["group_of_6_men"], [_candidate("x", too_small)]) == []


def test_a_group_below_five_does_not_read_c10():
    matches = _find(Profile("male", group_size=2), [_candidate("family_centre")])
    assert len(matches) == 1 and matches[0].free_places == 2


def test_dangerous_disease():
    matches = _by_name(_find(PROFILES["man_with_tb"], ALL))
    assert "disease_not_excluded" in _keys(matches["family_centre"].reasons)  # HIV is not a dangerous disease
    other = dict(SHELTERS["mixed_cspa"], D10=["other_sdd"])
    assert _find(PROFILES["man_with_tb"], [_candidate("x", other)]) == []


def test_absent_answers_are_unknowns_never_yes_or_no():
    everything = Profile("male", children_ages_months=(6,), foreigner=True, no_registration=True, no_id=True,
                         dangerous_disease=True, group_size=5, out_of_hours=True)
    matches = _find(everything, [_candidate("blank", {})])
    assert len(matches) == 1
    match = matches[0]
    assert _unanswered(match) == {"D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D10", "D14", "C10", "C1"}
    assert "fathers_children" in _unknown_topics(match) and "free_places" in _unknown_topics(match)
    assert match.reasons == () and match.risks == () and not match.known


def test_an_unknown_visit_date_is_a_risk():
    matches = _find(PROFILES["woman"], [_candidate("women_cspa", visit=None)])
    assert matches[0].as_of is None
    assert _unanswered(matches[0]) == {"A2"}


# ---------------------------------------------------------------------------------------------------------
# status, availability updates, regions
# ---------------------------------------------------------------------------------------------------------

def test_closed_shelters_are_excluded_suspended_kept_as_a_risk():
    candidates = [_candidate("mixed_cspa", status="closed"), _candidate("women_cspa", status="suspended")]
    matches = _find(PROFILES["woman"], candidates)
    assert [m.candidate.name for m in matches] == ["women_cspa"]
    assert "shelter_suspended" in _keys(matches[0].risks)


def test_admissions_closed_by_a_newer_update_exclude():
    closed_later = _candidate("mixed_cspa", availability=_update(dt.datetime(2020, 10, 15, 9), open_=False))
    closed_before = _candidate("women_cspa", availability=_update(dt.datetime(2020, 10, 1, 9), open_=False))
    matches = _find(PROFILES["woman"], [closed_later, closed_before])
    assert [m.candidate.name for m in matches] == ["women_cspa"]
    assert matches[0].as_of == VISIT and matches[0].free_places == 10  # the old update is ignored


def test_a_newer_update_gives_free_places_by_women_men_children():
    update = _update(dt.datetime(2020, 10, 18, 9), women=2, men=0, children=1)
    candidate = _candidate("mixed_cspa", availability=update)
    woman = _find(PROFILES["woman"], [candidate])[0]
    assert woman.free_places == 2 and woman.as_of == update.as_of
    assert _find(PROFILES["man"], [candidate]) == []  # no free place for men now, although C1 - C3 = 10
    mother = _find(Profile("female", children_ages_months=(30,)), [candidate])
    assert mother[0].free_places == 3
    two_children = _find(PROFILES["mother_with_two"], [candidate])
    assert two_children == []  # one child place for two children


def test_a_newer_update_states_the_youngest_child():
    update = _update(dt.datetime(2020, 10, 18, 9), youngest=0)
    matches = _find(PROFILES["mother_with_baby"], [_candidate("older_children", availability=update)])
    assert len(matches) == 1
    assert Note("children_from_months", {"months": 0}) in matches[0].reasons
    older = _update(dt.datetime(2020, 10, 1, 9), youngest=0)
    assert _find(PROFILES["mother_with_baby"], [_candidate("older_children", availability=older)]) == []


def test_region_filter_and_neighbours():
    lviv = _candidate("mixed_cspa", shelter_id=1, region="UA-46")
    volyn = _candidate("mixed_cspa", shelter_id=2, region="UA-07")  # borders Lviv
    kharkiv = _candidate("mixed_cspa", shelter_id=3, region="UA-63")
    candidates = [lviv, volyn, kharkiv]
    only = _find(Profile("female", region="UA-46"), candidates)
    assert [m.candidate.shelter_id for m in only] == [1]
    near = _find(Profile("female", region="UA-46", include_neighbours=True), candidates)
    assert sorted(m.candidate.shelter_id for m in near) == [1, 2]
    assert [m.in_region for m in near] == [True, False]
    notes = {m.candidate.shelter_id: m.reasons[0] for m in near}
    assert notes[1] == Note("in_region", {"region": "UA-46"})
    assert notes[2] == Note("neighbouring_region", {"region": "UA-07"})
    everywhere = _find(Profile("female"), candidates)
    assert len(everywhere) == 3
    assert not {"in_region", "neighbouring_region"} & {n.key for m in everywhere for n in m.reasons}
    assert _find(Profile("female", region="UA-30", include_neighbours=True), candidates) == []


def test_stale_availability_is_flagged():
    old_update = _candidate("mixed_cspa", visit=dt.date(2020, 9, 1),
                            availability=_update(dt.datetime(2020, 10, 1, 8)))
    fresh_update = _candidate("women_cspa", visit=dt.date(2020, 9, 1),
                              availability=_update(dt.datetime(2020, 10, 19, 8)))
    old_visit = _candidate("older_children", visit=dt.date(2020, 9, 1))
    matches = _by_name(_find(PROFILES["woman"], [old_update, fresh_update, old_visit]))
    assert Note("stale_availability", {"days": 19, "source": "update", "date": dt.date(2020, 10, 1)}) in \
        matches["mixed_cspa"].risks
    assert "stale_availability" not in _keys(matches["women_cspa"].risks)
    assert Note("stale_availability", {"days": 49, "source": "visit", "date": dt.date(2020, 9, 1)}) in \
        matches["older_children"].risks
    lenient = _by_name(_find(PROFILES["woman"], [old_update], stale_days=30))
    assert "stale_availability" not in _keys(lenient["mixed_cspa"].risks)


def test_known_before_possible_then_region_then_free_places_then_freshness_then_name():
    more = dict(SHELTERS["mixed_cspa"], C3=10)  # 20 free
    candidates = [
        _candidate("possible_in_region", {"D1": ["adult_women"]}, shelter_id=1),  # free places unknown
        _candidate("known_neighbour_most", dict(SHELTERS["mixed_cspa"], C3=0), shelter_id=2, region="UA-07"),
        _candidate("known_region_few", SHELTERS["mixed_cspa"], shelter_id=3),
        _candidate("known_region_more_early", more, shelter_id=4, visit=dt.date(2020, 10, 5)),
        _candidate("known_region_more", more, shelter_id=5),
        _candidate("a_known_region_more", more, shelter_id=6),
        _candidate("known_region_more_updated", more, shelter_id=7, visit=dt.date(2020, 10, 1),
                   availability=_update(dt.datetime(2020, 10, 12, 7, tzinfo=dt.UTC), women=20)),
        _candidate("known_region_more_no_date", more, shelter_id=8, visit=None),
    ]
    matches = _find(Profile("female", region="UA-46", include_neighbours=True), candidates)
    assert [m.candidate.name for m in matches] == [
        "known_region_more_updated", "a_known_region_more", "known_region_more", "known_region_more_early",
        "known_region_few", "known_neighbour_most", "known_region_more_no_date", "possible_in_region"]
    assert [m.known for m in matches] == [True] * 6 + [False] * 2  # an unknown visit date is an unknown too


def test_profile_checks_its_values():
    with pytest.raises(ValueError):
        Profile("other")
    with pytest.raises(ValueError):
        Profile("female", group_size=0)
    with pytest.raises(ValueError):
        Profile("female", children_ages_months=(-1,))
    assert Profile("female", children_ages_months=(1, 2)).persons == 3
    assert Profile("male", children_ages_months=(1,), group_size=6).persons == 6


# ---------------------------------------------------------------------------------------------------------
# demo data
# ---------------------------------------------------------------------------------------------------------

def _demo_candidates() -> list[Candidate]:
    rng = random.Random(2020)
    candidates = []
    for index, shelter in enumerate(demo_shelters()):
        visit = dt.date(2020, 10, 1) + dt.timedelta(days=rng.randrange(0, 28))
        answers = demo_answers(shelter, "2020-10", visit, True, rng)
        candidates.append(Candidate(index + 1, shelter.name, shelter.region, shelter.status, answers, visit, None,
                                    shelter.institution_type))
    return candidates


@pytest.mark.parametrize("profile_name", sorted(PROFILES))
def test_demo_matches_respect_the_answers(profile_name):
    profile = PROFILES[profile_name]
    matches = find_places(profile, _demo_candidates(), NEIGHBOURS, dt.date(2020, 11, 2))
    assert matches
    for match in matches:
        answers = match.candidate.answers
        assert match.candidate.status != "closed"
        assert match.free_places is None or match.free_places >= profile.persons
        if profile.children_ages_months:
            assert {"mothers_children", "fathers_children", "families"} & set(answers["D1"])
        else:
            assert ("adult_men" if profile.sex == "male" else "adult_women") in answers["D1"]
        if profile.foreigner:
            assert answers["D14"] != "no"
        if profile.dangerous_disease:
            assert not {"active_tb", "other_sdd"} & set(answers["D10"])
        assert match.known  # demo answers are complete
        assert match.candidate.institution_type not in ("child_rehab", "child_shelter")
    free = [m.free_places for m in matches]
    assert free == sorted(free, reverse=True)


def test_demo_father_with_a_toddler_in_zaporizhzhia_and_around():
    """No Zaporizhzhia shelter lets a father stay with his child (the R5 scenario); the neighbours do."""
    alone = Profile("male", children_ages_months=(24,), region="UA-23")
    assert find_places(alone, _demo_candidates(), NEIGHBOURS, dt.date(2020, 11, 2)) == []
    profile = Profile("male", children_ages_months=(24,), region="UA-23", include_neighbours=True)
    matches = find_places(profile, _demo_candidates(), NEIGHBOURS, dt.date(2020, 11, 2))
    assert matches
    assert {m.candidate.region for m in matches} <= NEIGHBOURS["UA-23"]
    assert all(m.reasons[0].key == "neighbouring_region" for m in matches)
    for match in matches:
        assert match.candidate.answers["D4"] in ("yes", "case_by_case")
        assert match.candidate.answers["D2"] <= 24


# ---------------------------------------------------------------------------------------------------------
# known, possible and excluded; D5, D8, C2; the chosen region; the definition check
# ---------------------------------------------------------------------------------------------------------

def test_known_match_possible_match_and_excluded():
    """The issue's case: a foreign woman; a children's shelter with D1 and D14 unanswered is never offered."""
    profile = Profile("female", foreigner=True)
    children = replace(_candidate("children", {"C1": 30, "C2": 30, "C3": 2}, shelter_id=1),
                       institution_type="child_shelter")
    women_only_for_a_man = _find(Profile("male"), [_candidate("women_cspa")])
    possible = _candidate("possible", {"D1": ["adult_women"], "C1": 40, "C2": 40, "C3": 0}, shelter_id=2)
    known = _candidate("mixed_cspa", shelter_id=3)
    matches = _find(profile, [children, possible, known])
    assert [(m.candidate.name, m.known) for m in matches] == [("mixed_cspa", True), ("possible", False)]
    assert matches[1].unknowns == (Note("unknown", {"code": "D14", "about": "foreigners"}),)
    assert women_only_for_a_man == []


def test_arriving_out_of_hours_reads_d8():
    profile = Profile("female", out_of_hours=True)
    day_only = _candidate("day_only", dict(SHELTERS["mixed_cspa"], D8=False))
    unanswered = _candidate("unanswered", {k: v for k, v in SHELTERS["mixed_cspa"].items() if k != "D8"})
    matches = _by_name(_find(profile, [_candidate("women_cspa"), day_only, unanswered]))
    assert set(matches) == {"women_cspa", "unanswered"}
    assert "admits_round_the_clock" in _keys(matches["women_cspa"].reasons)
    assert _unknown_topics(matches["unanswered"]) == {"round_the_clock"}
    assert _find(PROFILES["woman"], [day_only])  # arriving in working hours, D8 does not matter


def test_c2_places_for_victims():
    no_places = dict(SHELTERS["mixed_cspa"], C2=0)
    assert _find(PROFILES["woman"], [_candidate("x", no_places)]) == []
    updated = _candidate("x", no_places, availability=_update(dt.datetime(2020, 10, 18, 9)))
    assert _find(PROFILES["woman"], [updated]) == []  # C2 = 0: none of its places is for victims
    capped = _find(PROFILES["woman"], [_candidate("x", dict(SHELTERS["mixed_cspa"], C2=3))])
    assert capped[0].free_places == 3  # 10 free beds, 3 usable for victims
    assert _find(PROFILES["mother_with_two"], [_candidate("x", dict(SHELTERS["mixed_cspa"], C2=2))]) == []
    unknown = _find(PROFILES["woman"], [_candidate("x", {k: v for k, v in SHELTERS["mixed_cspa"].items()
                                                         if k != "C2"})])
    assert unknown[0].free_places == 10 and _unknown_topics(unknown[0]) == {"victim_places"}


def test_documents_asked_at_admission():
    none = _find(PROFILES["woman"], [_candidate("x", dict(SHELTERS["mixed_cspa"], D5=["none"]))])
    assert "no_documents_required" in _keys(none[0].reasons) and none[0].risks == ()
    many = dict(SHELTERS["mixed_cspa"], D5=["passport", "referral", "xray"])
    plain = _find(PROFILES["woman"], [_candidate("x", many)])[0]
    assert plain.risks == (Note("documents_required", {"documents": ("passport", "referral", "xray")}),)
    without_id = _find(PROFILES["woman_without_id"], [_candidate("x", many)])[0]
    assert without_id.risks == (Note("passport_required"), Note("documents_required",
                                                                 {"documents": ("referral", "xray")}))
    unanswered = _find(PROFILES["woman"], [_candidate("x", {k: v for k, v in many.items() if k != "D5"})])
    assert unanswered[0].known  # D5 matters as an unknown only to a person without registration or ID


def test_region_summary_says_when_the_chosen_region_has_nothing():
    lviv_sparse = _candidate("sparse", shelter_id=1, region="UA-46")
    volyn = _candidate("mixed_cspa", shelter_id=2, region="UA-07")
    father = Profile("male", children_ages_months=(48,), region="UA-46", include_neighbours=True)
    matches = _find(father, [volyn])
    assert summarise_region(father, matches) == RegionSummary(0, 0, 1)
    matches = _find(father, [lviv_sparse, volyn])
    assert [m.candidate.shelter_id for m in matches] == [2, 1]  # the known neighbour before the possible one
    assert summarise_region(father, matches) == RegionSummary(0, 1, 1)
    assert summarise_region(Profile("male", children_ages_months=(48,)), matches) is None


def _definition_with(code: str, **changes) -> Definition:
    """The shipped definition with one question changed, or left out (changes empty)."""
    definition = load_definition()
    sections = tuple(replace(section, questions=tuple(
        replace(question, **changes) if question.code == code else question
        for question in section.questions if changes or question.code != code)) for section in definition.sections)
    return replace(definition, sections=sections, _by_code={})


def test_the_matcher_is_checked_against_the_questionnaire():
    check_definition(load_definition())
    with pytest.raises(MatcherError) as error:
        check_definition(_definition_with("D8"))
    assert str(error.value) == "find a place reads D8, which questionnaire 2020.1 does not have"
    with pytest.raises(MatcherError) as error:
        check_definition(_definition_with("C2", type="money"))
    assert str(error.value) == "find a place reads C2 as int, but questionnaire 2020.1 has it as money"
    d1 = load_definition().question("D1")
    with pytest.raises(MatcherError) as error:
        check_definition(_definition_with("D1", choices=tuple(c for c in d1.choices if c.value != "families")))
    assert str(error.value) == "find a place reads choice 'families' of D1, which questionnaire 2020.1 does not offer"
    b4 = load_definition().question("B4")
    with pytest.raises(MatcherError) as error:
        check_definition(_definition_with("B4", choices=tuple(c for c in b4.choices if c.value != "child_shelter")))
    assert str(error.value) == ("find a place reads choice 'child_shelter' of B4, which questionnaire 2020.1 "
                                "does not offer")
