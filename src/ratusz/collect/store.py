"""Writes of collected data: upserts by platform id, one post with all its comments in one transaction.

Running the same collection twice leaves the database as after one run (nothing twice); a post is either
stored with every comment that could be read or not at all (nothing half-written).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import connections, models, router, transaction

from ratusz.collect.collectors.base import CommentData, PostData
from ratusz.collect.models import REACTION_TYPES, Comment, FollowerSnapshot, Post, PostCountSnapshot
from ratusz.registry.models import Profile

_COMMENT_UPDATE_FIELDS = [
    "created_at",
    "text",
    "author_key",
    "is_from_profile",
    "likes_count",
    "replies_count",
]


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


def upsert(
    model: type[models.Model], rows: list[dict[str, Any]], unique: list[str], update: list[str]
) -> None:
    """Insert rows, or update `update` fields of rows that already exist by the `unique` fields.

    One `INSERT … ON CONFLICT … DO UPDATE` statement run with executemany (same SQL on SQLite and
    PostgreSQL): far cheaper than the ORM's bulk_create for the millions of comments of a large run. Every
    concrete field is written (defaults for those not given), so new fields of the model need no change here.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    by_name = {f.name: f for f in fields}
    defaults = {f.name: f.get_default() for f in fields}
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    conflict = ", ".join(q(by_name[n].column) for n in unique)
    updates = ", ".join(f"{q(by_name[n].column)} = excluded.{q(by_name[n].column)}" for n in update)
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({columns}) VALUES ({placeholders}) "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    )
    # Only dates and JSON need the field's conversion; strings, numbers and booleans go to the driver as they are.
    convert = [f if isinstance(f, _CONVERTED) else None for f in fields]
    names = [f.name for f in fields]
    params = []
    for row in rows:
        values = [row.get(name, defaults[name]) for name in names]
        params.append(
            [
                c.get_db_prep_save(v, connection) if c is not None else v
                for c, v in zip(convert, values, strict=True)
            ]
        )
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


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
    upsert(Post, [row], ["profile", "platform_id"], update)
    post_id = (
        Post.objects.filter(profile=profile, platform_id=data.platform_id).values_list("id", flat=True).get()
    )
    snapshot = {"post": post_id, "taken_at": snapshot_at, "reactions": dict(data.reactions) or None, **counts}
    upsert(PostCountSnapshot, [snapshot], ["post", "taken_at"], _SNAPSHOT_UPDATE_FIELDS)
    if not comments:
        return post_id, 0
    unique = {c.platform_id: c for c in comments}  # a comment listed twice is stored once
    upsert(
        Comment,
        [
            {
                "post": post_id,
                "platform_id": c.platform_id,
                "created_at": c.created_at,
                "text": c.text,
                "author_key": c.author_key,
                "is_from_profile": c.is_from_profile,
                "likes_count": c.likes_count,
                "replies_count": c.replies_count,
            }
            for c in unique.values()
        ],
        ["post", "platform_id"],
        _COMMENT_UPDATE_FIELDS,
    )
    replies = [c for c in unique.values() if c.parent_platform_id]
    if replies:
        ids = dict(Comment.objects.filter(post_id=post_id).values_list("platform_id", "id"))
        # A reply whose parent was not readable (skipped) stays top-level rather than pointing nowhere.
        links = [
            (ids[c.parent_platform_id], ids[c.platform_id])
            for c in replies
            if c.parent_platform_id in ids and c.parent_platform_id != c.platform_id
        ]
        if links:
            connection = connections[router.db_for_write(Comment)]
            q = connection.ops.quote_name
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {q(Comment._meta.db_table)} SET {q('parent_id')} = %s WHERE {q('id')} = %s",
                    links,
                )
    return post_id, len(unique)


def atomic():  # noqa: ANN201
    """Return a transaction context (kept here so collectors never import django.db)."""
    return transaction.atomic()
