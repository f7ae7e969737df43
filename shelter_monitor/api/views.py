"""The page where a user creates, lists and revokes its personal access tokens; admins revoke anyone's."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shelter_monitor.api.forms import TokenForm
from shelter_monitor.api.models import ApiToken
from shelter_monitor.api.tokens import TokenError, create_token, revoke_token, tokens_of
from shelter_monitor.auth.guard import require_login
from shelter_monitor.auth.policy import Action, require
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db

blueprint = Blueprint("tokens", __name__, url_prefix="/account/tokens")
blueprint.before_request(require_login)


@blueprint.route("", methods=["GET", "POST"])
def list_tokens():
    form = TokenForm()
    secret = None
    if form.validate_on_submit():
        try:
            _, secret = create_token(current_user, form.name.data, form.can_write.data, form.days.data)
        except TokenError as error:
            form[error.field].errors.append(error.message)
        else:
            db.session.commit()
            form = TokenForm(formdata=None)
    return render_template("api/tokens.html", form=form, secret=secret, tokens=tokens_of(current_user),
                           now=utcnow())


@blueprint.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    token = db.session.get(ApiToken, token_id) or abort(404)
    require(current_user, Action.REVOKE_API_TOKEN, token)
    revoke_token(token, current_user)
    db.session.commit()
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "success")
    if token.user_id == current_user.id:
        return redirect(url_for("tokens.list_tokens"))
    return redirect(url_for("admin.edit_user", user_id=token.user_id) + "#tokens")
