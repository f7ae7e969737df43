"""Responses collected elsewhere, imported from a file in the export's layout."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from shelter_monitor.audit.service import record
from shelter_monitor.auth.models import User
from shelter_monitor.db_types import utcnow
from shelter_monitor.exports.imports import RowError, read_responses
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.answers import prune_hidden, validate_answers
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.responses.models import Response, ResponseOrigin, ResponseState
from shelter_monitor.responses.service import context_for
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.results import refresh_results
from shelter_monitor.shelters.models import Shelter


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    imported: int = 0
    skipped_rows: int = 0


def record_import(user: User | None, round_: Round, filename: str, report: ImportReport, language: str | None,
                  import_valid_rows: bool) -> None:
    """Audit an import, whether or not anything came in: who (None from the command line), which kind of file
    into which round (imports are national), what came of it, and the language it was made in."""
    filename = "".join(c for c in filename if c.isprintable())[:200]
    kind = filename.rsplit(".", 1)[-1].lower()[:10] if "." in filename else ""
    rows_with_errors = len({error.row_number for error in report.errors})
    record(user, "import.file", round_, {"kind": kind, "file": filename, "region": None, "language": language,
                                         "imported": report.imported, "rows_with_errors": rows_with_errors,
                                         "import_valid_rows": import_valid_rows})


def import_file(stream, filename: str, round_: Round, user: User | None,
                import_valid_rows: bool = False) -> ImportReport:
    """Validate every row; with errors, import nothing unless `import_valid_rows`. A complete row becomes a
    submitted response, an incomplete one a draft; an approved response is never overwritten."""
    definition = load_definition(round_.questionnaire_version)
    result = read_responses(stream, filename, definition)
    report = ImportReport(errors=list(result.errors))
    shelters = {s.id: s for s in db.session.scalars(select(Shelter).where(
        Shelter.id.in_([row.shelter_id for row in result.rows])))}
    existing = {r.shelter_id: r for r in db.session.scalars(select(Response).where(Response.round_id == round_.id))}
    for row in result.rows:
        if row.shelter_id not in shelters:
            report.errors.append(RowError(row.row_number, "shelter_id", _("No shelter with the id %(id)s.",
                                                                          id=row.shelter_id)))
        elif existing.get(row.shelter_id) is not None and existing[row.shelter_id].state == ResponseState.APPROVED:
            report.errors.append(RowError(row.row_number, "shelter_id",
                                          _("This shelter's response is approved already.")))
    bad_rows = {error.row_number for error in report.errors}
    if report.errors and (not import_valid_rows or 0 in bad_rows):
        return report
    report.skipped_rows = len(bad_rows - {0, 1})
    context = context_for(round_)
    for row in result.rows:
        if row.row_number in bad_rows:
            continue
        answers = prune_hidden(definition, {**row.answers, "A1": round_.code}, context)
        complete = validate_answers(definition, answers, context, complete=True).ok
        response = existing.get(row.shelter_id) or Response(shelter=shelters[row.shelter_id], round=round_,
                                                            questionnaire_version=definition.version,
                                                            origin=ResponseOrigin.IMPORT)
        response.answers = answers
        response.state = ResponseState.SUBMITTED if complete else ResponseState.DRAFT
        response.version = (response.version or 1) + 1
        response.updated_at, response.updated_by = utcnow(), user
        if complete:
            response.submitted_at, response.submitted_by = utcnow(), user
        db.session.add(response)
        record(user, "response.import", response, {"row": row.row_number, "state": response.state})
        report.imported += 1
    refresh_results(round_)
    return report
