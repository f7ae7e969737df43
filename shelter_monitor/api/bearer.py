"""`Authorization: Bearer <token>` on /api/ paths: the token's user becomes `current_user` (a Flask-Login request
loader), so the one policy decides what it may do, as on the pages.

- On an /api/ path a Bearer header decides alone: the session cookie is not read (`unless_bearer`).
- A revoked or expired token, or one whose user is deactivated, is no user: the API answers 401 at once.
- A read-only token may read only (403 on a write); a token is throttled by its own counters (API_LIMIT_PER_TOKEN).
- CSRF: a request made with a token carries no cookie a third-party page could ride on, so it needs no CSRF
  token; a write through a logged-in browser session on the API is checked as a form post is.
- Every write through the API is audited (`api.write`: method, path, token) in the transaction of the write.
"""
from collections.abc import Callable

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user
from werkzeug.exceptions import Forbidden, Unauthorized

from shelter_monitor.api.models import ApiToken
from shelter_monitor.api.tokens import usable_token
from shelter_monitor.audit.service import record_event
from shelter_monitor.auth.models import User
from shelter_monitor.auth.throttle import limiter
from shelter_monitor.extensions import csrf

API_PREFIX = "/api/"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_secret() -> str | None:
    """The token of an /api/ request's `Authorization: Bearer` header; None elsewhere or without one."""
    if not request.path.startswith(API_PREFIX):
        return None
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


def user_from_bearer(_request) -> User | None:
    """Flask-Login's request loader: the user of a usable token presented on an /api/ path."""
    secret = bearer_secret()
    if not secret:
        return None
    token = usable_token(secret)
    if token is None:
        return None
    g.api_token = token
    return token.user


def unless_bearer(session_loader: Callable[[str], User | None]) -> Callable[[str], User | None]:
    """The session's user loader, skipped on a request that presents a Bearer token (the token decides)."""
    def load(user_id: str) -> User | None:
        return None if bearer_secret() is not None else session_loader(user_id)
    return load


def current_token() -> ApiToken | None:
    """The token this request is authenticated by (None for a browser session)."""
    return g.get("api_token")


class TokenRequired(Unauthorized):
    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", 'Bearer realm="api"')]


def require_api_user() -> None:
    """Before every API view: a user (401 otherwise: no token, an unknown, revoked or expired one, a deactivated
    user); a write needs a read-write token (403) or, through a browser session, its CSRF token; writes are
    audited."""
    if not current_user.is_authenticated:
        raise TokenRequired(_("A valid API token is required (Authorization: Bearer ...)."))
    if request.method in SAFE_METHODS:
        return
    token = current_token()
    if token is None:
        if current_app.config["WTF_CSRF_ENABLED"]:
            csrf.protect()
    elif not token.can_write:
        raise Forbidden(_("This token is read-only."))
    record_event(current_user, "api.write", details={
        "method": request.method, "path": request.path, "token": token.prefix if token else None})


def rate_key() -> str:
    """Who a request counts against: its token, else its logged-in user, else its address."""
    if current_user.is_authenticated:
        token = current_token()
        return f"api-token:{token.id}" if token else f"api-user:{current_user.id}"
    return f"api-address:{get_remote_address()}"


def protect_api_blueprint(blueprint) -> None:
    """Token or session required, read-only tokens refused writes, CSRF as described above, throttled per token."""
    csrf.exempt(blueprint)
    blueprint.before_request(require_api_user)
    limiter.limit(lambda: current_app.config["API_LIMIT_PER_TOKEN"], key_func=rate_key)(blueprint)
