"""Writes of collected data: upserts by platform id, one post with all its comments in one transaction.

Running the same collection twice leaves the database as after one run (nothing twice); a post is either
stored with every comment that could be read or not at all (nothing half-written).

The SQL is `INSERT … ON CONFLICT … DO UPDATE … RETURNING`, the same on SQLite (3.35+) and PostgreSQL, built
once per table and reused: a post costs a few statements (post, count snapshot, its comments per thread
level: one multi-row statement on SQLite, one pipelined executemany on PostgreSQL) and no ORM query.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from django.db import connections, models, router, transaction

from ratusz.collect.collectors.base import CommentData, PostData
from ratusz.collect.models import REACTION_TYPES, Comment, FollowerSnapshot, Post, PostCountSnapshot
from ratusz.registry.models import Profile

_COMMENT_UPDATE_FIELDS = [
    "parent",
    "created_at",
    "text",
    "author_key",
    "is_from_profile",
    "likes_count",
    "replies_count",
]
#: Rows per multi-row INSERT (columns × rows stays far below SQLite's and PostgreSQL's parameter limits).
CHUNK_ROWS = 500


def save_followers(
    profile: Profile, day: date, followers: int | None, fans: int | None, taken_at: datetime
) -> None:
    """Upsert the profile's follower snapshot of one day (the latest reading of the day wins)."""
    FollowerSnapshot.objects.update_or_create(
        profile=profile,
        date=day,
        defaults={"followers": followers, "fans": fans, "source": "api", "taken_at": taken_at},
    )


_CONVERTED = (models.DateField, models.JSONField, models.DecimalField, models.UUIDField, models.DurationField)


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    """Return the function that turns a Python value into the driver's value for one column (None: as is).

    Aware datetimes take a short path (what Django's adapters do for them: a naive UTC string on SQLite, the
    value itself on PostgreSQL); anything else goes through the field's own get_db_prep_save.
    """
    if not isinstance(field, _CONVERTED):
        return None  # strings, numbers and booleans go to the driver as they are
    slow = field.get_db_prep_save
    if isinstance(field, models.DateTimeField):
        sqlite = connection.vendor == "sqlite"

        def datetime_value(value: Any) -> Any:
            if value.__class__ is datetime and value.tzinfo is not None:
                if not sqlite:
                    return value
                if value.tzinfo is not UTC:
                    value = value.astimezone(UTC)
                return value.replace(tzinfo=None).isoformat(" ")  # = str() of the naive value
            return slow(value, connection)

        return datetime_value
    return lambda value: slow(value, connection)


class _Upsert:
    """The prepared `INSERT … ON CONFLICT … DO UPDATE` of one table, for one set of updated fields."""

    def __init__(
        self,
        model: type[models.Model],
        unique: Sequence[str],
        update: Sequence[str],
        returning: Sequence[str],
        alias: str,
    ) -> None:
        self.alias = alias
        connection = connections[alias]
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        by_name = {f.name: f for f in fields}
        q = connection.ops.quote_name
        self.index = {f.name: i for i, f in enumerate(fields)}
        self.convert = [_converter(f, connection) for f in fields]
        self.defaults = [
            None if (d := f.get_default()) is None else (c(d) if c else d)
            for f, c in zip(fields, self.convert, strict=True)
        ]
        # Callable defaults (a time, a new UUID) are evaluated per row, like the ORM does.
        self.dynamic = [(i, f) for i, f in enumerate(fields) if f.has_default() and callable(f.default)]
        self.row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        conflict = ", ".join(q(by_name[n].column) for n in unique)
        updates = ", ".join(f"{q(by_name[n].column)} = excluded.{q(by_name[n].column)}" for n in update)
        self.head = (
            f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(f.column) for f in fields)}) VALUES "
        )
        self.tail = f" ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
        if returning:
            self.tail += " RETURNING " + ", ".join(
                q(by_name[n].column if n in by_name else n) for n in returning
            )
        self.returning = bool(returning)
        self.pipelined = connection.vendor == "postgresql"

    def values(self, row: dict[str, Any]) -> list[Any]:
        """Return the row's parameters in column order (defaults for the fields it does not give)."""
        out = self.defaults.copy()
        index, convert = self.index, self.convert
        for i, f in self.dynamic:
            default = f.get_default()
            out[i] = default if convert[i] is None or default is None else convert[i](default)
        for name, value in row.items():
            i = index[name]
            c = convert[i]
            out[i] = value if c is None or value is None else c(value)
        return out

    def execute(self, rows: list[dict[str, Any]]) -> list[tuple]:
        """Write the rows; return the RETURNING rows, if any.

        SQLite: one multi-row statement per CHUNK_ROWS rows. PostgreSQL: the one-row statement run with
        executemany in one pipeline (psycopg re-parses a long multi-row statement on every call, which costs
        more than the writing).
        """
        result: list[tuple] = []
        with connections[self.alias].cursor() as cursor:
            if self.pipelined:
                import psycopg

                # psycopg's own cursor with server-side parameters (Django's cursor binds them on the client,
                # a quarter slower here, and its executemany cannot return rows)
                with psycopg.Cursor(cursor.cursor.connection) as raw:
                    raw.executemany(
                        self.head + self.row_sql + self.tail,
                        [self.values(row) for row in rows],
                        returning=self.returning,
                    )
                    while self.returning:
                        result.extend(raw.fetchall())
                        if not raw.nextset():
                            break
                return result
            for at in range(0, len(rows), CHUNK_ROWS):
                chunk = rows[at : at + CHUNK_ROWS]
                params = [v for row in chunk for v in self.values(row)]
                cursor.execute(self.head + ", ".join([self.row_sql] * len(chunk)) + self.tail, params)
                if self.returning:
                    result.extend(cursor.fetchall())
        return result


