from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from shelter_monitor.audit.service import record_event
from shelter_monitor.auth.forms import ChangePasswordForm, LoginForm, SetPasswordForm
from shelter_monitor.auth.redirects import safe_next
from shelter_monitor.auth.service import (
    LoginResult,
    UserError,
    authenticate,
    change_password,
    use_password_link,
    valid_password_link,
)
from shelter_monitor.auth.sessions import (
    current_session_hash,
    delete_expired_sessions,
    end_all_sessions,
    end_session,
    sessions_of,
    start_session,
)
from shelter_monitor.extensions import db

blueprint = Blueprint("auth", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        result, user = authenticate(form.email.data, form.password.data, request.remote_addr or "")
        if result is LoginResult.OK:
            delete_expired_sessions()
            _begin_session(user)
            db.session.commit()
            return redirect(safe_next(request.args.get("next")))
        db.session.commit()
        flash(_("Wrong email or password, or too many attempts: wait a minute and try again."), "error")
    return render_template("auth/login.html", form=form)


def _begin_session(user) -> None:
    """A new server-side session (fresh cookie contents and CSRF token) logged in as the user."""
    start_session(user)
    login_user(user)


@blueprint.post("/logout")
@login_required
def logout():
    record_event(current_user, "auth.logout")
    end_session()
    logout_user()
    db.session.commit()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@blueprint.post("/language/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        session.permanent = True
    return redirect(safe_next(request.form.get("next")))


@blueprint.route("/account", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except UserError as error:
            form[error.field].errors.append(error.message)
        else:
            _begin_session(current_user._get_current_object())
            db.session.commit()
            flash(_("Your password is changed. Your other sessions have ended."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, sessions=sessions_of(current_user),
                           this_session=current_session_hash())


@blueprint.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    record_event(current_user, "auth.logout_everywhere")
    end_all_sessions(current_user)
    logout_user()
    session.clear()
    db.session.commit()
    flash(_("You have logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@blueprint.route("/password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The page a one-time invitation or reset link opens."""
    link = valid_password_link(token)
    if link is None:
        return render_template("auth/link_expired.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            use_password_link(token, form.password.data)
        except UserError as error:
            form[error.field].errors.append(error.message)
        else:
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            db.session.commit()
            flash(_("Your password is set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, user=link.user)
