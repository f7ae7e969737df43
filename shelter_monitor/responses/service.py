"""The life of a response: start (pre-filled), save a page, submit, return, approve; conflicts and changes."""
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from shelter_monitor.audit.service import diff, record
from shelter_monitor.auth.models import User
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.answers import Validation, prune_hidden, round_context, validate_answers
from shelter_monitor.questionnaire.conditions import evaluate, is_absent
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.questionnaire.model import Definition, Section
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import RegionalForm, Response, ResponseOrigin, ResponseState
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.results import refresh_regional_form_results, refresh_response_results
from shelter_monitor.shelters.models import Shelter

CARRY_EXCLUDED_SECTIONS = {"A"}


SAVE_ATTEMPTS = 3


class WorkflowError(ValueError):
    """The transition is not possible from the response's current state; the message says why, to the user."""


@dataclass
class Conflict:
    """Someone saved the response after the page was opened; `differences` are the codes where the saved answer
    differs from the one on the page."""

    current_version: int
    updated_by: User | None
    updated_at: Any
    differences: dict[str, dict[str, Any]] = field(default_factory=dict)


def definition_for(response: Response) -> Definition:
    return load_definition(response.questionnaire_version)


def context_for(round_: Round) -> dict[str, Any]:
    return round_context(round_.covid_section, round_.period_start, round_.period_end)


def shelter_prefill(definition: Definition, shelter: Shelter) -> dict[str, Any]:
    """Answers taken from the shelter record for the questions marked `prefill`."""
    values = {
        "name": shelter.name,
        "region": shelter.region.iso_code,
        "settlement": shelter.settlement,
        "katottg": shelter.katottg,
        "institution_type": shelter.institution_type,
        "ownership": shelter.ownership,
        "specialised": shelter.specialised,
    }
    return {q.code: values[q.prefill] for q in definition.questions
            if q.prefill and not is_absent(values[q.prefill])}


def last_approved_response(shelter: Shelter, before: Round) -> Response | None:
    """The shelter's most recent approved response from a round that started before `before`."""
    return db.session.scalar(
        select(Response).join(Round).where(
            Response.shelter_id == shelter.id,
            Response.state == ResponseState.APPROVED,
            Round.period_start < before.period_start,
        ).order_by(Round.period_start.desc()).limit(1)
    )


def carried_answers(definition: Definition, previous: Response) -> dict[str, Any]:
    return {code: value for code, value in previous.answers.items()
            if definition.has_question(code) and definition.question(code).section not in CARRY_EXCLUDED_SECTIONS
            and definition.question(code).form == "shelter"}


def start_response(shelter: Shelter, round_: Round, user: User) -> Response:
    """Create the shelter's response for the round: carried over from its last approved response (each carried
    section to be confirmed), or pre-filled from the shelter record."""
    definition = load_definition(round_.questionnaire_version)
    answers = {"A1": round_.code} if definition.has_question("A1") else {}
    previous = last_approved_response(shelter, round_)
    carried: dict[str, Any] = carried_answers(definition, previous) if previous else {}
    answers |= shelter_prefill(definition, shelter) | carried
    answers = prune_hidden(definition, answers, context_for(round_))
    sections = sorted({definition.question(code).section for code in carried if code in answers})
    response = Response(shelter=shelter, round=round_, questionnaire_version=definition.version, answers=answers,
                        carried_from=previous, carried_sections=sections, created_by_id=user.id,
                        updated_by_id=user.id, state=ResponseState.DRAFT, origin=ResponseOrigin.WEB)
    db.session.add(response)
    record(user, "response.start", response, {"carried_from": previous.id if previous else None})
    return response


def get_or_start_response(shelter: Shelter, round_: Round, user: User) -> Response:
    existing = db.session.scalar(
        select(Response).where(Response.shelter_id == shelter.id, Response.round_id == round_.id))
    return existing or start_response(shelter, round_, user)


