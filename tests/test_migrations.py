"""Migrations upgrade and downgrade on each database, and the models match what they build."""
import flask_migrate
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from shelter_monitor import create_app
from shelter_monitor.config import normalise_database_url
from shelter_monitor.extensions import db
from tests.conftest import POSTGRES_URL, app_config


def _fresh_database(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    name = POSTGRES_URL.rsplit("/", 1)[1] + "_migrations"  # beside the test database: one per test database
    admin = sa.create_engine(normalise_database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return POSTGRES_URL.rsplit("/", 1)[0] + "/" + name


def _tables(engine):
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(database_url, tmp_path):
    app = create_app(app_config(_fresh_database(database_url, tmp_path)))
    with app.app_context():
        flask_migrate.upgrade()
        assert _tables(db.engine) == set(db.metadata.tables)
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM region")).scalar() == 27
        flask_migrate.downgrade(revision="base")
        assert _tables(db.engine) == set()
        flask_migrate.upgrade()
        assert _tables(db.engine) == set(db.metadata.tables)
        db.engine.dispose()


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_0010_copies_each_rounds_name_to_its_english_name(database_url, tmp_path):
    url = _fresh_database(database_url, tmp_path)
    app = create_app(app_config(url))
    with app.app_context():
        flask_migrate.upgrade(revision="0009")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO monitoring_round (code, name, period_start, period_end, questionnaire_version, "
                "covid_section, is_open) VALUES ('2019-10', 'Жовтень 2019', '2019-10-01', '2019-10-31', '2020.1', "
                ":no, :no)"), {"no": False})
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            names = connection.execute(sa.text("SELECT name, name_en FROM monitoring_round")).all()
        assert [tuple(row) for row in names] == [("Жовтень 2019", "Жовтень 2019")]
        flask_migrate.downgrade(revision="0009")
        db.engine.dispose()
