"""Find a place: the shelters that would admit a person, according to their latest answers, and have room.

Plain Python (no Flask, no database). The caller hands in the person's Profile and one Candidate per shelter
(its record status and type, its latest submitted or approved answers and its newest availability update);
find_places returns the shelters that may take the person, each with the reasons it matches, the conditions that
could still stop the admission, and what is not known.

Three-valued honesty: a shelter is left out only when what is known of it definitely rules the person out. An
absent answer is never read as yes or no: it keeps the shelter in, as a possible match, with an "unknown" note
naming the question and what it would have told.

Ranking: known matches (every answer needed is there) before possible ones; within each, the chosen region before
its neighbours, known free places before unknown (most first), fresher information before older, then the name.

Note keys (stable; the page turns them into sentences):
  reasons: in_region, neighbouring_region (only when a region was chosen), admits_women, admits_men,
    admits_mothers_children, admits_fathers_children, admits_families, children_from_months, children_up_to_years,
    father_with_child, admits_foreigners, registration_not_required, admits_without_id, no_documents_required,
    admits_round_the_clock, disease_not_excluded, admits_groups, has_free_places
  conditions (Match.risks): shelter_suspended, father_with_child_case_by_case, foreigners_legal_stay_only,
    foreigners_with_status_only, registration_required, registration_for_some, registration_document_required,
    id_temporary, passport_required, documents_required {documents}, group_conditional,
    stale_availability {days, source, date}
  unknowns: unknown {code, about}: the question `code` has no answer, so `about` (a key of UNKNOWN_TOPICS) is
    not known

check_definition(definition) checks every question code and choice value named here against a questionnaire
definition (the app runs it for every version when it starts).
"""
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shelter_monitor.collation import sort_key
from shelter_monitor.dashboards.indicators import Availability, availability_is_current
from shelter_monitor.questionnaire.model import Definition, reads_mismatch

__all__ = ["Candidate", "Match", "MatcherError", "Note", "Profile", "RegionSummary", "check_definition",
           "find_places", "summarise_region"]

SEXES = ("female", "male")
GROUP_THRESHOLD = 5  # C10 asks about groups of 5 or more
DISEASE_EXCLUSIONS = ("active_tb", "other_sdd")
CHILDREN_ONLY_TYPES = ("child_rehab", "child_shelter")  # B4: institutions for children without a parent
# What the matcher reads: question code -> (type, the choice values it names). check_definition holds these
# against the questionnaire; callers may load only these answers.
READS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "A2": ("date", ()),
    "B4": ("single", CHILDREN_ONLY_TYPES),
    "C1": ("int", ()),
    "C2": ("int", ()),
    "C3": ("int", ()),
    "C10": ("single", ("yes", "conditional", "no")),
    "D1": ("multi", ("adult_women", "adult_men", "mothers_children", "fathers_children", "families")),
    "D2": ("int", ()),
    "D3": ("int", ()),
    "D4": ("single", ("yes", "case_by_case", "no")),
    "D5": ("multi", ("passport", "residence_registration", "none")),
    "D6": ("single", ("yes", "some_categories", "no")),
    "D7": ("single", ("yes", "temporary", "no")),
    "D8": ("bool", ()),
    "D10": ("multi", DISEASE_EXCLUSIONS),
    "D14": ("single", ("yes", "legal_stay_only", "with_status_only", "no")),
}
MATCH_CODES = tuple(code for code in READS if code != "B4")  # B4 is read from the shelter's record
UNKNOWN_TOPICS = ("adult_women", "adult_men", "mothers_children", "fathers_children", "youngest_child",
                  "oldest_child", "father_with_child", "foreigners", "documents", "registration", "without_id",
                  "round_the_clock", "disease", "group", "victim_places", "free_places", "visit_date")


class MatcherError(ValueError):
    """The matcher names a question or choice the questionnaire definition does not have (or has another type)."""


def check_definition(definition: Definition) -> None:
    """Raise MatcherError naming the first question code, type or choice value the matcher reads that the
    definition lacks or defines otherwise."""
    problem = reads_mismatch(definition, READS, "find a place")
    if problem:
        raise MatcherError(problem)