def find_conflict(response: Response, base_version: int, page_answers: Mapping[str, Any],
                  original: Mapping[str, Any]) -> Conflict | None:
    """A Conflict when, since the page was opened at `base_version` showing `original`, someone else saved a
    different answer to one of the page's questions and the page's answer differs from theirs. Changes to other
    questions merge without a conflict."""
    if base_version == response.version:
        return None
    differences = {code: {"saved": response.answers.get(code), "yours": value}
                   for code, value in page_answers.items()
                   if response.answers.get(code) != original.get(code) and response.answers.get(code) != value}
    if not differences:
        return None
    return Conflict(response.version, response.updated_by, response.updated_at, differences)


def save_page(response: Response, section_code: str, page_answers: Mapping[str, Any], base_version: int,
              original: Mapping[str, Any], user: User) -> Conflict | Validation:
    """Store one page's answers as a draft (hidden answers dropped) and confirm the section if it was carried
    over. Returns the page's validation (problems do not stop a draft), or a Conflict and changes nothing.

    The UPDATE is written only if the row still has the version it was read at (Response's version_id_col),
    whatever the timing: when someone else's save landed in between, the transaction is rolled back, the row
    read again as saved now and the page compared with it once more (their changes to other questions merge,
    a different answer to one of this page's questions is a Conflict)."""
    for _ in range(SAVE_ATTEMPTS):
        conflict = find_conflict(response, base_version, page_answers, original)
        if conflict is not None:
            return conflict
        try:
            validation = _write_page(response, section_code, page_answers, user)
            db.session.flush()
        except StaleDataError:
            db.session.rollback()  # expires the response: the next compare reads it as saved now
            continue
        return validation
    return Conflict(response.version, response.updated_by, response.updated_at,
                    {code: {"saved": response.answers.get(code), "yours": value}
                     for code, value in page_answers.items() if response.answers.get(code) != value})


def _write_page(response: Response, section_code: str, page_answers: Mapping[str, Any], user: User) -> Validation:
    definition = definition_for(response)
    context = context_for(response.round)
    merged = {k: v for k, v in (dict(response.answers) | dict(page_answers)).items() if not is_absent(v)}
    answers = prune_hidden(definition, merged, context)
    if definition.has_question("A1"):
        answers["A1"] = response.round.code
    changes = diff(response.answers, answers)
    confirmed = section_code in response.carried_sections
    response.answers = answers
    response.carried_sections = [s for s in response.carried_sections if s != section_code]
    _touch(response, user)
    if changes or confirmed:  # a save that changed nothing is not history
        record(user, "response.save", response, {"section": section_code, "answers": changes,
                                                  "confirmed": confirmed})
    section_codes = {q.code for q in definition.section(section_code).questions}
    return validate_answers(definition, answers, context, complete=False, only=section_codes)


def _touch(response: Response, user: User) -> None:
    response.version += 1
    response.updated_at = utcnow()
    response.updated_by = user


def submission_problems(response: Response) -> Validation:
    """Everything that stops submission: unanswered or invalid questions, broken checks, unconfirmed sections."""
    definition = definition_for(response)
    validation = validate_answers(definition, response.answers, context_for(response.round), complete=True)
    for section in response.carried_sections:
        first = definition.section(section).questions[0].code
        validation.add_error(first, _l("Confirm or update this section, carried over from the last round."))
    return validation


def lock_response(response: Response) -> None:
    """Read the response again under a row lock held until the transaction ends (PostgreSQL: FOR NO KEY UPDATE,
    which rows referring to it do not wait for), so that a workflow transition decides on its state as saved
    now and nobody changes it in between. Changes not yet flushed are written first (with the version check)."""
    db.session.flush()
    db.session.refresh(response, with_for_update={"key_share": True})