@lru_cache(maxsize=64)
def _prepared(
    model: type[models.Model],
    unique: tuple[str, ...],
    update: tuple[str, ...],
    returning: tuple[str, ...],
    alias: str,
) -> _Upsert:
    return _Upsert(model, unique, update, returning, alias)


def upsert(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    unique: list[str],
    update: list[str],
    returning: Sequence[str] = (),
) -> list[tuple]:
    """Insert rows, or update `update` fields of rows that already exist by the `unique` fields.

    Multi-row `INSERT … ON CONFLICT … DO UPDATE` statements (same SQL on SQLite and PostgreSQL): far cheaper
    than the ORM's bulk_create for the millions of comments of a large run. Every concrete field is written
    on insert (defaults for those not given), so new fields of the model need no change here. Rows must be
    unique by `unique` (one statement may not update a row twice). Returns the `returning` columns of every
    written row (inserted or updated) when asked.
    """
    if not rows:
        return []
    alias = router.db_for_write(model)
    return _prepared(model, tuple(unique), tuple(update), tuple(returning), alias).execute(rows)


_POST_UPDATE_FIELDS = [
    "published_at",
    "text",
    "format",
    "permalink",
    "is_own",
    *(f"reactions_{r}" for r in REACTION_TYPES),
    "reactions_total",
    "comments_count",
    "shares_count",
    "views_count",
    "counts_at",
    "raw",
    "source",
]
_SNAPSHOT_UPDATE_FIELDS = ["reactions", "reactions_total", "comments_count", "shares_count", "views_count"]


def _comment_row(post_id: int, c: CommentData, parent_id: int | None) -> dict[str, Any]:
    return {
        "post": post_id,
        "platform_id": c.platform_id,
        "parent": parent_id,
        "created_at": c.created_at,
        "text": c.text,
        "author_key": c.author_key,
        "is_from_profile": c.is_from_profile,
        "likes_count": c.likes_count,
        "replies_count": c.replies_count,
    }


def _save_comments(post_id: int, comments: list[CommentData]) -> int:
    """Upsert a post's comments with their thread links; return how many distinct comments were written.

    Comments go in thread levels (top-level first, then replies whose parent id is known), so a reply is
    written with its parent in the same statement instead of being linked by a later UPDATE. A reply whose
    parent was not readable (skipped) and is not already stored stays top-level rather than pointing nowhere.
    """
    unique = {c.platform_id: c for c in comments}  # a comment listed twice is stored once
    ids: dict[str, int] = {}

    def write(batch: list[CommentData], parents: dict[str, int]) -> None:
        rows = [_comment_row(post_id, c, parents.get(c.parent_platform_id or "")) for c in batch]
        ids.update(
            upsert(Comment, rows, ["post", "platform_id"], _COMMENT_UPDATE_FIELDS, ("platform_id", "id"))
        )

    level = []
    rest = []
    for c in unique.values():
        (rest if c.parent_platform_id and c.parent_platform_id != c.platform_id else level).append(c)
    write(level, ids)
    while rest:
        ready = [c for c in rest if c.parent_platform_id in ids]
        if not ready:
            break
        rest = [c for c in rest if c.parent_platform_id not in ids]
        write(ready, ids)
    if rest:  # parents outside this listing (skipped now, or replies to each other): look them up
        wanted = {c.parent_platform_id for c in rest}
        known = dict(
            Comment.objects.filter(post_id=post_id, platform_id__in=wanted).values_list("platform_id", "id")
        )
        write(rest, known)
        links = [
            (ids[c.parent_platform_id], ids[c.platform_id])
            for c in rest
            if c.parent_platform_id not in known and c.parent_platform_id in ids
        ]
        if links:
            connection = connections[router.db_for_write(Comment)]
            q = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {q(Comment._meta.db_table)} SET {q('parent_id')} = %s WHERE {q('id')} = %s",
                    links,
                )
    return len(unique)


def save_post(
    profile: Profile,
    data: PostData,
    comments: list[CommentData],
    *,
    counts_at: datetime,
    snapshot_at: datetime,
    source: str = "api",
) -> tuple[int, int]:
    """Upsert a post, its count snapshot of the day and all its comments; return (post id, comments saved).

    Must run inside a transaction (the caller also records progress in it).
    """
    counts = {
        "reactions_total": data.reactions_total,
        "comments_count": data.comments_count,
        "shares_count": data.shares_count,
        "views_count": data.views_count,
    }
    row = {
        "profile": profile.pk,
        "platform_id": data.platform_id,
        "published_at": data.published_at,
        "text": data.text,
        "format": data.format,
        "permalink": data.permalink[:1000],
        "is_own": data.is_own,
        **{f"reactions_{k}": v for k, v in data.reactions.items() if k in REACTION_TYPES},
        **counts,
        "counts_at": counts_at,
        "raw": data.raw,
        "source": source,
    }
    update = [f for f in _POST_UPDATE_FIELDS if f in row]
    ((post_id,),) = upsert(Post, [row], ["profile", "platform_id"], update, ("id",))
    snapshot = {"post": post_id, "taken_at": snapshot_at, "reactions": dict(data.reactions) or None, **counts}
    upsert(PostCountSnapshot, [snapshot], ["post", "taken_at"], _SNAPSHOT_UPDATE_FIELDS)
    if not comments:
        return post_id, 0
    return post_id, _save_comments(post_id, comments)


def atomic():  # noqa: ANN201
    """Return a transaction context (kept here so collectors never import django.db)."""
    return transaction.atomic()
