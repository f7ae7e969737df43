"""Submissions collected offline with ODK Collect or KoboCollect, imported into a round as submitted responses.

Each row is checked like the export-layout import (each value, error-level checks), then like a web submission
(hidden answers dropped, every required question answered, every check): a row that would not submit on the web
is refused, with its row and the file's column. A submission enters as a submitted response for the
coordinator's review; the audit entry `response.import_submission` keeps its origin (the tool, the instance id,
the submitter and time as the server tells them), which the response's history shows.

Importing a file again changes nothing: a submission whose instance id is already a response of the round is
counted as imported before. The (shelter, round) unique constraint decides: a response of the shelter that came
another way, or that someone made meanwhile, refuses the row (the database refuses a second one whatever the
timing). The instance id has no column of its own (see the report of issue #16): it is kept in the audit entry.
"""
from dataclasses import dataclass
from typing import IO

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from shelter_monitor.audit.models import AuditEntry
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


def imported_instances(round_: Round) -> dict[int, str]:
    """{response id: instance id} of the round's responses imported from ODK or Kobo."""
    entries = db.session.execute(
        select(AuditEntry.object_id, AuditEntry.changes).join(Response, Response.id == AuditEntry.object_id)
        .where(AuditEntry.action == IMPORT_ACTION, AuditEntry.object_type == Response.__tablename__,
               Response.round_id == round_.id))
    return {response_id: changes.get("instance_id") for response_id, changes in entries}


def _check_rows(rows: list[ImportedRow], layout: SubmissionFile, round_: Round,
                report: SubmissionReport) -> list[_Candidate]:
    definition = load_definition(round_.questionnaire_version)
    context = context_for(round_)
    shelters = {s.id: s for s in db.session.scalars(select(Shelter).where(
        Shelter.id.in_([row.shelter_id for row in rows])))}
    existing = {r.shelter_id: r for r in db.session.scalars(select(Response).where(Response.round_id == round_.id))}
    imported = imported_instances(round_)
    candidates, seen = [], set()
    for row in rows:
        submission = layout.submissions[row.row_number]
        error = lambda column, message, row=row: report.errors.append(  # noqa: E731
            RowError(row.row_number, layout.column_of(column), message))
        if not submission.instance_id:
            error("[instance_id]", "The row has no instance id (KEY, meta-instanceID or _uuid).")
            continue
        current = existing.get(row.shelter_id)
        if submission.instance_id in seen or (current and imported.get(current.id) == submission.instance_id):
            report.already_imported += 1
            continue
        seen.add(submission.instance_id)
        if row.shelter_id not in shelters:
            error("shelter_id", f"No shelter with the id {row.shelter_id}.")
        elif current is not None:
            error("shelter_id", f"This shelter already has a response in round {round_.code} ({current.state}).")
        else:
            answers = prune_hidden(definition, {**row.answers, "A1": round_.code}, context)
            validation = validate_answers(definition, answers, context, complete=True)
            for code, messages in validation.errors.items():
                for message in messages:
                    error(code, str(message))
            if validation.ok:
                candidates.append(_Candidate(row, shelters[row.shelter_id], submission, answers))
    return candidates


def _store(candidate: _Candidate, round_: Round, user: User | None, source: str, filename: str) -> Response:
    now = utcnow()
    response = Response(shelter=candidate.shelter, round=round_, questionnaire_version=round_.questionnaire_version,
                        answers=candidate.answers, state=ResponseState.SUBMITTED, submitted_at=now,
                        submitted_by=user, updated_at=now, updated_by=user,
                        created_by_id=user.id if user is not None else None)
    db.session.add(response)
    db.session.flush()
    submission = candidate.submission
    record(user, IMPORT_ACTION, response, {
        "origin": source, "instance_id": submission.instance_id, "submitter": submission.submitter,
        "submitted_at": submission.submitted_at, "form_version": submission.form_version, "file": filename,
        "row": candidate.row.row_number})
    return response


def import_submissions(stream: IO, filename: str, round_: Round, user: User | None, source: str,
                       import_valid_rows: bool = False) -> SubmissionReport:
    """Check every row of an ODK Central ("odk-central") or KoboToolbox ("kobo") export; with errors, import
    nothing unless `import_valid_rows`. The caller commits (or rolls back when nothing was imported)."""
    definition = load_definition(round_.questionnaire_version)
    result, layout = read_submissions(stream, filename, definition, source)
    report = SubmissionReport(errors=list(result.errors), rejected=len(layout.rejected))
    candidates = _check_rows(result.rows, layout, round_, report)
    bad_rows = {error.row_number for error in report.errors}
    if report.errors and (not import_valid_rows or 0 in bad_rows):
        return report
    report.skipped_rows = len(bad_rows - {1})
    try:
        for candidate in candidates:
            _store(candidate, round_, user, source, filename)
            report.imported += 1
    except IntegrityError:
        db.session.rollback()
        report.errors.append(RowError(candidate.row.row_number, layout.column_of("shelter_id"),
                                      "This shelter's response was made meanwhile; nothing was imported. "
                                      "Import the file again."))
        report.imported = 0
        return report
    refresh_results(round_)
    return report
