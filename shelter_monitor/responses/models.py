import datetime as dt
import enum
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shelter_monitor.auth.models import User
from shelter_monitor.db_types import JSONType, utcnow
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter


class ResponseState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


# Responses that count in findings, indicators and matching: submitted or approved, not drafts or returned ones.
COUNTED_STATES = (ResponseState.SUBMITTED, ResponseState.APPROVED)


class ResponseOrigin(enum.StrEnum):
    """How a response came in: started on the pages, a row of the platform's own XLSX/CSV import, or a
    submission collected with ODK Collect (exported by ODK Central) or KoboCollect (by KoboToolbox)."""

    WEB = "web"
    IMPORT = "import"
    ODK_CENTRAL = "odk-central"
    KOBO = "kobo"


class Response(db.Model):
    """One shelter's answers in one round. `version` is bumped on every write and every UPDATE checks it
    (optimistic locking: an UPDATE of a row someone changed since it was read matches nothing and raises
    StaleDataError), so of two writes from the same version exactly one lands. A submission collected offline
    keeps its instance id, one response per instance id in a round (NULLs, the responses not collected offline,
    do not collide): the database refuses a submission imported a second time, whatever the timing."""

    __tablename__ = "response"
    __table_args__ = (UniqueConstraint("shelter_id", "round_id"),
                      UniqueConstraint("round_id", "instance_id", name="uq_response_round_instance"))

    id: Mapped[int] = mapped_column(primary_key=True)
    shelter_id: Mapped[int] = mapped_column(ForeignKey("shelter.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    questionnaire_version: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    origin: Mapped[str] = mapped_column(String(20), default=ResponseOrigin.WEB.value,
                                        server_default=ResponseOrigin.WEB.value)
    instance_id: Mapped[str | None] = mapped_column(String(64))  # ODK's / Kobo's, without "uuid:"
    state: Mapped[str] = mapped_column(String(20), default=ResponseState.DRAFT, index=True)
    version: Mapped[int] = mapped_column(default=1)
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("response.id"))
    carried_sections: Mapped[list[str]] = mapped_column(JSONType, default=list)
    return_reason: Mapped[str] = mapped_column(Text, default="")
    question_comments: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    # free-text answers the coordinator marked as sensitive: never exported
    sensitive_codes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    submitted_at: Mapped[dt.datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    shelter: Mapped[Shelter] = relationship()
    round: Mapped[Round] = relationship()
    carried_from: Mapped["Response | None"] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])

    # the services set the next version themselves (the page carries it); the ORM only checks it
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    def __repr__(self) -> str:
        return f"<Response {self.id} shelter={self.shelter_id} round={self.round_id} {self.state}>"


class RegionalForm(db.Model):
    """The questions asked once per region per round (I4, I4a); versioned like Response, and one per region and
    round (two people creating it at once: the second insert fails on the unique constraint)."""

    __tablename__ = "regional_form"
    __table_args__ = (UniqueConstraint("region_id", "round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"))
    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    region: Mapped[Region] = relationship()
    round: Mapped[Round] = relationship()
    updated_by: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}
