"""Backup and restore: the demo database backed up on one engine and restored on the other is the same, table by
table and row by row (ids, timestamps, decimals, JSON); a restore refuses a database with rows, other regions,
another schema revision and a damaged file, changing nothing; sequences continue after the restored ids."""
import datetime as dt
import decimal
import gzip
import json
import os

import flask_migrate
import pytest
import sqlalchemy as sa

from shelter_monitor import create_app
from shelter_monitor.backup import FORMAT_NAME, FORMAT_VERSION, BackupError, create_backup, restore_backup
from shelter_monitor.backup.codec import column_codec, row_decoder, row_encoder, sql_null_checks
from shelter_monitor.backup.service import backed_up_tables, schema_revision
from shelter_monitor.config import normalise_database_url
from shelter_monitor.db_types import JSONType
from shelter_monitor.demo.service import load_demo
from shelter_monitor.extensions import db
from shelter_monitor.programmes.models import ActualValue
from shelter_monitor.responses.models import Response
from shelter_monitor.rounds.models import Round
from tests.conftest import KEEP_TABLES, POSTGRES_URL, app_config

needs_postgres = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL half: set TEST_DATABASE_URL")


def _admin(statement: str) -> None:
    engine = sa.create_engine(normalise_database_url(POSTGRES_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


@pytest.fixture(scope="module")
def new_database(tmp_path_factory):
    """new_database(engine, revision="head") -> the URL of a throw-away database built by the migrations (the
    PostgreSQL ones are dropped at the end)."""
    made = []

    def new(engine: str, revision: str = "head") -> str:
        if engine == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('backup') / 'shelter_monitor.db'}"
        else:
            name = f"sm_backup_test_{os.getpid()}_{len(made)}"
            _admin(f"DROP DATABASE IF EXISTS {name}")
            _admin(f"CREATE DATABASE {name}")
            made.append(name)
            url = POSTGRES_URL.rsplit("/", 1)[0] + "/" + name
        app = create_app(app_config(url))
        with app.app_context():
            flask_migrate.upgrade(revision=revision)
            db.engine.dispose()
        return url

    yield new
    for name in made:
        _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _engine(url: str) -> sa.Engine:
    return sa.create_engine(normalise_database_url(url))


def _load_demo(url: str) -> None:
    """The demo, plus what it lacks: a response carried from one with a higher id (a foreign key to a row loaded
    after it) and a decimal with a fraction."""
    app = create_app(app_config(url))
    with app.app_context():
        load_demo(password="demo password 1")
        db.session.flush()
        responses = db.session.scalars(sa.select(Response).order_by(Response.id)).all()
        responses[0].carried_from_id = responses[-1].id
        db.session.scalars(sa.select(ActualValue).limit(1)).one().value = decimal.Decimal("12.345")
        db.session.commit()
        db.engine.dispose()


def _contents(url: str) -> dict[str, list[tuple]]:
    engine = _engine(url)
    with engine.connect() as connection:
        contents = {table.name: [tuple(row) for row in connection.execute(
            sa.select(table).order_by(*(table.primary_key.columns or table.columns)))]
            for table in backed_up_tables()}
    engine.dispose()
    return contents


@pytest.fixture(scope="module")
def sqlite_demo(new_database, tmp_path_factory):
    """(URL, backup file) of the demo on SQLite."""
    url = new_database("sqlite")
    _load_demo(url)
    path = tmp_path_factory.mktemp("backup") / "sqlite.smbackup.gz"
    engine = _engine(url)
    create_backup(engine, path)
    engine.dispose()
    return url, path


def _restore(url: str, path) -> dict[str, int]:
    engine = _engine(url)
    try:
        return restore_backup(engine, path)
    finally:
        engine.dispose()


def _assert_same(source: str, copy: str) -> None:
    expected, restored = _contents(source), _contents(copy)
    assert list(restored) == list(expected)
    for name, rows in expected.items():
        assert restored[name] == rows, name


def test_every_table_and_row_round_trips_on_sqlite(sqlite_demo, new_database):
    source, path = sqlite_demo
    copy = new_database("sqlite")
    counts = _restore(copy, path)
    assert counts["response"] > 100 and counts["finding"] > 100 and counts["region"] == 27
    _assert_same(source, copy)


@needs_postgres
def test_sqlite_backup_restores_into_postgresql_and_new_rows_get_new_ids(sqlite_demo, new_database):
    source, path = sqlite_demo
    copy = new_database("postgresql")
    _restore(copy, path)
    _assert_same(source, copy)
    engine = _engine(copy)
    with engine.begin() as connection:
        for table in backed_up_tables():
            column = next(iter(table.primary_key.columns))
            sequence = connection.scalar(sa.select(sa.func.pg_get_serial_sequence(table.name, column.name)))
            if sequence and table.name != "region":
                highest = connection.scalar(sa.select(sa.func.max(column))) or 0
                assert connection.scalar(sa.select(sa.func.nextval(sequence))) == highest + 1, table.name
    engine.dispose()
    app = create_app(app_config(copy))
    with app.app_context():
        highest = db.session.scalar(sa.select(sa.func.max(Round.id)))
        round_ = Round(code="2021-10", name="New", period_start=dt.date(2021, 10, 1),
                       period_end=dt.date(2021, 10, 31), questionnaire_version="2020.1", covid_section=True,
                       is_open=True)
        db.session.add(round_)
        db.session.commit()
        assert round_.id > highest
        db.engine.dispose()


@needs_postgres
def test_postgresql_backup_restores_into_sqlite(new_database, tmp_path):
    source = new_database("postgresql")
    _load_demo(source)
    path = tmp_path / "postgresql.smbackup.gz"
    engine = _engine(source)
    create_backup(engine, path)
    engine.dispose()
    copy = new_database("sqlite")
    _restore(copy, path)
    _assert_same(source, copy)


def test_the_file_is_gzip_json_lines_with_a_header(sqlite_demo):
    source, path = sqlite_demo
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle]
    header, trailer = lines[0], lines[-1]
    engine = _engine(source)
    with engine.connect() as connection:
        assert header["schema_revision"] == schema_revision(connection)
        present = set(sa.inspect(connection).get_table_names())
    engine.dispose()
    assert (header["format"], header["version"]) == (FORMAT_NAME, FORMAT_VERSION)
    assert dt.datetime.fromisoformat(header["created_at"]).tzinfo is not None
    assert {entry["name"] for entry in header["tables"]} == present - {"alembic_version"}
    assert trailer["end"] is True and trailer["rows"]["response"] > 100
    rows = _section(lines, "programme_actual")
    value = header_columns(header, "programme_actual").index("value")
    assert "12.345" in [row[value] for row in rows]
    shelter = _section(lines, "shelter")[0]
    created = dt.datetime.fromisoformat(shelter[header_columns(header, "shelter").index("created_at")])
    assert created.microsecond or created.second  # written to the microsecond
    assert shelter[header_columns(header, "shelter").index("specialised")] in (True, False)
    response = _section(lines, "response")[0]
    assert isinstance(response[header_columns(header, "response").index("answers")], dict)


