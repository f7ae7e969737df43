"""Exports as jobs: POST starts one through downloads.jobs (in Redis with REDIS_URL, else in process); GET gives
its status, then its file. Only the user who started a job sees it (find_job)."""
import io

from flask import abort, current_app, send_file, url_for
from flask_login import current_user

from shelter_monitor.api.v1.common import READ_ERRORS, WRITE_ERRORS, api_blueprint, errors, load_region, load_round
from shelter_monitor.api.v1.schemas import ExportInput, ExportJobSchema
from shelter_monitor.auth.policy import Action, require
from shelter_monitor.downloads.jobs import ExportJob, find_job, start_export_job
from shelter_monitor.downloads.service import FORMATS, LAYOUT_DEFAULTS, record_export
from shelter_monitor.extensions import db

blueprint = api_blueprint("api_exports", "Exports (data files, deck, report) as jobs")


def _job(job: ExportJob) -> dict:
    ready = job.status == "done"
    return {"id": job.id, "kind": job.kind, "status": job.status,
            "file": url_for("api_exports.export_file", job_id=job.id) if ready else None}


@blueprint.post("/rounds/<int:round_id>/exports")
@blueprint.arguments(ExportInput)
@blueprint.response(202, ExportJobSchema, headers={"Location": {"description": "The job's status",
                                                                 "schema": {"type": "string"}}})
@errors(blueprint, *WRITE_ERRORS)
def start_export(values, round_id: int):
    """Start an export of the round, nationally (region null) or of one region, as the export page would."""
    round_ = load_round(round_id)
    region = load_region(values["region"]) if values["region"] else None
    require(current_user, Action.EXPORT, region)
    layout = dict(LAYOUT_DEFAULTS)
    record_export(current_user, round_, region, values["kind"], values["language"], values["multi"], "job", layout)
    db.session.commit()
    job = start_export_job(current_app._get_current_object(), current_user.id, round_.id, values["region"],
                           values["language"], values["kind"], values["multi"], layout)
    return _job(job), 202, {"Location": url_for("api_exports.export_status", job_id=job.id)}


@blueprint.get("/exports/<code:job_id>")
@blueprint.response(200, ExportJobSchema)
@errors(blueprint, *READ_ERRORS)
def export_status(job_id: str):
    """The job's status (running, done, failed) and, once done, where its file is."""
    return _job(find_job(job_id, current_user.id) or abort(404))


@blueprint.get("/exports/<code:job_id>/file")
@blueprint.response(200, content_type="application/octet-stream", description="The file (its own media type)")
@errors(blueprint, 401, 404, 429)
def export_file(job_id: str):
    """The finished file (404 while running, failed, expired, or another user's)."""
    job = find_job(job_id, current_user.id, with_file=True) or abort(404)
    if job.status != "done" or job.content is None:
        abort(404)
    return send_file(io.BytesIO(job.content), mimetype=FORMATS[job.kind][1], as_attachment=True,
                     download_name=job.download_name)
