import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, can, refusal, require
from shelter_monitor.extensions import db
from shelter_monitor.questionnaire.forms import answers_from_form, field_messages
from shelter_monitor.regions.service import all_regions
from shelter_monitor.responses.forms import ActionForm, BulkApproveForm, PageMetaForm, QueueFilterForm, ReturnForm
from shelter_monitor.responses.history import response_history
from shelter_monitor.responses.models import Response
from shelter_monitor.responses.pages import (
    SectionPage,
    answer_warnings,
    answered_sections,
    question_labels,
    summarise_problems,
)
from shelter_monitor.responses.queue import approvable, filter_rows, monitors_of, queue_rows, sort_rows
from shelter_monitor.responses.service import (
    Conflict,
    WorkflowError,
    approve_response,
    approve_responses,
    asked_sections,
    changes_since_carried,
    definition_for,
    get_or_start_response,
    mark_sensitive,
    return_response,
    save_page,
    section_statuses,
    submission_problems,
    submit_response,
)
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter

blueprint = Blueprint("responses", __name__)

blueprint.before_request(require_login)


def _load(response_id: int) -> Response:
    response = db.session.get(Response, response_id) or abort(404)
    require(current_user, Action.VIEW_RESPONSE, response)
    return response


@blueprint.post("/shelters/<int:shelter_id>/rounds/<int:round_id>/response")
def start(shelter_id: int, round_id: int):
    shelter = db.session.get(Shelter, shelter_id) or abort(404)
    round_ = db.session.get(Round, round_id) or abort(404)
    require(current_user, Action.START_RESPONSE, shelter)
    if not round_.is_open or not ActionForm().validate_on_submit():
        abort(400)
    response = get_or_start_response(shelter, round_, current_user)
    db.session.commit()
    return redirect(url_for("responses.view_response", response_id=response.id))


@blueprint.get("/responses/<int:response_id>")
def view_response(response_id: int):
    response = _load(response_id)
    definition = definition_for(response)
    problems = submission_problems(response) if can(current_user, Action.EDIT_RESPONSE, response) else None
    return render_template(
        "responses/view.html", response=response, definition=definition, statuses=section_statuses(response),
        sections=answered_sections(response), problems=problems, changes=changes_since_carried(response),
        problem_summary=summarise_problems(response, problems) if problems else [],
        warnings=answer_warnings(response), locked=refusal(current_user, Action.EDIT_RESPONSE, response),
        history=response_history(response, str(get_locale())), labels=question_labels(response),
        action_form=ActionForm(), return_form=ReturnForm())


@blueprint.route("/responses/<int:response_id>/sections/<code>", methods=["GET", "POST"])
def edit_section(response_id: int, code: str):
    response = _load(response_id)
    if request.method == "GET" and refusal(current_user, Action.EDIT_RESPONSE, response):
        # locked (under review, approved, closed round): its answers read-only, with the reason on top
        return redirect(url_for("responses.view_response", response_id=response.id))
    require(current_user, Action.EDIT_RESPONSE, response)
    definition = definition_for(response)
    if code not in {s.code for s in asked_sections(response)}:
        abort(404)
    page = SectionPage(response, definition.section(code))
    posted = request.method == "POST"
    form = page.form(request.form if posted else None)
    meta = PageMetaForm(formdata=request.form if posted else None,
                        data={"version": response.version, "original": page.page_answers_json()})
    conflict, saved, status = None, False, 200
    if not posted:
        validation = page.validation(complete=request.args.get("check") == "1")
    elif form.validate() and meta.validate():
        outcome = save_page(response, code, answers_from_form(form, page.questions), meta.version.data,
                            _original(meta.original.data), current_user)
        if isinstance(outcome, Conflict):
            db.session.rollback()
            conflict, validation, status = outcome, None, 409
            meta.version.data, meta.original.data = response.version, page.page_answers_json()
        else:
            db.session.commit()
            saved, validation = True, outcome
            if outcome.ok and "continue" in request.form:
                flash(_("Saved."), "success")
                return redirect(_next_page(page) + f"?saved={code}")
            meta.version.data, meta.original.data = response.version, page.page_answers_json()
    else:
        validation, status = None, 422
        flash(_("Not saved: please correct the marked answers."), "error")
    return render_template("responses/section.html", response=response, page=page, form=form, meta=meta,
                           conflict=conflict, saved=saved,
                           messages=field_messages(form, validation.errors if validation else None),
                           warnings=validation.warnings if validation else {}, statuses=section_statuses(response),
                           definition=definition), status


