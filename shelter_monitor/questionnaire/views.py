import base64
import binascii
import io

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, require
from shelter_monitor.extensions import db
from shelter_monitor.inputs import upload_limit
from shelter_monitor.questionnaire.changes import KIND_WORDING
from shelter_monitor.questionnaire.forms import XLSFormUploadForm
from shelter_monitor.questionnaire.loader import DEFAULT_VERSION, available_versions, load_definition, parse_definition
from shelter_monitor.questionnaire.service import XLSX_MIMETYPE, xlsform_file
from shelter_monitor.questionnaire.versions import VersionError, read_xlsform, store_version, stored_versions

blueprint = Blueprint("questionnaire", __name__, url_prefix="/questionnaires")
blueprint.before_request(require_login)


@blueprint.get("")
def list_versions():
    require(current_user, Action.MANAGE_QUESTIONNAIRES)
    return render_template("questionnaire/versions.html", versions=available_versions(),
                           stored={v.version: v for v in stored_versions()}, upload=_upload_form())


@blueprint.get("/<version>/xlsform")
def download_xlsform(version: str):
    require(current_user, Action.MANAGE_QUESTIONNAIRES)
    if version not in available_versions():
        abort(404)
    content, name = xlsform_file(version)
    return send_file(io.BytesIO(content), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=name)


def _upload_form() -> XLSFormUploadForm:
    form = XLSFormUploadForm()
    form.derived_from.choices = [(v, v) for v in available_versions()]
    form.derived_from.default = DEFAULT_VERSION
    if not form.is_submitted():
        form.process()
    return form


def _uploaded(form: XLSFormUploadForm) -> bytes | None:
    if form.file.data:
        return form.file.data.read()
    try:
        return base64.b64decode(form.content.data or "", validate=True) or None
    except (binascii.Error, ValueError):
        return None


@blueprint.post("/import")
@upload_limit("IMPORT_MAX_BYTES")
def import_xlsform():
    """Read the uploaded XLSForm and show what it changes; store it when the preview is confirmed."""
    require(current_user, Action.MANAGE_QUESTIONNAIRES)
    form = _upload_form()
    content = _uploaded(form) if form.validate_on_submit() else None
    if content is None:
        if form.is_submitted() and not form.errors:
            form.file.errors = [_("Choose an XLSForm file.")]
        return render_template("questionnaire/versions.html", versions=available_versions(),
                               stored={v.version: v for v in stored_versions()}, upload=form)
    result = read_xlsform(content, form.version.data.strip(), form.derived_from.data)
    if not result.problems and form.confirm.data == "1":
        try:
            store_version(result.definition, result.derived_from, current_user)
        except VersionError as error:
            form[error.field].errors = [error.message]
        else:
            db.session.commit()
            flash(_("Questionnaire version %(version)s stored.", version=result.version), "success")
            return redirect(url_for("questionnaire.list_versions"))
    form.content.data = base64.b64encode(content).decode("ascii")
    return render_template("questionnaire/import.html", form=form, result=result, change_wording=KIND_WORDING,
                           base=load_definition(result.derived_from),
                           new=parse_definition(result.definition) if result.definition else None)
