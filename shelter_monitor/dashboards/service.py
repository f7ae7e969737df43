"""The figures the dashboards show, read in a fixed number of queries whatever the number of shelters."""
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from shelter_monitor.availability.service import as_availability, newest_updates
from shelter_monitor.collation import collated
from shelter_monitor.dashboards.indicators import (
    Indicators,
    ShelterSnapshot,
    availability_is_current,
    combine_totals,
    compute_indicators,
    free_places,
    indicator_totals,
    indicators_from_json,
    indicators_from_totals,
    indicators_to_json,
)
from shelter_monitor.dashboards.models import RoundIndicators
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import COUNTED_STATES, Response
from shelter_monitor.rounds.models import RegionResult, Round
from shelter_monitor.rounds.service import lock_results
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
    """Recompute and store all of the round's indicators and each region's totals (RegionResult): the
    dashboards read the stored figures, not 2,000 answer sets per page view. The national figures are the
    regions' totals combined, exactly what they are over all the round's shelters. The caller holds the round's
    results lock (rounds.service.lock_results)."""
    grouped: dict[str, list[ShelterSnapshot]] = defaultdict(list)
    for snapshot in round_snapshots(round_):
        grouped[snapshot.region].append(snapshot)
    region_ids = dict(db.session.execute(select(Region.iso_code, Region.id)).all())
    totals = {region_ids[iso]: indicator_totals(snapshots) for iso, snapshots in grouped.items()}
    for row in db.session.scalars(select(RegionResult).where(RegionResult.round_id == round_.id)):
        row.indicator_totals = totals.pop(row.region_id, None)
    for region_id, value in totals.items():
        db.session.add(RegionResult(round_id=round_.id, region_id=region_id, national_conditions=[],
                                    indicator_totals=value))
    _store_indicators(round_)


def refresh_region_indicators(round_: Round, region: Region) -> None:
    """Recompute one region's indicator totals from its own shelters, and the round's stored indicators from
    every region's totals (no other region's answers are read). The caller holds the round's results lock."""
    snapshots = round_snapshots(round_, region)
    totals = indicator_totals(snapshots) if snapshots else None
    row = db.session.get(RegionResult, (round_.id, region.id))
    if row is not None:
        row.indicator_totals = totals
    elif totals is not None:
        db.session.add(RegionResult(round_id=round_.id, region_id=region.id, national_conditions=[],
                                    indicator_totals=totals))
    _store_indicators(round_)


def _store_indicators(round_: Round) -> None:
    parts = {iso: totals for iso, totals in db.session.execute(
        select(Region.iso_code, RegionResult.indicator_totals).join(Region, RegionResult.region_id == Region.id)
        .where(RegionResult.round_id == round_.id)) if totals is not None}
    national = indicators_to_json(indicators_from_totals(combine_totals(parts.values())))
    by_region = {iso: indicators_to_json(indicators_from_totals(parts[iso])) for iso in sorted(parts)}
    stored = db.session.get(RoundIndicators, round_.id)
    if stored is None:
        db.session.add(RoundIndicators(round_id=round_.id, national=national, by_region=by_region))
    else:
        stored.national, stored.by_region, stored.computed_at = national, by_region, utcnow()


def has_region_parts(round_: Round) -> bool:
    """Whether the round's stored results have each region's part (RegionResult), so that one region can be
    recomputed alone: false for a round never computed, or last computed before the parts were stored."""
    by_region = db.session.scalar(select(RoundIndicators.by_region).where(RoundIndicators.round_id == round_.id))
    if by_region is None:
        return False
    if not by_region:
        return True
    stored = set(db.session.scalars(select(Region.iso_code).join(RegionResult, RegionResult.region_id == Region.id)
                                    .where(RegionResult.round_id == round_.id,
                                           RegionResult.indicator_totals.is_not(None))))
    return set(by_region) <= stored


def refresh_indicators_for_shelter(shelter_id: int) -> None:
    """Recompute, in every round in which the shelter has a counted response, its region's indicators and the
    national ones (after an availability update), holding each round's results lock."""
    rounds = db.session.scalars(select(Round).join(Response, Response.round_id == Round.id).where(
        Response.shelter_id == shelter_id, Response.state.in_(COUNTED_STATES)).order_by(Round.id)).all()
    region = db.session.get(Shelter, shelter_id).region
    for round_ in rounds:
        lock_results(round_)
        if has_region_parts(round_):
            refresh_region_indicators(round_, region)
        else:
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

    @property
    def visit_date(self) -> dt.date | None:
        """The day of the round's monitoring visit (A2), if the shelter was monitored and the date answered."""
        return _visit(self.snapshot) if self.snapshot is not None else None


def _visit(snapshot: ShelterSnapshot) -> dt.date | None:
    visit = snapshot.answers.get("A2")
    return dt.date.fromisoformat(visit) if visit else None


def region_shelters(round_: Round, region: Region) -> tuple[list[ShelterRow], Indicators]:
    """The region's shelters with their free places in the round, and the region's indicators: three queries."""
    snapshots = {s.shelter_id: s for s in round_snapshots(round_, region)}
    shelters = collated(db.session.scalars(select(Shelter).where(Shelter.region_id == region.id)),
                        key=lambda shelter: shelter.name)
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


def _newest_round_with_data(region: Region | None) -> Round | None:
    statement = (select(Round).where(select(Response.id).join(Shelter, Shelter.id == Response.shelter_id)
                                     .where(Response.round_id == Round.id, Response.state.in_(COUNTED_STATES),
                                            *([Shelter.region_id == region.id] if region is not None else []))
                                     .exists())
                 .order_by(Round.period_start.desc()).limit(1))
    return db.session.scalar(statement)


def dashboard_round(region: Region | None = None) -> Round | None:
    """The round a dashboard opens on: the newest with submitted or approved responses in `region` (a regional
    user's own), else the newest with such responses anywhere, else the newest round (a round that has just
    opened has no figures yet); None when there is no round at all."""
    return ((region is not None and _newest_round_with_data(region)) or _newest_round_with_data(None)
            or latest_round())

