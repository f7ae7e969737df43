from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from shelter_monitor.auth.forms import LoginForm
from shelter_monitor.auth.service import LoginResult, authenticate
from shelter_monitor.extensions import db

blueprint = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("shelters.home")


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        result, user = authenticate(form.email.data, form.password.data)
        db.session.commit()
        if result is LoginResult.OK:
            login_user(user)
            session.permanent = True
            return redirect(_safe_next(request.args.get("next")))
        if result is LoginResult.LOCKED:
            flash(_("Too many failed attempts. Try again in %(minutes)d minutes.",
                    minutes=current_app.config["LOGIN_LOCK_MINUTES"]), "error")
        else:
            flash(_("Wrong email or password."), "error")
    return render_template("auth/login.html", form=form)


@blueprint.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@blueprint.post("/language/<code>")
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
        session.permanent = True
    return redirect(_safe_next(request.form.get("next")))
