"""Dashboard indicators of a round: capacity, occupancy, refusals, COVID-19 suspension, funding, training, gaps.

Plain Python (no Flask, no database): the caller hands in one ShelterSnapshot per shelter (its submitted or
approved answers in the round and its newest availability update) and gets plain numbers back.

Aggregation: every rate is a ratio of sums, never a mean of per-shelter ratios, so a 60-bed shelter weighs
six times a 10-bed one and a shelter with an empty denominator cannot break the result. Each ratio sums only
over the shelters where every answer it reads is known (an absent answer is unknown, never 0), and is None when
its denominator is 0 or nothing is known. Only the two per-shelter figures that have no natural weight,
COVID-19 suspension days and donor dependence, are plain means over the shelters that answered.
"""
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from fractions import Fraction
from typing import Any

from shelter_monitor.i18n import N_

__all__ = ["GAP_KEYS", "INDICATORS", "Availability", "IndicatorSpec", "Indicators", "ShelterSnapshot",
           "availability_is_current", "combine_totals", "compute_indicators", "free_places", "indicator_value",
           "indicator_totals", "indicators_by_region", "indicators_from_totals"]

CHILDREN_CHOICES = ("mothers_children", "fathers_children", "families")
GAP_KEYS = ("men", "mothers_children", "under3", "fathers_children", "foreigners")
TOP_REASONS = 5


@dataclass(frozen=True)
class Availability:
    """The newest availability update of a shelter."""

    as_of: dt.datetime
    free_women: int
    free_men: int
    free_children: int
    youngest_child_months: int | None  # youngest child age accepted, in months (None = not said)
    admissions_open: bool

    @property
    def total(self) -> int:
        return self.free_women + self.free_men + self.free_children


@dataclass(frozen=True)
class ShelterSnapshot:
    """One shelter's state in a round: its answers (JSON values keyed by question code) and newest update."""

    shelter_id: int
    region: str
    answers: Mapping[str, Any]
    availability: Availability | None = None


@dataclass(frozen=True)
class Indicators:
    """The indicators of a set of shelters (a round, or one region of it); see the module docstring."""

    shelters: int
    places: int
    free_places: int
    victim_places: int
    residents: int
    occupancy: float | None
    victim_share: float | None
    male_share: float | None
    refusal_rate: float | None
    top_refusal_reasons: tuple[tuple[str, int], ...]
    covid_suspension_days: float | None
    suspended_shelters: int
    donor_dependence: float | None
    training_coverage: float | None
    gaps: Mapping[str, bool]


@dataclass(frozen=True)
class IndicatorSpec:
    """How a dashboard shows one indicator: its key, label (an English message id, translated where it is
    shown), kind and Indicators attribute, and, where the label alone could be read as more than the figure
    measures, a note saying what it counts (a message id too)."""

    key: str
    label: str
    kind: str  # "share" (0..1, shown as a percentage), "count" or "days"
    attribute: str
    note: str | None = None


INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("shelters", N_("Shelters"), "count", "shelters"),
    IndicatorSpec("places", N_("Places"), "count", "places"),
    IndicatorSpec("free_places", N_("Free places"), "count", "free_places"),
    IndicatorSpec("victim_places", N_("Places for THB victims"), "count", "victim_places"),
    IndicatorSpec("occupancy", N_("Occupancy"), "share", "occupancy"),
    IndicatorSpec("victim_share", N_("THB victims among residents"), "share", "victim_share"),
    IndicatorSpec("male_share", N_("Men among victims housed"), "share", "male_share"),
    # C8a counts every applicant refused placement, victims of trafficking or not (the questionnaire cannot tell
    # them apart), so the figure is not "victims refused": it is named for what it divides.
    IndicatorSpec("refusal_rate", N_("Refusals (any applicant) among refusals and victims housed"),
                  "share", "refusal_rate",
                  note=N_("Refusals of placement to any applicant, not only victims of trafficking (C8a), divided by "
                          "those refusals plus the victims housed (C5a–d). The questionnaire does not say how many "
                          "of the refused were victims.")),
    IndicatorSpec("covid_suspension_days", N_("Admissions suspended for COVID-19 (days)"),
                  "days", "covid_suspension_days"),
    IndicatorSpec("donor_dependence", N_("Donor dependence"), "share", "donor_dependence"),
    IndicatorSpec("training_coverage", N_("Training coverage"), "share", "training_coverage"),
)
_SPECS = {spec.key: spec for spec in INDICATORS}


def _int(answers: Mapping[str, Any], code: str) -> int | None:
    value = answers.get(code)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | int | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _choices(answers: Mapping[str, Any], code: str) -> frozenset[str] | None:
    value = answers.get(code)
    return frozenset(value) if isinstance(value, (list, tuple)) and value else None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def availability_is_current(availability: Availability | None, visit: dt.date | None) -> bool:
    """Whether an availability update supersedes the visit's C1-C3: it exists and falls on a later day than the
    visit. The visit has a date only, so an update made on the visit day does not count as newer. With no
    visit date the update is the only dated figure, so it counts."""
    if availability is None:
        return False
    return visit is None or availability.as_of.date() > visit


