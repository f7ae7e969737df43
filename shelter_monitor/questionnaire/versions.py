"""Questionnaire versions stored in the database: the loader's source for the versions not shipped in the
package, storing an imported version, and the rule that a version a round uses stays as it is."""
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from flask import g, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.errors import FieldError
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import shipped_versions
from shelter_monitor.questionnaire.models import QuestionnaireVersion
from shelter_monitor.rounds.models import Round


class VersionError(FieldError):
    """A questionnaire version cannot be stored as asked."""


class DatabaseDefinitions:
    """The stored versions as the loader reads them: their digests once per application context (one query per
    request, whatever the number of questions or definitions read), a definition only when its digest is new to
    the process."""

    def digests(self) -> Mapping[str, str]:
        if not has_app_context():
            return {}
        if "questionnaire_digests" not in g:
            rows = db.session.execute(select(QuestionnaireVersion.version, QuestionnaireVersion.digest))
            g.questionnaire_digests = dict(rows.tuples().all())
        return g.questionnaire_digests

    def raw(self, version: str) -> Mapping[str, Any]:
        return db.session.scalar(select(QuestionnaireVersion.definition)
                                 .where(QuestionnaireVersion.version == version))


def definition_digest(raw: Mapping[str, Any]) -> str:
    """SHA-256 of the definition's canonical JSON (sorted keys): equal definitions have equal digests."""
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_versions() -> list[QuestionnaireVersion]:
    return list(db.session.scalars(select(QuestionnaireVersion).order_by(QuestionnaireVersion.version)))


def rounds_using(version: str) -> list[str]:
    """The codes of the rounds on the version."""
    return list(db.session.scalars(select(Round.code).where(Round.questionnaire_version == version)
                                   .order_by(Round.code)))


def store_version(raw: Mapping[str, Any], derived_from: str | None, actor: User | None) -> QuestionnaireVersion:
    """Store the definition `raw` (already checked) under its version code, or replace the stored one of that
    code while no round uses it. Raises VersionError for a shipped version's code or a version a round uses
    (the database decides, in the statement that replaces it)."""
    version = str(raw["version"])
    if version in shipped_versions():
        raise VersionError("version", _l("Version %(version)s ships with the platform and cannot be replaced.",
                                         version=version))
    digest = definition_digest(raw)
    existing = db.session.scalar(select(QuestionnaireVersion.id).where(QuestionnaireVersion.version == version))
    if existing is None:
        stored = QuestionnaireVersion(version=version, definition=dict(raw), digest=digest,
                                      derived_from=derived_from, created_by_id=actor.id if actor else None)
        db.session.add(stored)
        action = "questionnaire_version.create"
    else:
        replaced = db.session.execute(
            update(QuestionnaireVersion)
            .where(QuestionnaireVersion.id == existing,
                   ~exists().where(Round.questionnaire_version == QuestionnaireVersion.version))
            .values(definition=dict(raw), digest=digest, derived_from=derived_from,
                    created_by_id=actor.id if actor else None)
            .execution_options(synchronize_session=False))
        if replaced.rowcount != 1:
            raise VersionError("version", _l(
                "Version %(version)s is used by the rounds %(rounds)s and cannot be changed; import it under a "
                "new version code.", version=version, rounds=", ".join(rounds_using(version))))
        stored = db.session.get(QuestionnaireVersion, existing)
        db.session.refresh(stored)
        action = "questionnaire_version.replace"
    record(actor, action, stored, {"version": version, "derived_from": derived_from, "digest": digest})
    g.pop("questionnaire_digests", None)
    return stored
