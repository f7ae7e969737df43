"""Users, logging in, passwords and one-time password links."""
import datetime as dt
import enum
import hashlib
import secrets
import smtplib
from functools import cache

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from shelter_monitor.audit.service import record, record_event
from shelter_monitor.auth.models import PasswordToken, Role, User
from shelter_monitor.auth.passwords import password_problem
from shelter_monitor.auth.policy import has_region, has_shelter
from shelter_monitor.auth.sessions import end_all_sessions
from shelter_monitor.auth.throttle import allow_login_attempt, forget_failures
from shelter_monitor.db_types import utcnow
from shelter_monitor.errors import FieldError
from shelter_monitor.extensions import db
from shelter_monitor.mail import mail_configured, send_mail
from shelter_monitor.regions.models import Region
from shelter_monitor.shelters.models import Shelter

PASSWORD_LINK_HOURS = 48


class UserError(FieldError):
    """A user cannot be created or changed as asked."""


class LoginResult(enum.Enum):
    OK = "ok"
    INVALID = "invalid"


class LinkPurpose(enum.StrEnum):
    INVITATION = "invitation"
    RESET = "reset"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_new_password(password: str, field: str = "password") -> None:
    """Raise UserError on the field unless the password may be used."""
    problem = password_problem(password)
    if problem is not None:
        raise UserError(field, problem)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _check_placement(role: str, region: Region | None, shelter: Shelter | None) -> None:
    """A regional user has a region and a shelter staff member a shelter; nobody else has either (a choice that
    would be ignored is refused, so the admin is never misled)."""
    if has_region(role) and region is None:
        raise UserError("region", _l("A regional user needs a region."))
    if not has_region(role) and region is not None:
        raise UserError("region", _l("Only regional administration users have a region: choose “—” for this "
                                     "role (a monitor works in the shelters assigned to them)."))
    if has_shelter(role) and shelter is None:
        raise UserError("shelter", _l("A shelter staff member needs a shelter."))
    if not has_shelter(role) and shelter is not None:
        raise UserError("shelter", _l("Only shelter staff have a shelter: choose “—” for this role."))


def create_user(email: str, name: str, password: str | None, role: str, region: Region | None = None,
                actor: User | None = None, shelter: Shelter | None = None) -> User:
    """Create an active user; a regional user must have a region, a shelter staff member a shelter. Without a
    password the account cannot be logged into until its invitation link is used. Raises UserError."""
    if role not in set(Role):
        raise UserError("role", _l("Unknown role “%(role)s” (roles: %(roles)s).", role=role, roles=", ".join(Role)))
    _check_placement(role, region, shelter)
    if password is not None:
        check_new_password(password)
    if find_user(email):
        raise UserError("email", _l("A user with this email exists already."))
    password_hash = hash_password(password if password is not None else secrets.token_urlsafe(32))
    user = User(email=email.strip().lower(), name=name.strip(), password_hash=password_hash, role=role,
                region=region, shelter=shelter, active=True)
    db.session.add(user)
    record(actor, "user.create", user, {"email": user.email, "role": role})
    return user


def update_user(user: User, name: str, role: str, region: Region | None, active: bool, actor: User,
                shelter: Shelter | None = None) -> None:
    """Change a user's name, role, region (regional users), shelter (shelter staff) and active flag. A user made
    inactive is logged out everywhere."""
    _check_placement(role, region, shelter)
    before = {"name": user.name, "role": user.role, "region": user.region.iso_code if user.region else None,
              "active": user.active}
    user.name, user.role, user.active = name.strip(), role, active
    user.region, user.shelter = region, shelter
    after = {"name": user.name, "role": role, "region": user.region.iso_code if user.region else None,
             "active": active}
    if not active:
        end_all_sessions(user)
    record(actor, "user.update", user, {"before": before, "after": after})


def set_active(user: User, active: bool, actor: User | None = None) -> None:
    """Activate or deactivate a user; deactivation ends every session of the user."""
    user.active = active
    if not active:
        end_all_sessions(user)
    record(actor, "user.activate" if active else "user.deactivate", user, {"email": user.email})


