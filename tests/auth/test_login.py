"""Login throttling that an outsider cannot turn against a user, the same answer and the same work for every
failed login, password rules, one-time password links and the audit of all of it."""
import threading

import pytest
from flask_limiter import Limiter
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

import shelter_monitor.auth.service as auth_service
from shelter_monitor.audit.models import AuditEntry
from shelter_monitor.auth.models import PasswordToken, Role
from shelter_monitor.auth.passwords import password_problem
from shelter_monitor.db_types import utcnow
from shelter_monitor.extensions import db
from tests.conftest import PASSWORD, login

OUTSIDER, VICTIM_DESK = {"REMOTE_ADDR": "203.0.113.66"}, {"REMOTE_ADDR": "198.51.100.7"}
FAILED = "Wrong email or password, or too many attempts"


def _post_login(client, email, password, environ=None):
    return client.post("/login", data={"email": email, "password": password}, environ_base=environ or {})


def _first_window(setting: str) -> int:
    return min(item.amount for item in parse_many(setting))


@pytest.fixture
def counted_checks(monkeypatch):
    """Counts the real password checks (those against a user's own hash, not the dummy one)."""
    real_check, calls = auth_service.check_password_hash, []

    def counting(password_hash, password):
        calls.append(password_hash != auth_service._dummy_hash())
        return real_check(password_hash, password)

    monkeypatch.setattr(auth_service, "check_password_hash", counting)
    return calls


def test_parallel_wrong_passwords_get_no_more_real_checks_than_the_limit(app, make, counted_checks):
    email = make.user(Role.ADMIN).email
    barrier = threading.Barrier(30)

    def guess():
        client = app.test_client()
        barrier.wait()
        _post_login(client, email, "wrong guess", OUTSIDER)

    threads = [threading.Thread(target=guess) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(counted_checks) == 30  # every attempt costs one hash check ...
    assert sum(counted_checks) <= _first_window(app.config["LOGIN_LIMIT_PER_ACCOUNT"])  # ... but few are real


def test_an_outsider_cannot_lock_out_a_user(app, client, make):
    victim = make.user(Role.ADMIN)
    for _ in range(40):
        _post_login(client, victim.email, "wrong guess", OUTSIDER)
    assert _post_login(client, victim.email, PASSWORD, VICTIM_DESK).status_code == 302


def test_too_many_failures_from_an_address_stop_even_a_right_password_from_it(app, client, make):
    user, other = make.user(Role.MONITOR), make.user(Role.MONITOR)
    for n in range(_first_window(app.config["LOGIN_LIMIT_PER_ADDRESS"])):
        _post_login(client, f"nobody{n}@example.org", "wrong guess", OUTSIDER)
    assert _post_login(client, other.email, PASSWORD, OUTSIDER).status_code == 200
    for _ in range(_first_window(app.config["LOGIN_LIMIT_PER_ACCOUNT"])):
        _post_login(client, user.email, "wrong guess", VICTIM_DESK)
    page = _post_login(client, user.email, PASSWORD, VICTIM_DESK)
    assert page.status_code == 200 and FAILED in page.get_data(as_text=True)


def test_logins_stay_throttled_while_redis_is_unreachable(app, client, make, monkeypatch):
    dead = storage_from_string("redis://127.0.0.1:1/0")
    monkeypatch.setattr(Limiter, "storage", property(lambda self: dead))
    monkeypatch.setattr(Limiter, "limiter", property(lambda self: MovingWindowRateLimiter(dead)))
    user = make.user(Role.MONITOR)
    assert _post_login(app.test_client(), user.email, PASSWORD, VICTIM_DESK).status_code == 302
    for _ in range(_first_window(app.config["LOGIN_LIMIT_PER_ACCOUNT"])):
        _post_login(client, user.email, "wrong guess", OUTSIDER)
    assert _post_login(client, user.email, PASSWORD, OUTSIDER).status_code == 200


def test_unknown_email_wrong_password_and_throttled_look_the_same(app, client, make, counted_checks):
    user = make.user(Role.MONITOR)
    unknown = _post_login(client, "nobody@example.org", "wrong guess", OUTSIDER)
    wrong = _post_login(client, user.email, "wrong guess", OUTSIDER)
    for _ in range(_first_window(app.config["LOGIN_LIMIT_PER_ACCOUNT"])):
        throttled = _post_login(client, user.email, "wrong guess", OUTSIDER)
    pages = [response.get_data(as_text=True) for response in (unknown, wrong, throttled)]
    assert {response.status_code for response in (unknown, wrong, throttled)} == {200}
    assert all(FAILED in page for page in pages)
    assert len(counted_checks) == 2 + _first_window(app.config["LOGIN_LIMIT_PER_ACCOUNT"])  # one check each


def test_the_dummy_hash_is_computed_once(app, client, monkeypatch):
    _post_login(client, "nobody@example.org", "warm up")
    generated = []
    monkeypatch.setattr(auth_service, "generate_password_hash", lambda *a, **k: generated.append(1) or "x")
    for n in range(3):
        _post_login(client, f"nobody{n}@example.org", "wrong guess")
    assert generated == []


def test_logins_failures_throttling_and_logouts_are_audited(app, client, make):
    user = make.user(Role.MONITOR)
    _post_login(client, user.email, "wrong guess", OUTSIDER)
    _post_login(client, "nobody@example.org", "wrong guess", OUTSIDER)
    for _ in range(_first_window(app.config["LOGIN_LIMIT_PER_ACCOUNT"])):
        _post_login(client, user.email, "wrong guess", OUTSIDER)
    login(client, user)
    client.post("/logout")
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    actions = [entry.action for entry in entries if entry.action.startswith("auth.")]
    assert actions[:2] == ["auth.login_failed", "auth.login_failed"] and "auth.throttled" in actions
    assert actions[-2:] == ["auth.login", "auth.logout"]
    failed = next(entry for entry in entries if entry.action == "auth.login_failed")
    assert failed.object_id == user.id and failed.changes["address"] == OUTSIDER["REMOTE_ADDR"]


@pytest.mark.parametrize("password, refused", [
    ("short1", "at least 12"), ("aaaaaaaaaaaaaa", "different characters"), ("1234567890ab", None),
    ("Password1234", "most common"), ("QWERTYUIOP123", "most common"), ("correct horse battery", None),
])
def test_password_rules(app, password, refused):
    with app.test_request_context():
        problem = password_problem(password)
        assert (refused in str(problem)) if refused else problem is None


def _issue_link(client, user) -> str:
    page = client.post(f"/admin/users/{user.id}/password-link").get_data(as_text=True)
    return "/password/" + page.split("/password/")[1].split('"')[0]


def test_a_reset_link_sets_a_password_once(app, client, make):
    login(client, make.user(Role.ADMIN))
    user = make.user(Role.MONITOR)
    link = _issue_link(client, user)
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    response = visitor.post(link, data={"password": "brand new passphrase", "repeat_password": "brand new passphrase"})
    assert response.status_code == 302
    assert _post_login(visitor, user.email, "brand new passphrase").status_code == 302
    assert visitor.get(link).status_code == 404
    again = app.test_client().post(link, data={"password": "another passphrase", "repeat_password":
                                                "another passphrase"})
    assert again.status_code == 404
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("auth.reset%"))).all()
    assert sorted(actions) == ["auth.reset_issued", "auth.reset_used"]


