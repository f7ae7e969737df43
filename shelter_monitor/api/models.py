import datetime as dt

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shelter_monitor.auth.models import User
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db


class ApiToken(db.Model):
    """A personal access token: acts as its user on the API, read-only unless `can_write`. Only the SHA-256 of
    the secret is stored (the secret is shown once, when created); `prefix` is its first characters, for
    recognising it in a list."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    can_write: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def is_usable(self, now: dt.datetime) -> bool:
        """Not revoked, not expired, and its user is active."""
        return self.revoked_at is None and now < self.expires_at and self.user.active

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix} user={self.user_id}>"
