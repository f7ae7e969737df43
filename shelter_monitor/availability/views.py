from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, can, require, scope_region
from shelter_monitor.availability.forms import AvailabilityForm, FindPlaceForm
from shelter_monitor.availability.matching import find_places
from shelter_monitor.availability.notes import note_text, parse_children_ages, profile_from_form
from shelter_monitor.availability.service import history, is_stale, place_candidates, record_availability
from shelter_monitor.dashboards.service import refresh_indicators_for_shelter
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.regions.service import all_regions
from shelter_monitor.regions.tiles import NEIGHBOURS
from shelter_monitor.shelters.models import Shelter

RESULTS_SHOWN = 25  # freshest first; a narrower search shows the rest

blueprint = Blueprint("availability", __name__)
blueprint.before_request(require_login)


@blueprint.route("/shelters/<int:shelter_id>/availability", methods=["GET", "POST"])
def update_availability(shelter_id: int):
    shelter = db.session.get(Shelter, shelter_id) or abort(404)
    require(current_user, Action.VIEW_SHELTER, shelter)
    if request.method == "POST":
        require(current_user, Action.UPDATE_AVAILABILITY, shelter)
    form = AvailabilityForm()
    if request.method == "GET":
        form.as_of.data = utcnow().replace(second=0, microsecond=0)
    if form.validate_on_submit():
        record_availability(shelter, form.as_of.data, form.free_women.data, form.free_men.data,
                            form.free_children.data, form.youngest_child_months.data, form.admissions_open.data,
                            form.note.data or "", current_user)
        refresh_indicators_for_shelter(shelter.id)
        db.session.commit()
        flash(_("Availability saved."), "success")
        return redirect(url_for("shelters.view_shelter", shelter_id=shelter.id) + "#availability")
    updates = history(shelter)
    return render_template("availability/update.html", shelter=shelter, form=form, updates=updates,
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
    matches, searched = [], "sex" in request.args
    ages = parse_children_ages(form.children_ages.data)
    if ages is None:
        form.children_ages.errors = [_("Write ages in years as numbers separated by commas, e.g. 2, 7.")]
    elif searched and form.validate():
        profile = profile_from_form(form, ages)
        regions_searched = None if profile.region is None else {profile.region} | (
            NEIGHBOURS[profile.region] if profile.include_neighbours else set())
        matches = find_places(profile, place_candidates(regions_searched), NEIGHBOURS, utcnow().date(),
                              current_app.config["AVAILABILITY_STALE_DAYS"])
    shown = matches[:RESULTS_SHOWN]
    shelters = {s.id: s for s in db.session.scalars(
        select(Shelter).options(selectinload(Shelter.monitors))
        .where(Shelter.id.in_([m.candidate.shelter_id for m in shown])))} if shown else {}
    return render_template("availability/find.html", form=form, matches=shown, total=len(matches), searched=searched,
                           shelters=shelters, note_text=note_text,
                           region_names={r.iso_code: r.name(locale) for r in regions})
