import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from shelter_monitor.db_types import JSONType, utcnow
from shelter_monitor.extensions import db


class RoundIndicators(db.Model):
    """A round's indicators, nationally and per region, as last computed (pages read this, not the answers)."""

    __tablename__ = "round_indicators"

    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id", ondelete="CASCADE"), primary_key=True)
    national: Mapped[dict[str, Any]] = mapped_column(JSONType)
    by_region: Mapped[dict[str, Any]] = mapped_column(JSONType)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
