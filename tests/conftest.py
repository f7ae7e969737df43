"""Fixtures: the app on each database (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), the schema built
once per database by the migrations, every table but the regions emptied (and the login counters reset) after each
test, and factories."""
import contextlib
import contextvars
import datetime as dt
import os

import flask_migrate
import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy import event

from shelter_monitor import create_app
from shelter_monitor.auth.models import Role, User
from shelter_monitor.auth.service import create_user
from shelter_monitor.auth.throttle import reset_counters
from shelter_monitor.extensions import db
from shelter_monitor.regions.service import region_by_iso
from shelter_monitor.rounds.models import Round
from shelter_monitor.shelters.models import Shelter

PASSWORD = "correct horse battery"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
KEEP_TABLES = {"region", "alembic_version"}


def pytest_report_header(config):
    if POSTGRES_URL:
        return f"databases: SQLite and PostgreSQL ({POSTGRES_URL.rsplit('@', 1)[-1]})"
    return "databases: SQLite only (set TEST_DATABASE_URL to run every test on PostgreSQL too)"


def reset_postgres(url: str) -> None:
    """Empty the PostgreSQL test database. Unreachable: a failure in CI, a skip elsewhere."""
    from shelter_monitor.config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(url))
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    except sa.exc.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL at TEST_DATABASE_URL cannot be reached: {error}", pytrace=False)
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL cannot be reached: {error}")
    finally:
        engine.dispose()


@contextlib.contextmanager
def recorded_statements():
    """The SQL statements the database is sent inside the block, as a list filled while it runs."""
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def app_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-only-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "SESSION_COOKIE_SECURE": False,
        "BABEL_DEFAULT_LOCALE": "en",
        **extra,
    }


class IsolatedClient(FlaskClient):
    """Runs each request in its own application context, as a server does, even while a test holds one open
    (otherwise the request would share the test's database session, g and cached locale)."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(app_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        flask_migrate.upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_tables(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    reset_counters()  # login attempts counted by one test must not throttle the next
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in KEEP_TABLES:
                    connection.execute(table.delete())


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


class Factory:
    """Makes committed users, shelters and rounds for tests."""

    def __init__(self):
        self.count = 0

    def _next(self) -> int:
        self.count += 1
        return self.count

    def user(self, role: str = Role.MONITOR, region: str | None = None, **kwargs) -> User:
        n = self._next()
        email, name = kwargs.pop("email", f"{role}{n}@example.org"), kwargs.pop("name", f"{role.title()} {n}")
        user = create_user(email, name, PASSWORD, role, region_by_iso(region) if region else None,
                           shelter=kwargs.pop("shelter", None))
        db.session.commit()
        return user

    def shelter(self, region: str = "UA-46", monitors=(), **kwargs) -> Shelter:
        n = self._next()
        values = {"name": f"Shelter {n}", "settlement": "Lviv", "institution_type": "cspa", "ownership": "hromada",
                  "specialised": False, "capacity": 20, "address": f"{n} Secret street", "phone": "+380 00 000 0000"}
        values.update(kwargs)
        shelter = Shelter(region=region_by_iso(region), monitors=list(monitors), **values)
        db.session.add(shelter)
        db.session.commit()
        return shelter

    def round(self, code: str = "2020-10", start=dt.date(2020, 10, 1), end=dt.date(2020, 10, 31), **kwargs) -> Round:
        values = {"name": f"Round {code}", "questionnaire_version": "2020.1", "covid_section": True, "is_open": True}
        values.update(kwargs)
        round_ = Round(code=code, period_start=start, period_end=end, **values)
        db.session.add(round_)
        db.session.commit()
        return round_


@pytest.fixture
def make(ctx):
    return Factory()


def login(client, user: User) -> None:
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


@pytest.fixture
def login_as(client, make):
    """login_as(role, region=None) -> the logged-in user."""
    def _login(role: str, region: str | None = None, user: User | None = None) -> User:
        user = user or make.user(role, region=region)
        login(client, user)
        return user
    return _login
