"""A response's history as people read it: each recorded event a sentence naming who did it, each changed answer
with the question's wording (as the form words it for this response: children's wording in a children's
institution) and the choices' labels, in the reader's language; and the answers changed since the response was
last returned to its monitor, read from the saves recorded after that return."""
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shelter_monitor.audit.forms import ACTION_LABELS
from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.extensions import db
from shelter_monitor.formatting import format_datetime
from shelter_monitor.questionnaire.answers import question_label
from shelter_monitor.questionnaire.display import format_answer
from shelter_monitor.questionnaire.model import Definition, localize, question_number
from shelter_monitor.responses.models import Response
from shelter_monitor.responses.service import definition_for

# Events told by who did them alone; the others (saves, returns, imports, sensitive answers) say more.
SENTENCES = {
    "response.start": _l("Started by %(name)s"),
    "response.submit": _l("Submitted for review by %(name)s"),
    "response.approve": _l("Approved by %(name)s"),
}

TOOLS = {"odk-central": "ODK Collect (ODK Central)", "kobo": "KoboCollect (KoboToolbox)"}


@dataclass(frozen=True)
class AnswerChange:
    """One answer before and after, as text ("" for no answer)."""

    code: str
    question: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEvent:
    at: dt.datetime
    sentence: str
    note: str = ""
    changes: tuple[AnswerChange, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()  # (question, comment) sent back with a return
    since_return: bool = False  # recorded after the response was last returned to its monitor


@dataclass(frozen=True)
class Collection:
    """Where a response collected offline came from: the tool, the submission's instance id, and who submitted
    it when, as the server (ODK Central, KoboToolbox) exported them."""

    tool: str
    instance_id: str
    submitter: str
    received: str


@dataclass(frozen=True)
class ResponseHistory:
    """The events, newest first; the time of the last return (None if never returned) and the answers changed
    since, by question code; for a submission collected offline, where it came from."""

    events: list[HistoryEvent]
    returned_at: dt.datetime | None
    changed_since_return: dict[str, AnswerChange]
    collected: Collection | None = None


def response_history(response: Response, locale: str) -> ResponseHistory:
    """The response's recorded events and what changed since its last return, in the locale (one query)."""
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == Response.__tablename__, AuditEntry.object_id == response.id)
        .options(selectinload(AuditEntry.user)).order_by(AuditEntry.at, AuditEntry.id)).all()
    definition = definition_for(response)
    last_return = _last_return(entries)
    changed = changes_since(entries[last_return + 1:], response.answers) if last_return is not None else {}
    events = [_event(entry, definition, response.answers, locale, last_return is not None and n > last_return)
              for n, entry in enumerate(entries) if not _is_empty_save(entry)]
    return ResponseHistory(
        events=events[::-1],
        returned_at=entries[last_return].at if last_return is not None else None,
        changed_since_return={code: _answer_change(definition, response.answers, code, change, locale)
                              for code, change in changed.items()},
        collected=_collection(response, entries, locale))


def _collection(response: Response, entries: Sequence[AuditEntry], locale: str) -> Collection | None:
    if response.origin not in TOOLS:
        return None
    imported = next((e.changes for e in reversed(entries) if e.action == "response.import_submission"), {})
    return Collection(TOOLS[response.origin], response.instance_id or imported.get("instance_id") or "?",
                      imported.get("submitter") or "?", _received(imported, locale))


def _received(changes: Mapping[str, Any], locale: str) -> str:
    """The server's time of a submission in the locale, or its text as exported when it is not a date and time."""
    text = changes.get("submitted_at") or "?"
    try:
        return format_datetime(dt.datetime.fromisoformat(text), locale, "short")
    except ValueError:
        return text


def changes_since(entries: Sequence[AuditEntry], answers: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """{code: {"before", "after"}} for the answers that differ now from what they were before these saves
    (oldest first): an answer changed and changed back is not a change."""
    before: dict[str, Any] = {}
    for entry in entries:
        if entry.action == "response.save":
            for code, change in entry.changes.get("answers", {}).items():
                before.setdefault(code, change.get("before"))
    return {code: {"before": value, "after": answers.get(code)} for code, value in before.items()
            if value != answers.get(code)}


def _last_return(entries: Sequence[AuditEntry]) -> int | None:
    returns = [n for n, entry in enumerate(entries) if entry.action == "response.return"]
    return returns[-1] if returns else None


def _is_empty_save(entry: AuditEntry) -> bool:
    """A save that changed no answer and confirmed no section (recorded before such saves were left out)."""
    return (entry.action == "response.save" and not entry.changes.get("answers")
            and not entry.changes.get("confirmed"))


def _event(entry: AuditEntry, definition: Definition, answers: Mapping[str, Any], locale: str,
           since_return: bool) -> HistoryEvent:
    name = entry.user.name if entry.user is not None else _("the system")
    changes, note, comments = (), "", ()
    if entry.action in SENTENCES:
        sentence = str(SENTENCES[entry.action]) % {"name": name}
    elif entry.action == "response.save":
        sentence = _save_sentence(entry, definition, name, locale)
        changes = tuple(_answer_change(definition, answers, code, change, locale)
                        for code, change in entry.changes.get("answers", {}).items())
    elif entry.action == "response.return":
        sentence = _("Returned to the monitor by %(name)s", name=name)
        note = entry.changes.get("reason", "")
        comments = tuple((_question(definition, answers, code, locale), comment)
                         for code, comment in entry.changes.get("comments", {}).items())
    elif entry.action == "response.import":
        sentence = _("Imported from a file by %(name)s", name=name)
    elif entry.action == "response.import_submission":
        sentence = _("Collected with %(tool)s and imported by %(name)s", name=name,
                     tool=TOOLS.get(entry.changes.get("origin"), entry.changes.get("origin")))
        note = _("Submission %(instance)s by %(submitter)s, received %(at)s",
                 instance=entry.changes.get("instance_id"), submitter=entry.changes.get("submitter") or "?",
                 at=_received(entry.changes, locale))
    elif entry.action == "response.sensitive":
        sentence = _("%(name)s chose the answers kept out of every export", name=name)
        chosen = entry.changes.get("after", [])
        note = "; ".join(_question(definition, answers, code, locale) for code in chosen) or _("none")
    else:
        sentence = _("%(event)s, by %(name)s", event=ACTION_LABELS.get(entry.action, entry.action), name=name)
    return HistoryEvent(entry.at, sentence, note, changes, comments, since_return)


def _save_sentence(entry: AuditEntry, definition: Definition, name: str, locale: str) -> str:
    code = entry.changes.get("section", "")
    sections = {s.code: s for s in definition.sections}
    section = f"{code}. {localize(sections[code].label, locale)}" if code in sections else code
    if entry.changes.get("confirmed") and not entry.changes.get("answers"):
        return _("Section %(section)s, carried over from the last round, confirmed by %(name)s",
                 section=section, name=name)
    return _("Saved by %(name)s: section %(section)s", name=name, section=section)


def _question(definition: Definition, answers: Mapping[str, Any], code: str, locale: str) -> str:
    if not definition.has_question(code):
        return code
    return f"{question_number(code)} {localize(question_label(definition.question(code), answers), locale)}"


def _answer_change(definition: Definition, answers: Mapping[str, Any], code: str, change: Mapping[str, Any],
                   locale: str) -> AnswerChange:
    def shown(value: Any) -> str:
        if not definition.has_question(code):
            return "" if value is None else str(value)
        return format_answer(definition.question(code), value, locale)
    return AnswerChange(code, _question(definition, answers, code, locale), shown(change.get("before")),
                        shown(change.get("after")))
