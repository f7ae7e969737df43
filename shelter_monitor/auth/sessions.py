"""Server-side login sessions: a request is logged in only while its row in `login_session` exists.

The signed session cookie carries a random token; the table keeps its SHA-256. Logging out deletes the row, so a
copied cookie stops working at once; a password change, a deactivation and "log out everywhere" delete every row
of the user. A session also ends after SESSION_IDLE_MINUTES without a request and SESSION_MAX_DAYS after login.
"""
import datetime as dt
import hashlib
import secrets

from flask import current_app, request, session
from sqlalchemy import delete, select, update

from shelter_monitor.auth.models import LoginSession, User
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.plain_text import CONTROL

SESSION_KEY = "login_token"
LAST_SEEN_RESOLUTION = dt.timedelta(minutes=1)  # how stale last_seen_at may be, to spare a write per request


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> None:
    """Begin a fresh session for the user: the old cookie's contents (and its CSRF token) are dropped, only the
    language choice is kept, and a new token is stored."""
    language = session.get("language")
    session.clear()
    if language:
        session["language"] = language
    token = secrets.token_urlsafe(32)
    user_agent = CONTROL.sub("", request.user_agent.string or "")[:200]  # a header is not checked like a form
    db.session.add(LoginSession(token_hash=_hash(token), user_id=user.id, user_agent=user_agent))
    session[SESSION_KEY] = token
    session.permanent = True


def end_session() -> None:
    """End this browser's session on the server."""
    token = session.pop(SESSION_KEY, None)
    if token:
        db.session.execute(delete(LoginSession).where(LoginSession.token_hash == _hash(token)))


def end_all_sessions(user: User) -> int:
    """End every session of the user (on every device). Returns how many there were."""
    return db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id)).rowcount


def current_session_hash() -> str | None:
    token = session.get(SESSION_KEY)
    return _hash(token) if token else None


def sessions_of(user: User) -> list[LoginSession]:
    """The user's open sessions, the most recently used first."""
    return list(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)
                                   .order_by(LoginSession.last_seen_at.desc())))


def _limits() -> tuple[dt.timedelta, dt.timedelta]:
    config = current_app.config
    return dt.timedelta(minutes=config["SESSION_IDLE_MINUTES"]), dt.timedelta(days=config["SESSION_MAX_DAYS"])


def load_session_user(user_id: str) -> User | None:
    """The user this request is logged in as, or None when its session has ended on the server, has been idle too
    long, is too old, or the user is inactive. Marks the session as used."""
    token_hash = current_session_hash()
    if token_hash is None or not user_id.isdigit():
        return None
    login_session = db.session.get(LoginSession, token_hash)
    now = utcnow()
    idle, lifetime = _limits()
    if (login_session is None or login_session.user_id != int(user_id) or not login_session.user.active
            or now - login_session.last_seen_at > idle or now - login_session.created_at > lifetime):
        return None
    if now - login_session.last_seen_at > LAST_SEEN_RESOLUTION:
        db.session.execute(update(LoginSession).where(LoginSession.token_hash == token_hash)
                           .values(last_seen_at=now).execution_options(synchronize_session=False))
        db.session.commit()
    return login_session.user


def delete_expired_sessions() -> int:
    """Remove sessions past their idle time or lifetime (they are refused anyway; this keeps the table small)."""
    now = utcnow()
    idle, lifetime = _limits()
    return db.session.execute(delete(LoginSession).where(
        (LoginSession.last_seen_at < now - idle) | (LoginSession.created_at < now - lifetime))).rowcount
