"""The coordinator's review queue: the responses to follow, each with its flags (cross-field warnings of the
questionnaire, findings of the rules), filtered and sorted as the coordinator asks.

Loading takes a fixed number of queries whatever the number of responses (the responses with what the rows show,
then the stored findings of all of them at once); filtering and sorting are plain functions on the rows, so that
sorting follows the reader's collation (shelter and region names in Ukrainian)."""
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from shelter_monitor.auth.models import User
from shelter_monitor.auth.policy import Action, can, scope_shelters
from shelter_monitor.collation import sort_key
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.answers import question_label
from shelter_monitor.questionnaire.model import Label
from shelter_monitor.recommendations.models import Finding
from shelter_monitor.responses.models import Response, ResponseState
from shelter_monitor.responses.pages import answer_warnings
from shelter_monitor.responses.service import definition_for
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter

SORT_KEYS = ("region", "shelter", "submitted", "monitor")
DEFAULT_SORT = "submitted"


@dataclass(frozen=True)
class WarnedQuestion:
    """A question with a cross-field warning, as a reader names it: its code (the answer's anchor on the response
    page), its printed number and its wording for this response."""

    code: str
    number: str
    label: Label


@dataclass(frozen=True)
class QueueRow:
    """One response in the queue: who answers for it (the monitor who submitted it, else who started it), the
    questions with a cross-field warning, and its stored findings counted by severity."""

    response: Response
    monitor: User | None
    warnings: tuple[WarnedQuestion, ...] = ()
    findings: Counter = field(default_factory=Counter)

    @property
    def finding_count(self) -> int:
        return sum(self.findings.values())


@dataclass(frozen=True)
class QueueFilters:
    """What the coordinator asked for; None or False means "any"."""

    region: str | None = None
    state: str | None = ResponseState.SUBMITTED
    monitor_id: int | None = None
    with_warnings: bool = False
    with_findings: bool = False


def queued_responses() -> Select:
    """The responses a coordinator follows: every response of an open round, and any response still waiting for
    review (whatever its round), with what the queue shows of them loaded alongside."""
    return (select(Response).join(Shelter, Response.shelter_id == Shelter.id).join(Round)
            .where(or_(Round.is_open.is_(True), Response.state == ResponseState.SUBMITTED))
            .options(selectinload(Response.shelter).selectinload(Shelter.region), selectinload(Response.round),
                     selectinload(Response.submitted_by), selectinload(Response.created_by)))


def queue_rows(user: User) -> list[QueueRow]:
    """Every response of the queue the user may see, with its flags (three queries and the eager loads)."""
    responses = db.session.scalars(scope_shelters(user, queued_responses())).all()
    findings = findings_by_response([r.id for r in responses])
    return [QueueRow(r, r.submitted_by or r.created_by, warned_questions(r), findings.get(r.id, Counter()))
            for r in responses]


def warned_questions(response: Response) -> tuple[WarnedQuestion, ...]:
    """The questions whose answers carry a warning (pages.answer_warnings), in the questionnaire's order, worded
    as the response's form words them."""
    warned = answer_warnings(response)
    return tuple(WarnedQuestion(q.code, q.number, question_label(q, response.answers))
                 for q in definition_for(response).questions if q.code in warned)


def findings_by_response(response_ids: list[int]) -> dict[int, Counter]:
    """{response id: Counter of its stored findings by severity}, in one query."""
    if not response_ids:
        return {}
    rows = db.session.execute(
        select(Finding.response_id, Finding.severity, func.count())
        .where(Finding.response_id.in_(response_ids)).group_by(Finding.response_id, Finding.severity))
    counts: dict[int, Counter] = {}
    for response_id, severity, count in rows:
        counts.setdefault(response_id, Counter())[severity] = count
    return counts


def filter_rows(rows: Iterable[QueueRow], filters: QueueFilters) -> list[QueueRow]:
    """The rows that match every filter given."""
    def matches(row: QueueRow) -> bool:
        response = row.response
        return ((filters.region is None or response.shelter.region.iso_code == filters.region)
                and (filters.state is None or response.state == filters.state)
                and (filters.monitor_id is None or (row.monitor is not None and row.monitor.id == filters.monitor_id))
                and (not filters.with_warnings or bool(row.warnings))
                and (not filters.with_findings or row.finding_count > 0))
    return [row for row in rows if matches(row)]


def sort_rows(rows: Iterable[QueueRow], sort: str, locale: str) -> list[QueueRow]:
    """The rows sorted by `sort`: one of SORT_KEYS, "-" in front for the reverse order. Names sort by the
    reader's collation, ties by shelter name; rows without the value (never submitted, no monitor) come last."""
    descending = sort.startswith("-")
    key = _SORT_VALUES[sort.removeprefix("-")]
    by_shelter = sorted(rows, key=lambda row: sort_key(row.response.shelter.name))
    known = [row for row in by_shelter if key(row, locale) is not None]
    missing = [row for row in by_shelter if key(row, locale) is None]
    return sorted(known, key=lambda row: key(row, locale), reverse=descending) + missing


def _submitted(row: QueueRow, locale: str) -> dt.datetime | None:
    return row.response.submitted_at


def _region(row: QueueRow, locale: str) -> tuple:
    return sort_key(row.response.shelter.region.name(locale))


def _shelter(row: QueueRow, locale: str) -> tuple:
    return sort_key(row.response.shelter.name)


def _monitor(row: QueueRow, locale: str) -> tuple | None:
    return sort_key(row.monitor.name) if row.monitor is not None else None


_SORT_VALUES: dict[str, Callable[[QueueRow, str], object]] = {
    "region": _region, "shelter": _shelter, "submitted": _submitted, "monitor": _monitor}


def monitors_of(rows: Iterable[QueueRow]) -> list[User]:
    """The monitors the rows name, each once, sorted by name (the monitor filter's choices)."""
    unique = {row.monitor.id: row.monitor for row in rows if row.monitor is not None}
    return sorted(unique.values(), key=lambda user: sort_key(user.name))


def approvable(user: User, response_ids: Iterable[int]) -> list[Response]:
    """Those of the responses the user may approve now (the policy decides), in id order."""
    ids = sorted(set(response_ids))
    if not ids:
        return []
    responses = db.session.scalars(
        select(Response).where(Response.id.in_(ids)).order_by(Response.id)
        .options(selectinload(Response.shelter), selectinload(Response.round))).all()
    return [response for response in responses if can(user, Action.REVIEW_RESPONSE, response)]