def refused(response: Response) -> WorkflowError:
    """Why a transition cannot be made from the response's state as saved now, naming who brought it there."""
    if response.state == ResponseState.APPROVED:
        return WorkflowError(_l("This response was already approved by %(name)s.", name=_name(response.reviewed_by)))
    if response.state == ResponseState.RETURNED:
        return WorkflowError(_l("This response was already returned to the monitor by %(name)s.",
                                name=_name(response.reviewed_by)))
    if response.state == ResponseState.SUBMITTED:
        return WorkflowError(_l("This response was already submitted by %(name)s.", name=_name(response.submitted_by)))
    return WorkflowError(_l("This response is a draft: it has not been submitted."))


def _name(user: User | None) -> str:
    return user.name if user is not None else "?"


def submit_response(response: Response, user: User) -> Validation:
    """Submit a complete, valid draft or returned response; returns the problems when it is not. Raises
    WorkflowError when it is neither (decided under a row lock: see lock_response)."""
    lock_response(response)
    if response.state not in (ResponseState.DRAFT, ResponseState.RETURNED):
        raise refused(response)
    validation = submission_problems(response)
    if not validation.ok:
        return validation
    before = response.state
    response.state = ResponseState.SUBMITTED
    response.submitted_at, response.submitted_by = utcnow(), user
    _touch(response, user)
    record(user, "response.submit", response, {"state": {"before": before, "after": response.state}})
    refresh_response_results(response, counted_before=False)
    return validation


def return_response(response: Response, reason: str, question_comments: Mapping[str, str], user: User) -> None:
    """Send a submitted response back to its monitor with a reason and optional comments on single questions.
    Raises WorkflowError when it is not submitted (decided under a row lock: see lock_response)."""
    if not reason.strip():
        raise WorkflowError(_l("Say why the response goes back."))
    lock_response(response)
    if response.state != ResponseState.SUBMITTED:
        raise refused(response)
    definition = definition_for(response)
    comments = {code: text.strip() for code, text in question_comments.items()
                if text.strip() and definition.has_question(code)}
    response.state = ResponseState.RETURNED
    response.return_reason, response.question_comments = reason.strip(), comments
    response.reviewed_at, response.reviewed_by = utcnow(), user
    _touch(response, user)
    record(user, "response.return", response, {"state": {"before": ResponseState.SUBMITTED, "after": response.state},
                                                "reason": response.return_reason, "comments": comments})
    refresh_response_results(response, counted_before=True)


def approve_responses(responses: Iterable[Response], user: User) -> int:
    """Approve every submitted response among `responses` (each decided under a row lock, taken in id order so
    that two bulk approvals cannot wait for each other); returns how many were approved. Submitted and approved
    responses count alike, so no stored result changes."""
    approved = 0
    for response in sorted(responses, key=lambda r: r.id):
        lock_response(response)
        if response.state != ResponseState.SUBMITTED:
            continue
        response.state = ResponseState.APPROVED
        response.reviewed_at, response.reviewed_by = utcnow(), user
        _touch(response, user)
        record(user, "response.approve", response, {"state": {"before": ResponseState.SUBMITTED,
                                                              "after": response.state}})
        approved += 1
    return approved


def approve_response(response: Response, user: User) -> None:
    """Approve one submitted response; raises WorkflowError when it is not submitted (anymore)."""
    if not approve_responses([response], user):
        raise refused(response)


def changes_since_carried(response: Response) -> dict[str, dict[str, Any]]:
    """{code: {"before", "after"}} for answers that differ from the response this one was carried over from."""
    if response.carried_from is None:
        return {}
    definition = definition_for(response)
    previous = carried_answers(definition, response.carried_from)
    current = {k: v for k, v in response.answers.items() if k in previous or
               (definition.has_question(k) and definition.question(k).section not in CARRY_EXCLUDED_SECTIONS)}
    return diff(previous, current)


