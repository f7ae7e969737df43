"""Backup of the whole database into one engine-independent file, and its restore into an empty database at the
same schema revision (docs/backup-format.md). Plain Python on SQLAlchemy connections: no request, no Flask."""
import contextlib
import datetime as dt
import importlib
import importlib.util
import os
import pkgutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import sqlalchemy as sa
from alembic.migration import MigrationContext

import shelter_monitor
from shelter_monitor.backup.codec import BackupError, Reader, Writer, row_decoder, row_encoder, sql_null_checks
from shelter_monitor.extensions import db

BATCH = 1000
VERSION_TABLE = "alembic_version"  # not a table of the models: its revision goes into the header
REFERENCE_TABLES = frozenset({"region"})  # filled by the migrations: compared on restore, never inserted

Bind = sa.Engine | sa.Connection
File = str | os.PathLike | IO[bytes]


def backed_up_tables() -> list[sa.Table]:
    """Every table of the models, parents before the tables that refer to them."""
    for module in pkgutil.iter_modules(shelter_monitor.__path__):
        if module.ispkg and importlib.util.find_spec(f"shelter_monitor.{module.name}.models"):
            importlib.import_module(f"shelter_monitor.{module.name}.models")
    return db.metadata.sorted_tables


def schema_revision(connection: sa.Connection) -> str | None:
    """The database's Alembic revision, None when it has none."""
    return MigrationContext.configure(connection).get_current_revision()


def create_backup(bind: Bind, file: File) -> dict[str, int]:
    """Write every row of every table, with the schema revision, into `file` (a path, written whole or not at all,
    or a binary file object), read from one consistent snapshot and streamed in batches. Returns the rows written
    per table. Raises BackupError when the database is not a Shelter Monitor database at this version's schema."""
    if isinstance(bind, sa.Engine):
        with _snapshot(bind) as connection:
            return create_backup(connection, file)
    tables = backed_up_tables()
    revision = schema_revision(bind)
    if revision is None:
        raise BackupError("the database has no schema revision (no alembic_version row): it is not a Shelter "
                          "Monitor database, or `flask --app shelter_monitor db upgrade` was never run on it")
    _check_schema(bind, tables)
    counts = {}
    with _writable(file) as binary:
        writer = Writer(binary)
        writer.header({
            "schema_revision": revision,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "source_engine": bind.dialect.name,
            "tables": [{"name": table.name, "columns": [column.name for column in table.columns]}
                       for table in tables],
        })
        for table in tables:
            writer.table(table.name)
            encode = row_encoder(list(table.columns))
            statement = sa.select(*table.columns, *sql_null_checks(list(table.columns))).order_by(*_key(table))
            rows = bind.execution_options(yield_per=BATCH).execute(statement)
            count = 0
            for row in rows:
                writer.row(encode(row))
                count += 1
            counts[table.name] = count
        writer.trailer(counts)
        writer.close()
    return counts


def restore_backup(bind: Bind, file: File) -> dict[str, int]:
    """Load a backup into an empty database at the backup's schema revision, in one transaction: tables in
    dependency order, in batches, foreign keys to rows not loaded yet filled in afterwards, and on PostgreSQL every
    id sequence moved past the highest id. The reference table `region` is compared instead of loaded. Returns the
    rows per table. Raises BackupError, having changed nothing, for another revision, a database with rows, other
    regions, or a damaged file. Given a connection, the caller commits."""
    if isinstance(bind, sa.Engine):
        with bind.begin() as connection:
            _begin_sqlite(connection, "BEGIN IMMEDIATE")
            return restore_backup(connection, file)
    tables = {table.name: table for table in backed_up_tables()}
    with _readable(file) as binary:
        reader = Reader(binary)
        columns = _check_backup(reader.header, tables)
        _check_target(bind, reader.header["schema_revision"], list(tables.values()))
        deferred = _deferred_foreign_keys([tables[entry["name"]] for entry in reader.header["tables"]])
        counts: dict[str, int] = {}
        patches: dict[tuple[str, str], list[dict]] = {}
        for name, rows in reader.sections():
            if name not in tables or name in counts:
                raise BackupError(f"the backup has an unexpected section for the table {name!r}: the file is damaged")
            table = tables[name]
            decode = row_decoder([table.c[column] for column in columns[name]])
            decoded = (decode(values) for values in rows)
            if name in REFERENCE_TABLES:
                counts[name] = _compare_reference(bind, table, decoded)
            else:
                counts[name] = _insert(bind, table, decoded, deferred.get(name, []), patches)
        if set(counts) != set(tables) or reader.trailer.get("rows") != counts:
            raise BackupError("the rows in the backup do not match the counts on its end line: the file is damaged")
    _apply_patches(bind, tables, patches)
    if bind.dialect.name == "postgresql":
        reset_sequences(bind, list(tables.values()))
    return counts


