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


def test_0013_copies_origin_and_instance_id_from_the_audit_trail(database_url, tmp_path):
    """An imported submission gets its origin and instance id (only the first response of an instance id in a
    round, so that the unique constraint holds); a response the platform's import made gets 'import', one started
    on the pages stays 'web' even when an import overwrote it later."""
    app = create_app(app_config(_fresh_database(database_url, tmp_path)))
    now, json = "2020-10-20 10:00:00", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
    entries = [(1, "response.import_submission", {"origin": "kobo", "instance_id": "uuid-one"}),
               (2, "response.import_submission", {"origin": "odk-central", "instance_id": "uuid-one"}),
               (3, "response.import", {"row": 2}),
               (4, "response.start", {}), (4, "response.import", {"row": 3}),
               (5, "response.start", {})]
    with app.app_context():
        flask_migrate.upgrade(revision="0012")
        with db.engine.begin() as connection:
            region_id = connection.execute(sa.text("SELECT min(id) FROM region")).scalar()
            connection.execute(sa.text(
                "INSERT INTO monitoring_round (id, code, name, name_en, period_start, period_end, "
                "questionnaire_version, covid_section, is_open) VALUES (1, '2020-10', 'Жовтень 2020', 'October 2020', "
                "'2020-10-01', '2020-10-31', '2020.1', :no, :no)"), {"no": False})
            for n in range(1, 6):
                connection.execute(sa.text(
                    "INSERT INTO shelter (id, name, region_id, settlement, katottg, institution_type, ownership, "
                    "specialised, capacity, status, address, phone, created_at, updated_at) VALUES (:n, :name, "
                    ":region, '', '', 'cspa', 'hromada', :no, 0, 'open', '', '', :now, :now)"),
                    {"n": n, "name": f"Shelter {n}", "region": region_id, "no": False, "now": now})
                connection.execute(sa.text(
                    "INSERT INTO response (id, shelter_id, round_id, questionnaire_version, answers, state, version, "
                    "carried_sections, return_reason, question_comments, sensitive_codes, created_at, updated_at) "
                    "VALUES (:n, :n, 1, '2020.1', '{}', 'submitted', 1, '[]', '', '{}', '[]', :now, :now)"),
                    {"n": n, "now": now})
            for response_id, action, changes in entries:
                connection.execute(sa.text(
                    "INSERT INTO audit_entry (at, action, object_type, object_id, changes) "
                    "VALUES (:now, :action, 'response', :id, :changes)"
                ).bindparams(sa.bindparam("changes", type_=json)),
                    {"now": now, "action": action, "id": response_id, "changes": changes})
        flask_migrate.upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT id, origin, instance_id FROM response ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [(1, "kobo", "uuid-one"), (2, "odk-central", None), (3, "import", None),
                                                (4, "web", None), (5, "web", None)]
        flask_migrate.downgrade(revision="0012")
        assert "origin" not in {c["name"] for c in sa.inspect(db.engine).get_columns("response")}
        db.engine.dispose()