def _next_page(page: SectionPage) -> str:
    _, following = page.neighbours()
    if following is None:
        return url_for("responses.view_response", response_id=page.response.id)
    return url_for("responses.edit_section", response_id=page.response.id, code=following.code)


def _original(raw: str | None) -> dict:
    try:
        value = json.loads(raw or "{}")
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
        return {}
    return value if isinstance(value, dict) else {}


@blueprint.post("/responses/<int:response_id>/submit")
def submit(response_id: int):
    response = _load(response_id)
    require(current_user, Action.EDIT_RESPONSE, response)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        validation = submit_response(response, current_user)
    except WorkflowError as refused:
        return _refused(refused, response)
    if validation.ok:
        db.session.commit()
        flash(_("Submitted for review. Thank you."), "success")
    else:
        db.session.rollback()
        flash(_("Not submitted yet: some answers are missing or need correcting (listed below)."), "error")
    return redirect(url_for("responses.view_response", response_id=response.id))


@blueprint.post("/responses/<int:response_id>/return")
def return_to_monitor(response_id: int):
    response = _load(response_id)
    require(current_user, Action.REVIEW_RESPONSE, response)
    form = ReturnForm()
    if not form.validate_on_submit():
        for error in form.reason.errors:
            flash(error, "error")
        return redirect(url_for("responses.view_response", response_id=response.id) + "#review")
    comments = {key.removeprefix("comment_"): value for key, value in request.form.items()
                if key.startswith("comment_")}
    try:
        return_response(response, form.reason.data, comments, current_user)
    except WorkflowError as refused:
        return _refused(refused, response)
    db.session.commit()
    flash(_("Returned to the monitor."), "success")
    return redirect(url_for("responses.review_queue"))


@blueprint.post("/responses/<int:response_id>/approve")
def approve(response_id: int):
    response = _load(response_id)
    require(current_user, Action.REVIEW_RESPONSE, response)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        approve_response(response, current_user)
    except WorkflowError as refused:
        return _refused(refused, response)
    db.session.commit()
    flash(_("Approved."), "success")
    return redirect(url_for("responses.review_queue"))


def _refused(error: WorkflowError, response: Response):
    """Someone else moved the response on first (or it never was in the state the button expects)."""
    db.session.rollback()
    flash(str(error), "error")
    return redirect(url_for("responses.view_response", response_id=response.id))


@blueprint.get("/review")
def review_queue():
    require(current_user, Action.REVIEW_RESPONSES)
    rows = queue_rows(current_user)
    form = _queue_filter_form(rows)
    if not form.validate():
        return render_template("responses/review_queue.html", form=form, rows=None, total=len(rows)), 400
    shown = sort_rows(filter_rows(rows, form.filters()), form.sort.data, str(get_locale()))
    return render_template("responses/review_queue.html", form=form, rows=shown, total=len(rows),
                           arguments=form.arguments(), back=form.query())


def _queue_filter_form(rows) -> QueueFilterForm:
    form = QueueFilterForm(request.args)
    locale = str(get_locale())
    form.region.choices = [("", _("Every region"))] + [(r.iso_code, r.name(locale)) for r in all_regions(locale)]
    form.monitor.choices = [("", _("Every monitor"))] + [(str(u.id), u.name) for u in monitors_of(rows)]
    return form


@blueprint.post("/review")
def approve_selected():
    require(current_user, Action.REVIEW_RESPONSES)
    form = BulkApproveForm()
    if not form.validate_on_submit():
        abort(400)
    back = url_for("responses.review_queue") + ("?" + form.back_query() if form.back_query() else "")
    chosen = approvable(current_user, form.chosen_ids())
    if not chosen:
        flash(_("Nothing was approved: no response waiting for review was ticked. Tick the responses to approve "
                "(or the box in the header for all those shown), then press the button again."), "error")
        return redirect(back)
    if not form.confirm.data:
        return render_template("responses/confirm_approve.html", responses=chosen, form=form, back=back,
                               left_out=len(form.chosen_ids()) - len(chosen))
    count = approve_responses(chosen, current_user)
    db.session.commit()
    flash(ngettext("%(num)d response approved.", "%(num)d responses approved.", count), "success")
    return redirect(back)


@blueprint.post("/responses/<int:response_id>/sensitive")
def sensitive(response_id: int):
    response = _load(response_id)
    require(current_user, Action.MARK_SENSITIVE, response)
    if not ActionForm().validate_on_submit():
        abort(400)
    mark_sensitive(response, request.form.getlist("sensitive"), current_user)
    db.session.commit()
    flash(_("Saved: the answers marked sensitive stay out of every export."), "success")
    return redirect(url_for("responses.view_response", response_id=response.id) + "#sensitive")
