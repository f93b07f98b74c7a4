"""Fast bulk inserts of plain row tuples: `executemany` on SQLite, `COPY … FROM STDIN` on PostgreSQL.

Django's `bulk_create` builds a model instance per row and a parameter list per batch; for tens of millions of
demo rows that costs more than the database itself. The writer takes tuples of the columns it was given and
fills every other column of the model with the field's default, prepared once, so a field added to the model
later (with a default) does not break it. Ids are assigned by the caller (see `IdAllocator`), so child rows can
point at their parents before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection, models


class TableWriter:
    """Insert rows (tuples in the order of `fields`, given as attnames like "post_id") into a model's table."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        meta = model._meta
        concrete = [f for f in meta.concrete_fields]
        by_attname = {f.attname: f for f in concrete}
        unknown = [f for f in fields if f not in by_attname]
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {unknown}")
        self.fields = list(fields)
        self.extra = [f for f in concrete if f.attname not in self.fields and not f.primary_key]
        self.extra_values = tuple(f.get_db_prep_save(f.get_default(), connection) for f in self.extra)
        columns = [by_attname[f].column for f in self.fields] + [f.column for f in self.extra]
        qn = connection.ops.quote_name
        self.table = meta.db_table
        self.column_sql = ", ".join(qn(c) for c in columns)
        self.vendor = connection.vendor
        self.sqlite_converters: list[tuple[int, Any]] = []
        if self.vendor == "sqlite":
            for i, name in enumerate(self.fields):
                field = by_attname[name]
                if isinstance(field, models.DateTimeField):
                    self.sqlite_converters.append((i, _sqlite_datetime))
                elif isinstance(field, models.DateField):
                    self.sqlite_converters.append((i, _sqlite_date))
                elif isinstance(field, models.JSONField):
                    self.sqlite_converters.append((i, _sqlite_json))
            placeholders = ", ".join(["?"] * len(columns))
            self.sql = f"INSERT INTO {qn(self.table)} ({self.column_sql}) VALUES ({placeholders})"
        elif self.vendor == "postgresql":
            self.sql = f"COPY {qn(self.table)} ({self.column_sql}) FROM STDIN"
        else:
            self.sql = ""

    def write(self, rows: list[tuple]) -> int:
        """Insert the rows in the current transaction; return how many were written."""
        if not rows:
            return 0
        extra = self.extra_values
        if self.vendor == "sqlite":
            # Values already given as strings (the demo's "YYYY-MM-DD HH:MM:SS") need no conversion.
            converters = [(i, conv) for i, conv in self.sqlite_converters if not isinstance(rows[0][i], str)]
            if converters:
                converted = []
                for row in rows:
                    r = list(row)
                    for i, conv in converters:
                        if r[i] is not None:
                            r[i] = conv(r[i])
                    converted.append((*r, *extra))
                payload = converted
            else:
                payload = [(*r, *extra) for r in rows]
            connection.ensure_connection()
            connection.connection.executemany(self.sql, payload)
        elif self.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
                for row in rows:
                    copy.write_row((*row, *extra))
        else:  # any other backend: the portable, slower way
            objs = [self.model(**dict(zip(self.fields, row, strict=True))) for row in rows]
            for obj in objs:
                for f in self.model._meta.concrete_fields:
                    if isinstance(f, models.JSONField) and isinstance(getattr(obj, f.attname), str):
                        setattr(obj, f.attname, json.loads(getattr(obj, f.attname)))
            self.model.objects.bulk_create(objs, batch_size=2000)
        return len(rows)


def _sqlite_datetime(value: datetime) -> str:
    # Django's SQLite backend stores naive UTC as str(datetime): "YYYY-MM-DD HH:MM:SS[.ffffff]".
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


def _sqlite_date(value: date) -> str:
    return value.isoformat()


def _sqlite_json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class IdAllocator:
    """Hands out primary keys for a model, starting after the largest id in its table."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        largest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        self.next = (largest or 0) + 1

    def take(self, n: int = 1) -> int:
        """Reserve n consecutive ids; return the first."""
        first = self.next
        self.next += n
        return first

    def sync_sequence(self) -> None:
        """On PostgreSQL move the id sequence past the ids written, so later ordinary inserts do not collide."""
        if connection.vendor != "postgresql":
            return  # SQLite's AUTOINCREMENT follows explicit ids by itself
        table = self.model._meta.db_table
        pk = self.model._meta.pk.column
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, (SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 1) FROM {connection.ops.quote_name(table)})))",
                [table, pk, self.next - 1],
            )
