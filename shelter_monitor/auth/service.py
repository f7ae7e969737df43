"""Users and logging in."""
import datetime as dt
import enum

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import Role, User
from shelter_monitor.db_types import utcnow
from shelter_monitor.errors import FieldError
from shelter_monitor.extensions import db
from shelter_monitor.regions.models import Region
from shelter_monitor.shelters.models import Shelter

MIN_PASSWORD_LENGTH = 10


class UserError(FieldError):
    """A user cannot be created or changed as asked."""


class LoginResult(enum.Enum):
    OK = "ok"
    INVALID = "invalid"
    LOCKED = "locked"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, name: str, password: str, role: str, region: Region | None = None,
                actor: User | None = None, shelter: Shelter | None = None) -> User:
    """Create an active user; a regional user must have a region, a shelter staff member a shelter.
    Raises UserError."""
    if role not in set(Role):
        raise UserError("role", _l("Unknown role “%(role)s” (roles: %(roles)s).", role=role, roles=", ".join(Role)))
    if role == Role.REGIONAL and region is None:
        raise UserError("region", _l("A regional user needs a region."))
    if role == Role.SHELTER_STAFF and shelter is None:
        raise UserError("shelter", _l("A shelter staff member needs a shelter."))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password", _l("The password needs at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    if find_user(email):
        raise UserError("email", _l("A user with this email exists already."))
    user = User(email=email.strip().lower(), name=name.strip(), password_hash=hash_password(password), role=role,
                region=region if role == Role.REGIONAL else None,
                shelter=shelter if role == Role.SHELTER_STAFF else None, active=True)
    db.session.add(user)
    record(actor, "user.create", user, {"email": user.email, "role": role})
    return user


def update_user(user: User, name: str, role: str, region: Region | None, active: bool, actor: User,
                shelter: Shelter | None = None) -> None:
    """Change a user's name, role, region (regional users), shelter (shelter staff) and active flag."""
    if role == Role.REGIONAL and region is None:
        raise UserError("region", _l("A regional user needs a region."))
    if role == Role.SHELTER_STAFF and shelter is None:
        raise UserError("shelter", _l("A shelter staff member needs a shelter."))
    before = {"name": user.name, "role": user.role, "region": user.region.iso_code if user.region else None,
              "active": user.active}
    user.name, user.role, user.active = name.strip(), role, active
    user.region = region if role == Role.REGIONAL else None
    user.shelter = shelter if role == Role.SHELTER_STAFF else None
    after = {"name": user.name, "role": role, "region": user.region.iso_code if user.region else None,
             "active": active}
    record(actor, "user.update", user, {"before": before, "after": after})


def set_active(user: User, active: bool, actor: User | None = None) -> None:
    user.active = active
    record(actor, "user.activate" if active else "user.deactivate", user, {"email": user.email})


def authenticate(email: str, password: str, now: dt.datetime | None = None) -> tuple[LoginResult, User | None]:
    """Check a login. Repeated failures lock the account for a while; a locked account is refused even with the
    right password until the lock ends."""
    now = now or utcnow()
    user = find_user(email)
    if user is None or not user.active:
        check_password_hash(_dummy_hash(), password)
        return LoginResult.INVALID, None
    if user.locked_until and user.locked_until > now:
        return LoginResult.LOCKED, user
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + dt.timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            user.failed_logins = 0
        return LoginResult.INVALID, user
    user.failed_logins = 0
    user.locked_until = None
    return LoginResult.OK, user


def _dummy_hash() -> str:  # spend the same time on unknown emails as on known ones
    return current_app.config.setdefault("_DUMMY_PASSWORD_HASH", hash_password("not-a-real-password"))


def all_users():
    """Every user, by role then name."""
    return select(User).order_by(User.role, User.name)
