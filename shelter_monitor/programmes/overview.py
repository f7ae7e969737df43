"""Plan against actual: a programme's rows (indicators and funding lines) with target, entered and measured values.

Plain Python, no Flask and no database. The page, the XLSX sheet and the deck slide all read the `Overview`
built here, so they cannot disagree. An entered official figure and a measured value stand side by side; each
has its own share of the target and status, and neither replaces the other.
"""
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from shelter_monitor.programmes.measures import MEASURES, Key, Measure, Measured
from shelter_monitor.programmes.plan import FundingLine, Indicator, Programme, Targets, Task

REACHED = "reached"
PARTLY = "partly"
BEHIND = "behind"
NO_DATA = "none"
PARTLY_FROM = Decimal("0.5")


@dataclass(frozen=True)
class Entered:
    value: Decimal
    source: str
    note: str
    by: str
    at: dt.datetime


EnteredKey = tuple[str, str, int]  # (target kind "indicator" | "funding", code, year)


def share(actual: Decimal | None, target: Decimal | None) -> Decimal | None:
    """actual / target, or None when either is unknown or the target is 0."""
    if actual is None or not target:
        return None
    return actual / target


def status(value: Decimal | None) -> str:
    """The status colour of a share of the target: reached (100% or more), partly (50% or more), behind."""
    if value is None:
        return NO_DATA
    if value >= 1:
        return REACHED
    return PARTLY if value >= PARTLY_FROM else BEHIND


@dataclass(frozen=True)
class Cell:
    """One year of one row, or its total over the programme's years (year None)."""

    year: int | None
    target: Decimal | None
    entered: Entered | None
    measured: Measured | None       # None when the row has no platform measure

    @property
    def entered_share(self) -> Decimal | None:
        return share(self.entered.value if self.entered else None, self.target)

    @property
    def measured_share(self) -> Decimal | None:
        return share(self.measured.value if self.measured else None, self.target)

    @property
    def entered_status(self) -> str:
        return status(self.entered_share)

    @property
    def measured_status(self) -> str:
        return status(self.measured_share)


@dataclass(frozen=True)
class Row:
    kind: str                       # "indicator" | "funding"
    code: str
    title: Mapping[str, str]
    unit: Mapping[str, str] | None
    measure: Measure | None
    cells: tuple[Cell, ...]
    total: Cell
    depth: int = 0                  # 1 for a part of a funding source
    source: Mapping[str, str] = field(default_factory=dict)  # an indicator's place in the source, per language

    def cell(self, year: int) -> Cell:
        return next(c for c in self.cells if c.year == year)


@dataclass(frozen=True)
class TaskRows:
    task: Task
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Overview:
    programme: Programme
    region: str | None              # None: national view
    tasks: tuple[TaskRows, ...]
    funding: tuple[Row, ...]        # sources, each followed by its parts
    funding_total: Row | None

    @property
    def years(self) -> tuple[int, ...]:
        return self.programme.years

    def rows(self) -> list[Row]:
        return [row for task in self.tasks for row in task.rows]

    def row(self, kind: str, code: str) -> Row | None:
        rows = self.rows() if kind == "indicator" else [*self.funding, self.funding_total]
        return next((row for row in rows if row is not None and row.code == code), None)


def _sum_if_complete(values: list[Decimal | None]) -> Decimal | None:
    return None if not values or None in values else sum(values, Decimal(0))


def _total(cells: list[Cell], stated: Decimal | None, measure: Measure | None) -> Cell:
    """The period's total: the stated total target; entered and measured summed where every year is known
    (a measure whose years do not add up, such as a 24-month count, has no total)."""
    entered = [c.entered.value if c.entered else None for c in cells]
    entered_sum = _sum_if_complete(entered)
    measured_sum = _sum_if_complete([c.measured.value if c.measured else None for c in cells])
    last = next((c.entered for c in reversed(cells) if c.entered), None)
    total_entered = Entered(entered_sum, "", "", last.by, last.at) if entered_sum is not None and last else None
    total_measured = None if measure is None else Measured(measured_sum if measure.additive else None)
    return Cell(None, stated if stated is not None else _sum_if_complete([c.target for c in cells]),
                total_entered, total_measured)


def _cells(kind: str, code: str, targets: Targets, measure: str | None, years: tuple[int, ...], region: str | None,
           entered: Mapping[EnteredKey, Entered], measured: Mapping[Key, Measured]) -> list[Cell]:
    return [Cell(year, targets.get(year), entered.get((kind, code, year)),
                 measured.get((measure, year, region), Measured(None)) if measure else None) for year in years]


def _targets_in_view(indicator: Indicator, programme: Programme, region: str | None) -> tuple[Targets, Decimal | None]:
    """The targets that apply: the programme's own nationally or for its own region, else the region's share."""
    if region is None or region == programme.region:
        return indicator.targets, indicator.total
    return indicator.regional_targets.get(region, {}), None


def _measure_applies(key: str | None, region: str | None) -> str | None:
    if key is None or (region is not None and not MEASURES[key].per_region):
        return None
    return key


def _indicator_row(indicator: Indicator, programme: Programme, region: str | None,
                   entered: Mapping[EnteredKey, Entered], measured: Mapping[Key, Measured]) -> Row:
    targets, stated = _targets_in_view(indicator, programme, region)
    measure = _measure_applies(indicator.measure, region)
    cells = _cells("indicator", indicator.code, targets, measure, programme.years, region, entered, measured)
    spec = MEASURES.get(measure or "")
    return Row("indicator", indicator.code, indicator.title, indicator.unit, spec, tuple(cells),
               _total(cells, stated, spec), source=indicator.source)


def _funding_row(line: FundingLine, programme: Programme, region: str | None, depth: int,
                 entered: Mapping[EnteredKey, Entered], measured: Mapping[Key, Measured]) -> Row:
    own = region is None or region == programme.region
    plan = line.plan if own else {}
    measure = _measure_applies(line.measure, region)
    cells = _cells("funding", line.code, plan, measure, programme.years, region, entered, measured)
    spec = MEASURES.get(measure or "")
    return Row("funding", line.code, line.title, programme.funding_unit, spec, tuple(cells),
               _total(cells, line.total if own else None, spec), depth=depth)


def build_overview(programme: Programme, region: str | None, entered: Mapping[EnteredKey, Entered],
                   measured: Mapping[Key, Measured]) -> Overview:
    """The programme's plan against what was entered and measured, nationally (region None) or for one region.

    `entered` holds the current entered value per (kind, code, year) for this view only (national or the region).
    """
    tasks = tuple(TaskRows(task, tuple(_indicator_row(i, programme, region, entered, measured)
                                       for i in task.indicators)) for task in programme.tasks)
    funding = tuple(_funding_row(line, programme, region, depth, entered, measured)
                    for source in programme.funding
                    for depth, line in [(0, source), *((1, part) for part in source.parts)])
    total = programme.funding_total
    return Overview(programme, region, tasks, funding,
                    _funding_row(total, programme, region, 0, entered, measured) if total else None)
