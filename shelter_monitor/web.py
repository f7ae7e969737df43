"""Wiring of the web application: logging, extensions, blueprints, error pages, security headers, template helpers."""
import time
from pathlib import Path

from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from shelter_monitor.admin.views import blueprint as admin
from shelter_monitor.api.bearer import unless_bearer, user_from_bearer
from shelter_monitor.api.problems import is_api_request, problem_from_exception
from shelter_monitor.api.v1 import register_api
from shelter_monitor.api.views import blueprint as tokens
from shelter_monitor.audit.views import blueprint as audit
from shelter_monitor.auth.policy import Action, Refused, can
from shelter_monitor.auth.sessions import load_session_user
from shelter_monitor.auth.throttle import limiter
from shelter_monitor.auth.views import blueprint as auth
from shelter_monitor.availability.views import blueprint as availability
from shelter_monitor.cli.backup import backup_cli
from shelter_monitor.cli.commands import (
    demo_cli,
    export_command,
    import_cli,
    programme_cli,
    results_cli,
    rules_cli,
    users_cli,
)
from shelter_monitor.cli.questionnaire import questionnaire_cli
from shelter_monitor.cli.tokens import tokens_cli
from shelter_monitor.cli.worker import worker_command
from shelter_monitor.dashboards.views import blueprint as dashboards
from shelter_monitor.directory.views import blueprint as directory
from shelter_monitor.downloads.jobs import warn_if_in_process
from shelter_monitor.downloads.views import blueprint as downloads
from shelter_monitor.extensions import babel, csrf, db, login_manager, migrate
from shelter_monitor.formatting import (
    format_date,
    format_datetime,
    format_decimal,
    format_figure,
    format_number,
    format_percent,
)
from shelter_monitor.health.views import ENDPOINTS as HEALTH_ENDPOINTS
from shelter_monitor.health.views import blueprint as health
from shelter_monitor.i18n import rendered
from shelter_monitor.inputs import (
    BadInput,
    CheckedRequest,
    DatabaseIntConverter,
    guard_request,
    size_limit_text,
)
from shelter_monitor.logs import configure_logger, request_line
from shelter_monitor.programmes.views import blueprint as programmes
from shelter_monitor.questionnaire.answers import use_translations
from shelter_monitor.questionnaire.display import format_answer
from shelter_monitor.questionnaire.loader import use_stored_definitions
from shelter_monitor.questionnaire.model import localize
from shelter_monitor.questionnaire.versions import DatabaseDefinitions
from shelter_monitor.questionnaire.views import blueprint as questionnaire
from shelter_monitor.recommendations.views import blueprint as recommendations
from shelter_monitor.responses.views import blueprint as responses
from shelter_monitor.rounds.views import blueprint as rounds
from shelter_monitor.shelters.views import blueprint as shelters

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = ROOT / "migrations"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

PRIVATE_ANONYMOUS = {"auth.login", "auth.set_password"}  # pages no cache may keep, though nobody is logged in yet
NO_USER = {"static"} | HEALTH_ENDPOINTS  # answered without loading who is logged in (a health check needs no query)