def asked_sections(response: Response) -> list[Section]:
    """The shelter sections asked in the response's round (section K only when the round has it)."""
    definition = definition_for(response)
    context = context_for(response.round)
    return [s for s in definition.shelter_sections()
            if s.show_if is None or evaluate(s.show_if, response.answers, context) is True]


def section_statuses(response: Response) -> dict[str, str]:
    """Each shelter section's status for the section list: carried (to confirm), problems, done, started, empty."""
    definition = definition_for(response)
    context = context_for(response.round)
    validation = validate_answers(definition, response.answers, context, complete=True)
    unanswered = {code for code, _ in validation.errors.items() if is_absent(response.answers.get(code))}
    statuses = {}
    for section in asked_sections(response):
        codes = [q.code for q in section.questions if q.form == "shelter"]
        answered = any(not is_absent(response.answers.get(code)) for code in codes)
        invalid = any(code in validation.errors and code not in unanswered for code in codes)
        missing = any(code in unanswered for code in codes)
        if section.code in response.carried_sections:
            statuses[section.code] = "carried"
        elif invalid:
            statuses[section.code] = "problems"
        elif answered and not missing:
            statuses[section.code] = "done"
        else:
            statuses[section.code] = "started" if answered else "empty"
    return statuses


def regional_form_for(region: Region, round_: Round) -> RegionalForm:
    """The region's form for the round; a new, unsaved one when nobody has filled it yet."""
    form = db.session.scalar(select(RegionalForm).where(RegionalForm.region_id == region.id,
                                                         RegionalForm.round_id == round_.id))
    return form or RegionalForm(region=region, region_id=region.id, round=round_, answers={}, version=0)


def save_regional_form(form: RegionalForm, answers: Mapping[str, Any], base_version: int,
                       user: User) -> Conflict | Validation:
    """Store the regional questions (I4, I4a) for a region and round; a Conflict, changing nothing, when someone
    saved the form after the page was opened. Decided by the database, whatever the timing: the UPDATE checks
    the version the form was read at, and a form nobody had saved yet is inserted under the (region, round)
    unique constraint; when either fails, the transaction is rolled back and the form read again as saved now."""
    region, round_ = form.region, form.round
    for _ in range(SAVE_ATTEMPTS):
        if base_version != form.version:
            differences = {c: {"saved": form.answers.get(c), "yours": v} for c, v in answers.items()
                           if form.answers.get(c) != v}
            return Conflict(form.version, form.updated_by, form.updated_at, differences)
        try:
            validation = _write_regional_form(form, answers, user)
            db.session.flush()
        except (StaleDataError, IntegrityError):
            db.session.rollback()
            form = regional_form_for(region, round_)
            continue
        refresh_regional_form_results(form)
        return validation
    return Conflict(form.version, form.updated_by, form.updated_at,
                    {c: {"saved": form.answers.get(c), "yours": v} for c, v in answers.items()})


def _write_regional_form(form: RegionalForm, answers: Mapping[str, Any], user: User) -> Validation:
    definition = load_definition(form.round.questionnaire_version)
    context = context_for(form.round)
    pruned = prune_hidden(definition, {k: v for k, v in answers.items() if not is_absent(v)}, context, "regional")
    changes = diff(form.answers, pruned)
    form.answers = pruned
    form.version += 1
    form.updated_at, form.updated_by = utcnow(), user
    db.session.add(form)
    record(user, "regional_form.save", form, {"answers": changes})
    return validate_answers(definition, pruned, context, complete=False, form="regional")


def mark_sensitive(response: Response, codes: Iterable[str], user: User) -> None:
    """Set which free-text answers of the response are sensitive (kept out of every export). Under the row lock,
    so that a save landing meanwhile is not a stale-version error here."""
    lock_response(response)
    definition = definition_for(response)
    chosen = sorted({c for c in codes if definition.has_question(c) and definition.question(c).type == "text"})
    record(user, "response.sensitive", response, {"before": response.sensitive_codes, "after": chosen})
    response.sensitive_codes = chosen