def header_columns(header: dict, table: str) -> list[str]:
    return next(entry["columns"] for entry in header["tables"] if entry["name"] == table)


def _section(lines: list, table: str) -> list[list]:
    start = lines.index({"table": table}) + 1
    end = next(i for i in range(start, len(lines)) if not isinstance(lines[i], list))
    return lines[start:end]


def _row_count(url: str) -> int:
    engine = _engine(url)
    with engine.connect() as connection:
        present = set(sa.inspect(connection).get_table_names()) - KEEP_TABLES
        count = sum(connection.scalar(sa.select(sa.func.count()).select_from(sa.table(name))) for name in present)
    engine.dispose()
    return count


def test_restore_refuses_a_database_with_rows(app, make, sqlite_demo):
    make.user()
    with pytest.raises(BackupError, match=r"not empty \(user_account, audit_entry have rows\): restore only into"):
        restore_backup(db.engine, sqlite_demo[1])
    assert db.session.scalar(sa.select(sa.func.count(Round.id))) == 0


def test_restore_refuses_another_revision(new_database, sqlite_demo):
    copy = new_database("sqlite")
    app = create_app(app_config(copy))
    with app.app_context():
        flask_migrate.downgrade(revision="-1")
        with db.engine.connect() as connection:
            older = schema_revision(connection)
        db.engine.dispose()
    with pytest.raises(BackupError, match=rf"made at schema revision \w+ and the database is at revision {older}"):
        _restore(copy, sqlite_demo[1])
    assert _row_count(copy) == 0


