"""What the platform measures itself against a programme's targets (spec/programme.md), from plain facts.

Plain Python, no Flask and no database: the service hands in one `RoundFacts` per monitoring round with the
sums it read, and `measured_values` gives every measure's value per year, nationally and per region. A year
with no round has no value (None), except "rounds held", which is then 0. Where a year holds several rounds,
the answers of its latest round count (C5 and F4 look back 12 and 24 months, so adding rounds would count the
same persons twice); rounds held counts them all.
"""
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from shelter_monitor.i18n import N_

ROUNDS_HELD = "rounds_held"
PERSONS_ACCOMMODATED = "persons_accommodated"
STAFF_TRAINED = "staff_trained"
LOCAL_DISBURSED = "local_disbursed"
REGIONS_WITH_PROGRAMME = "regions_with_programme"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str          # English msgid, translated by the caller
    qualifier: str      # the honest label: how far the figure can be trusted against the target
    per_region: bool
    lower_bound: bool = False  # the true figure is at least this ("≥" before it)
    additive: bool = True      # whether the years add up to a period total (not for stocks or 24-month windows)


INDICATOR_MEASURES = {m.key: m for m in (
    Measure(ROUNDS_HELD, N_("Monitoring rounds closed in the year"), N_("exact"), per_region=False),
    Measure(PERSONS_ACCOMMODATED, N_("Persons affected by trafficking accommodated in monitored shelters (C5a–C5d)"),
            N_("lower bound: monitored shelters only"), per_region=True, lower_bound=True),
    Measure(STAFF_TRAINED, N_("Shelter staff trained on trafficking (F4)"),
            N_("proxy: shelter staff only, trained in the last 24 months"), per_region=True, additive=False),
    Measure(REGIONS_WITH_PROGRAMME, N_("Regions with a current counter-trafficking programme (I4)"),
            N_("exact: regional forms"), per_region=True, additive=False),
)}
FUNDING_MEASURES = {m.key: m for m in (
    Measure(LOCAL_DISBURSED, N_("Local budget disbursed on counter-trafficking (I4a, regional forms)"),
            N_("regions that answered only"), per_region=True),
)}
MEASURES = INDICATOR_MEASURES | FUNDING_MEASURES
THOUSAND = Decimal(1000)


@dataclass(frozen=True)
class RegionSums:
    """One region's sums in one round: counted responses (C5a-d, F4) and its regional form (I4, I4a)."""

    victims: int = 0            # sum of C5a-C5d
    victims_shelters: int = 0   # responses with at least one C5 answer
    staff_trained: int = 0      # sum of F4
    staff_shelters: int = 0
    has_form: bool = False
    has_programme: bool = False  # I4 = yes
    disbursed: int | None = None  # I4a_disbursed, UAH


@dataclass(frozen=True)
class RoundFacts:
    code: str
    year: int                   # the year the round's period ends in
    closed: bool
    by_region: Mapping[str, RegionSums] = field(default_factory=dict)  # ISO -> sums


@dataclass(frozen=True)
class Measured:
    value: Decimal | None
    basis: int = 0              # shelters or regional forms behind the value
    rounds: tuple[str, ...] = ()  # codes of the rounds it comes from


Key = tuple[str, int, str | None]  # (measure, year, region ISO or None for national)


def _latest_by_year(rounds: Iterable[RoundFacts]) -> dict[int, RoundFacts]:
    latest: dict[int, RoundFacts] = {}
    for facts in rounds:
        latest[facts.year] = facts  # rounds come oldest first
    return latest


def _sum(values: Iterable[tuple[int, int]], code: str) -> Measured:
    total = basis = 0
    for value, count in values:
        total += value
        basis += count
    return Measured(Decimal(total) if basis else None, basis, (code,))


def _round_measures(facts: RoundFacts, region: str | None) -> dict[str, Measured]:
    sums = [s for iso, s in facts.by_region.items() if region in (None, iso)]
    forms = [s for s in sums if s.has_form]
    disbursed = [s.disbursed for s in forms if s.disbursed is not None]
    return {
        PERSONS_ACCOMMODATED: _sum(((s.victims, s.victims_shelters) for s in sums), facts.code),
        STAFF_TRAINED: _sum(((s.staff_trained, s.staff_shelters) for s in sums), facts.code),
        REGIONS_WITH_PROGRAMME: Measured(Decimal(sum(s.has_programme for s in forms)) if forms else None,
                                         len(forms), (facts.code,)),
        LOCAL_DISBURSED: Measured(Decimal(sum(disbursed)) / THOUSAND if disbursed else None, len(disbursed),
                                  (facts.code,)),
    }


def measured_values(rounds: list[RoundFacts], years: Iterable[int], regions: Iterable[str]) -> dict[Key, Measured]:
    """Every measure for every year, nationally (region None) and per region; rounds oldest first.

    Money is in thousand UAH, the unit of the funding plan.
    """
    latest = _latest_by_year(rounds)
    closed_by_year: dict[int, list[str]] = defaultdict(list)
    for facts in rounds:
        if facts.closed:
            closed_by_year[facts.year].append(facts.code)
    values: dict[Key, Measured] = {}
    for year in years:
        held = closed_by_year.get(year, [])
        values[ROUNDS_HELD, year, None] = Measured(Decimal(len(held)), len(held), tuple(held))
        for region in (None, *regions):
            facts = latest.get(year)
            measures = _round_measures(facts, region) if facts else {}
            for key in (PERSONS_ACCOMMODATED, STAFF_TRAINED, REGIONS_WITH_PROGRAMME, LOCAL_DISBURSED):
                values[key, year, region] = measures.get(key, Measured(None))
    return values