def free_places(snapshot: ShelterSnapshot) -> int | None:
    """Free places: the availability total when the update is newer than the visit (A2), else max(C1 - C3, 0);
    None when neither is known."""
    if availability_is_current(snapshot.availability, _date(snapshot.answers.get("A2"))):
        return snapshot.availability.total
    places, residents = _int(snapshot.answers, "C1"), _int(snapshot.answers, "C3")
    if places is None or residents is None:
        return None
    return max(places - residents, 0)


def _ratio(top: int | float, bottom: int | float) -> float | None:
    return top / bottom if bottom else None


def _refusals(answers: Mapping[str, Any]) -> int | None:
    """C8a, or 0 when C8 says there were no refusals; None when unknown (C8 absent or `unknown`, C8a absent)."""
    refused = answers.get("C8")
    if refused == "no":
        return 0
    if refused == "yes":
        return _int(answers, "C8a")
    return None


def _housed(answers: Mapping[str, Any]) -> int | None:
    """Victims housed in the last 12 months (C5a+C5b+C5c+C5d); None unless all four are known."""
    parts = [_int(answers, code) for code in ("C5a", "C5b", "C5c", "C5d")]
    return None if None in parts else sum(parts)


def _suspension_days(answers: Mapping[str, Any]) -> int | None:
    if answers.get("K1") not in ("fully", "partly"):
        return None
    start, end = _date(answers.get("K1a_from")), _date(answers.get("K1a_to"))
    if start is None or end is None or end < start:
        return None
    return (end - start).days


def _donor_percent(answers: Mapping[str, Any]) -> Fraction | None:
    """I1.donor + I1.io, exactly; a source missing from I1 counts 0 (I1 lists the sources that have a share)."""
    shares = answers.get("I1")
    if not isinstance(shares, Mapping) or not shares:
        return None
    parts = [_number(shares.get(source, 0)) for source in ("donor", "io")]
    return None if None in parts else sum(map(Fraction, parts), Fraction(0))


def _offers(answers: Mapping[str, Any]) -> dict[str, bool | None]:
    """For each gap key, whether the shelter offers it: True, False, or None when the answers do not say."""
    admitted = _choices(answers, "D1")
    youngest = _int(answers, "D2")
    father, foreigners = answers.get("D4"), answers.get("D14")
    if admitted is None:
        under3 = None
    elif not admitted & set(CHILDREN_CHOICES):
        under3 = False
    else:
        under3 = None if youngest is None else youngest < 36
    return {
        "men": None if admitted is None else "adult_men" in admitted,
        "mothers_children": None if admitted is None else "mothers_children" in admitted,
        "under3": under3,
        "fathers_children": None if father is None else father in ("yes", "case_by_case"),
        "foreigners": None if foreigners is None else foreigners in ("yes", "with_status_only"),
    }


def compute_indicators(snapshots: Iterable[ShelterSnapshot]) -> Indicators:
    """The indicators over the given shelters. Never raises on absent answers or empty denominators: a figure
    nothing is known about is None (a count is 0). A gap (no shelter offers men / mothers with children /
    under-3s / fathers with children / foreigners) is judged over the shelters whose answers say; it is False
    when none does, so that "no data" is never shown as a gap."""
    return indicators_from_totals(indicator_totals(snapshots))


_SUMS = ("shelters", "places", "free_places", "victim_places", "residents", "occupancy_top", "occupancy_bottom",
         "victims_top", "victims_bottom", "men_top", "men_bottom", "refused_top", "refused_bottom", "trained_top",
         "trained_bottom", "suspension_days", "suspension_count", "suspended_shelters", "donor_count")


