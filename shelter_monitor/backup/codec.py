"""The backup file's lines and how a column's value is written in them (docs/backup-format.md).

A backup is gzip-compressed JSON Lines: one header object, then for each table a `{"table": name}` line followed by
one JSON array per row (values in the header's column order), then one trailer object with the row counts. Values
are written by column type so that any engine reads them back exactly: datetimes and dates as ISO 8601 strings
(naive, microseconds kept), decimals as strings, JSON columns as the JSON value itself, booleans as true/false,
integers and text as they are, SQL NULL as null. No Flask here."""
import datetime as dt
import decimal
import gzip
import io
import json
from collections.abc import Callable, Iterator
from typing import IO, Any

import sqlalchemy as sa

FORMAT_NAME = "shelter-monitor-backup"
FORMAT_VERSION = 1
JSON_WRAPPER = "$json"  # {"$json": v} is the JSON value v where v alone would be misread (null, or such an object)


class BackupError(Exception):
    """A backup cannot be written or restored; the message says why and what to do."""


Encoder = Callable[[Any], Any]


def _datetime_in(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _date_in(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _identity(value: Any) -> Any:
    return value


def _iso(value: dt.date) -> str:
    return value.isoformat()


def _json_out(value: Any) -> Any:
    if value is None or (isinstance(value, dict) and list(value) == [JSON_WRAPPER]):
        return {JSON_WRAPPER: value}
    return value


def _json_in(value: Any) -> Any:
    if isinstance(value, dict) and list(value) == [JSON_WRAPPER]:
        return sa.JSON.NULL if value[JSON_WRAPPER] is None else value[JSON_WRAPPER]
    return value


def column_codec(column: sa.Column) -> tuple[Encoder, Encoder]:
    """(to the file, from the file) for a column's values other than SQL NULL; a type with no exact JSON form is
    refused, so that a new column type cannot silently lose data."""
    kind = column.type
    if isinstance(kind, sa.DateTime):
        return _iso, _datetime_in
    if isinstance(kind, sa.Date):
        return _iso, _date_in
    if isinstance(kind, sa.JSON):
        return _json_out, _json_in
    if isinstance(kind, sa.Boolean | sa.Integer | sa.Float | sa.String):
        return _identity, _identity
    if isinstance(kind, sa.Numeric):
        return str, decimal.Decimal
    raise BackupError(f"column {column.table.name}.{column.name} has the type {kind!r}, which backups cannot "
                      "write yet: add it to shelter_monitor/backup/codec.py and docs/backup-format.md")


def _nullable_json(column: sa.Column) -> bool:
    return isinstance(column.type, sa.JSON) and column.nullable


def sql_null_checks(columns: list[sa.Column]) -> list[sa.ColumnElement]:
    """Selected after a table's columns: the driver reads both an SQL NULL and a JSON null of a JSON column as
    None, so nullable JSON columns are also asked IS NULL."""
    return [column.is_(None) for column in columns if _nullable_json(column)]


def row_encoder(columns: list[sa.Column]) -> Callable[[sa.Row], list]:
    """Turns a row selected as `columns` followed by `sql_null_checks(columns)` into the file's values."""
    encoders = [column_codec(column)[0] for column in columns]
    json_columns = {index for index, column in enumerate(columns) if isinstance(column.type, sa.JSON)}
    checked = [index for index, column in enumerate(columns) if _nullable_json(column)]
    width = len(columns)

    def encode(row) -> list:
        sql_null = {index for index, is_null in zip(checked, row[width:], strict=True) if is_null}
        return [None if index in sql_null or (value is None and index not in json_columns) else encode_value(value)
                for index, (encode_value, value) in enumerate(zip(encoders, row[:width], strict=True))]
    return encode


def row_decoder(columns: list[sa.Column]) -> Callable[[list], dict]:
    """Turns the file's values of a row into parameters for an insert of `columns`."""
    decoders = [(column.key, column_codec(column)[1], sa.null() if isinstance(column.type, sa.JSON) else None)
                for column in columns]

    def decode(values: list) -> dict:
        if len(values) != len(decoders):
            raise BackupError(f"a row of {columns[0].table.name} has {len(values)} values, not {len(decoders)}")
        return {key: null if value is None else decode_value(value)
                for (key, decode_value, null), value in zip(decoders, values, strict=True)}
    return decode


def _line(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


class Writer:
    """Writes the lines of a backup into a binary file, gzip-compressed."""

    def __init__(self, binary: IO[bytes]):
        self._gzip = gzip.GzipFile(fileobj=binary, mode="wb", mtime=0)
        self._text = io.TextIOWrapper(self._gzip, encoding="utf-8", newline="\n")

    def header(self, header: dict) -> None:
        self._text.write(_line({"format": FORMAT_NAME, "version": FORMAT_VERSION, **header}))

    def table(self, name: str) -> None:
        self._text.write(_line({"table": name}))

    def row(self, values: list) -> None:
        self._text.write(_line(values))

    def trailer(self, counts: dict[str, int]) -> None:
        self._text.write(_line({"end": True, "rows": counts}))

    def close(self) -> None:
        self._text.flush()
        self._text.detach()
        self._gzip.close()


class Reader:
    """Reads a backup's lines back: `header` (checked on opening), then `sections()` yields (table name, its rows as
    an iterator of lists), and `trailer` holds the end line once every section was read."""

    def __init__(self, binary: IO[bytes]):
        self._text = io.TextIOWrapper(gzip.GzipFile(fileobj=binary, mode="rb"), encoding="utf-8")
        self._number = 0
        self._ahead: Any = _NOTHING
        self.trailer: dict | None = None
        first = self._take()
        if not isinstance(first, dict) or first.get("format") != FORMAT_NAME:
            raise BackupError("this is not a Shelter Monitor backup (no backup header on its first line)")
        if first.get("version") != FORMAT_VERSION:
            raise BackupError(f"the backup has format version {first.get('version')}; this version of Shelter "
                              f"Monitor reads version {FORMAT_VERSION}")
        self.header = first

    def _take(self) -> Any:
        """The next line's value (None at the end of the file), or the one a row iterator looked ahead at."""
        if self._ahead is not _NOTHING:
            item, self._ahead = self._ahead, _NOTHING
            return item
        try:
            line = self._text.readline()
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise BackupError(f"the backup file cannot be read after line {self._number}: {error}") from error
        if not line:
            return None
        self._number += 1
        try:
            return json.loads(line)
        except json.JSONDecodeError as error:
            raise BackupError(f"line {self._number} of the backup is not JSON ({error.msg}): the file is damaged "
                              "or truncated") from error

    def sections(self) -> Iterator[tuple[str, Iterator[list]]]:
        while True:
            item = self._take()
            if item is None:
                raise BackupError(f"the backup ends after line {self._number} without its end line: the file is "
                                  "truncated")
            if isinstance(item, dict) and item.get("end") is True:
                self.trailer = item
                return
            if not (isinstance(item, dict) and isinstance(item.get("table"), str)):
                raise BackupError(f"line {self._number} of the backup should start a table")
            rows = self._rows()
            yield item["table"], rows
            for _ in rows:  # the rows the caller did not read
                pass

    def _rows(self) -> Iterator[list]:
        while True:
            item = self._take()
            if not isinstance(item, list):
                self._ahead = item
                return
            yield item


_NOTHING = object()