@dataclass(frozen=True)
class Profile:
    """The person (or group) looking for a place, and where to look."""

    sex: str
    children_ages_months: tuple[int, ...] = ()
    foreigner: bool = False
    no_registration: bool = False
    no_id: bool = False
    dangerous_disease: bool = False
    group_size: int = 1
    region: str | None = None
    include_neighbours: bool = False
    out_of_hours: bool = False  # arrives at night or at the weekend: needs admission round the clock (D8)

    def __post_init__(self) -> None:
        if self.sex not in SEXES:
            raise ValueError(f"sex must be one of {SEXES}, not {self.sex!r}")
        if self.group_size < 1:
            raise ValueError("group_size must be at least 1")
        if any(age < 0 for age in self.children_ages_months):
            raise ValueError("children's ages cannot be negative")

    @property
    def persons(self) -> int:
        """Places needed: the person and the children, or the whole group when that is larger."""
        return max(self.group_size, 1 + len(self.children_ages_months))


@dataclass(frozen=True)
class Candidate:
    """A shelter as the search sees it."""

    shelter_id: int
    name: str
    region: str
    status: str  # "open" | "suspended" | "closed"
    answers: Mapping[str, Any]
    visit_date: dt.date | None
    availability: Availability | None
    institution_type: str | None = None  # the record's B4 value


@dataclass(frozen=True)
class Note:
    """A reason a shelter matches, a condition that could stop the admission, or something not known (see the
    module docstring)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """A shelter that may take the person: its relevant free places, how fresh they are, reasons, conditions
    (`risks`) and unknowns; `in_region` is False for a shelter in a neighbouring region."""

    candidate: Candidate
    free_places: int | None
    as_of: dt.date | dt.datetime | None
    reasons: tuple[Note, ...]
    risks: tuple[Note, ...]
    unknowns: tuple[Note, ...] = ()
    in_region: bool = True
    from_update: bool = False  # the free places and as_of come from an availability update, not the visit

    @property
    def known(self) -> bool:
        """Every answer the person's case needs is there (a known match, not just a possible one)."""
        return not self.unknowns


@dataclass(frozen=True)
class RegionSummary:
    """How the matches fall between the chosen region and its neighbours."""

    known_in_region: int
    possible_in_region: int
    in_neighbours: int


class _Excluded(Exception):
    """What is known definitely rules the person out."""


