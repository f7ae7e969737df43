"""Blueprints whose every page needs a logged-in user register `require_login` as their before_request."""
from flask_login import current_user

from shelter_monitor.extensions import login_manager


def require_login():
    """Send an anonymous visitor to the login page (and back here afterwards)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None