def authenticate(email: str, password: str, address: str) -> tuple[LoginResult, User | None]:
    """Check a login from a client address. Unknown emails, inactive users, wrong passwords and attempts over the
    throttling limits all give INVALID after the same work (one password hash check), so the answer tells an
    outsider nothing about which accounts exist. Every outcome is audited."""
    allowed = allow_login_attempt(address, email)
    user = find_user(email) if allowed else None
    known = user is not None and user.active
    matches = check_password_hash(user.password_hash if known else _dummy_hash(), password)
    if not allowed:
        record_event(None, "auth.throttled", None, {"email": _logged_email(email), "address": address})
        return LoginResult.INVALID, None
    if not known or not matches:
        record_event(None, "auth.login_failed", user, {"email": _logged_email(email), "address": address})
        return LoginResult.INVALID, None
    forget_failures(address, email)
    record_event(user, "auth.login", user, {"address": address})
    return LoginResult.OK, user


def _logged_email(email: str) -> str:
    return email.strip().lower()[:254]


@cache
def _dummy_hash_for(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _dummy_hash() -> str:
    """A hash of the configured kind, computed once, checked for unknown emails so they cost as much as known ones."""
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_METHOD"])


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password must match and the new one pass the policy. Every session of
    the user ends (the caller starts a new one for this browser). Raises UserError."""
    if not check_password_hash(user.password_hash, current):
        raise UserError("current_password", _l("This is not your current password."))
    check_new_password(new, "new_password")
    _set_password(user, new)
    record_event(user, "auth.password_change", user)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    end_all_sessions(user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_password_link(user: User, actor: User | None, purpose: LinkPurpose) -> str:
    """A one-time token to set the user's password, valid PASSWORD_LINK_HOURS; earlier unused links of the user
    stop working. Only the token's hash is stored: the returned token is shown once."""
    now = utcnow()
    db.session.execute(delete(PasswordToken).where(PasswordToken.user_id == user.id,
                                                   PasswordToken.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordToken(token_hash=_token_hash(token), user_id=user.id, purpose=purpose,
                                 created_at=now, expires_at=now + dt.timedelta(hours=PASSWORD_LINK_HOURS),
                                 created_by_id=actor.id if actor else None))
    record_event(actor, "auth.reset_issued", user, {"purpose": str(purpose)})
    return token


def valid_password_link(token: str) -> PasswordToken | None:
    """The unused, unexpired link of an active user with this token, or None."""
    link = db.session.scalar(select(PasswordToken).where(PasswordToken.token_hash == _token_hash(token)))
    if link is None or link.used_at is not None or link.expires_at <= utcnow() or not link.user.active:
        return None
    return link


def use_password_link(token: str, password: str) -> User:
    """Set a password through a one-time link. The link is spent in the same UPDATE that checks it is unused and
    unexpired, so two uses at once cannot both succeed. Raises UserError."""
    check_new_password(password)
    now = utcnow()
    spent = db.session.execute(
        update(PasswordToken)
        .where(PasswordToken.token_hash == _token_hash(token), PasswordToken.used_at.is_(None),
               PasswordToken.expires_at > now)
        .values(used_at=now).returning(PasswordToken.user_id)).scalar()
    user = db.session.get(User, spent) if spent is not None else None
    if user is None or not user.active:
        raise UserError("password", _l("This link has expired or was used already. Ask an administrator for a "
                                       "new one."))
    _set_password(user, password)
    record_event(user, "auth.reset_used", user)
    return user


def mail_password_link(user: User, url: str, purpose: LinkPurpose) -> bool:
    """Email the link to the user, in Ukrainian and English, when MAIL_SERVER is configured. Returns whether it
    was sent; a mail server that fails is logged and reported as not sent (the admin still has the link)."""
    if not mail_configured():
        return False
    parts = []
    for language in ("uk", "en"):
        with force_locale(language):
            intro = (_("You are invited to Shelter Monitor.") if purpose == LinkPurpose.INVITATION
                     else _("A new password was requested for your Shelter Monitor account."))
            parts.append(intro + "\n" + _("Set your password here within %(hours)d hours (the link works once):",
                                           hours=PASSWORD_LINK_HOURS) + "\n" + url)
    try:
        send_mail(user.email, "Shelter Monitor", "\n\n".join(parts))
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("The password link for user %s could not be mailed", user.id)
        return False
    return True


def all_users():
    """Every user, by role then name."""
    return select(User).order_by(User.role, User.name)
