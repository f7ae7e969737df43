"""Find a place: the shelters that would admit a person, according to their latest answers, and have room.

Plain Python (no Flask, no database). The caller hands in the person's Profile and one Candidate per shelter
(its record status, its latest submitted or approved answers and its newest availability update); find_places
returns the shelters that may take the person, each with the reasons it matches and the risks that could still
stop the admission, freshest information first.

Three-valued honesty: a shelter is left out only when its answers definitely rule the person out. An absent
answer is never read as yes or no; it keeps the shelter in with a "not_answered" risk naming the question.

Note keys (stable; the page translates them):
  reasons: in_region, neighbouring_region, admits_women, admits_men, admits_mothers_children,
    admits_fathers_children, admits_families, children_from_months, children_up_to_years, father_with_child,
    admits_foreigners, registration_not_required, admits_without_id, disease_not_excluded, admits_groups,
    has_free_places
  risks: shelter_suspended, not_answered {code}, father_with_child_case_by_case, foreigners_legal_stay_only,
    foreigners_with_status_only, registration_required (strong: the shelter says registration is required),
    registration_for_some, registration_document_required, id_temporary, passport_required, group_conditional,
    free_places_unknown, stale_availability {days, source}
"""
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shelter_monitor.dashboards.indicators import Availability, availability_is_current

__all__ = ["Candidate", "Match", "Note", "Profile", "find_places"]

SEXES = ("female", "male")
# The answers the matcher reads: callers may load only these.
MATCH_CODES = ("A2", "C1", "C3", "C10", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D10", "D14")
GROUP_THRESHOLD = 5  # C10 asks about groups of 5 or more
DISEASE_EXCLUSIONS = ("active_tb", "other_sdd")


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


@dataclass(frozen=True)
class Note:
    """A reason a shelter matches, or something that could stop the admission (see the module docstring)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Match:
    """A shelter that may take the person: its relevant free places, how fresh they are, reasons and risks."""

    candidate: Candidate
    free_places: int | None
    as_of: dt.date | dt.datetime | None
    reasons: tuple[Note, ...]
    risks: tuple[Note, ...]


class _Excluded(Exception):
    """The answers definitely rule the person out."""


class _Check:
    """Reads one candidate's answers for one profile, collecting reasons and risks."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        self.answers = answers
        self.reasons: list[Note] = []
        self.risks: list[Note] = []

    def reason(self, key: str, **params: Any) -> None:
        self.reasons.append(Note(key, params))

    def risk(self, key: str, **params: Any) -> None:
        note = Note(key, params)
        if note not in self.risks:
            self.risks.append(note)

    def single(self, code: str) -> str | None:
        value = self.answers.get(code)
        if isinstance(value, str) and value:
            return value
        self.risk("not_answered", code=code)
        return None

    def grade(self, code: str, excluded: tuple[str, ...] = (), reasons: Mapping[str, str] | None = None,
              risks: Mapping[str, str] | None = None) -> None:
        """Act on a single-choice answer: a value in `excluded` rules the person out; one in `reasons` or
        `risks` adds that note; an absent answer is a "not answered" risk."""
        value = self.single(code)
        if value in excluded:
            raise _Excluded
        if value in (reasons or {}):
            self.reason(reasons[value])
        elif value in (risks or {}):
            self.risk(risks[value])

    def multi(self, code: str) -> frozenset[str] | None:
        value = self.answers.get(code)
        if isinstance(value, (list, tuple)) and value:
            return frozenset(value)
        self.risk("not_answered", code=code)
        return None

    def int(self, code: str) -> int | None:
        value = self.answers.get(code)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.risk("not_answered", code=code)
        return None


def _check_who(check: _Check, profile: Profile, update: Availability | None) -> None:
    """D1-D4: sex, children and their ages, a father with his child. A current availability update that states
    the youngest child accepted wins over D2."""
    admitted = check.multi("D1")
    ages = profile.children_ages_months
    male = profile.sex == "male"
    if admitted is not None:
        if not ages:
            needed = "adult_men" if male else "adult_women"
            if needed not in admitted:
                raise _Excluded
            check.reason("admits_men" if male else "admits_women")
        else:
            with_parent = "fathers_children" if male else "mothers_children"
            if with_parent in admitted:
                check.reason(f"admits_{with_parent}")
            elif "families" in admitted:
                check.reason("admits_families")
            else:
                raise _Excluded
    if not ages:
        return
    if update is not None and update.youngest_child_months is not None:
        youngest: int | None = update.youngest_child_months
    else:
        youngest = check.int("D2")
    if youngest is not None:
        if min(ages) < youngest:
            raise _Excluded
        check.reason("children_from_months", months=youngest)
    oldest = check.int("D3")
    if oldest is not None:
        if max(ages) > oldest * 12 + 11:
            raise _Excluded
        check.reason("children_up_to_years", years=oldest)
    if male:
        check.grade("D4", excluded=("no",), reasons={"yes": "father_with_child"},
                    risks={"case_by_case": "father_with_child_case_by_case"})


def _check_documents(check: _Check, profile: Profile) -> None:
    """D14 (foreigners), D5/D6 (registration), D7/D5 (ID documents)."""
    if profile.foreigner:
        check.grade("D14", excluded=("no",), reasons={"yes": "admits_foreigners"},
                    risks={"legal_stay_only": "foreigners_legal_stay_only",
                           "with_status_only": "foreigners_with_status_only"})
    documents = check.multi("D5") if profile.no_registration or profile.no_id else None
    if profile.no_registration:
        check.grade("D6", reasons={"no": "registration_not_required"},
                    risks={"yes": "registration_required", "some_categories": "registration_for_some"})
        if documents is not None and "residence_registration" in documents:
            check.risk("registration_document_required")
    if profile.no_id:
        check.grade("D7", excluded=("no",), reasons={"yes": "admits_without_id"},
                    risks={"temporary": "id_temporary"})
        if documents is not None and "passport" in documents:
            check.risk("passport_required")


def _check_disease_and_group(check: _Check, profile: Profile) -> None:
    """D10 (socially dangerous diseases) and C10 (groups of five or more)."""
    if profile.dangerous_disease:
        exclusions = check.multi("D10")
        if exclusions is not None:
            if exclusions & set(DISEASE_EXCLUSIONS):
                raise _Excluded
            check.reason("disease_not_excluded")
    if profile.group_size >= GROUP_THRESHOLD:
        check.grade("C10", excluded=("no",), reasons={"yes": "admits_groups"},
                    risks={"conditional": "group_conditional"})


def _relevant_free(candidate: Candidate, profile: Profile, current: bool) -> int | None:
    """Free places for this person: from a current availability update by women/men/children (0 when adults or
    children do not both fit), else max(C1 - C3, 0) from the visit; None when unknown."""
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
    places, residents = candidate.answers.get("C1"), candidate.answers.get("C3")
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (places, residents)):
        return None
    return max(places - residents, 0)


