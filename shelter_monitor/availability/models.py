import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shelter_monitor.auth.models import User
from shelter_monitor.db_types import JSONType, utcnow
from shelter_monitor.extensions import db
from shelter_monitor.shelters.models import Shelter


class AvailabilityUpdate(db.Model):
    """Free places of a shelter as of a moment; the newest update wins over the last monitoring answers."""

    __tablename__ = "availability_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelter.id", ondelete="CASCADE"), index=True)
    as_of: Mapped[dt.datetime]
    free_women: Mapped[int] = mapped_column(default=0)
    free_men: Mapped[int] = mapped_column(default=0)
    free_children: Mapped[int] = mapped_column(default=0)
    youngest_child_months: Mapped[int | None]
    admissions_open: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    shelter: Mapped[Shelter] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def total_free(self) -> int:
        return self.free_women + self.free_men + self.free_children


class LatestAnswers(db.Model):
    """The answers "find a place" reads, from each shelter's most recent submitted or approved response; kept
    up to date whenever a round's results are refreshed, so a search reads one small row per shelter."""

    __tablename__ = "latest_answers"

    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelter.id", ondelete="CASCADE"), primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"))
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType)