class _Check:
    """Reads one candidate's answers for one profile, collecting reasons, conditions and unknowns."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self.answers = answers
        self.reasons: list[Note] = []
        self.risks: list[Note] = []
        self.unknowns: list[Note] = []

    def reason(self, key: str, **params: Any) -> None:
        self.reasons.append(Note(key, params))

    def risk(self, key: str, **params: Any) -> None:
        note = Note(key, params)
        if note not in self.risks:
            self.risks.append(note)

    def unknown(self, code: str, about: str) -> None:
        note = Note("unknown", {"code": code, "about": about})
        if note not in self.unknowns:
            self.unknowns.append(note)

    def single(self, code: str, about: str) -> str | None:
        value = self.answers.get(code)
        if isinstance(value, str) and value:
            return value
        self.unknown(code, about)
        return None

    def grade(self, code: str, about: str, excluded: tuple[str, ...] = (), reasons: Mapping[str, str] | None = None,
              risks: Mapping[str, str] | None = None) -> None:
        """Act on a single-choice answer: a value in `excluded` rules the person out; one in `reasons` or
        `risks` adds that note; an absent answer makes `about` unknown."""
        value = self.single(code, about)
        if value in excluded:
            raise _Excluded
        if value in (reasons or {}):
            self.reason(reasons[value])
        elif value in (risks or {}):
            self.risk(risks[value])

    def multi(self, code: str, about: str) -> frozenset[str] | None:
        value = self.answers.get(code)
        if isinstance(value, (list, tuple)) and value:
            return frozenset(value)
        self.unknown(code, about)
        return None

    def int(self, code: str, about: str) -> int | None:
        value = _number(self.answers, code)
        if value is None:
            self.unknown(code, about)
        return value

    def flag(self, code: str, about: str) -> bool | None:
        value = self.answers.get(code)
        if isinstance(value, bool):
            return value
        self.unknown(code, about)
        return None


def _check_who(check: _Check, profile: Profile, update: Availability | None) -> None:
    """D1-D4: sex, children and their ages, a father with his child. A current availability update that states
    the youngest child accepted wins over D2."""
    ages = profile.children_ages_months
    male = profile.sex == "male"
    if not ages:
        needed = "adult_men" if male else "adult_women"
        admitted = check.multi("D1", needed)
        if admitted is not None:
            if needed not in admitted:
                raise _Excluded
            check.reason("admits_men" if male else "admits_women")
        return
    with_parent = "fathers_children" if male else "mothers_children"
    admitted = check.multi("D1", with_parent)
    if admitted is not None:
        if with_parent in admitted:
            check.reason(f"admits_{with_parent}")
        elif "families" in admitted:
            check.reason("admits_families")
        else:
            raise _Excluded
    if update is not None and update.youngest_child_months is not None:
        youngest: int | None = update.youngest_child_months
    else:
        youngest = check.int("D2", "youngest_child")
    if youngest is not None:
        if min(ages) < youngest:
            raise _Excluded
        check.reason("children_from_months", months=youngest)
    oldest = check.int("D3", "oldest_child")
    if oldest is not None:
        if max(ages) > oldest * 12 + 11:
            raise _Excluded
        check.reason("children_up_to_years", years=oldest)
    if male:
        check.grade("D4", "father_with_child", excluded=("no",), reasons={"yes": "father_with_child"},
                    risks={"case_by_case": "father_with_child_case_by_case"})


def _check_documents(check: _Check, profile: Profile) -> None:
    """D14 (foreigners), D6 (registration), D7 (ID documents) and D5 (documents asked at admission: a condition
    for everyone; unknown only matters to a person without registration or ID)."""
    if profile.foreigner:
        check.grade("D14", "foreigners", excluded=("no",), reasons={"yes": "admits_foreigners"},
                    risks={"legal_stay_only": "foreigners_legal_stay_only",
                           "with_status_only": "foreigners_with_status_only"})
    lacking = profile.no_registration or profile.no_id
    documents = check.multi("D5", "documents") if lacking else _answered_multi(check.answers, "D5")
    if profile.no_registration:
        check.grade("D6", "registration", reasons={"no": "registration_not_required"},
                    risks={"yes": "registration_required", "some_categories": "registration_for_some"})
    if profile.no_id:
        check.grade("D7", "without_id", excluded=("no",), reasons={"yes": "admits_without_id"},
                    risks={"temporary": "id_temporary"})
    if documents is None:
        return
    if "none" in documents:
        check.reason("no_documents_required")
        return
    said = {"residence_registration": profile.no_registration, "passport": profile.no_id}
    if said["residence_registration"] and "residence_registration" in documents:
        check.risk("registration_document_required")
    if said["passport"] and "passport" in documents:
        check.risk("passport_required")
    others = tuple(value for value in check.answers["D5"] if not said.get(value))
    if others:
        check.risk("documents_required", documents=others)


def _answered_multi(answers: Mapping[str, Any], code: str) -> frozenset[str] | None:
    value = answers.get(code)
    return frozenset(value) if isinstance(value, (list, tuple)) and value else None


def _check_arrival(check: _Check, profile: Profile) -> None:
    """D8: a person arriving at night or at the weekend needs admission round the clock."""
    if not profile.out_of_hours:
        return
    round_the_clock = check.flag("D8", "round_the_clock")
    if round_the_clock is False:
        raise _Excluded
    if round_the_clock:
        check.reason("admits_round_the_clock")


def _check_disease_and_group(check: _Check, profile: Profile) -> None:
    """D10 (socially dangerous diseases) and C10 (groups of five or more)."""
    if profile.dangerous_disease:
        exclusions = check.multi("D10", "disease")
        if exclusions is not None:
            if exclusions & set(DISEASE_EXCLUSIONS):
                raise _Excluded
            check.reason("disease_not_excluded")
    if profile.group_size >= GROUP_THRESHOLD:
        check.grade("C10", "group", excluded=("no",), reasons={"yes": "admits_groups"},
                    risks={"conditional": "group_conditional"})


def _relevant_free(check: _Check, candidate: Candidate, profile: Profile, current: bool) -> int | None:
    """Free places for this person: from a current availability update by women/men/children (0 when adults or
    children do not both fit), else the visit's free beds, C1 - C3, at most the C2 places usable for victims;
    None when unknown. C2 = 0 rules the shelter out: none of its places can be used for victims."""
    victim_places = _number(check.answers, "C2")
    if victim_places == 0:
        raise _Excluded
    if current:
        update = candidate.availability
        adults_free = update.free_men if profile.sex == "male" else update.free_women
        children = len(profile.children_ages_months)
        if not children:
            return adults_free
        adults = profile.persons - children
        if adults_free < adults or update.free_children < children:
            return 0
        return adults_free + update.free_children
    places, residents = _number(check.answers, "C1"), _number(check.answers, "C3")
    if places is None or residents is None:
        check.unknown("C1" if places is None else "C3", "free_places")
        return None
    if victim_places is None:
        check.unknown("C2", "victim_places")
    free = max(places - residents, 0)
    return free if victim_places is None else min(free, victim_places)


def _number(answers: Mapping[str, Any], code: str) -> int | None:
    value = answers.get(code)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _in_search_area(region: str, profile: Profile, neighbours: Mapping[str, frozenset[str]]) -> Note | None:
    """The region note of a shelter inside the searched area (none when no region was chosen), or None when it
    lies outside."""
    if profile.region is None:
        return Note("anywhere")
    if region == profile.region:
        return Note("in_region", {"region": region})
    if profile.include_neighbours and region in neighbours.get(profile.region, frozenset()):
        return Note("neighbouring_region", {"region": region})
    return None


def _match(candidate: Candidate, profile: Profile, neighbours: Mapping[str, frozenset[str]], today: dt.date,
           stale_days: int) -> Match | None:
    if candidate.status == "closed" or candidate.institution_type in CHILDREN_ONLY_TYPES:
        return None
    area = _in_search_area(candidate.region, profile, neighbours)
    if area is None:
        return None
    current = availability_is_current(candidate.availability, candidate.visit_date)
    if current and not candidate.availability.admissions_open:
        return None
    check = _Check(candidate.answers)
    if area.key != "anywhere":
        check.reasons.append(area)
    if candidate.status == "suspended":
        check.risk("shelter_suspended")
    try:
        _check_who(check, profile, candidate.availability if current else None)
        _check_documents(check, profile)
        _check_arrival(check, profile)
        _check_disease_and_group(check, profile)
        free = _relevant_free(check, candidate, profile, current)
    except _Excluded:
        return None
    if free is not None:
        if free < profile.persons:
            return None
        check.reason("has_free_places", free=free, needed=profile.persons)
    as_of: dt.date | dt.datetime | None = candidate.availability.as_of if current else candidate.visit_date
    if as_of is None:
        check.unknown("A2", "visit_date")
    else:
        age = (today - _day(as_of)).days
        if age > stale_days:
            check.risk("stale_availability", days=age, source="update" if current else "visit", date=_day(as_of))
    return Match(candidate, free, as_of, tuple(check.reasons), tuple(check.risks), tuple(check.unknowns),
                 in_region=area.key != "neighbouring_region", from_update=current)


def _day(moment: dt.date | dt.datetime) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _moment(moment: dt.date | dt.datetime) -> dt.datetime:
    """A comparable naive moment: a date is its midnight, an aware datetime its UTC time."""
    if not isinstance(moment, dt.datetime):
        return dt.datetime.combine(moment, dt.time.min)
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _order(match: Match) -> tuple:
    unknown_date, unknown_free = match.as_of is None, match.free_places is None
    age = 0.0 if unknown_date else (dt.datetime.max - _moment(match.as_of)).total_seconds()
    return (not match.known, not match.in_region, unknown_free, -(match.free_places or 0), unknown_date, age,
            sort_key(match.candidate.name), match.candidate.shelter_id)


def find_places(profile: Profile, candidates: Iterable[Candidate], neighbours: Mapping[str, frozenset[str]],
                today: dt.date, stale_days: int = 14) -> list[Match]:
    """The shelters that may admit the profile: known matches first, then possible ones (some needed answer
    absent); within each, the chosen region before its neighbours, then by free places (most first, unknown
    last), then freshest first (as_of descending, unknown last), then by name.

    Left out: closed shelters; children's institutions (B4 child_rehab, child_shelter: the person is an adult);
    shelters outside profile.region (and its neighbours when include_neighbours; no region = everywhere);
    shelters whose availability update newer than the visit says admissions are closed; shelters whose answers
    definitely refuse the person (D1 lacks the person's category; a child younger than D2 months or older than
    D3 years; D4 = no for a father; D14 = no for a foreigner; D7 = no without ID; D8 = no for someone arriving
    out of hours; D10 active_tb/other_sdd for a dangerous disease; C10 = no for a group of five or more; C2 = 0,
    no place usable for victims); shelters whose known free places are fewer than the persons arriving
    (Profile.persons). What might still stop the admission is a condition of the match, every absent answer that
    was needed an unknown.
    """
    matches = [match for candidate in candidates
               if (match := _match(candidate, profile, neighbours, today, stale_days)) is not None]
    return sorted(matches, key=_order)


def summarise_region(profile: Profile, matches: Iterable[Match]) -> RegionSummary | None:
    """How many matches are in the chosen region (known, possible) and in its neighbours; None when no region
    was chosen."""
    if profile.region is None:
        return None
    matches = list(matches)
    in_region = [m for m in matches if m.in_region]
    return RegionSummary(known_in_region=sum(m.known for m in in_region),
                         possible_in_region=sum(not m.known for m in in_region),
                         in_neighbours=len(matches) - len(in_region))