def indicator_totals(snapshots: Iterable[ShelterSnapshot]) -> dict[str, Any]:
    """The sums behind the indicators of the given shelters, as JSON-ready data. Totals add up
    (combine_totals), so a round's figures are its regions' totals combined, whatever the order: every sum is
    of integers, or exact (the donor shares, kept as a fraction)."""
    totals: dict[str, Any] = dict.fromkeys(_SUMS, 0)
    reasons: Counter[str] = Counter()
    donor = Fraction(0)
    offered: dict[str, bool] = {key: False for key in GAP_KEYS}
    judged: dict[str, bool] = {key: False for key in GAP_KEYS}

    for snapshot in snapshots:
        answers = snapshot.answers
        totals["shelters"] += 1
        c1, c2, c3, c4 = (_int(answers, code) for code in ("C1", "C2", "C3", "C4"))
        totals["places"] += c1 or 0
        totals["victim_places"] += c2 or 0
        totals["residents"] += c3 or 0
        totals["free_places"] += free_places(snapshot) or 0
        if c1 is not None and c3 is not None:
            totals["occupancy_top"] += c3
            totals["occupancy_bottom"] += c1
        if c3 is not None and c4 is not None:
            totals["victims_top"] += c4
            totals["victims_bottom"] += c3
        housed, men = _housed(answers), _int(answers, "C5a")
        if housed is not None:
            totals["men_top"] += men
            totals["men_bottom"] += housed
        refusals = _refusals(answers)
        if refusals is not None and housed is not None:
            totals["refused_top"] += refusals
            totals["refused_bottom"] += refusals + housed
        if answers.get("C8") == "yes":
            reasons.update(_choices(answers, "C8b") or ())
        days = _suspension_days(answers)
        if days is not None:
            totals["suspension_days"] += days
            totals["suspension_count"] += 1
        if answers.get("K1") in ("fully", "partly"):
            totals["suspended_shelters"] += 1
        share = _donor_percent(answers)
        if share is not None:
            donor += share
            totals["donor_count"] += 1
        staff, trained = _int(answers, "F1"), _int(answers, "F4")
        if staff is not None and trained is not None:
            totals["trained_top"] += trained
            totals["trained_bottom"] += staff
        for key, offers in _offers(answers).items():
            if offers is not None:
                judged[key] = True
                offered[key] = offered[key] or offers
    return {**totals, "donor_percent": str(donor), "reasons": dict(sorted(reasons.items())),
            "offered": offered, "judged": judged}


def combine_totals(parts: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The totals of the union of the shelters behind each of `parts` (indicator_totals of disjoint sets)."""
    combined = indicator_totals(())
    donor = Fraction(0)
    reasons: Counter[str] = Counter()
    for part in parts:
        for key in _SUMS:
            combined[key] += part[key]
        donor += Fraction(part["donor_percent"])
        reasons.update(part["reasons"])
        for key in GAP_KEYS:
            combined["offered"][key] = combined["offered"][key] or part["offered"][key]
            combined["judged"][key] = combined["judged"][key] or part["judged"][key]
    return {**combined, "donor_percent": str(donor), "reasons": dict(sorted(reasons.items()))}


def indicators_from_totals(totals: Mapping[str, Any]) -> Indicators:
    """The indicators of the shelters behind `totals` (indicator_totals or combine_totals)."""
    top = sorted(totals["reasons"].items(), key=lambda item: (-item[1], item[0]))[:TOP_REASONS]
    suspension_count, donor_count = totals["suspension_count"], totals["donor_count"]
    return Indicators(
        shelters=totals["shelters"],
        places=totals["places"],
        free_places=totals["free_places"],
        victim_places=totals["victim_places"],
        residents=totals["residents"],
        occupancy=_ratio(totals["occupancy_top"], totals["occupancy_bottom"]),
        victim_share=_ratio(totals["victims_top"], totals["victims_bottom"]),
        male_share=_ratio(totals["men_top"], totals["men_bottom"]),
        refusal_rate=_ratio(totals["refused_top"], totals["refused_bottom"]),
        top_refusal_reasons=tuple(top),
        covid_suspension_days=totals["suspension_days"] / suspension_count if suspension_count else None,
        suspended_shelters=totals["suspended_shelters"],
        donor_dependence=(float(Fraction(totals["donor_percent"]) / (100 * donor_count)) if donor_count else None),
        training_coverage=_ratio(totals["trained_top"], totals["trained_bottom"]),
        gaps={key: totals["judged"][key] and not totals["offered"][key] for key in GAP_KEYS},
    )


def indicators_by_region(snapshots: Iterable[ShelterSnapshot]) -> dict[str, Indicators]:
    """The indicators of each region that has a snapshot, keyed by ISO code in code order."""
    grouped: dict[str, list[ShelterSnapshot]] = defaultdict(list)
    for snapshot in snapshots:
        grouped[snapshot.region].append(snapshot)
    return {region: compute_indicators(grouped[region]) for region in sorted(grouped)}


def indicator_value(indicators: Indicators, key: str) -> float | int | None:
    """The value of the INDICATORS entry `key`; KeyError for a key that is not one of them."""
    try:
        spec = _SPECS[key]
    except KeyError:
        raise KeyError(f"unknown indicator {key!r}; known: {', '.join(_SPECS)}") from None
    return getattr(indicators, spec.attribute)


def indicators_to_json(indicators: Indicators) -> dict[str, Any]:
    """Indicators as JSON-ready data (for storing a round's results)."""
    return asdict(indicators)


def indicators_from_json(data: Mapping[str, Any]) -> Indicators:
    """The inverse of indicators_to_json."""
    reasons = tuple((reason, count) for reason, count in data["top_refusal_reasons"])
    return Indicators(**{**data, "top_refusal_reasons": reasons, "gaps": dict(data["gaps"])})
