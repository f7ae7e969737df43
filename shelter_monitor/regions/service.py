"""Regions as stored (loaded from regions.csv by the first migration)."""
from sqlalchemy import select

from shelter_monitor.collation import collated
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region


def all_regions(locale: str) -> list[Region]:
    """Every region, sorted by its name in the locale."""
    regions = db.session.scalars(select(Region)).all()
    return collated(regions, key=lambda r: r.name(locale))


def region_by_iso(iso_code: str) -> Region | None:
    return db.session.scalar(select(Region).where(Region.iso_code == iso_code))
