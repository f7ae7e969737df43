import datetime as dt
import enum

from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shelter_monitor.auth.models import User
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region


class ShelterStatus(enum.StrEnum):
    OPEN = "open"
    SUSPENDED = "suspended"
    CLOSED = "closed"


shelter_assignment = Table(
    "shelter_assignment",
    db.metadata,
    Column("shelter_id", ForeignKey("shelter.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
)


class Shelter(db.Model):
    """An institution that can take victims of trafficking. Address and phone are confidential."""

    __tablename__ = "shelter"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    settlement: Mapped[str] = mapped_column(String(200), default="")
    katottg: Mapped[str] = mapped_column(String(24), default="")
    institution_type: Mapped[str] = mapped_column(String(40))
    ownership: Mapped[str] = mapped_column(String(20))
    specialised: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default=ShelterStatus.OPEN)
    address: Mapped[str] = mapped_column(String(400), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow, index=True)  # API sync

    region: Mapped[Region] = relationship()
    monitors: Mapped[list[User]] = relationship(secondary=shelter_assignment, order_by=User.name)

    def __repr__(self) -> str:
        return f"<Shelter {self.id} {self.name}>"
