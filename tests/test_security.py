"""CSRF, security headers, session cookies, password hashing and login throttling."""
import pytest

from shelter_monitor import create_app
from shelter_monitor.auth.models import Role
from shelter_monitor.extensions import db
from tests.conftest import PASSWORD, app_config, login


@pytest.fixture
def csrf_client(database_url, app):
    return create_app(app_config(database_url, WTF_CSRF_ENABLED=True)).test_client()


def _csrf_token(client, url="/login"):
    page = client.get(url).get_data(as_text=True)
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_login_without_csrf_token_is_refused(csrf_client, make):
    user = make.user(Role.ADMIN)
    response = csrf_client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.location.startswith("/login")
    assert csrf_client.get("/shelters").status_code == 302  # still not logged in


def test_questionnaire_save_without_csrf_token_is_refused(csrf_client, make):
    from shelter_monitor.responses.models import Response
    from shelter_monitor.responses.service import start_response

    monitor = make.user(Role.MONITOR)
    response = start_response(make.shelter(monitors=[monitor]), make.round(), monitor)
    db.session.commit()
    csrf_client.post("/login", data={"email": monitor.email, "password": PASSWORD,
                                     "csrf_token": _csrf_token(csrf_client)})
    page = csrf_client.post(f"/responses/{response.id}/sections/C", data={"version": "1", "C1": "5"})
    assert page.status_code == 400 and "Back to the page" in page.get_data(as_text=True)
    assert "C1" not in db.session.get(Response, response.id).answers


def test_login_with_csrf_token_works(csrf_client, make):
    user = make.user(Role.ADMIN)
    response = csrf_client.post("/login", data={"email": user.email, "password": PASSWORD,
                                                "csrf_token": _csrf_token(csrf_client)})
    assert response.status_code == 302


def test_security_headers_and_cookie_flags(client, make):
    user = make.user(Role.ADMIN)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_pages_have_no_inline_script(client, login_as):
    login_as(Role.ADMIN)
    for url in ("/shelters", "/rounds", "/admin/users", "/audit"):
        page = client.get(url).get_data(as_text=True)
        scripts = [chunk for chunk in page.split("<script")[1:] if 'type="application/json"' not in chunk[:60]]
        assert all(chunk.lstrip().startswith("src=") for chunk in scripts), url
        assert " style=" not in page, url


def test_passwords_are_stored_with_a_slow_hash(app, make):
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}).config[
        "PASSWORD_HASH_METHOD"] == "scrypt"
    user = make.user(Role.MONITOR)
    assert PASSWORD not in user.password_hash and user.password_hash.startswith("pbkdf2:sha256")


def test_deactivated_user_cannot_log_in(client, make):
    user = make.user(Role.MONITOR)
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200 and "Wrong email or password" in response.get_data(as_text=True)


def test_unknown_page_is_a_friendly_404(client, login_as):
    login_as(Role.ADMIN)
    response = client.get("/shelters/999999")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_logout_needs_a_post(client, login_as):
    login_as(Role.ADMIN)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/shelters").status_code == 302


def test_login_page_itself(client):
    assert client.get("/login").status_code == 200


def test_logged_in_helper_works(client, make):
    login(client, make.user(Role.MINISTRY))
    assert client.get("/shelters").status_code == 200
