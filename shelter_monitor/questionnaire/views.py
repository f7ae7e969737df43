import io

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, require
from shelter_monitor.questionnaire.loader import available_versions
from shelter_monitor.questionnaire.service import XLSX_MIMETYPE, xlsform_file

blueprint = Blueprint("questionnaire", __name__, url_prefix="/questionnaires")
blueprint.before_request(require_login)


@blueprint.get("")
def list_versions():
    require(current_user, Action.MANAGE_QUESTIONNAIRES)
    return render_template("questionnaire/versions.html", versions=available_versions())


@blueprint.get("/<version>/xlsform")
def download_xlsform(version: str):
    require(current_user, Action.MANAGE_QUESTIONNAIRES)
    if version not in available_versions():
        abort(404)
    content, name = xlsform_file(version)
    return send_file(io.BytesIO(content), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name)
