import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shelter_monitor.auth.models import User
from shelter_monitor.db_types import JSONType, utcnow
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region


class Programme(db.Model):
    """A loaded programme file: its plan as checked data (plan.to_document); reloading replaces the plan."""

    __tablename__ = "programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    first_year: Mapped[int]
    last_year: Mapped[int]
    document: Mapped[dict[str, Any]] = mapped_column(JSONType)
    source_name: Mapped[str] = mapped_column(String(255), default="")
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    region: Mapped[Region | None] = relationship()


class Target(enum.StrEnum):
    """What an entered value is the actual of: an indicator or a funding line."""

    INDICATOR = "indicator"
    FUNDING = "funding"


class ActualValue(db.Model):
    """An official figure entered by hand for one indicator or funding line, year and (optionally) region.

    Entries are never edited: a correction is a new entry, the newest one counts, and the older ones are history.
    """

    __tablename__ = "programme_actual"
    __table_args__ = (Index("ix_programme_actual_lookup", "programme_id", "target", "code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(60))
    year: Mapped[int]
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    source: Mapped[str] = mapped_column(String(500))
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    programme: Mapped[Programme] = relationship()
    region: Mapped[Region | None] = relationship()
    entered_by: Mapped[User | None] = relationship()
