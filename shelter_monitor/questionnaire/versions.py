"""Questionnaire versions stored in the database: the loader's source for the versions not shipped in the
package, storing an imported version, and the rule that a version a round uses stays as it is."""
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import g, has_app_context, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select, update

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.availability.matching import MatcherError
from shelter_monitor.availability.matching import check_definition as check_matcher
from shelter_monitor.directory.hsds import DirectoryError
from shelter_monitor.directory.hsds import check_definition as check_directory
from shelter_monitor.errors import FieldError
from shelter_monitor.extensions import db
from shelter_monitor.i18n import N_, Message, catalog
from shelter_monitor.questionnaire.changes import (
    Change,
    RuleGap,
    definition_changes,
    rules_reading_missing,
    usable_catalogue,
)
from shelter_monitor.questionnaire.loader import (
    DEFINITIONS_DIR,
    LANGUAGES,
    DefinitionError,
    available_versions,
    load_definition,
    parse_definition,
    shipped_versions,
)
from shelter_monitor.questionnaire.models import QuestionnaireVersion
from shelter_monitor.questionnaire.xlsform_import import Problem, import_xlsform
from shelter_monitor.rounds.models import Round
from shelter_monitor.rules.engine import CATALOGUE_PATH, RulesError, load_rules

VERSION_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")


class VersionError(FieldError):
    """A questionnaire version cannot be stored as asked."""


class DatabaseDefinitions:
    """The stored versions as the loader reads them: their digests once per request (one query, whatever the
    number of questions or definitions read; outside a request, as the CLI runs, at each look-up), a definition
    only when its digest is new to the process."""

    def digests(self) -> Mapping[str, str]:
        if not has_app_context():
            return {}
        if has_request_context() and "questionnaire_digests" in g:
            return g.questionnaire_digests
        rows = db.session.execute(select(QuestionnaireVersion.version, QuestionnaireVersion.digest))
        digests = dict(rows.tuples().all())
        if has_request_context():
            g.questionnaire_digests = digests
        return digests

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


@dataclass
class XLSFormImport:
    """An XLSForm read as a new version: the problems that stop it, or its definition, what it changes against
    the version it derives from, and the rules of the catalogue that would read what it no longer has."""

    version: str
    derived_from: str
    problems: list[Problem] = field(default_factory=list)
    definition: dict[str, Any] | None = None
    changes: list[Change] = field(default_factory=list)
    rule_gaps: list[RuleGap] = field(default_factory=list)


def raw_definition(version: str) -> dict[str, Any]:
    """A version's definition as JSON: the shipped file, or the stored row."""
    if version in shipped_versions():
        return json.loads((DEFINITIONS_DIR / f"{version}.json").read_text(encoding="utf-8"))
    return dict(DatabaseDefinitions().raw(version))


def _version_problem(version: str, derived_from: str) -> Message | None:
    if not VERSION_CODE.match(version):
        return Message(N_("the version code '%(version)s' must be 1 to 20 letters, digits, '-', '_' or '.'"),
                       version=version)
    if version in shipped_versions():
        return Message(N_("version %(version)s ships with the platform and cannot be replaced"), version=version)
    if rounds_using(version):
        return Message(N_("version %(version)s is used by the rounds %(rounds)s and cannot be changed"),
                       version=version, rounds=", ".join(rounds_using(version)))
    if derived_from not in available_versions():
        return Message(N_("there is no version %(version)s to derive from"), version=derived_from)
    return None


def _reader_problems(raw: Mapping[str, Any]) -> tuple[Any, list[Problem]]:
    """Run the checks of what reads a definition when the app starts (the matcher, the HSDS directory, the rules)
    on the new one: a version one of them refuses would stop the app at its next start."""
    definition = parse_definition(raw)
    catalogue = json.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    try:
        check_matcher(definition)
        check_directory(definition)
        load_rules(definition, usable_catalogue(catalogue, definition))
    except (MatcherError, DirectoryError, RulesError, DefinitionError) as error:
        # the checks' own wording names codes and stays in English, after a sentence in the reader's language
        return definition, [Problem("survey", None, None, Message(
            N_("what reads the questionnaire refuses this version: %(error)s"), error=str(error)))]
    return definition, []


def read_xlsform(content: bytes, version: str, derived_from: str) -> XLSFormImport:
    """Read an XLSForm as version `version` derived from `derived_from`; nothing is stored (store_import)."""
    result = XLSFormImport(version, derived_from)
    problem = _version_problem(version, derived_from)
    if problem:
        result.problems = [Problem("settings", None, "version", problem)]
        return result
    base = load_definition(derived_from)
    imported = import_xlsform(content, version, raw_definition(derived_from), base,
                              {lang: catalog(lang) for lang in LANGUAGES})
    if imported.problems:
        result.problems = imported.problems
        return result
    definition, result.problems = _reader_problems(imported.definition)
    if not result.problems:
        result.definition = imported.definition
        result.changes = definition_changes(base, definition)
        result.rule_gaps = rules_reading_missing(json.loads(CATALOGUE_PATH.read_text(encoding="utf-8")),
                                                 definition)
    return result
