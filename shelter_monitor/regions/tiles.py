"""Where the regions sit, for tile-grid maps and for "search the neighbouring regions too".

TILES places each of the 27 regions on one square of a small grid, roughly where it lies in Ukraine (columns
run west to east, rows north to south), so that a dashboard can draw a recognisable map without any geometry:

           0      1      2      3      4      5      6      7
    0             Volyn  Rivne  Zhyt.  KyivC  Chern. Sumy
    1             Lviv   Tern.  Khml.  Kyiv   Polt.  Khark. Luh.
    2      Zak.   Iv-Fr. Chnv.  Vinn.  Cherk. Dnip.  Don.
    3                           Odesa  Kirov. Zap.
    4                                  Mykol. Khers.
    5                                  Sev.   Crimea

NEIGHBOURS holds the regions each region shares a land border with (real geography, borders between Ukrainian
regions only); Kyiv City lies inside Kyiv Oblast and Sevastopol inside Crimea.
"""
import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shelter_monitor.regions.data import region_records

__all__ = ["NEIGHBOURS", "TILES", "TileLabel", "grid_size", "tile_labels"]

TILE_LABELS_CSV = Path(__file__).with_name("tile_labels.csv")

TILES: dict[str, tuple[int, int]] = {
    "UA-07": (0, 1),  # Volyn
    "UA-56": (0, 2),  # Rivne
    "UA-18": (0, 3),  # Zhytomyr
    "UA-30": (0, 4),  # Kyiv City
    "UA-74": (0, 5),  # Chernihiv
    "UA-59": (0, 6),  # Sumy
    "UA-46": (1, 1),  # Lviv
    "UA-61": (1, 2),  # Ternopil
    "UA-68": (1, 3),  # Khmelnytskyi
    "UA-32": (1, 4),  # Kyiv Oblast
    "UA-53": (1, 5),  # Poltava
    "UA-63": (1, 6),  # Kharkiv
    "UA-09": (1, 7),  # Luhansk
    "UA-21": (2, 0),  # Zakarpattia
    "UA-26": (2, 1),  # Ivano-Frankivsk
    "UA-77": (2, 2),  # Chernivtsi
    "UA-05": (2, 3),  # Vinnytsia
    "UA-71": (2, 4),  # Cherkasy
    "UA-12": (2, 5),  # Dnipropetrovsk
    "UA-14": (2, 6),  # Donetsk
    "UA-51": (3, 3),  # Odesa
    "UA-35": (3, 4),  # Kirovohrad
    "UA-23": (3, 5),  # Zaporizhzhia
    "UA-48": (4, 4),  # Mykolaiv
    "UA-65": (4, 5),  # Kherson
    "UA-40": (5, 4),  # Sevastopol
    "UA-43": (5, 5),  # Crimea
}

# Each land border between two regions, once.
_BORDERS: tuple[tuple[str, str], ...] = (
    ("UA-07", "UA-56"), ("UA-07", "UA-46"),
    ("UA-56", "UA-46"), ("UA-56", "UA-61"), ("UA-56", "UA-68"), ("UA-56", "UA-18"),
    ("UA-46", "UA-21"), ("UA-46", "UA-26"), ("UA-46", "UA-61"),
    ("UA-21", "UA-26"),
    ("UA-26", "UA-61"), ("UA-26", "UA-77"),
    ("UA-61", "UA-68"), ("UA-61", "UA-77"),
    ("UA-77", "UA-68"), ("UA-77", "UA-05"),
    ("UA-68", "UA-18"), ("UA-68", "UA-05"),
    ("UA-18", "UA-05"), ("UA-18", "UA-32"),
    ("UA-05", "UA-32"), ("UA-05", "UA-71"), ("UA-05", "UA-35"), ("UA-05", "UA-51"),
    ("UA-32", "UA-30"), ("UA-32", "UA-74"), ("UA-32", "UA-53"), ("UA-32", "UA-71"),
    ("UA-74", "UA-59"), ("UA-74", "UA-53"),
    ("UA-59", "UA-53"), ("UA-59", "UA-63"),
    ("UA-53", "UA-63"), ("UA-53", "UA-12"), ("UA-53", "UA-35"), ("UA-53", "UA-71"),
    ("UA-71", "UA-35"),
    ("UA-35", "UA-12"), ("UA-35", "UA-48"), ("UA-35", "UA-51"),
    ("UA-63", "UA-09"), ("UA-63", "UA-14"), ("UA-63", "UA-12"),
    ("UA-09", "UA-14"),
    ("UA-14", "UA-12"), ("UA-14", "UA-23"),
    ("UA-12", "UA-23"), ("UA-12", "UA-65"), ("UA-12", "UA-48"),
    ("UA-23", "UA-65"),
    ("UA-51", "UA-48"),
    ("UA-48", "UA-65"),
    ("UA-65", "UA-43"),
    ("UA-43", "UA-40"),
)


def _neighbours() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {record.iso_code: set() for record in region_records()}
    for one, other in _BORDERS:
        found[one].add(other)
        found[other].add(one)
    return {code: frozenset(regions) for code, regions in found.items()}


NEIGHBOURS: dict[str, frozenset[str]] = _neighbours()


def grid_size() -> tuple[int, int]:
    """(rows, columns) of the smallest grid that holds every tile."""
    return (max(row for row, _ in TILES.values()) + 1, max(column for _, column in TILES.values()) + 1)


@dataclass(frozen=True)
class TileLabel:
    """A region's name on a map tile: `short` without "Oblast" (a wide tile), `abbreviation` of at most seven
    characters ending in a full stop where letters are left out (a phone's tile, about 40 px wide)."""

    short: str
    abbreviation: str


@cache
def tile_labels(language: str) -> dict[str, TileLabel]:
    """ISO code -> the region's tile label in the language ("uk", else English), from tile_labels.csv."""
    column = "uk" if language == "uk" else "en"
    with TILE_LABELS_CSV.open(encoding="utf-8") as handle:
        return {row["iso_3166_2"]: TileLabel(row[f"short_{column}"], row[f"abbr_{column}"])
                for row in csv.DictReader(handle)}