def register_logging(app: Flask) -> None:
    """LOG_LEVEL and LOG_FORMAT for the app's logger (unhandled errors with their traceback go there), and one line
    per request; first, so that a request refused by a later hook is timed and logged too."""
    configure_logger(app.logger, app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    app.before_request(_start_timer)
    app.after_request(_log_request)
    warn_if_in_process(app)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _log_request(response):
    started = g.get("request_started")
    duration_ms = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    user = "-"
    if request.endpoint not in NO_USER and current_user.is_authenticated:
        user = str(current_user.id)
    request_line(current_app.logger.getChild("request"), request.method, request.path, response.status_code,
                 duration_ms, user)
    return response


def register_input_guards(app: Flask) -> None:
    """Before the blueprints and the CSRF check: bounded `<int:...>` ids, checked parameters, the request guard."""
    app.request_class = CheckedRequest
    app.url_map.converters["int"] = DatabaseIntConverter
    app.before_request(guard_request)


def register_extensions(app: Flask) -> None:
    register_logging(app)
    register_input_guards(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=current_language)
    use_translations(_, get_locale)  # the questionnaire's messages and texts in the reader's language
    use_stored_definitions(DatabaseDefinitions())  # versions imported from XLSForm, beside the shipped ones
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = _l("Log in to see this page.")  # Flask-Login's own text is English only
    login_manager.user_loader(unless_bearer(load_session_user))  # on /api/ paths a Bearer token decides alone
    login_manager.request_loader(user_from_bearer)
    limiter.init_app(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)
    app.before_request(_load_session_user)
    app.after_request(_security_headers)
    app.jinja_env.globals.update(can=_can, Action=Action, tr=_translate)
    app.context_processor(lambda: {"locale": _locale()})
    app.add_template_filter(_answer_filter, "answer")
    app.add_template_filter(_message_filter, "message")
    register_format_filters(app)


def register_format_filters(app: Flask) -> None:
    """Numbers, percentages and dates in the reader's language (shelter_monitor.formatting with the current
    locale): `{{ x|number }}`, `{{ x|decimal(1) }}`, `{{ share|percent }}`, `{{ day|date('long') }}`,
    `{{ moment|datetime('short') }}`, `{{ value|figure(kind) }}`."""
    app.add_template_filter(lambda value, places=None: format_number(value, _locale(), places), "number")
    app.add_template_filter(lambda value, places=1: format_decimal(value, _locale(), places), "decimal")
    app.add_template_filter(lambda share, places=0: format_percent(share, _locale(), places), "percent")
    app.add_template_filter(lambda day, format="medium": format_date(day, _locale(), format), "date")
    app.add_template_filter(lambda moment, format="medium": format_datetime(moment, _locale(), format),
                            "datetime")
    app.add_template_filter(lambda value, kind: format_figure(value, kind, _locale()), "figure")


def current_language() -> str:
    """The language chosen with the switch (kept in the session), else the configured default."""
    chosen = session.get("language") if has_request_context() else None
    return chosen if chosen in current_app.config["LANGUAGES"] else current_app.config["BABEL_DEFAULT_LOCALE"]


def _load_session_user() -> None:
    """Settle who is logged in before any view runs, so the session's bookkeeping write is its own commit.
    Static files need no user (and no query)."""
    if request.endpoint not in NO_USER:
        current_user._get_current_object()


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if current_app.config["SESSION_COOKIE_SECURE"] and current_app.config["HSTS_SECONDS"]:
        response.headers["Strict-Transport-Security"] = f"max-age={current_app.config['HSTS_SECONDS']}"
    if request.endpoint not in NO_USER and (current_user.is_authenticated or request.endpoint in PRIVATE_ANONYMOUS):
        response.headers["Cache-Control"] = "no-store"
    return response


def _locale() -> str:
    return str(get_locale() or "en")


def _can(action: Action, obj=None) -> bool:
    """Templates ask the policy through this, for the logged-in user."""
    return can(current_user, action, obj)


def _translate(label) -> str:
    """A {"en", "uk"} label from the definition in the reader's language."""
    return localize(label, _locale()) if label else ""


def _answer_filter(value, question) -> str:
    return format_answer(question, value, _locale())


def _message_filter(message) -> str:
    """A plain module's Message (an import's problem) in the reader's language; other text as it is."""
    return rendered(message, get_translations(), _locale())


def register_blueprints(app: Flask) -> None:
    for blueprint in (auth, shelters, rounds, responses, recommendations, dashboards, availability, downloads,
                      programmes, admin, audit, health, tokens, directory, questionnaire):
        app.register_blueprint(blueprint)
    register_api(app)
    csrf.exempt(health)
    limiter.exempt(health)


def register_errorhandlers(app: Flask) -> None:
    def render_error(error):
        if is_api_request():
            return problem_from_exception(error)
        db.session.rollback()  # a failed statement must not make the page itself fail (PendingRollbackError)
        code = getattr(error, "code", 500)
        message = None
        if isinstance(error, BadInput):
            message = error.description
        elif isinstance(error, Refused):
            message = error.reason  # what locks the object (None: the role, said by the page itself)
        limit = size_limit_text() if code == 413 else None
        return render_template("errors/error.html", code=code, message=message, limit=limit), code

    def render_csrf_error(error):
        """An expired session: log in again and come back to the page, where the browser restores the answers
        typed there; nothing of the refused submission is stored."""
        if is_api_request():
            return problem_from_exception(error)
        db.session.rollback()
        if not current_user.is_authenticated:
            flash(_("Your session has expired. Log in again: the answers you typed are kept on this device."), "info")
            return redirect(url_for("auth.login", next=request.path))
        return render_template("errors/csrf.html", back=request.path), 400

    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, render_error)
    app.register_error_handler(CSRFError, render_csrf_error)


def register_cli(app: Flask) -> None:
    for group in (users_cli, demo_cli, rules_cli, export_command, import_cli, results_cli, programme_cli,
                  backup_cli, worker_command, tokens_cli, questionnaire_cli):
        app.cli.add_command(group)
