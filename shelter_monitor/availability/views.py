from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.auth.forms import ROLE_LABELS
from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, can, require, scope_region
from shelter_monitor.availability.forms import AvailabilityForm, FindPlaceForm
from shelter_monitor.availability.matching import summarise_region
from shelter_monitor.availability.notes import note_text, parse_children_ages, profile_from_form
from shelter_monitor.availability.service import (
    check_matcher_definitions,
    form_start,
    history,
    is_stale,
    known_capacity,
    placement_contacts,
    record_availability,
    search_places,
)
from shelter_monitor.dashboards.service import refresh_indicators_for_shelter
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.loader import load_definition
from shelter_monitor.regions.service import all_regions
from shelter_monitor.shelters.models import Shelter

RESULTS_SHOWN = 25  # the best ranked; a narrower search shows the rest

blueprint = Blueprint("availability", __name__)
blueprint.before_request(require_login)
blueprint.record_once(lambda state: check_matcher_definitions())  # a mismatch stops the app at start


@blueprint.route("/shelters/<int:shelter_id>/availability", methods=["GET", "POST"])
def update_availability(shelter_id: int):
    shelter = db.session.get(Shelter, shelter_id) or abort(404)
    require(current_user, Action.VIEW_SHELTER, shelter)
    if request.method == "POST":
        require(current_user, Action.UPDATE_AVAILABILITY, shelter)
    capacity = known_capacity(shelter)
    form = (AvailabilityForm(capacity=capacity) if request.method == "POST"
            else AvailabilityForm(data=form_start(shelter, utcnow()), capacity=capacity))
    if form.validate_on_submit():
        record_availability(shelter, form.as_of.data, form.free_women.data, form.free_men.data,
                            form.free_children.data, form.youngest_child_months.data, form.admissions_open.data,
                            form.note.data or "", current_user)
        refresh_indicators_for_shelter(shelter.id)
        db.session.commit()
        flash(_("Availability saved."), "success")
        return redirect(url_for("shelters.view_shelter", shelter_id=shelter.id) + "#availability")
    updates = history(shelter)
    return render_template("availability/update.html", shelter=shelter, form=form, updates=updates, capacity=capacity,
                           stale={u.id: is_stale(u) for u in updates},
                           editable=can(current_user, Action.UPDATE_AVAILABILITY, shelter))


@blueprint.get("/find-a-place")
def find_a_place():
    require(current_user, Action.FIND_PLACE)
    form = FindPlaceForm(request.args)
    locale = str(get_locale())
    own_region = scope_region(current_user)
    regions = all_regions(locale)
    form.region.choices = [("", _("All regions"))] + [(r.iso_code, r.name(locale)) for r in regions]
    if "region" not in request.args and own_region is not None:
        form.region.data = own_region.iso_code
    matches, summary, searched = [], None, "sex" in request.args
    ages = parse_children_ages(form.children_ages.data)
    if ages is None:
        form.children_ages.errors = [_("Write ages in years as numbers separated by commas, e.g. 2, 7.")]
    elif searched and form.validate():
        profile = profile_from_form(form, ages)
        matches = search_places(profile, utcnow().date())
        summary = summarise_region(profile, matches)
    shown = matches[:RESULTS_SHOWN]
    definition = load_definition()
    return render_template("availability/find.html", form=form, matches=shown, total=len(matches), searched=searched,
                           total_known=sum(match.known for match in matches),
                           summary=summary, contacts=placement_contacts(current_user, [m.candidate.shelter_id
                                                                                         for m in shown]),
                           roles=ROLE_LABELS, note_text=lambda note: note_text(note, definition, locale),
                           region_names={r.iso_code: r.name(locale) for r in regions})
