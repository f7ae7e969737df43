"""What the programme charts draw: groups of bars (plan, entered, measured) scaled to the chart's largest value."""
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from shelter_monitor.programmes.overview import Overview, Row
from shelter_monitor.questionnaire.model import localize


@dataclass(frozen=True)
class Bar:
    series: str                 # "plan" | "entered" | "measured" (the CSS class and the legend)
    value: Decimal | None
    width: float                # share of the chart's largest value, 0..1
    at_least: bool = False      # a lower bound: written "≥ value"


@dataclass(frozen=True)
class Group:
    label: str
    bars: tuple[Bar, ...]

    def bar(self, series: str) -> Bar | None:
        return next((bar for bar in self.bars if bar.series == series), None)


SERIES = ("plan", "entered", "measured")


def _values(row: Row, year: int) -> dict[str, Decimal | None]:
    cell = row.cell(year)
    values = {"plan": cell.target, "entered": cell.entered.value if cell.entered else None}
    if row.measure is not None:
        values["measured"] = cell.measured.value if cell.measured else None
    return values


def year_groups(row: Row, years: Sequence[int]) -> list[Group]:
    """One group per year: the plan, the entered and (where the row has a measure) the measured value."""
    values = {year: _values(row, year) for year in years}
    top = max((v for by_series in values.values() for v in by_series.values() if v is not None), default=Decimal(0))
    lower_bound = row.measure is not None and row.measure.lower_bound
    return [Group(str(year), tuple(Bar(series, value, float(value / top) if value is not None and top else 0.0,
                                       at_least=series == "measured" and lower_bound and value is not None)
                                   for series, value in by_year.items()))
            for year, by_year in values.items()]


def latest_year_with_actuals(overview: Overview) -> int:
    """The last year with an official figure or a monitoring round behind a measure (else the first year)."""
    rows = [*overview.rows(), *overview.funding]
    known = [cell.year for row in rows for cell in row.cells
             if cell.entered is not None or (cell.measured is not None and cell.measured.rounds)]
    return max(known, default=overview.years[0])


def share_groups(overview: Overview, year: int, language: str) -> list[Group]:
    """One group per indicator with a target and an official or measured share in the year.

    Bars are scaled so that 100% is the same length in every group (or the largest share, when above 100%).
    """
    groups = []
    for row in overview.rows():
        cell = row.cell(year)
        if not cell.target:
            continue
        shares = {"entered": cell.entered_share}
        if row.measure is not None:
            shares["measured"] = cell.measured_share
        if any(share is not None for share in shares.values()):
            groups.append((localize(row.title, language), shares, row.measure is not None and row.measure.lower_bound))
    top = max([Decimal(1), *(s for _, shares, _ in groups for s in shares.values() if s is not None)])
    return [Group(label, tuple(Bar(series, value, float(value / top) if value is not None else 0.0,
                                   at_least=series == "measured" and lower_bound)
                               for series, value in shares.items()))
            for label, shares, lower_bound in groups]
