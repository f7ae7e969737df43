from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, can, require, scope_region
from shelter_monitor.extensions import db
from shelter_monitor.programmes.service import programme_note, round_programme
from shelter_monitor.questionnaire.forms import answers_from_form, build_form_class, field_messages, form_data
from shelter_monitor.questionnaire.loader import available_versions, load_definition
from shelter_monitor.regions.service import all_regions, region_by_iso
from shelter_monitor.responses.forms import PageMetaForm
from shelter_monitor.responses.pages import client_rules
from shelter_monitor.responses.service import (
    Conflict,
    context_for,
    regional_form_for,
    save_regional_form,
)
from shelter_monitor.rounds.forms import RoundForm
from shelter_monitor.rounds.models import Round
from shelter_monitor.rounds.service import RoundError, round_progress, rounds_newest_first, save_round

blueprint = Blueprint("rounds", __name__)

blueprint.before_request(require_login)


def _load(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id) or abort(404)
    require(current_user, Action.VIEW_ROUND, round_)
    return round_


@blueprint.get("/rounds")
def list_rounds():
    return render_template("rounds/list.html", rounds=db.session.scalars(rounds_newest_first()).all())


@blueprint.get("/rounds/<int:round_id>")
def view_round(round_id: int):
    round_ = _load(round_id)
    own = scope_region(current_user)
    regions = [r for r in all_regions(str(get_locale())) if own is None or r.id == own.id]
    programme = round_programme(round_, own) if can(current_user, Action.VIEW_PROGRAMMES) else None
    progress = round_progress(round_, current_user, str(get_locale()))
    return render_template("rounds/view.html", round=round_, progress=progress,
                           programme_question=load_definition(round_.questionnaire_version).question("I4"),
                           regions=regions, own_region=own, programme=programme,
                           programme_note=programme and programme_note(programme, str(get_locale())))


def _round_form(round_: Round | None) -> RoundForm:
    form = RoundForm(obj=round_)
    form.questionnaire_version.choices = [(v, v) for v in available_versions()]
    return form


def _save(form: RoundForm, round_: Round | None):
    try:
        saved = save_round(round_, form.code.data.strip(), form.name.data.strip(), form.name_en.data.strip(),
                           form.period_start.data, form.period_end.data, form.questionnaire_version.data,
                           form.covid_section.data, form.is_open.data, current_user)
    except RoundError as error:
        form[error.field].errors = [error.message]
        return None
    db.session.commit()
    flash(_("Round saved."), "success")
    return redirect(url_for("rounds.view_round", round_id=saved.id))


@blueprint.route("/rounds/new", methods=["GET", "POST"])
def new_round():
    require(current_user, Action.MANAGE_ROUNDS)
    form = _round_form(None)
    done = form.validate_on_submit() and _save(form, None)
    return done or render_template("form_page.html", form=form, heading=_("New round"))


@blueprint.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def edit_round(round_id: int):
    round_ = _load(round_id)
    require(current_user, Action.MANAGE_ROUNDS, round_)
    form = _round_form(round_)
    done = form.validate_on_submit() and _save(form, round_)
    return done or render_template("form_page.html", form=form, heading=_("Edit round"))


@blueprint.route("/rounds/<int:round_id>/regions/<iso_code>", methods=["GET", "POST"])
def regional_form(round_id: int, iso_code: str):
    round_ = _load(round_id)
    region = region_by_iso(iso_code) or abort(404)
    record = regional_form_for(region, round_)
    require(current_user, Action.VIEW_REGIONAL_FORM, record)
    editable = can(current_user, Action.EDIT_REGIONAL_FORM, record)
    posted = request.method == "POST"
    if posted and not editable:
        abort(403)
    definition = load_definition(round_.questionnaire_version)
    questions = definition.regional_questions()
    form = build_form_class(questions, record.answers)(formdata=request.form if posted else None,
                                                      data=form_data(questions, record.answers))
    meta = PageMetaForm(formdata=request.form if posted else None, data={"version": record.version})
    conflict, problems = None, None
    if posted and form.validate() and meta.validate():
        outcome = save_regional_form(record, answers_from_form(form, questions), meta.version.data, current_user)
        if isinstance(outcome, Conflict):
            db.session.rollback()
            conflict, record = outcome, regional_form_for(region, round_)
        else:
            db.session.commit()
            problems = outcome.errors
            flash(_("Saved."), "success")
        # the page now carries the version saved now (saving again keeps what the form shows)
        meta = PageMetaForm(formdata=None, data={"version": record.version})
    return render_template("rounds/regional_form.html", round=round_, region=region, form=form, meta=meta,
                           record=record, editable=editable, conflict=conflict, questions=questions,
                           messages=field_messages(form, problems),
                           rules=client_rules(definition, record.answers, context_for(round_), "regional"))
