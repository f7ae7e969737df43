import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shelter_monitor.db_types import JSONType
from shelter_monitor.extensions import db


def _name_by_default(context) -> str:
    """A round created without an English name gets its (Ukrainian) name until an administrator sets one."""
    return context.get_current_parameters()["name"]


class Round(db.Model):
    """A monitoring campaign: one response per shelter, under one questionnaire version."""

    __tablename__ = "monitoring_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))  # in Ukrainian
    name_en: Mapped[str] = mapped_column(String(200), default=_name_by_default)
    period_start: Mapped[dt.date]
    period_end: Mapped[dt.date]
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    covid_section: Mapped[bool] = mapped_column(default=True)
    is_open: Mapped[bool] = mapped_column(default=True)

    def display_name(self, locale: str) -> str:
        """The round's name in the reader's language ("en" or "uk"; a locale such as "en_GB" counts as its
        language); the Ukrainian name where no English one is set."""
        if str(locale).split("_")[0] == "en" and self.name_en:
            return self.name_en
        return self.name

    def __repr__(self) -> str:
        return f"<Round {self.code}>"


class RegionResult(db.Model):
    """A region's part of a round's stored results, kept so that a change in one region recomputes that region
    and combines the national results from these rows instead of reading every region's answers: the national
    region-level conditions that hold there, [key, code, severity] each, and its indicator totals (None without
    a counted response). A row exists for each region with a counted response or a regional form."""

    __tablename__ = "region_result"

    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), primary_key=True)
    national_conditions: Mapped[list[list[str]]] = mapped_column(JSONType, default=list)
    indicator_totals: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
