"""The 27 regions of Ukraine as shipped in regions.csv (ISO 3166-2, KATOTTG, names in both languages)."""
import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REGIONS_CSV = Path(__file__).with_name("regions.csv")


@dataclass(frozen=True)
class RegionRecord:
    iso_code: str
    katottg: str
    kind: str
    name_en: str
    name_uk: str


@cache
def region_records() -> tuple[RegionRecord, ...]:
    """The regions in file order."""
    with REGIONS_CSV.open(encoding="utf-8") as handle:
        return tuple(
            RegionRecord(row["iso_3166_2"], row["katottg"], row["type"], row["name_en"], row["name_uk"])
            for row in csv.DictReader(handle)
        )
