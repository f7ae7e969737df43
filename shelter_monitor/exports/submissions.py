"""Submissions of the XLSForm (questionnaire/xlsform.py) as ODK Central and KoboToolbox export them, read as the
platform's own export layout so that exports/imports.py checks every value exactly as for any import.

ODK Central's CSV: a column per field named by its group path joined by "-" ("C-C8b"), a select_multiple as its
choice values separated by spaces, and the metadata KEY / meta-instanceID (the instance id), SubmitterName,
SubmissionDate, ReviewState and FormVersion. KoboToolbox's XLSX or CSV "XML values and headers": group paths
joined by "/" ("C/C8b"), a select_multiple as one column of values separated by spaces and/or one 0/1 column per
choice ("C/C8b/male"), and _uuid, _submission_time, _validation_status, _submitted_by and __version__ (Kobo's
own deployment id: the form's version travels in its questionnaire_version field). A field is known by the last
part of its path, which is its name in the export layout. Submissions rejected in Central or marked "not
approved" in Kobo are left out (counted). Plain Python, no Flask.
"""
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from shelter_monitor.exports.columns import JOIN_SEPARATOR, PART_SEPARATOR
from shelter_monitor.exports.imports import ImportResult, RowError, read_responses
from shelter_monitor.questionnaire.model import Definition

__all__ = ["SOURCES", "Submission", "SubmissionFile", "read_submissions"]

SOURCES = ("odk-central", "kobo")
PATH_SEPARATORS = {"odk-central": "-", "kobo": "/"}
METADATA = {
    "odk-central": {"KEY": "instance_id", "meta-instanceID": "instance_id", "SubmitterName": "submitter",
                    "SubmissionDate": "submitted_at", "ReviewState": "review_state", "FormVersion": "form_version"},
    "kobo": {"_uuid": "instance_id", "meta/instanceID": "instance_id", "_submitted_by": "submitter",
             "_submission_time": "submitted_at", "_validation_status": "review_state",
             "__version__": "form_version"},
}
# Other columns the servers add, or fields every form may carry (start, end, deviceid), read by nobody here.
IGNORED = {"SubmitterID", "AttachmentsPresent", "AttachmentsExpected", "Status", "DeviceID", "Edits", "start",
           "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid", "audit"}
IGNORED_PREFIXES = {"odk-central": ("meta-",), "kobo": ("_", "meta/", "formhub/")}
REJECTED = {"rejected", "validation_status_not_approved", "not_approved"}  # lower case, "_" for spaces
VERSION_COLUMN = "questionnaire_version"


@dataclass(frozen=True)
class Submission:
    """What the server says about one submission."""

    instance_id: str = ""  # without the "uuid:" prefix
    submitter: str = ""
    submitted_at: str = ""
    review_state: str = ""
    form_version: str = ""


@dataclass
class SubmissionFile:
    """How the file's columns map to the export layout, and each read row's submission metadata."""

    source: str
    definition: Definition
    headers: dict[str, str] = field(default_factory=dict)      # export key or question code -> the file's header
    submissions: dict[int, Submission] = field(default_factory=dict)  # by row number
    rejected: list[int] = field(default_factory=list)          # row numbers left out

    def column_of(self, key: str) -> str:
        """The file's header for an export key or a question code ("C-C8b" for "C8b" or "C8b.male")."""
        if key in self.headers:
            return self.headers[key]
        return next((header for part, header in self.headers.items()
                     if part.startswith(f"{key}{PART_SEPARATOR}")), key)

    def located(self, error: RowError) -> RowError:
        """The error with the column as the file names it."""
        return RowError(error.row_number, self.column_of(error.column) if error.column else "", error.message)

    def _multi_code(self, name: str) -> str | None:
        """The name when it is the code of a multiple-choice question."""
        multi = self.definition.has_question(name) and self.definition.question(name).type == "multi"
        return name if multi else None

    def _key(self, header: str) -> str | None:
        """The export key a column of the file holds, the metadata name in brackets, or None to skip it."""
        if header in METADATA[self.source]:
            return f"[{METADATA[self.source][header]}]"
        if header in IGNORED or header.startswith(IGNORED_PREFIXES[self.source]):
            return None
        parts = header.split(PATH_SEPARATORS[self.source])
        if len(parts) > 1 and self._multi_code(parts[-2]):
            return f"{parts[-2]}{PART_SEPARATOR}{parts[-1]}"  # Kobo's 0/1 column of one choice
        return parts[-1]

    def _columns(self, header: tuple) -> list[tuple[int, str]]:
        keys = [(index, self._key("" if cell is None else str(cell).strip().lstrip("\ufeff")))
                for index, cell in enumerate(header)]
        kept = [(index, key) for index, key in keys if key]
        whole = {key for _, key in kept}
        # Kobo writes a select_multiple both ways: its one column is read, the 0/1 columns are not.
        kept = [(index, key) for index, key in kept if self._multi_code(key.split(PART_SEPARATOR)[0]) not in whole
                or PART_SEPARATOR not in key]
        if VERSION_COLUMN not in whole:
            kept = [(i, VERSION_COLUMN if key == "[form_version]" and self.source == "odk-central" else key)
                    for i, key in kept]
        for index, key in kept:
            self.headers.setdefault(key, str(header[index]).strip().lstrip("\ufeff"))
        return kept

    def _submission(self, values: tuple, metadata: list[tuple[int, str]]) -> Submission:
        found: dict[str, str] = {}
        for index, name in metadata:
            cell = values[index] if index < len(values) else None
            text = "" if cell is None else str(cell).strip()
            if text and not found.get(name):
                found[name] = text.removeprefix("uuid:") if name == "instance_id" else text
        return Submission(**found)

    def adapt(self, rows: Iterator[tuple[int, tuple]]) -> Iterator[tuple[int, tuple]]:
        """The file's rows in the export layout: header of export keys, then each submission not rejected."""
        first = next(rows, None)
        if first is None:
            return
        columns = self._columns(first[1])
        metadata = [(index, key[1:-1]) for index, key in columns if key.startswith("[")]
        fields = [(index, key) for index, key in columns if not key.startswith("[")]
        multi = {key for _, key in fields if self._multi_code(key)}
        yield first[0], tuple(key for _, key in fields)
        for number, values in rows:
            submission = self._submission(values, metadata)
            if submission.review_state.lower().replace(" ", "_") in REJECTED:
                self.rejected.append(number)
                continue
            self.submissions[number] = submission
            yield number, tuple(_cell(values, index, key in multi) for index, key in fields)


def _cell(values: tuple, index: int, multi: bool) -> Any:
    value = values[index] if index < len(values) else None
    if multi and isinstance(value, str):
        return JOIN_SEPARATOR.join(value.split())
    return value


def read_submissions(stream: IO, filename: str, definition: Definition,
                     source: str) -> tuple[ImportResult, SubmissionFile]:
    """Read an ODK Central or KoboToolbox export and check each row as exports/imports.read_responses does;
    the errors name the file's own columns."""
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    layout = SubmissionFile(source, definition)
    result = read_responses(stream, filename, definition, adapt=layout.adapt)
    result.errors = [layout.located(error) for error in result.errors]
    return result, layout
