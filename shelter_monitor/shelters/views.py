from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, StartPage, require, start_page
from shelter_monitor.availability.service import is_stale, newest_updates
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.answers import LocalText
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.recommendations.service import findings_by_round, recommendation_texts
from shelter_monitor.regions.service import all_regions, region_by_iso
from shelter_monitor.shelters.forms import AssignForm, FilterForm, ShelterForm, fill_choices
from shelter_monitor.shelters.models import Shelter
from shelter_monitor.shelters.service import (
    EDITABLE_FIELDS,
    STATUS_LABELS,
    WORK_GROUPS,
    assign_monitors,
    assignable_monitors,
    create_shelter,
    in_reading_order,
    institution_type_choices,
    monitor_worklist,
    only_round,
    ownership_choices,
    responses_by_round,
    shelters_for,
    shown_group,
    update_shelter,
    work_groups,
)

blueprint = Blueprint("shelters", __name__)

blueprint.before_request(require_login)


def _options(form, blank=None) -> None:
    locale = str(get_locale())
    fill_choices(form,
                 regions=[(r.iso_code, r.name(locale)) for r in all_regions(locale)],
                 types=[(c.value, LocalText(c.label)) for c in institution_type_choices()],
                 ownerships=[(c.value, LocalText(c.label)) for c in ownership_choices()],
                 statuses=list(STATUS_LABELS.items()), blank=blank)


def _labels() -> dict:
    return {"types": {c.value: LocalText(c.label) for c in institution_type_choices()},
            "ownerships": {c.value: LocalText(c.label) for c in ownership_choices()},
            "statuses": STATUS_LABELS}


def _load(shelter_id: int) -> Shelter:
    shelter = db.session.get(Shelter, shelter_id) or abort(404)
    require(current_user, Action.VIEW_SHELTER, shelter)
    return shelter


START_URLS = {
    StartPage.REVIEW_QUEUE: lambda user: url_for("responses.review_queue"),
    StartPage.DASHBOARD: lambda user: url_for("dashboards.start"),
    StartPage.SHELTER: lambda user: url_for("shelters.view_shelter", shelter_id=user.shelter_id),
    StartPage.SHELTERS: lambda user: url_for("shelters.list_shelters"),
}


@blueprint.get("/")
def home():
    page = start_page(current_user)
    if page is not StartPage.WORKLIST:
        return redirect(START_URLS[page](current_user))
    worklist = monitor_worklist(current_user, str(get_locale()))
    groups = work_groups(worklist)
    shown = shown_group(request.args.get("state"), groups)
    items = [item for key in WORK_GROUPS for item in groups[key]] if shown == "all" else groups[shown]
    return render_template("shelters/home.html", groups=groups, shown=shown, items=items, labels=_labels(),
                           single_round=only_round(worklist))


@blueprint.get("/shelters")
def list_shelters():
    form = FilterForm(request.args)
    _options(form, blank=_("All"))
    form.validate()
    statement = shelters_for(current_user, form.region.data or None, form.institution_type.data or None,
                             form.status.data or None)
    shelters = in_reading_order(db.session.scalars(statement), str(get_locale()))
    return render_template("shelters/list.html", shelters=shelters, form=form,
                           labels=_labels())


@blueprint.get("/shelters/<int:shelter_id>")
def view_shelter(shelter_id: int):
    shelter = _load(shelter_id)
    availability = newest_updates([shelter.id]).get(shelter.id)
    return render_template("shelters/view.html", shelter=shelter, rounds=responses_by_round(shelter),
                           labels=_labels(), findings=findings_by_round(shelter), load_definition=load_definition,
                           texts=recommendation_texts, availability=availability,
                           availability_stale=availability is not None and is_stale(availability))


@blueprint.route("/shelters/new", methods=["GET", "POST"])
def new_shelter():
    require(current_user, Action.MANAGE_SHELTERS)
    form = ShelterForm()
    _options(form)
    if form.validate_on_submit():
        shelter = create_shelter({name: form[name].data for name in EDITABLE_FIELDS},
                                 region_by_iso(form.region.data), current_user)
        db.session.commit()
        flash(_("Shelter added."), "success")
        return redirect(url_for("shelters.view_shelter", shelter_id=shelter.id))
    return render_template("form_page.html", form=form, heading=_("Add a shelter"))


@blueprint.route("/shelters/<int:shelter_id>/edit", methods=["GET", "POST"])
def edit_shelter(shelter_id: int):
    shelter = _load(shelter_id)
    require(current_user, Action.MANAGE_SHELTERS, shelter)
    form = ShelterForm(obj=shelter, region=shelter.region.iso_code)
    _options(form)
    if form.validate_on_submit():
        update_shelter(shelter, {name: form[name].data for name in EDITABLE_FIELDS},
                       region_by_iso(form.region.data), current_user)
        db.session.commit()
        flash(_("Shelter saved."), "success")
        return redirect(url_for("shelters.view_shelter", shelter_id=shelter.id))
    return render_template("form_page.html", form=form, heading=_("Edit shelter"))


@blueprint.route("/shelters/<int:shelter_id>/monitors", methods=["GET", "POST"])
def assign(shelter_id: int):
    shelter = _load(shelter_id)
    require(current_user, Action.ASSIGN_MONITORS, shelter)
    monitors = assignable_monitors()
    form = AssignForm(monitors=[m.id for m in shelter.monitors])
    form.monitors.choices = [(m.id, f"{m.name} ({m.email})") for m in monitors]
    if form.validate_on_submit():
        assign_monitors(shelter, [m for m in monitors if m.id in form.monitors.data], current_user)
        db.session.commit()
        flash(_("Monitors assigned."), "success")
        return redirect(url_for("shelters.view_shelter", shelter_id=shelter.id))
    return render_template("shelters/assign.html", shelter=shelter, form=form)
