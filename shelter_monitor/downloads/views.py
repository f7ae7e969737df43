import io

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, can, require
from shelter_monitor.downloads.forms import KINDS, LANGUAGES, ExportForm, ImportForm
from shelter_monitor.downloads.imports import import_file, record_import
from shelter_monitor.downloads.jobs import find_job, start_export_job
from shelter_monitor.downloads.service import (
    FORMATS,
    build_file,
    file_name,
    gather_export,
    layout_for,
    record_export,
    responses_in_scope,
)
from shelter_monitor.downloads.submissions import import_submissions
from shelter_monitor.extensions import db
from shelter_monitor.inputs import upload_limit
from shelter_monitor.regions.service import all_regions, region_by_iso
from shelter_monitor.rounds.models import Round

blueprint = Blueprint("downloads", __name__)
blueprint.before_request(require_login)


def _round(round_id: int) -> Round:
    return db.session.get(Round, round_id) or abort(404)


def _export_form() -> ExportForm:
    form = ExportForm(request.args)
    locale = str(get_locale())
    national = [("", _("National"))] if can(current_user, Action.EXPORT, None) else []
    form.region.choices = national + [(r.iso_code, r.name(locale)) for r in all_regions(locale)
                                      if can(current_user, Action.EXPORT, r)]
    if "lang" not in request.args:
        form.lang.data = locale
    return form


@blueprint.get("/rounds/<int:round_id>/exports")
def exports(round_id: int):
    round_ = _round(round_id)
    form = _export_form()
    if not any(can(current_user, Action.EXPORT, region_by_iso(iso) if iso else None)
               for iso, _label in form.region.choices):
        abort(403)
    return render_template("downloads/exports.html", round=round_, form=form, import_form=ImportForm())


@blueprint.get("/rounds/<int:round_id>/exports/file")
def download(round_id: int):
    round_ = _round(round_id)
    region_iso = request.args.get("region") or None
    region = region_by_iso(region_iso) if region_iso else None
    if region_iso and region is None:
        abort(404)
    require(current_user, Action.EXPORT, region)
    form = _export_form()
    if not form.validate():
        return render_template("downloads/exports.html", round=round_, form=form, import_form=ImportForm()), 422
    layout = layout_for(form.kind.data, form.layout())
    if responses_in_scope(round_, region, layout["all_rounds"]) > current_app.config["EXPORT_SYNC_LIMIT"]:
        record_export(current_user, round_, region, form.kind.data, form.lang.data, form.multi.data, "job", layout)
        db.session.commit()
        job = start_export_job(current_app._get_current_object(), current_user.id, round_.id, region_iso,
                               form.lang.data, form.kind.data, form.multi.data, layout)
        return redirect(url_for("downloads.job_page", job_id=job.id))
    data = gather_export(round_, region, form.lang.data, all_rounds=layout["all_rounds"])
    content = build_file(form.kind.data, data, form.multi.data, layout)
    record_export(current_user, round_, region, form.kind.data, form.lang.data, form.multi.data, "direct", layout)
    db.session.commit()
    return send_file(io.BytesIO(content), mimetype=FORMATS[form.kind.data][1], as_attachment=True,
                     download_name=file_name(form.kind.data, data, layout["all_rounds"]))


@blueprint.post("/rounds/<int:round_id>/imports")
@upload_limit("IMPORT_MAX_BYTES")
def upload(round_id: int):
    round_ = _round(round_id)
    require(current_user, Action.IMPORT_RESPONSES)
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload_file = form.file.data
        if form.source.data == "platform":
            report = import_file(upload_file.stream, upload_file.filename or "", round_, current_user,
                                 import_valid_rows=form.import_valid_rows.data)
        else:
            report = import_submissions(upload_file.stream, upload_file.filename or "", round_, current_user,
                                        form.source.data, import_valid_rows=form.import_valid_rows.data)
        if not report.imported:
            db.session.rollback()
        record_import(current_user, round_, upload_file.filename or "", report, str(get_locale()),
                      form.import_valid_rows.data)
        db.session.commit()
    return render_template("downloads/exports.html", round=round_, form=_export_form(), import_form=form,
                           report=report)



@blueprint.get("/exports/jobs/<job_id>")
def job_page(job_id: str):
    job = find_job(job_id, current_user.id) or abort(404)
    return render_template("downloads/job.html", job=job, kinds=dict(KINDS), languages=dict(LANGUAGES),
                           ttl_hours=int(current_app.config["EXPORT_TTL_HOURS"]),
                           round=db.session.get(Round, job.round_id) if job.round_id else None,
                           region=region_by_iso(job.region_iso) if job.region_iso else None)


@blueprint.get("/exports/jobs/<job_id>/status")
def job_status(job_id: str):
    job = find_job(job_id, current_user.id) or abort(404)
    ready = job.status == "done"
    return {"status": job.status, "file": url_for("downloads.job_file", job_id=job.id) if ready else None}


@blueprint.get("/exports/jobs/<job_id>/file")
def job_file(job_id: str):
    job = find_job(job_id, current_user.id, with_file=True) or abort(404)
    if job.status != "done" or job.content is None:
        abort(404)
    return send_file(io.BytesIO(job.content), mimetype=FORMATS[job.kind][1], as_attachment=True,
                     download_name=job.download_name)
