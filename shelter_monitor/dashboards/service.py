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
    indicators_from_json,
    indicators_to_json,
)
from shelter_monitor.dashboards.models import RoundIndicators
from shelter_monitor.db_types import utcnow
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


def refresh_indicators(round_: Round) -> None:
    """Recompute and store the round's indicators (after a response is submitted, returned or approved, or an
    availability update): the dashboards read the stored figures, not 2,000 answer sets per page view."""
    snapshots = round_snapshots(round_)
    national = indicators_to_json(compute_indicators(snapshots))
    by_region = {iso: indicators_to_json(value) for iso, value in indicators_by_region(snapshots).items()}
    stored = db.session.get(RoundIndicators, round_.id)
    if stored is None:
        db.session.add(RoundIndicators(round_id=round_.id, national=national, by_region=by_region))
    else:
        stored.national, stored.by_region, stored.computed_at = national, by_region, utcnow()


def refresh_indicators_for_shelter(shelter_id: int) -> None:
    """Recompute the indicators of every round in which the shelter has a counted response."""
    rounds = db.session.scalars(select(Round).join(Response, Response.round_id == Round.id).where(
        Response.shelter_id == shelter_id, Response.state.in_(COUNTED_STATES))).all()
    for round_ in rounds:
        refresh_indicators(round_)


def stored_dashboards(round_ids: list[int]) -> dict[int, NationalDashboard]:
    """The stored indicators of those rounds, in one query."""
    rows = db.session.scalars(select(RoundIndicators).where(RoundIndicators.round_id.in_(round_ids)))
    return {row.round_id: NationalDashboard(indicators_from_json(row.national),
                                            {iso: indicators_from_json(v) for iso, v in row.by_region.items()})
            for row in rows}


def stored_version(round_: Round) -> dt.datetime | None:
    """When the round's indicators were last computed (None: never); part of every cached fragment's key."""
    return db.session.scalar(select(RoundIndicators.computed_at).where(RoundIndicators.round_id == round_.id))


def national_dashboard(round_: Round, only_region: str | None = None) -> NationalDashboard:
    """National totals and per-region indicators as stored; with `only_region`, the other regions are left out
    (a regional user sees the national figures only as totals)."""
    dashboard = stored_dashboards([round_.id]).get(round_.id) or NationalDashboard(compute_indicators([]), {})
    if only_region is not None:
        dashboard.by_region = {iso: value for iso, value in dashboard.by_region.items() if iso == only_region}
    return dashboard


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
    """Every round, oldest first, with its stored indicators (nationally, or for one region): two queries."""
    rounds = db.session.scalars(select(Round).order_by(Round.period_start)).all()
    stored = stored_dashboards([r.id for r in rounds])
    empty = compute_indicators([])
    result = []
    for round_ in rounds:
        dashboard = stored.get(round_.id)
        if dashboard is None:
            result.append((round_, empty))
        elif region is None:
            result.append((round_, dashboard.national))
        else:
            result.append((round_, dashboard.by_region.get(region.iso_code, empty)))
    return result


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

