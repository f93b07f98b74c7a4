"""Writes of collected data: upserts by platform id, one post with all its comments in one transaction.

Running the same collection twice leaves the database as after one run (nothing twice); a post is either
stored with every comment that could be read or not at all (nothing half-written).
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from ratusz.collect.collectors.base import CommentData, PostData
from ratusz.collect.models import Comment, FollowerSnapshot, Post, PostCountSnapshot
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


def save_post(
    profile: Profile,
    data: PostData,
    comments: list[CommentData],
    *,
    counts_at: datetime,
    snapshot_at: datetime,
    source: str = "api",
) -> tuple[Post, int]:
    """Upsert a post, its count snapshot of the day and all its comments; return (post, comments saved).

    Must run inside a transaction (the caller also records progress in it).
    """
    reactions = {f"reactions_{k}": v for k, v in data.reactions.items()}
    post, _ = Post.objects.update_or_create(
        profile=profile,
        platform_id=data.platform_id,
        defaults={
            "published_at": data.published_at,
            "text": data.text,
            "format": data.format,
            "permalink": data.permalink[:1000],
            "is_own": data.is_own,
            **reactions,
            "reactions_total": data.reactions_total,
            "comments_count": data.comments_count,
            "shares_count": data.shares_count,
            "views_count": data.views_count,
            "counts_at": counts_at,
            "raw": data.raw,
            "source": source,
        },
    )
    PostCountSnapshot.objects.update_or_create(
        post=post,
        taken_at=snapshot_at,
        defaults={
            "reactions": {k: v for k, v in data.reactions.items()} or None,
            "reactions_total": data.reactions_total,
            "comments_count": data.comments_count,
            "shares_count": data.shares_count,
            "views_count": data.views_count,
        },
    )
    if comments:
        unique = {c.platform_id: c for c in comments}  # a comment listed twice is stored once
        Comment.objects.bulk_create(
            [
                Comment(
                    post=post,
                    platform_id=c.platform_id,
                    created_at=c.created_at,
                    text=c.text,
                    author_key=c.author_key,
                    is_from_profile=c.is_from_profile,
                    likes_count=c.likes_count,
                    replies_count=c.replies_count,
                )
                for c in unique.values()
            ],
            update_conflicts=True,
            unique_fields=["post", "platform_id"],
            update_fields=_COMMENT_UPDATE_FIELDS,
            batch_size=500,
        )
        ids = dict(Comment.objects.filter(post=post).values_list("platform_id", "id"))
        threaded = []
        for c in unique.values():
            # A reply whose parent was not readable (skipped) stays top-level rather than pointing nowhere.
            parent_id = ids.get(c.parent_platform_id) if c.parent_platform_id else None
            if parent_id is not None and parent_id != ids[c.platform_id]:
                threaded.append(Comment(id=ids[c.platform_id], parent_id=parent_id))
        if threaded:
            Comment.objects.bulk_update(threaded, ["parent"], batch_size=500)
    return post, len({c.platform_id for c in comments})


def atomic():  # noqa: ANN201
    """Return a transaction context (kept here so collectors never import django.db)."""
    return transaction.atomic()