def test_a_reset_link_expires_and_a_newer_one_replaces_it(app, client, make):
    login(client, make.user(Role.ADMIN))
    user = make.user(Role.MONITOR)
    first = _issue_link(client, user)
    second = _issue_link(client, user)
    assert app.test_client().get(first).status_code == 404
    token = db.session.scalar(select(PasswordToken).where(PasswordToken.used_at.is_(None)))
    token.expires_at = utcnow()
    db.session.commit()
    assert app.test_client().get(second).status_code == 404


def test_a_reset_link_refuses_a_weak_password_and_keeps_working(app, client, make):
    login(client, make.user(Role.ADMIN))
    link = _issue_link(client, make.user(Role.MONITOR))
    visitor = app.test_client()
    page = visitor.post(link, data={"password": "password1234", "repeat_password": "password1234"})
    assert page.status_code == 200 and "most common" in page.get_data(as_text=True)
    assert visitor.get(link).status_code == 200


def test_an_invitation_is_mailed_when_a_mail_server_is_set(app, client, make, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append((host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self):
            pass

        def send_message(self, message):
            sent.append(message)

    monkeypatch.setattr("shelter_monitor.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    login(client, make.user(Role.ADMIN))
    page = client.post("/admin/users/new", data={"email": "new@example.org", "name": "New", "role": "monitor",
                                                 "region": "", "shelter": "0"}).get_data(as_text=True)
    assert "sent by email to new@example.org" in page
    message = sent[-1]
    assert message["To"] == "new@example.org" and "/password/" in message.get_content()


def test_without_a_mail_server_the_admin_is_told_to_pass_the_link_on(client, make):
    login(client, make.user(Role.ADMIN))
    page = client.post(f"/admin/users/{make.user(Role.MONITOR).id}/password-link").get_data(as_text=True)
    assert "was not sent by email" in page and "/password/" in page


def test_cli_prints_a_password_link(app, ctx, make):
    user = make.user(Role.MONITOR)
    result = app.test_cli_runner().invoke(args=["users", "password-link", "--email", user.email,
                                                "--base-url", "https://monitor.example.org"])
    assert result.exit_code == 0 and result.output.startswith("https://monitor.example.org/password/")


@pytest.mark.parametrize("field", ["email", "password"])
def test_a_nul_byte_in_the_login_form_is_a_message_not_a_crash(client, make, field):
    data = {"email": make.user(Role.MONITOR).email, "password": PASSWORD}
    data[field] = data[field][:3] + "\x00" + data[field][3:]
    page = client.post("/login", data=data)
    assert page.status_code == 200 and "control characters" in page.get_data(as_text=True)
