import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shelter_monitor.db_types import JSONType, utcnow
from shelter_monitor.extensions import db


class QuestionnaireVersion(db.Model):
    """A questionnaire version stored in the database (imported from an XLSForm), beside the versions shipped
    in the package. `definition` is in the format of the shipped definitions/*.json; `digest` is the SHA-256 of
    its canonical JSON, which the loader's cache is keyed by. Immutable once a round uses it."""

    __tablename__ = "questionnaire_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(20), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSONType)
    digest: Mapped[str] = mapped_column(String(64))
    derived_from: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    def __repr__(self) -> str:
        return f"<QuestionnaireVersion {self.version}>"
