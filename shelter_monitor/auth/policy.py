"""The one place that knows who may do what. Views, templates and lists ask it; nothing else checks roles."""
import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Select, false, select
from werkzeug.exceptions import Forbidden

from shelter_monitor.auth.models import Role, User
from shelter_monitor.formatting import format_date
from shelter_monitor.programmes.models import Programme
from shelter_monitor.regions.models import Region
from shelter_monitor.responses.models import RegionalForm, Response, ResponseState
from shelter_monitor.shelters.models import Shelter, shelter_assignment


class Action(enum.StrEnum):
    """What a user may be asked about; RULES below holds one predicate per action."""

    LIST_SHELTERS = "list_shelters"
    VIEW_SHELTER = "view_shelter"
    VIEW_SHELTER_CONTACT = "view_shelter_contact"
    MANAGE_SHELTERS = "manage_shelters"
    ASSIGN_MONITORS = "assign_monitors"
    VIEW_ROUND = "view_round"
    MANAGE_ROUNDS = "manage_rounds"
    MANAGE_QUESTIONNAIRES = "manage_questionnaires"    # the questionnaire versions and their XLSForms
    START_RESPONSE = "start_response"
    VIEW_RESPONSE = "view_response"
    EDIT_RESPONSE = "edit_response"
    REVIEW_RESPONSES = "review_responses"
    REVIEW_RESPONSE = "review_response"
    EDIT_REGIONAL_FORM = "edit_regional_form"
    VIEW_REGIONAL_FORM = "view_regional_form"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_NATIONAL_RECOMMENDATIONS = "view_national_recommendations"
    VIEW_REGIONAL_RECOMMENDATIONS = "view_regional_recommendations"
    FOLLOW_UP_RECOMMENDATION = "follow_up_recommendation"
    UPDATE_AVAILABILITY = "update_availability"
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_REGION_DASHBOARD = "view_region_dashboard"
    FIND_PLACE = "find_place"
    EXPORT = "export"
    MARK_SENSITIVE = "mark_sensitive"
    IMPORT_RESPONSES = "import_responses"
    VIEW_PROGRAMMES = "view_programmes"
    VIEW_PROGRAMME = "view_programme"
    VIEW_PROGRAMME_REGION = "view_programme_region"
    ENTER_PROGRAMME_VALUE = "enter_programme_value"
    VIEW_WORKLIST = "view_worklist"                    # the start page listing the shelters assigned to one
    WORK_IN_SHELTER = "work_in_shelter"                # the shelter (obj) is the user's workplace and start page
    BE_ASSIGNED_TO_SHELTER = "be_assigned_to_shelter"  # the user may be chosen as a shelter's monitor
    ARRANGE_PLACEMENT = "arrange_placement"            # the user is named as a contact for placing a person in the
                                                       # shelter (obj) to those who may not see its phone
    REVOKE_API_TOKEN = "revoke_api_token"              # the owner of a personal access token, or an admin


@dataclass(frozen=True)
class Addressee:
    """Whom a recommendation is addressed to: a region's administration (R1-R7) or the Ministry (M1-M3)."""

    code: str
    region_id: int | None


READ_ALL = {Role.ADMIN, Role.COORDINATOR, Role.MINISTRY}
EDITABLE_STATES = {ResponseState.DRAFT, ResponseState.RETURNED}


def _roles(*roles: Role) -> Callable[[User, Any], bool]:
    """A rule that holds for these roles, whatever the object."""
    return lambda user, obj: user.role in roles


def _is_assigned(user: User, shelter: Shelter) -> bool:
    return any(monitor.id == user.id for monitor in shelter.monitors)


def _sees_shelter(user: User, shelter: Shelter) -> bool:
    if user.role in READ_ALL:
        return True
    if user.role == Role.REGIONAL:
        return shelter.region_id == user.region_id
    if user.role == Role.SHELTER_STAFF:
        return shelter.id == user.shelter_id
    return user.role == Role.MONITOR and _is_assigned(user, shelter)


def _may_update_availability(user: User, shelter: Shelter) -> bool:
    if user.role == Role.COORDINATOR:
        return True
    if user.role == Role.SHELTER_STAFF:
        return shelter.id == user.shelter_id
    return user.role == Role.MONITOR and _is_assigned(user, shelter)


def _sees_contact(user: User, shelter: Shelter) -> bool:
    if user.role in (Role.ADMIN, Role.COORDINATOR):
        return True
    return user.role == Role.MONITOR and _is_assigned(user, shelter)


def _arranges_placement(user: User, shelter: Shelter) -> bool:
    """The coordinator, for every shelter, and the shelter's regional administration: they see or can reach it."""
    if user.role == Role.COORDINATOR:
        return True
    return user.role == Role.REGIONAL and shelter.region_id == user.region_id


def _may_start(user: User, shelter: Shelter) -> bool:
    return user.role == Role.MONITOR and _is_assigned(user, shelter)


def _may_edit(user: User, response: Response) -> bool:
    return response.state in EDITABLE_STATES and response.round.is_open and _may_start(user, response.shelter)