def reset_sequences(connection: sa.Connection, tables: Iterable[sa.Table]) -> None:
    """On PostgreSQL, move each integer key's sequence to the highest id in its table, so new rows get new ids."""
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, sa.Integer):
                continue
            sequence = connection.scalar(sa.select(sa.func.pg_get_serial_sequence(table.name, column.name)))
            if sequence:
                highest = sa.select(sa.func.max(column)).scalar_subquery()
                connection.execute(sa.select(sa.func.setval(sequence, sa.func.coalesce(highest, 1),
                                                            highest.is_not(None))))


@contextlib.contextmanager
def _snapshot(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A read-only connection that sees one state of the whole database while others keep writing."""
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    with engine.connect().execution_options(**options) as connection, connection.begin():
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        _begin_sqlite(connection, "BEGIN")
        yield connection


def _begin_sqlite(connection: sa.Connection, statement: str) -> None:
    """pysqlite opens a transaction only at the first write; open it now, so that every read sees one state."""
    if connection.dialect.name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql(statement)


@contextlib.contextmanager
def _writable(file: File) -> Iterator[IO[bytes]]:
    if not isinstance(file, str | os.PathLike):
        yield file
        return
    path = Path(file)
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as binary:
            yield binary
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


@contextlib.contextmanager
def _readable(file: File) -> Iterator[IO[bytes]]:
    if not isinstance(file, str | os.PathLike):
        yield file
        return
    with Path(file).open("rb") as binary:
        yield binary


def _key(table: sa.Table) -> list[sa.Column]:
    return list(table.primary_key.columns) or list(table.columns)


def _check_schema(connection: sa.Connection, tables: list[sa.Table]) -> None:
    """The database holds exactly the models' tables and columns (besides alembic_version)."""
    inspector = sa.inspect(connection)
    present = set(inspector.get_table_names()) - {VERSION_TABLE}
    known = {table.name for table in tables}
    if present - known:
        raise BackupError(f"the database has tables the models do not describe ({', '.join(sorted(present - known))})"
                          ": they would be left out, so nothing was done")
    if known - present:
        raise BackupError(f"the database lacks the tables {', '.join(sorted(known - present))}: run "
                          "`flask --app shelter_monitor db upgrade` on it first")
    for table in tables:
        stored = {column["name"] for column in inspector.get_columns(table.name)}
        if stored != set(table.columns.keys()):
            raise BackupError(f"the columns of {table.name} in the database differ from the models': the database "
                              "is not at this version's schema; run `flask --app shelter_monitor db upgrade` first")


def _check_backup(header: dict, tables: dict[str, sa.Table]) -> dict[str, list[str]]:
    """The backup's tables and columns are the models'; returns the columns of each table in the file's order."""
    try:
        columns = {entry["name"]: list(entry["columns"]) for entry in header["tables"]}
    except (KeyError, TypeError) as error:
        raise BackupError("the backup's header has no valid list of tables: the file is damaged") from error
    if not isinstance(header.get("schema_revision"), str):
        raise BackupError("the backup's header has no schema revision: the file is damaged")
    if set(columns) != set(tables):
        raise BackupError("the backup's tables differ from this version's models: it comes from another version")
    for name, names in columns.items():
        if sorted(names) != sorted(tables[name].columns.keys()):
            raise BackupError(f"the backup's columns of {name} differ from this version's models: it comes from "
                              "another version")
    return columns


def _check_target(connection: sa.Connection, revision: str, tables: list[sa.Table]) -> None:
    """The database is at the backup's revision, has this version's schema and no rows outside reference tables."""
    current = schema_revision(connection)
    if current is None:
        raise BackupError("the database has no schema: create it with `flask --app shelter_monitor db upgrade`, "
                          "then restore")
    if current != revision:
        raise BackupError(f"the backup was made at schema revision {revision} and the database is at revision "
                          f"{current}: restore into a database at revision {revision}, with the Shelter Monitor "
                          "version whose migrations end there, then upgrade")
    _check_schema(connection, tables)
    filled = [table.name for table in tables if table.name not in REFERENCE_TABLES
              and connection.scalar(sa.select(sa.exists().select_from(table)))]
    if filled:
        named = ", ".join(filled[:4]) + (f" and {len(filled) - 4} more tables" if len(filled) > 4 else "")
        raise BackupError(f"the database is not empty ({named} have rows): restore only into a new "
                          "database (create it, run `flask --app shelter_monitor db upgrade` on it, restore there)")


def _deferred_foreign_keys(order: list[sa.Table]) -> dict[str, list[sa.ForeignKeyConstraint]]:
    """Foreign keys to the table itself or to a table loaded after it: their columns go in as NULL and are set
    once every row is in (a non-deferrable key on PostgreSQL is checked at each insert)."""
    position = {table.name: index for index, table in enumerate(order)}
    deferred: dict[str, list[sa.ForeignKeyConstraint]] = {}
    for table in order:
        for constraint in table.foreign_key_constraints:
            if position[constraint.referred_table.name] >= position[table.name]:
                for column in constraint.columns:
                    if not column.nullable:
                        raise BackupError(f"{table.name}.{column.name} refers to rows loaded after it and cannot "
                                          "be NULL meanwhile: backups cannot restore this schema")
                deferred.setdefault(table.name, []).append(constraint)
    return deferred


def _insert(connection: sa.Connection, table: sa.Table, rows: Iterable[dict],
            deferred: list[sa.ForeignKeyConstraint], patches: dict[tuple[str, str], list[dict]]) -> int:
    later = [column for constraint in deferred for column in constraint.columns]
    key = _key(table)
    batch, count = [], 0
    for row in rows:
        for column in later:
            if row[column.key] is not None:
                patches.setdefault((table.name, column.key), []).append(
                    {**{f"key_{c.key}": row[c.key] for c in key}, "new_value": row[column.key]})
                row[column.key] = None
        batch.append(row)
        count += 1
        if len(batch) == BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
    return count


def _apply_patches(connection: sa.Connection, tables: dict[str, sa.Table],
                   patches: dict[tuple[str, str], list[dict]]) -> None:
    for (name, column), values in patches.items():
        table = tables[name]
        statement = (table.update()
                     .where(*[c == sa.bindparam(f"key_{c.key}") for c in _key(table)])
                     .values({column: sa.bindparam("new_value")}))
        for start in range(0, len(values), BATCH):
            connection.execute(statement, values[start:start + BATCH])


def _compare_reference(connection: sa.Connection, table: sa.Table, rows: Iterable[dict]) -> int:
    stored = [dict(row._mapping) for row in connection.execute(sa.select(table).order_by(*_key(table)))]
    backed_up = list(rows)
    if stored != backed_up:
        different = next((row for row in backed_up if row not in stored), None) or next(
            row for row in stored if row not in backed_up)
        raise BackupError(f"the table {table.name} in the database differs from the backup's "
                          f"({len(stored)} rows here, {len(backed_up)} in the backup; e.g. {different}): restore "
                          "into a database whose migrations made the same rows")
    return len(backed_up)
