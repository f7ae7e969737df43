from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from shelter_monitor.audit.service import recent_entries
from shelter_monitor.auth.policy import Action, require
from shelter_monitor.extensions import db

blueprint = Blueprint("audit", __name__)
PAGE_SIZE = 100


@blueprint.get("/audit")
@login_required
def audit_log():
    require(current_user, Action.VIEW_AUDIT)
    page = db.paginate(recent_entries(), page=request.args.get("page", 1, type=int), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("audit/log.html", page=page)
