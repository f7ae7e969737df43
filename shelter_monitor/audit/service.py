"""Recording writes. Every service that changes data calls `record` in the same transaction."""
import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, select

from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.auth.models import User
from shelter_monitor.extensions import db


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{key: {"before": ..., "after": ...}} for every key whose value differs."""
    keys = sorted(set(before) | set(after))
    return {k: {"before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)}


def record(user: User | None, action: str, obj: Any, changes: Mapping[str, Any] | None = None) -> AuditEntry:
    """Add an audit entry for a write on obj (flushed with the caller's transaction, not committed here)."""
    if obj.id is None:
        db.session.flush()
    entry = AuditEntry(user=user, action=action, object_type=obj.__tablename__, object_id=obj.id,
                       changes=dict(changes or {}))
    db.session.add(entry)
    return entry


def record_event(actor: User | None, action: str, subject: User | None = None,
                 details: Mapping[str, Any] | None = None) -> AuditEntry:
    """Add an audit entry for an event on an account rather than a write (a login, a logout, a reset link): who
    acted (None for an anonymous visitor), on which account, and the details."""
    subject = subject or actor
    entry = AuditEntry(user=actor, action=action, object_type=User.__tablename__,
                       object_id=subject.id if subject is not None else None, changes=dict(details or {}))
    db.session.add(entry)
    return entry


def recent_entries() -> Select:
    return select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def filtered_entries(user_id: int | None = None, action: str | None = None, start: dt.date | None = None,
                     end: dt.date | None = None) -> Select:
    """Entries newest first, of one user, one action and between two days (both included) where given."""
    statement = recent_entries()
    if user_id is not None:
        statement = statement.where(AuditEntry.user_id == user_id)
    if action:
        statement = statement.where(AuditEntry.action == action)
    if start is not None:
        statement = statement.where(AuditEntry.at >= dt.datetime.combine(start, dt.time.min))
    if end is not None:
        statement = statement.where(AuditEntry.at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return statement


def recorded_actions() -> list[str]:
    """Every action the log holds at least once, sorted."""
    return list(db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action)))