def _in_search_area(region: str, profile: Profile, neighbours: Mapping[str, frozenset[str]]) -> Note | None:
    """The region note of a shelter inside the searched area, or None when it lies outside."""
    if profile.region is None or region == profile.region:
        return Note("in_region", {"region": region})
    if profile.include_neighbours and region in neighbours.get(profile.region, frozenset()):
        return Note("neighbouring_region", {"region": region})
    return None


def _match(candidate: Candidate, profile: Profile, neighbours: Mapping[str, frozenset[str]], today: dt.date,
           stale_days: int) -> Match | None:
    if candidate.status == "closed":
        return None
    area = _in_search_area(candidate.region, profile, neighbours)
    if area is None:
        return None
    current = availability_is_current(candidate.availability, candidate.visit_date)
    if current and not candidate.availability.admissions_open:
        return None
    check = _Check(candidate.answers)
    check.reasons.append(area)
    if candidate.status == "suspended":
        check.risk("shelter_suspended")
    try:
        _check_who(check, profile, candidate.availability if current else None)
        _check_documents(check, profile)
        _check_disease_and_group(check, profile)
    except _Excluded:
        return None
    free = _relevant_free(candidate, profile, current)
    if free is None:
        check.risk("free_places_unknown")
    elif free < profile.persons:
        return None
    else:
        check.reason("has_free_places", free=free, needed=profile.persons)
    as_of: dt.date | dt.datetime | None = candidate.availability.as_of if current else candidate.visit_date
    if as_of is None:
        check.risk("not_answered", code="A2")
    else:
        age = (today - _day(as_of)).days
        if age > stale_days:
            check.risk("stale_availability", days=age, source="update" if current else "visit")
    return Match(candidate, free, as_of, tuple(check.reasons), tuple(check.risks))


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
    return (unknown_date, age, unknown_free, -(match.free_places or 0), match.candidate.name,
            match.candidate.shelter_id)


def find_places(profile: Profile, candidates: Iterable[Candidate], neighbours: Mapping[str, frozenset[str]],
                today: dt.date, stale_days: int = 14) -> list[Match]:
    """The shelters that may admit the profile, freshest first (as_of descending, unknown last), then by free
    places (most first, unknown last), then by name.

    Left out: closed shelters; shelters outside profile.region (and its neighbours when include_neighbours; no
    region = everywhere); shelters whose availability update newer than the visit says admissions are closed;
    shelters whose answers definitely refuse the person (D1 lacks the person's category; a child younger than
    D2 months or older than D3 years; D4 = no for a father; D14 = no for a foreigner; D7 = no without ID;
    D10 active_tb/other_sdd for a dangerous disease; C10 = no for a group of five or more); shelters whose known
    free places are fewer than the persons arriving (Profile.persons). Everything that might still stop the
    admission, including every absent answer that was needed, is a risk of the match.
    """
    matches = [match for candidate in candidates
               if (match := _match(candidate, profile, neighbours, today, stale_days)) is not None]
    return sorted(matches, key=_order)
