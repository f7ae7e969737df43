from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from shelter_monitor.audit.forms import ACTION_LABELS, AuditFilterForm
from shelter_monitor.audit.service import filtered_entries, recorded_actions
from shelter_monitor.auth.models import User
from shelter_monitor.auth.policy import Action, require
from shelter_monitor.extensions import db

blueprint = Blueprint("audit", __name__)
PAGE_SIZE = 100


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    users = db.session.execute(select(User.id, User.name, User.email).order_by(User.name, User.id)).all()
    form.user.choices = [("", _("Everyone"))] + [(str(id_), f"{name} ({email})") for id_, name, email in users]
    actions = sorted(set(recorded_actions()) | set(ACTION_LABELS))
    form.action.choices = [("", _("Every action"))] + [(a, ACTION_LABELS.get(a, a)) for a in actions]
    return form


@blueprint.get("/audit")
@login_required
def audit_log():
    require(current_user, Action.VIEW_AUDIT)
    form = _filter_form()
    if not form.validate():
        return render_template("audit/log.html", form=form, page=None, labels=ACTION_LABELS), 400
    statement = filtered_entries(int(form.user.data) if form.user.data else None, form.action.data or None,
                                 form.start.data, form.end.data)
    page = db.paginate(statement, page=form.page.data or 1, per_page=PAGE_SIZE, error_out=False)
    return render_template("audit/log.html", form=form, page=page, labels=ACTION_LABELS, filters=form.filters())