def test_restore_refuses_other_regions(new_database, sqlite_demo):
    copy = new_database("sqlite")
    engine = _engine(copy)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE region SET name_en = 'Lemberg' WHERE iso_code = 'UA-46'"))
    engine.dispose()
    with pytest.raises(BackupError, match="the table region in the database differs from the backup's"):
        _restore(copy, sqlite_demo[1])
    assert _row_count(copy) == 0


def test_restore_refuses_a_damaged_file_and_changes_nothing(new_database, sqlite_demo, tmp_path):
    with gzip.open(sqlite_demo[1], "rt", encoding="utf-8") as handle:
        lines = handle.readlines()
    truncated = tmp_path / "truncated.gz"
    with gzip.open(truncated, "wt", encoding="utf-8") as handle:
        handle.writelines(lines[:-1])
    copy = new_database("sqlite")
    with pytest.raises(BackupError, match="truncated"):
        _restore(copy, truncated)
    assert _row_count(copy) == 0
    other = tmp_path / "other.gz"
    with gzip.open(other, "wt", encoding="utf-8") as handle:
        handle.write('{"hello": "world"}\n')
    with pytest.raises(BackupError, match="not a Shelter Monitor backup"):
        _restore(copy, other)


def test_backup_refuses_tables_the_models_do_not_know(new_database, tmp_path):
    url = new_database("sqlite")
    engine = _engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE notes (id INTEGER PRIMARY KEY)"))
    with pytest.raises(BackupError, match=r"tables the models do not describe \(notes\)"):
        create_backup(engine, tmp_path / "backup.gz")
    engine.dispose()
    assert not list(tmp_path.iterdir())


def test_every_column_has_an_exact_form_and_others_are_refused():
    for table in backed_up_tables():
        for column in table.columns:
            column_codec(column)
    table = sa.Table("files", sa.MetaData(), sa.Column("data", sa.LargeBinary))
    with pytest.raises(BackupError, match="files.data has the type LargeBinary"):
        column_codec(table.c.data)


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgresql", marks=needs_postgres)])
def test_a_json_null_stays_apart_from_sql_null(engine, new_database):
    url = new_database(engine) if engine == "postgresql" else "sqlite://"
    table = sa.Table("json_values", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("value", JSONType, nullable=True), sa.Column("strict", JSONType, nullable=False))
    columns = list(table.columns)
    stored = [{"id": 1, "value": sa.null(), "strict": sa.JSON.NULL}, {"id": 2, "value": sa.JSON.NULL, "strict": 0},
              {"id": 3, "value": {"$json": None}, "strict": [None]}, {"id": 4, "value": "null", "strict": {}}]
    file_rows = [[1, None, {"$json": None}], [2, {"$json": None}, 0], [3, {"$json": {"$json": None}}, [None]],
                 [4, "null", {}]]
    sql_nulls = sa.select(table.c.id, table.c.value.is_(None), table.c.strict.is_(None)).order_by(table.c.id)
    database = _engine(url)
    with database.begin() as connection:
        table.create(connection)
        connection.execute(table.insert(), stored)
        expected = connection.execute(sql_nulls).all()
        read = sa.select(*columns, *sql_null_checks(columns)).order_by(table.c.id)
        assert [row_encoder(columns)(row) for row in connection.execute(read)] == file_rows
        connection.execute(table.delete())
        connection.execute(table.insert(), [row_decoder(columns)(values) for values in file_rows])
        assert connection.execute(sql_nulls).all() == expected
        assert [row_encoder(columns)(row) for row in connection.execute(read)] == file_rows
    database.dispose()


def test_cli_creates_and_restores(app, make, tmp_path):
    make.shelter()
    runner = app.test_cli_runner()
    path = tmp_path / "backup.gz"
    result = runner.invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    assert "shelter " in result.output and "Backed up" in result.output
    again = runner.invoke(args=["backup", "create", str(path)])
    assert again.exit_code != 0 and "exists already" in again.output
    refused = runner.invoke(args=["backup", "restore", str(path)])
    assert refused.exit_code != 0 and "nothing restored: the database is not empty" in refused.output
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in KEEP_TABLES:
                connection.execute(table.delete())
    restored = runner.invoke(args=["backup", "restore", str(path)])
    assert restored.exit_code == 0, restored.output
    assert "Restored" in restored.output and "identical" in restored.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(db.metadata.tables["shelter"])) == 1
