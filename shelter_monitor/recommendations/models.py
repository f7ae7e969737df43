import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shelter_monitor.auth.models import User
from shelter_monitor.db_types import JSONType, utcnow
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import Response
from shelter_monitor.shelters.models import Shelter


class RecommendationStatus(enum.StrEnum):
    ISSUED = "issued"
    NO_DATA = "no_data"


class FollowUpStatus(enum.StrEnum):
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REJECTED = "rejected"


class Finding(db.Model):
    """A shelter-level finding of one response, as last computed by the rules."""

    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelter.id"), index=True)
    code: Mapped[str] = mapped_column(String(4))
    severity: Mapped[str] = mapped_column(String(10))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)

    response: Mapped[Response] = relationship()
    shelter: Mapped[Shelter] = relationship()


class RegionalRecommendation(db.Model):
    """R1-R7 for one region in one round: issued (with severity) or no data; no row means not issued."""

    __tablename__ = "regional_recommendation"
    __table_args__ = (UniqueConstraint("round_id", "region_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    code: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(10), default=RecommendationStatus.ISSUED)
    severity: Mapped[str | None] = mapped_column(String(10))
    shelter_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)
    counts: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)

    region: Mapped[Region] = relationship()


class NationalRecommendation(db.Model):
    """M1-M3 for one round, with the regions and shelters behind them."""

    __tablename__ = "national_recommendation"
    __table_args__ = (UniqueConstraint("round_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    code: Mapped[str] = mapped_column(String(4))
    severity: Mapped[str] = mapped_column(String(10))
    region_codes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    shelter_ids: Mapped[list[int]] = mapped_column(JSONType, default=list)
    reasons: Mapped[list[str]] = mapped_column(JSONType, default=list)


class FollowUp(db.Model):
    """One status update by the addressee of an issued recommendation; the newest is the current status."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    code: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
    region: Mapped[Region | None] = relationship()
