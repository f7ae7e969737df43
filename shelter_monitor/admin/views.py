"""Administration of user accounts (shelters and rounds have their own pages, guarded the same way)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from shelter_monitor.api.tokens import tokens_of
from shelter_monitor.auth.forms import ROLE_LABELS, UserForm
from shelter_monitor.auth.models import User
from shelter_monitor.auth.policy import Action, require
from shelter_monitor.auth.service import (
    PASSWORD_LINK_HOURS,
    LinkPurpose,
    UserError,
    all_users,
    create_user,
    issue_password_link,
    mail_password_link,
    update_user,
)
from shelter_monitor.collation import collated
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from shelter_monitor.regions.service import all_regions, region_by_iso
from shelter_monitor.shelters.models import Shelter

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.before_request
@login_required
def _admins_only():
    require(current_user, Action.MANAGE_USERS)


def _user_form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user, region=user.region.iso_code if user and user.region else "",
                    shelter=user.shelter_id if user and user.shelter_id else 0)
    locale = str(get_locale())
    form.region.choices = [("", "—")] + [(r.iso_code, r.name(locale)) for r in all_regions(locale)]
    shelters = collated(db.session.scalars(select(Shelter)), key=lambda shelter: shelter.name)
    form.shelter.choices = [(0, "—")] + [(s.id, s.name) for s in shelters]
    return form


@blueprint.get("/users")
def list_users():
    return render_template("admin/users.html", users=db.session.scalars(all_users()).all(), roles=ROLE_LABELS)


@blueprint.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = _user_form()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.name.data, None, form.role.data,
                               region_by_iso(form.region.data or ""), actor=current_user,
                               shelter=db.session.get(Shelter, form.shelter.data or 0))
        except UserError as error:
            form[error.field].errors.append(error.message)
        else:
            return _password_link_page(user, LinkPurpose.INVITATION)
    return render_template("admin/user_edit.html", form=form, user=None)


@blueprint.post("/users/<int:user_id>/password-link")
def password_link(user_id: int):
    """A one-time link for the user to set a new password (the admin never types one for somebody)."""
    user = db.session.get(User, user_id) or abort(404)
    return _password_link_page(user, LinkPurpose.RESET)


def _password_link_page(user: User, purpose: LinkPurpose):
    token = issue_password_link(user, current_user, purpose)
    db.session.commit()
    url = url_for("auth.set_password", token=token, _external=True)
    mailed = mail_password_link(user, url, purpose)
    return render_template("admin/password_link.html", user=user, url=url, mailed=mailed, purpose=purpose,
                           hours=PASSWORD_LINK_HOURS)


@blueprint.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = _user_form(user)
    del form.email
    if form.validate_on_submit():
        try:
            update_user(user, form.name.data, form.role.data, region_by_iso(form.region.data or ""),
                        form.active.data, current_user, shelter=db.session.get(Shelter, form.shelter.data or 0))
        except UserError as error:
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            flash(_("User saved."), "success")
            return redirect(url_for("admin.list_users"))
    return render_template("admin/user_edit.html", form=form, user=user, tokens=tokens_of(user), now=utcnow())

