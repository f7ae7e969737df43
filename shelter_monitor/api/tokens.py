"""Personal access tokens: create (the secret is returned once), list, revoke, and find the token a request
presents. Only the SHA-256 of a secret is stored, so a copy of the database cannot be used to call the API."""
import datetime as dt
import hashlib
import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from shelter_monitor.api.models import ApiToken
from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.db_types import utcnow
from shelter_monitor.errors import FieldError
from shelter_monitor.extensions import db

SECRET_PREFIX = "smt_"  # recognisable in logs and by secret scanners
PREFIX_SHOWN = 12       # characters of the secret kept to tell tokens apart in a list
DEFAULT_DAYS = 90
MAX_DAYS = 365
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)  # how stale last_used_at may be, to spare a write per request


class TokenError(FieldError):
    """A token the user asked for cannot be made (the field says which choice is wrong)."""


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str, can_write: bool = False, days: int = DEFAULT_DAYS,
                 actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token of the user valid `days` days (1 to MAX_DAYS): (the stored token, its secret). The secret is
    not kept anywhere: the caller shows it once. Audited as done by `actor` (the user itself by default)."""
    if not 1 <= days <= MAX_DAYS:
        raise TokenError("days", _l("A token is valid from 1 to %(max)d days.", max=MAX_DAYS))
    name = (name or "").strip() or str(_l("API token"))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user=user, name=name[:100], token_hash=token_hash(secret), prefix=secret[:PREFIX_SHOWN],
                     can_write=can_write, created_at=now, expires_at=now + dt.timedelta(days=days))
    db.session.add(token)
    record(actor or user, "api_token.create", token,
           {"user": user.id, "name": token.name, "can_write": can_write, "expires_at": token.expires_at.isoformat()})
    return token, secret


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, for the record)."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(token: ApiToken, actor: User) -> None:
    """Stop the token at once (its next request gets 401). Revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    token.revoked_by_id = actor.id
    record(actor, "api_token.revoke", token, {"user": token.user_id, "name": token.name})


def usable_token(secret: str) -> ApiToken | None:
    """The token with this secret if it may be used now (not revoked, not expired, its user active), else None.
    Marks it as used (at most once a minute, in its own statement)."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    now = utcnow()
    if token is None or not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now)
                           .execution_options(synchronize_session=False))
        db.session.commit()
    return token
