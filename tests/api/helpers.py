"""Tokens for API tests."""
from shelter_monitor.api.tokens import create_token
from shelter_monitor.auth.models import User
from shelter_monitor.extensions import db


def bearer(user: User, write: bool = True, days: int = 90) -> dict[str, str]:
    """The Authorization header of a new token of the user (committed)."""
    _, secret = create_token(user, "test", write, days)
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}
