"""/healthz and /readyz answer without login and reveal nothing; one log line per request, without query strings."""
import json
import logging

import pytest

from shelter_monitor import create_app
from shelter_monitor.auth.models import Role
from shelter_monitor.logs import JsonFormatter, OwnHandler, TextFormatter
from tests.conftest import app_config

CLOSED_PORT = "postgresql://postgres@127.0.0.1:1/nothing_listens_here"


def test_healthz_answers_ok_without_login(client):
    response = client.get("/healthz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok")
    assert "Set-Cookie" not in response.headers


def test_readyz_answers_ok_when_the_database_does(client):
    response = client.get("/readyz")
    assert (response.status_code, response.get_data(as_text=True)) == (200, "ok")


def test_readyz_is_503_when_the_database_is_unreachable():
    response = create_app(app_config(CLOSED_PORT)).test_client().get("/readyz")
    assert (response.status_code, response.get_data(as_text=True)) == (503, "unavailable")  # no error text


def test_readyz_is_503_when_the_configured_redis_is_unreachable(database_url):
    app = create_app(app_config(database_url, REDIS_URL="redis://127.0.0.1:1/0"))
    assert app.test_client().get("/readyz").status_code == 503


def test_health_checks_need_no_csrf_token_nor_session(database_url):
    app = create_app(app_config(database_url, WTF_CSRF_ENABLED=True))
    client = app.test_client()
    client.set_cookie("session", "not-a-valid-session-cookie")
    assert [client.get(url).status_code for url in ("/healthz", "/readyz")] == [200, 200]


def test_health_checks_are_not_counted_as_login_attempts(database_url, make):
    app = create_app(app_config(database_url, LOGIN_LIMIT_PER_ADDRESS="2 per minute"))
    client = app.test_client()
    for _ in range(5):
        assert client.get("/readyz").status_code == 200
    monitor = make.user(Role.MONITOR)
    response = client.post("/login", data={"email": monitor.email, "password": "correct horse battery"})
    assert response.status_code == 302


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records = []

    def emit(self, record):
        self.records.append(record)

    @property
    def text(self):
        return "\n".join(TextFormatter().format(record) for record in self.records)


@pytest.fixture
def request_log(app):
    """The records of the app's logger, as its own handlers get them."""
    handler = Records()
    app.logger.addHandler(handler)
    yield handler
    app.logger.removeHandler(handler)


def test_each_request_is_one_line_with_method_path_status_duration_and_user(client, login_as, request_log):
    user = login_as(Role.COORDINATOR)
    request_log.records.clear()
    client.get("/shelters?q=Some+Secret+Name&region=UA-46")
    client.get("/no-such-page?token=secret")
    lines = [r for r in request_log.records if r.name.endswith(".request")]
    assert [(r.request["method"], r.request["path"], r.request["status"], r.request["user"]) for r in lines] == [
        ("GET", "/shelters", 200, str(user.id)), ("GET", "/no-such-page", 404, str(user.id))]
    assert all(isinstance(r.request["duration_ms"], float) for r in lines)
    text = request_log.text
    assert "GET /shelters 200 " in text and " ms user=" in text
    assert "Secret" not in text and "token" not in text and "?" not in text


def test_an_anonymous_request_logs_a_dash_and_the_json_format_has_the_fields(client, request_log):
    client.get("/login?next=/shelters")
    record = next(r for r in request_log.records if r.name.endswith(".request"))
    entry = json.loads(JsonFormatter().format(record))
    assert {key: entry[key] for key in ("method", "path", "status", "user")} == {
        "method": "GET", "path": "/login", "status": 200, "user": "-"}
    assert "next" not in json.dumps(entry)


def test_an_unhandled_error_is_logged_with_its_traceback(database_url):
    app = create_app(app_config(database_url, TESTING=False))

    @app.get("/boom")
    def boom():
        raise RuntimeError("deliberate failure")

    log = Records()
    app.logger.addHandler(log)
    try:
        response = app.test_client().get("/boom?secret=1")
    finally:
        app.logger.removeHandler(log)
    assert response.status_code == 500
    error = next(r for r in log.records if r.exc_info)
    assert "Traceback" in log.text and "deliberate failure" in log.text and "secret" not in log.text
    assert "RuntimeError" in json.loads(JsonFormatter().format(error))["traceback"]
    assert any(r.name.endswith(".request") and r.request["status"] == 500 for r in log.records)


def test_log_level_and_format_come_from_the_configuration(database_url):
    app = create_app(app_config(database_url, LOG_LEVEL="WARNING", LOG_FORMAT="json"))
    assert app.logger.level == logging.WARNING
    assert [type(h.formatter) for h in app.logger.handlers if isinstance(h, OwnHandler)] == [JsonFormatter]
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        create_app(app_config(database_url, LOG_FORMAT="xml"))
