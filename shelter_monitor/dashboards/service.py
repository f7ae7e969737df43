"""The figures the dashboards show, read in a fixed number of queries whatever the number of shelters."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from shelter_monitor.availability.service import as_availability, newest_updates
from shelter_monitor.dashboards.indicators import (
    Indicators,
    ShelterSnapshot,
    availability_is_current,
    compute_indicators,
    free_places,
    indicators_by_region,
)
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import COUNTED_STATES, Response
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter


def _snapshots(statement) -> list[tuple[int, ShelterSnapshot]]:
    """(round id, snapshot) for each counted response the statement selects, with the newest availability."""
    rows = db.session.execute(statement).all()
    updates = newest_updates({row.shelter_id for row in rows})
    return [(row.round_id, ShelterSnapshot(shelter_id=row.shelter_id, region=row.iso_code, answers=row.answers,
                                           availability=as_availability(updates.get(row.shelter_id))))
            for row in rows]


def _responses(region: Region | None = None):
    statement = (select(Response.round_id, Response.shelter_id, Region.iso_code, Response.answers)
                 .join(Shelter, Shelter.id == Response.shelter_id).join(Region, Region.id == Shelter.region_id)
                 .where(Response.state.in_(COUNTED_STATES)))
    return statement.where(Region.id == region.id) if region is not None else statement


def round_snapshots(round_: Round, region: Region | None = None) -> list[ShelterSnapshot]:
    """The round's counted responses (of one region, or all) as snapshots: two queries."""
    return [snapshot for _, snapshot in _snapshots(_responses(region).where(Response.round_id == round_.id))]


@dataclass
class NationalDashboard:
    national: Indicators
    by_region: dict[str, Indicators]


def national_dashboard(round_: Round, only_region: str | None = None) -> NationalDashboard:
    """National totals and per-region indicators; with `only_region`, the other regions are left out (a regional
    user sees the national figures only as totals)."""
    snapshots = round_snapshots(round_)
    by_region = indicators_by_region(snapshots)
    if only_region is not None:
        by_region = {iso: value for iso, value in by_region.items() if iso == only_region}
    return NationalDashboard(compute_indicators(snapshots), by_region)


@dataclass
class ShelterRow:
    shelter: Shelter
    snapshot: ShelterSnapshot | None
    free_places: int | None

    @property
    def from_update(self) -> bool:
        """Free places come from an availability update newer than the visit (not from C1 - C3)."""
        snapshot = self.snapshot
        return snapshot is not None and availability_is_current(snapshot.availability, _visit(snapshot))


def _visit(snapshot: ShelterSnapshot) -> dt.date | None:
    visit = snapshot.answers.get("A2")
    return dt.date.fromisoformat(visit) if visit else None


def region_shelters(round_: Round, region: Region) -> tuple[list[ShelterRow], Indicators]:
    """The region's shelters with their free places in the round, and the region's indicators: three queries."""
    snapshots = {s.shelter_id: s for s in round_snapshots(round_, region)}
    shelters = db.session.scalars(select(Shelter).where(Shelter.region_id == region.id).order_by(Shelter.name)).all()
    rows = [ShelterRow(s, snapshots.get(s.id), free_places(snapshots[s.id]) if s.id in snapshots else None)
            for s in shelters]
    return rows, compute_indicators(snapshots.values())


def trends(region: Region | None = None) -> list[tuple[Round, Indicators]]:
    """Every round, oldest first, with its indicators (nationally, or for one region): three queries."""
    rounds = db.session.scalars(select(Round).order_by(Round.period_start)).all()
    grouped: dict[int, list[ShelterSnapshot]] = defaultdict(list)
    for round_id, snapshot in _snapshots(_responses(region)):
        grouped[round_id].append(snapshot)
    return [(round_, compute_indicators(grouped[round_.id])) for round_ in rounds]


def gap_regions(by_region: dict[str, Indicators]) -> dict[str, list[str]]:
    """Gap key -> the regions (ISO codes) with that gap, among regions with data."""
    gaps: dict[str, list[str]] = defaultdict(list)
    for iso, indicators in sorted(by_region.items()):
        for key, missing in indicators.gaps.items():
            if missing and indicators.shelters:
                gaps[key].append(iso)
    return dict(gaps)


def latest_round() -> Round | None:
    return db.session.scalar(select(Round).order_by(Round.period_start.desc()).limit(1))