def _may_review(user: User, response: Response) -> bool:
    return user.role == Role.COORDINATOR and response.state == ResponseState.SUBMITTED


def _may_edit_regional(user: User, form: RegionalForm) -> bool:
    if not form.round.is_open:
        return False
    if user.role == Role.REGIONAL:
        return form.region_id == user.region_id
    return user.role in (Role.MONITOR, Role.COORDINATOR)


def _sees_region(user: User, form: RegionalForm) -> bool:
    if user.role == Role.REGIONAL:
        return form.region_id == user.region_id
    return user.role != Role.SHELTER_STAFF


def _sees_region_in_full(user: User, region: Region) -> bool:
    return user.role in READ_ALL or (user.role == Role.REGIONAL and region.id == user.region_id)


def _may_export(user: User, region: Region | None) -> bool:
    """National exports for those who read everything; a regional user exports its own region only."""
    if user.role in READ_ALL:
        return True
    return user.role == Role.REGIONAL and region is not None and region.id == user.region_id


def _sees_programme(user: User, programme: Programme) -> bool:
    if user.role in READ_ALL:
        return True
    return user.role == Role.REGIONAL and programme.region_id in (None, user.region_id)


def _may_enter_programme_value(user: User, target: tuple[Programme, Region | None]) -> bool:
    """The ministry enters national and regional figures; a regional user only its own region's."""
    programme, region = target
    if user.role == Role.MINISTRY:
        return True
    return (user.role == Role.REGIONAL and region is not None and region.id == user.region_id
            and _sees_programme(user, programme))


def _works_in(user: User, shelter: Shelter | None) -> bool:
    """Shelter staff work in their own shelter: its page is their start page."""
    return user.role == Role.SHELTER_STAFF and shelter is not None and shelter.id == user.shelter_id


def _may_revoke_token(user: User, token: Any) -> bool:
    return token.user_id == user.id or user.role == Role.ADMIN


def _is_addressee(user: User, addressee: Addressee) -> bool:
    if addressee.code.startswith("M"):
        return user.role == Role.MINISTRY and addressee.region_id is None
    return user.role == Role.REGIONAL and addressee.region_id == user.region_id


RULES: dict[Action, Callable[[User, Any], bool]] = {
    Action.LIST_SHELTERS: lambda user, obj: True,
    Action.VIEW_SHELTER: _sees_shelter,
    Action.VIEW_SHELTER_CONTACT: _sees_contact,
    Action.MANAGE_SHELTERS: _roles(Role.ADMIN),
    Action.ASSIGN_MONITORS: _roles(Role.ADMIN, Role.COORDINATOR),
    Action.VIEW_ROUND: lambda user, obj: True,
    Action.MANAGE_ROUNDS: _roles(Role.ADMIN),
    Action.MANAGE_QUESTIONNAIRES: _roles(Role.ADMIN),
    Action.START_RESPONSE: _may_start,
    Action.VIEW_RESPONSE: lambda user, response: _sees_shelter(user, response.shelter),
    Action.EDIT_RESPONSE: _may_edit,
    Action.REVIEW_RESPONSES: _roles(Role.COORDINATOR),
    Action.REVIEW_RESPONSE: _may_review,
    Action.EDIT_REGIONAL_FORM: _may_edit_regional,
    Action.VIEW_REGIONAL_FORM: _sees_region,
    Action.MANAGE_USERS: _roles(Role.ADMIN),
    Action.VIEW_AUDIT: _roles(Role.ADMIN, Role.COORDINATOR),
    Action.VIEW_NATIONAL_RECOMMENDATIONS: _roles(*READ_ALL),
    Action.VIEW_REGIONAL_RECOMMENDATIONS: _sees_region_in_full,
    Action.FOLLOW_UP_RECOMMENDATION: _is_addressee,
    Action.UPDATE_AVAILABILITY: _may_update_availability,
    Action.VIEW_DASHBOARD: _roles(*READ_ALL, Role.REGIONAL),
    Action.VIEW_REGION_DASHBOARD: _sees_region_in_full,
    Action.FIND_PLACE: _roles(*READ_ALL, Role.REGIONAL, Role.MONITOR),
    Action.EXPORT: _may_export,
    Action.MARK_SENSITIVE: _roles(Role.COORDINATOR),
    Action.IMPORT_RESPONSES: _roles(Role.ADMIN, Role.COORDINATOR),
    Action.VIEW_PROGRAMMES: _roles(*READ_ALL, Role.REGIONAL),
    Action.VIEW_PROGRAMME: _sees_programme,
    Action.VIEW_PROGRAMME_REGION: _sees_region_in_full,
    Action.ENTER_PROGRAMME_VALUE: _may_enter_programme_value,
    Action.VIEW_WORKLIST: _roles(Role.MONITOR),
    Action.WORK_IN_SHELTER: _works_in,
    Action.BE_ASSIGNED_TO_SHELTER: _roles(Role.MONITOR),
    Action.ARRANGE_PLACEMENT: _arranges_placement,
    Action.REVOKE_API_TOKEN: _may_revoke_token,
}


