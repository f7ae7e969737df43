"""Sessions end on the server: logout, password change, deactivation, "log out everywhere", idle time and
lifetime; a fresh session and CSRF token at login; only same-site redirects after login or a language switch."""
import datetime as dt

import pytest
from sqlalchemy import update

from shelter_monitor import create_app
from shelter_monitor.auth.models import LoginSession, Role
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from tests.conftest import PASSWORD, IsolatedClient, app_config, login


def _replay(app, cookie_value: str, user_agent: str = "Another browser/1.0"):
    thief = app.test_client()
    thief.set_cookie("session", cookie_value)
    return thief.get("/review", headers={"User-Agent": user_agent})


def test_a_cookie_copied_before_logout_is_refused_after_it(app, client, make):
    coordinator = make.user(Role.COORDINATOR)
    login(client, coordinator)
    copied = client.get_cookie("session").value
    assert _replay(app, copied).status_code == 200  # the copy works while the session lives
    client.post("/logout")
    response = _replay(app, copied)
    assert response.status_code == 302 and "/login" in response.location


def test_logout_ends_only_this_browser(app, make):
    coordinator = make.user(Role.COORDINATOR)
    phone, desktop = app.test_client(), app.test_client()
    login(phone, coordinator)
    login(desktop, coordinator)
    phone.post("/logout")
    assert desktop.get("/review").status_code == 200


def test_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, make):
    coordinator = make.user(Role.COORDINATOR)
    other = app.test_client()
    login(other, coordinator)
    login(client, coordinator)
    page = client.post("/account", data={"current_password": PASSWORD, "new_password": "a new long passphrase",
                                         "repeat_password": "a new long passphrase"})
    assert page.status_code == 302
    assert client.get("/review").status_code == 200
    assert other.get("/review").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": coordinator.email, "password": PASSWORD}).status_code == 200
    assert fresh.post("/login", data={"email": coordinator.email,
                                      "password": "a new long passphrase"}).status_code == 302


def test_password_change_needs_the_current_password_and_a_good_new_one(client, login_as):
    login_as(Role.MONITOR)
    page = client.post("/account", data={"current_password": "not it at all", "new_password": "a new long passphrase",
                                         "repeat_password": "a new long passphrase"}).get_data(as_text=True)
    assert "not your current password" in page
    page = client.post("/account", data={"current_password": PASSWORD, "new_password": "qwertyuiop123",
                                         "repeat_password": "qwertyuiop123"}).get_data(as_text=True)
    assert "among the most common" in page
    page = client.post("/account", data={"current_password": PASSWORD, "new_password": "a new long passphrase",
                                         "repeat_password": "another long phrase"}).get_data(as_text=True)
    assert "differ" in page


def test_deactivation_by_an_admin_ends_every_session(app, client, make):
    coordinator = make.user(Role.COORDINATOR)
    login(client, coordinator)
    admin = app.test_client()
    login(admin, make.user(Role.ADMIN))
    admin.post(f"/admin/users/{coordinator.id}", data={"name": coordinator.name, "role": "coordinator",
                                                       "region": "", "shelter": "0"})
    assert client.get("/review").status_code == 302
    assert db.session.query(LoginSession).filter_by(user_id=coordinator.id).count() == 0


def test_log_out_everywhere(app, client, make):
    coordinator = make.user(Role.COORDINATOR)
    other = app.test_client()
    login(other, coordinator)
    login(client, coordinator)
    assert "Log out everywhere" in client.get("/account").get_data(as_text=True)
    client.post("/account/logout-everywhere")
    assert client.get("/review").status_code == 302
    assert other.get("/review").status_code == 302


@pytest.mark.parametrize("column, age", [("last_seen_at", dt.timedelta(hours=8, minutes=1)),
                                         ("created_at", dt.timedelta(days=7, minutes=1))])
def test_an_idle_or_old_session_ends(client, make, column, age):
    coordinator = make.user(Role.COORDINATOR)
    login(client, coordinator)
    assert client.get("/review").status_code == 200
    db.session.execute(update(LoginSession).values({column: utcnow() - age}))
    db.session.commit()
    assert client.get("/review").status_code == 302


def test_a_session_in_use_stays(client, make):
    coordinator = make.user(Role.COORDINATOR)
    login(client, coordinator)
    db.session.execute(update(LoginSession).values(last_seen_at=utcnow() - dt.timedelta(hours=7, minutes=59)))
    db.session.commit()
    assert client.get("/review").status_code == 200
    assert client.get("/review").status_code == 200  # the request above counted as use


def test_login_renews_the_session_and_the_csrf_token(database_url, app, make):
    csrf_app = create_app(app_config(database_url, WTF_CSRF_ENABLED=True))
    csrf_app.test_client_class = IsolatedClient
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with client.session_transaction() as before:
        old_csrf = before["csrf_token"]
    user = make.user(Role.ADMIN)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    with client.session_transaction() as after:
        assert after.get("csrf_token") != old_csrf
        assert after["login_token"]


OPEN_REDIRECTS = ["//evil.example", "/\\evil.example", "/\t/evil.example", "/\r/x", "/\n/x", "https://evil.example",
                  "///evil.example", "/%2F%2Fevil.example/../", " //evil.example", "javascript:alert(1)",
                  "/\\/evil.example", "/\x00/evil"]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_login_never_redirects_off_site(client, make, target):
    user = make.user(Role.ADMIN)
    response = client.post("/login", query_string={"next": target},
                           data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (302, 400)  # 400: the input guard refuses a NUL in any parameter
    if response.status_code == 302:
        assert response.location.startswith("/") and not response.location.startswith(("//", "/\\"))
        assert not any(ord(c) < 0x21 for c in response.location)


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.post("/language/en", data={"next": target})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response.location.startswith("/") and not response.location.startswith(("//", "/\\"))


def test_a_same_site_next_is_followed(client, make):
    user = make.user(Role.ADMIN)
    response = client.post("/login?next=/rounds%3Fpage%3D2", data={"email": user.email, "password": PASSWORD})
    assert response.location == "/rounds?page=2"


def test_authenticated_pages_are_not_cached_and_https_settings_go_together(database_url, app, make):
    secure_app = create_app(app_config(database_url, SESSION_COOKIE_SECURE=True))
    secure_app.test_client_class = IsolatedClient
    client = secure_app.test_client()
    response = client.post("/login", data={"email": make.user(Role.ADMIN).email, "password": PASSWORD})
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    page = client.get("/shelters")
    assert page.headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get("/static/css/app.css").headers or \
        "no-store" not in client.get("/static/css/app.css").headers["Cache-Control"]


def test_plain_http_settings_send_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_a_user_agent_with_control_characters_is_stored_without_them(client, make):
    user = make.user(Role.ADMIN)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD},
                           headers={"User-Agent": "Evil\x00Agent\x1b"})
    assert response.status_code == 302
    assert db.session.query(LoginSession.user_agent).scalar() == "EvilAgent"


def test_the_log_in_prompt_is_in_the_reader_s_language(client):
    client.post("/language/uk", data={"next": "/"})
    page = client.get("/review", follow_redirects=True).get_data(as_text=True)
    assert "Увійдіть, щоб побачити цю сторінку." in page and "Please log in" not in page
