import datetime as dt

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from shelter_monitor.extensions import db


class Round(db.Model):
    """A monitoring campaign: one response per shelter, under one questionnaire version."""

    __tablename__ = "monitoring_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    covid_section: Mapped[bool] = mapped_column(default=True)
    is_open: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<Round {self.code}>"
