"""Fast bulk writes of plain rows: COPY on PostgreSQL, executemany elsewhere.

`Model.objects.bulk_create` builds a model instance per row, which dominates the time of million-row imports
and snapshot writes; these helpers take tuples in the order of `fields` and write them in the caller's
transaction. They bypass `save()` and field defaults, so callers pass every non-null column (datetimes through
`db_datetime`); the database constraints still hold.
"""

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import islice

from django.db import connection, transaction
from django.db.models import Field, Model

BATCH = 10_000

SqlValue = bool | int | float | Decimal | str | bytes | dt.date | dt.datetime | None  # what the drivers adapt
Row = tuple[SqlValue, ...]  # one row's column values, ordered like the `fields` of bulk_insert


def _columns(model: type[Model], fields: list[str]) -> list[str]:
    columns = []
    for name in fields:
        field = model._meta.get_field(name)
        if not isinstance(field, Field) or field.column is None:
            raise TypeError(f"{model.__name__}.{name} is not a column")
        columns.append(field.column)
    return columns


def db_datetime(value: dt.datetime) -> SqlValue:
    """An aware datetime as the backend stores it (SQLite keeps naive UTC text): pass this to bulk_insert."""
    return connection.ops.adapt_datetimefield_value(value)


def _batches[T](rows: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def bulk_insert(model: type[Model], fields: list[str], rows: Iterable[Row]) -> int:
    """Insert `rows` (tuples ordered like `fields`) into `model`'s table; return how many were written."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(c) for c in _columns(model, fields))
    written = 0
    # One transaction (or a savepoint inside the caller's): outside one, SQLite commits every row of executemany.
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        # Decimal and date values are adapted by the driver (Django registers the SQLite adapters).
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (quoted model names)
        for batch in _batches(rows, BATCH):
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def chunked[T](values: Iterable[T], size: int = 900) -> Iterator[list[T]]:
    """Split a lookup list into chunks that fit in one IN (...) clause on every backend."""
    return _batches(values, size)


def refresh_statistics(*models: type[Model]) -> None:
    """Tell the query planner about tables a bulk write just changed. Right after a million-row load PostgreSQL
    still believes the tables are tiny and picks hash joins over whole tables for paginated lists; autovacuum
    would catch up only later."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA optimize")