def _why_response_locked(user: User, response: Response) -> str | None:
    """The response's own monitor is told what locks it; anyone else is refused by their role."""
    if not _may_start(user, response.shelter):
        return None
    if response.state == ResponseState.SUBMITTED:
        return _("This response is under review since %(date)s; the coordinator can return it to you.",
                 date=format_date(response.submitted_at, get_locale()))
    if response.state == ResponseState.APPROVED:
        return _("This response was approved on %(date)s; it can no longer be changed.",
                 date=format_date(response.reviewed_at, get_locale()))
    if not response.round.is_open:
        return _("The round %(round)s is closed; its responses can no longer be changed.",
                 round=response.round.display_name(str(get_locale())))
    return None


REASONS: dict[Action, Callable[[User, Any], str | None]] = {
    Action.EDIT_RESPONSE: _why_response_locked,
}


class Refused(Forbidden):
    """A 403 whose page states the reason, where the reason is the object's state rather than the user's role."""

    def __init__(self, reason: str | None) -> None:
        super().__init__(description=reason)
        self.reason = reason


def can(user: User | None, action: Action, obj: Any = None) -> bool:
    """Whether the user may perform the action (on obj, where the action concerns one object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    return RULES[action](user, obj)


def require(user: User | None, action: Action, obj: Any = None) -> None:
    """Abort with 403 unless the user may perform the action; the page says why when `refusal` knows."""
    if not can(user, action, obj):
        raise Refused(refusal(user, action, obj))


def refusal(user: User | None, action: Action, obj: Any = None) -> str | None:
    """Why the user may not perform the action, in the reader's language, when there is more to say than
    "your role does not allow it" (a monitor's response under review, approved, or in a closed round); None when
    the user may, or when the role is the reason."""
    if user is None or can(user, action, obj) or action not in REASONS:
        return None
    if not getattr(user, "is_authenticated", False) or not user.active:
        return None
    return REASONS[action](user, obj)


def scope_shelters(user: User, statement: Select) -> Select:
    """Filter a statement over Shelter to the shelters the user may see."""
    if user.role in READ_ALL:
        return statement
    if user.role == Role.REGIONAL:
        return statement.where(Shelter.region_id == user.region_id)
    if user.role == Role.MONITOR:
        assigned = select(shelter_assignment.c.shelter_id).where(shelter_assignment.c.user_id == user.id)
        return statement.where(Shelter.id.in_(assigned))
    if user.role == Role.SHELTER_STAFF:
        return statement.where(Shelter.id == user.shelter_id)
    return statement.where(false())


def scope_directory(user: User | None, statement: Select, published: bool) -> Select:
    """Filter a statement over Shelter to what the HSDS directory (/api/hsds/) shows the reader: every shelter
    when the directory is published (HSDS_PUBLIC; it holds no address, phone or sensitive answer of any shelter,
    since a public reader may see none), else the shelters the user may see (none for an anonymous reader)."""
    if published:
        return statement
    return scope_shelters(user, statement) if can(user, Action.LIST_SHELTERS) else statement.where(false())


def has_region(role: str) -> bool:
    """Whether users of the role belong to one region (and are limited to it): the regional administrations."""
    return role == Role.REGIONAL


def has_shelter(role: str) -> bool:
    """Whether users of the role work in one shelter: its staff."""
    return role == Role.SHELTER_STAFF


def scope_region(user: User) -> Region | None:
    """The one region a user is limited to (its figures beside the national totals, never another region's),
    or None when they see every region."""
    return user.region if user.role == Role.REGIONAL else None


class StartPage(enum.StrEnum):
    """The kinds of page a user can land on after logging in and from the home link."""

    WORKLIST = "worklist"          # a monitor's assignments, by state
    REVIEW_QUEUE = "review_queue"  # the coordinator's responses to review
    DASHBOARD = "dashboard"        # the dashboard of the latest round with data
    SHELTER = "shelter"            # shelter staff: their own shelter's page
    SHELTERS = "shelters"          # the shelter list, for anyone with no page of their own


START_PAGES: dict[Role, StartPage] = {
    Role.MONITOR: StartPage.WORKLIST,
    Role.COORDINATOR: StartPage.REVIEW_QUEUE,
    Role.REGIONAL: StartPage.DASHBOARD,
    Role.MINISTRY: StartPage.DASHBOARD,
    Role.ADMIN: StartPage.DASHBOARD,
    Role.SHELTER_STAFF: StartPage.SHELTER,
}


def start_page(user: User) -> StartPage:
    """The user's own start page: each role lands where its daily work is; a staff member with no shelter, and
    anyone whose page the policy would refuse, lands on the shelter list."""
    page = START_PAGES.get(user.role, StartPage.SHELTERS)
    allowed = {
        StartPage.WORKLIST: lambda: can(user, Action.VIEW_WORKLIST),
        StartPage.REVIEW_QUEUE: lambda: can(user, Action.REVIEW_RESPONSES),
        StartPage.DASHBOARD: lambda: can(user, Action.VIEW_DASHBOARD),
        StartPage.SHELTER: lambda: can(user, Action.WORK_IN_SHELTER, user.shelter),
        StartPage.SHELTERS: lambda: True,
    }[page]
    return page if allowed() else StartPage.SHELTERS
