"""The few writes on the ballot page's hot path, as SQL written once instead of compiled by the ORM per request.

Compiling an ORM insert or update costs more than the database spends running it; at thousands of voters a
minute that dominated the server's CPU. Statements are built from the models' metadata and every value goes
through the field's own `get_db_prep_save`, so SQLite and PostgreSQL store exactly what the ORM would store.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import datetime

from django.db import connection, models


@functools.cache
def _insert_sql(model: type[models.Model], names: tuple[str, ...], rows: int, vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(n).column) for n in names)
    one = "(" + ", ".join(["%s"] * len(names)) + ")"
    return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES {', '.join([one] * rows)}"


def insert(model: type[models.Model], rows: Sequence[Mapping[str, object]]) -> None:
    """Insert rows (field attname -> Python value; every row with the same keys) in one statement."""
    if not rows:
        return
    names = tuple(rows[0])
    fields = [model._meta.get_field(n) for n in names]
    params = [f.get_db_prep_save(row[n], connection) for row in rows for f, n in zip(fields, names, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(model, names, len(rows), connection.vendor), params)


def execute(sql: str, params: Sequence[object]) -> int:
    """Run one statement (table names from `table()`); return the number of rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def table(model: type[models.Model]) -> str:
    """Return the quoted table name of a model."""
    return connection.ops.quote_name(model._meta.db_table)


def moment(value: datetime) -> object:
    """Return an aware datetime as the database stores it (a parameter to compare with datetime columns)."""
    return connection.ops.adapt_datetimefield_value(value)
