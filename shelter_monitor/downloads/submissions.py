"""Submissions collected offline with ODK Collect or KoboCollect, imported into a round as submitted responses.

Each row is checked like the export-layout import (each value, error-level checks), then like a web submission
(hidden answers dropped, every required question answered, every check): a row that would not submit on the web
is refused, with its row and the file's column. A submission enters as a submitted response for the
coordinator's review; the audit entry `response.import_submission` keeps its origin (the tool, the instance id,
the submitter and time as the server tells them), which the response's history shows.

Importing a file again changes nothing, and the database decides it: a response keeps its submission's
origin and instance id, one response per instance id in a round (uq_response_round_instance), and each row is
inserted in a SAVEPOINT of its own. A row that constraint refuses was imported before (by an earlier import, an
import running at the same time, or an earlier row of the file) and is counted; a row the (shelter, round)
constraint refuses meets a response of the shelter that came another way, or that someone made meanwhile, and
is an error. No check is made between a read and the insert.
"""
from dataclasses import dataclass
from typing import IO

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.db_types import utcnow
from shelter_monitor.downloads.imports import ImportReport
from shelter_monitor.exports.imports import ImportedRow, RowError
from shelter_monitor.exports.submissions import Submission, SubmissionFile, read_submissions
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.answers import prune_hidden, validate_answers
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.responses.service import context_for
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.results import refresh_results
from shelter_monitor.shelters.models import Shelter

IMPORT_ACTION = "response.import_submission"
MAX_INSTANCE_ID = Response.__table__.c.instance_id.type.length


@dataclass
class SubmissionReport(ImportReport):
    already_imported: int = 0
    rejected: int = 0  # rejected in ODK Central, not approved in Kobo: left out


@dataclass(frozen=True)
class _Candidate:
    row: ImportedRow
    shelter: Shelter
    submission: Submission
    answers: dict


def _check_rows(rows: list[ImportedRow], layout: SubmissionFile, round_: Round,
                report: SubmissionReport) -> list[_Candidate]:
    definition = load_definition(round_.questionnaire_version)
    context = context_for(round_)
    shelters = {s.id: s for s in db.session.scalars(select(Shelter).where(
        Shelter.id.in_([row.shelter_id for row in rows])))}
    candidates = []
    for row in rows:
        submission = layout.submissions[row.row_number]
        error = lambda column, message, row=row: report.errors.append(  # noqa: E731
            RowError(row.row_number, layout.column_of(column), message))
        if not submission.instance_id:
            error("[instance_id]", _("The row has no instance id (KEY, meta-instanceID or _uuid)."))
        elif len(submission.instance_id) > MAX_INSTANCE_ID:
            error("[instance_id]", ngettext("The instance id is longer than %(num)d character.",
                                           "The instance id is longer than %(num)d characters.", MAX_INSTANCE_ID))
        elif row.shelter_id not in shelters:
            error("shelter_id", _("No shelter with the id %(id)s.", id=row.shelter_id))
        else:
            answers = prune_hidden(definition, {**row.answers, "A1": round_.code}, context)
            validation = validate_answers(definition, answers, context, complete=True)
            for code, messages in validation.errors.items():
                for message in messages:
                    error(code, str(message))
            if validation.ok:
                candidates.append(_Candidate(row, shelters[row.shelter_id], submission, answers))
    return candidates


def _open_transaction() -> None:
    """pysqlite opens a transaction only at the first write, and a SAVEPOINT outside a transaction is one of its
    own that RELEASE commits (the rows could not be rolled back together): open the import's transaction first."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")


def _insert(candidate: _Candidate, round_: Round, user: User | None, source: str, filename: str) -> bool:
    """Store the submission as a submitted response, audited, in a SAVEPOINT: False, and nothing stored, when a
    unique constraint refuses it."""
    now, submission = utcnow(), candidate.submission
    try:
        with db.session.begin_nested():
            response = Response(shelter=candidate.shelter, round=round_, answers=candidate.answers,
                                questionnaire_version=round_.questionnaire_version, state=ResponseState.SUBMITTED,
                                origin=source, instance_id=submission.instance_id, submitted_at=now,
                                submitted_by=user, updated_at=now, updated_by=user,
                                created_by_id=user.id if user is not None else None)
            db.session.add(response)
            db.session.flush()
            record(user, IMPORT_ACTION, response, {
                "origin": source, "instance_id": submission.instance_id, "submitter": submission.submitter,
                "submitted_at": submission.submitted_at, "form_version": submission.form_version,
                "file": filename, "row": candidate.row.row_number})
    except IntegrityError:
        return False
    return True


def _imported_before(round_: Round, instance_id: str) -> bool:
    """Whether a response of the round holds the instance id (read after the constraint refused an insert)."""
    return db.session.scalar(select(Response.id).where(Response.round_id == round_.id,
                                                       Response.instance_id == instance_id)) is not None


def import_submissions(stream: IO, filename: str, round_: Round, user: User | None, source: str,
                       import_valid_rows: bool = False) -> SubmissionReport:
    """Check every row of an ODK Central ("odk-central") or KoboToolbox ("kobo") export; with errors, import
    nothing unless `import_valid_rows`. A submission already in the round is counted, never stored twice. The
    caller commits (or rolls back when nothing was imported)."""
    definition = load_definition(round_.questionnaire_version)
    result, layout = read_submissions(stream, filename, definition, source)
    report = SubmissionReport(errors=list(result.errors), rejected=len(layout.rejected))
    candidates = _check_rows(result.rows, layout, round_, report)
    bad_rows = {error.row_number for error in report.errors}
    if report.errors and (not import_valid_rows or 0 in bad_rows):
        return report
    report.skipped_rows = len(bad_rows - {1})
    _open_transaction()
    for candidate in candidates:
        if _insert(candidate, round_, user, source, filename):
            report.imported += 1
        elif _imported_before(round_, candidate.submission.instance_id):
            report.already_imported += 1
        else:
            report.errors.append(RowError(candidate.row.row_number, layout.column_of("shelter_id"), _(
                "This shelter already has a response in round %(round)s.", round=round_.code)))
            report.skipped_rows += 1
    if report.errors and not import_valid_rows:
        db.session.rollback()
        report.imported = 0
    elif report.imported:
        refresh_results(round_)
    return report
