"""What the dashboard pages draw: tiles of the region map and bars of the charts (plain data, no request)."""
from collections.abc import Mapping
from dataclasses import dataclass

from shelter_monitor.dashboards.indicators import INDICATORS, Indicators, IndicatorSpec, indicator_value
from shelter_monitor.regions.tiles import TILES

BUCKETS = 5


def indicator_spec(key: str | None) -> IndicatorSpec:
    """The indicator named by key, or the first (occupancy when unknown keys are asked for)."""
    return next((spec for spec in INDICATORS if spec.key == key), next(s for s in INDICATORS if s.key == "occupancy"))


@dataclass(frozen=True)
class Tile:
    iso: str
    row: int
    column: int
    value: float | int | None
    bucket: int | None          # 0 (lowest) .. BUCKETS - 1 (highest); None: no data


def _bucket(value, low, high) -> int | None:
    if value is None:
        return None
    if high == low:
        return BUCKETS // 2
    return min(BUCKETS - 1, int((value - low) / (high - low) * BUCKETS))


def map_tiles(by_region: Mapping[str, Indicators], key: str) -> list[Tile]:
    """Every region's tile with the indicator's value and its colour bucket among the regions with data."""
    values = {iso: indicator_value(ind, key) if ind.shelters else None for iso, ind in by_region.items()}
    known = [v for v in values.values() if v is not None]
    low, high = (min(known), max(known)) if known else (0, 0)
    return [Tile(iso, row, column, values.get(iso), _bucket(values.get(iso), low, high))
            for iso, (row, column) in sorted(TILES.items(), key=lambda item: item[1])]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | int | None
    width: float                # share of the longest bar, 0..1


def bars(rows: list[tuple[str, float | int | None]]) -> list[Bar]:
    """Bars for a horizontal bar chart, scaled to the largest value."""
    top = max((v for _, v in rows if v is not None), default=0)
    return [Bar(label, value, (value / top) if value is not None and top else 0.0) for label, value in rows]
