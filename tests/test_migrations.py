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
    name = "sm_migrations_test"
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
