"""Personal access tokens: made on the page or the command line, shown once, stored as a hash; a token acts as its
user until it is revoked, expires or its user is deactivated; a read-only token cannot write."""
import datetime as dt
import re

from sqlalchemy import select

from shelter_monitor.api.models import ApiToken
from shelter_monitor.api.tokens import create_token, token_hash
from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.auth.models import Role
from shelter_monitor.auth.service import set_active
from shelter_monitor.extensions import db
from tests.api.helpers import bearer
from tests.conftest import login

TOKEN = re.compile(r"smt_[A-Za-z0-9_-]{43}")


def test_a_token_made_on_the_page_is_shown_once_and_stored_as_a_hash(client, make):
    user = make.user(Role.MINISTRY)
    login(client, user)
    page = client.post("/account/tokens", data={"name": "Analysts", "days": "30"}).get_data(as_text=True)
    secret = TOKEN.search(page).group(0)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == token_hash(secret) and secret not in str(vars(token))
    assert token.name == "Analysts" and not token.can_write
    assert dt.timedelta(days=29) < token.expires_at - token.created_at <= dt.timedelta(days=30)
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "Analysts" in listing and token.prefix in listing and secret not in listing
    client.post("/logout")
    response = client.get("/api/v1/shelters", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200


def test_expiry_is_at_most_a_year(client, make):
    login(client, make.user(Role.MINISTRY))
    response = client.post("/account/tokens", data={"name": "x", "days": "366"})
    assert response.status_code == 200 and db.session.scalar(select(ApiToken)) is None


def test_no_token_a_wrong_one_and_a_cookie_with_a_wrong_token_get_401(client, make):
    user = make.user(Role.MINISTRY)
    assert client.get("/api/v1/shelters").status_code == 401
    response = client.get("/api/v1/shelters", headers={"Authorization": "Bearer smt_wrong"})
    assert response.status_code == 401 and response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    login(client, user)  # a Bearer header decides alone: the session cookie does not rescue a bad token
    assert client.get("/api/v1/shelters", headers={"Authorization": "Bearer smt_wrong"}).status_code == 401


def test_revoking_stops_the_token_at_once(client, make):
    user = make.user(Role.MINISTRY)
    headers = bearer(user)
    assert client.get("/api/v1/shelters", headers=headers).status_code == 200
    token = db.session.scalar(select(ApiToken))
    login(client, user)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    client.post("/logout")
    assert client.get("/api/v1/shelters", headers=headers).status_code == 401
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.action == "api_token.revoke"))


def test_an_admin_revokes_anyones_token_and_others_cannot(client, make):
    owner, other, admin = make.user(Role.MINISTRY), make.user(Role.MINISTRY), make.user(Role.ADMIN)
    headers = bearer(owner)
    token = db.session.scalar(select(ApiToken))
    login(client, other)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 403
    client.post("/logout")
    login(client, admin)
    assert token.prefix in client.get(f"/admin/users/{owner.id}").get_data(as_text=True)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert client.get("/api/v1/shelters", headers=headers).status_code == 401


def test_an_expired_token_gets_401(client, make):
    headers = bearer(make.user(Role.MINISTRY))
    token = db.session.scalar(select(ApiToken))
    token.expires_at = dt.datetime(2020, 1, 1)
    db.session.commit()
    assert client.get("/api/v1/shelters", headers=headers).status_code == 401


def test_deactivating_the_user_stops_its_tokens(client, make):
    user = make.user(Role.MINISTRY)
    headers = bearer(user)
    set_active(user, False)
    db.session.commit()
    assert client.get("/api/v1/shelters", headers=headers).status_code == 401


def test_a_read_only_token_may_not_write(client, make):
    staff_shelter = make.shelter()
    staff = make.user(Role.SHELTER_STAFF, shelter=staff_shelter)
    body = {"free_women": 1, "free_men": 0, "free_children": 0}
    url = f"/api/v1/shelters/{staff_shelter.id}/availability"
    assert client.post(url, json=body, headers=bearer(staff, write=False)).status_code == 403
    assert client.post(url, json=body, headers=bearer(staff, write=True)).status_code == 201


def test_api_writes_are_audited_with_their_token(client, make):
    shelter = make.shelter()
    staff = make.user(Role.SHELTER_STAFF, shelter=shelter)
    client.post(f"/api/v1/shelters/{shelter.id}/availability", headers=bearer(staff),
                json={"free_women": 2, "free_men": 0, "free_children": 1})
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.user_id == staff.id)).all()
    assert "api.write" in actions and "availability.update" in actions


def test_a_browser_session_writes_to_the_api_only_with_its_csrf_token(app, client, make):
    shelter = make.shelter()
    staff = make.user(Role.SHELTER_STAFF, shelter=shelter)
    login(client, staff)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/api/v1/shelters/{shelter.id}/availability",
                               json={"free_women": 2, "free_men": 0, "free_children": 1})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400 and response.mimetype == "application/problem+json"


def test_each_token_is_throttled_on_its_own(app, client, make):
    user = make.user(Role.MINISTRY)
    first, second = bearer(user), bearer(user)
    app.config["API_LIMIT_PER_TOKEN"] = "3 per minute"
    try:
        statuses = [client.get("/api/v1/regions", headers=first).status_code for _ in range(4)]
        other = client.get("/api/v1/regions", headers=second).status_code
    finally:
        app.config["API_LIMIT_PER_TOKEN"] = "300 per minute; 10000 per hour"
    assert statuses == [200, 200, 200, 429] and other == 200


def test_the_cli_prints_a_token(app, make):
    user = make.user(Role.MINISTRY, email="analyst@example.org")
    result = app.test_cli_runner().invoke(args=["tokens", "create", "--email", user.email, "--name", "BI",
                                                "--write", "--days", "10"])
    assert result.exit_code == 0, result.output
    secret = TOKEN.search(result.output).group(0)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    assert token.can_write and token.name == "BI" and token.user_id == user.id
    refused = app.test_cli_runner().invoke(args=["tokens", "create", "--email", user.email, "--days", "400"])
    assert refused.exit_code != 0


def test_a_token_in_the_query_string_is_never_accepted(client, make):
    _, secret = create_token(make.user(Role.ADMIN), "leaky", True)
    db.session.commit()
    for name in ("access_token", "token", "api_token", "bearer"):
        for url in (f"/api/v1/shelters?{name}={secret}", f"/api/hsds/services?{name}={secret}"):
            response = client.get(url)
            assert response.status_code == 401 and response.mimetype == "application/problem+json", url


def test_malformed_authorization_headers_get_401_without_echoing_them(client, make):
    headers = bearer(make.user(Role.ADMIN))
    secret = headers["Authorization"].removeprefix("Bearer ")
    for header in ("Bearer " + "a" * 7_000, "Bearer smt_\x01\x1b", "Bearer", "Basic YWRtaW46YWRtaW4=",
                   f"Token {secret}", f"Bearer {secret}x", "Bearer smt_\xe9\xff"):
        for method, url in (("GET", "/api/v1/shelters"), ("GET", "/api/hsds/services"),
                            ("POST", "/api/v1/rounds/1/exports")):
            response = client.open(url, method=method, json={"kind": "csv"}, headers={"Authorization": header})
            assert response.status_code == 401, (header[:20], url)
            assert response.mimetype == "application/problem+json"
            assert header == "Bearer" or header not in response.get_data(as_text=True)
