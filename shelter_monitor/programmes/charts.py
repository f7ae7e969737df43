"""What the programme charts draw: groups of bars (plan, entered, measured) scaled to the chart's largest value."""
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from shelter_monitor.programmes.overview import Row


@dataclass(frozen=True)
class Bar:
    series: str                 # "plan" | "entered" | "measured" (the CSS class and the legend)
    value: Decimal | None
    width: float                # share of the chart's largest value, 0..1


@dataclass(frozen=True)
class Group:
    label: str
    bars: tuple[Bar, ...]


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
    return [Group(str(year), tuple(Bar(series, value, float(value / top) if value is not None and top else 0.0)
                                   for series, value in by_year.items()))
            for year, by_year in values.items()]
