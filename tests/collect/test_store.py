"""Writing a post with its comment threads: links in any listing order, nothing twice, nothing dangling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from ratusz.collect import store
from ratusz.collect.collectors.base import CommentData, PostData
from ratusz.collect.models import Comment, Post, PostCountSnapshot
from tests.factories import make_profile

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def comment(cid: str, parent: str | None = None, text: str = "") -> CommentData:
    return CommentData(
        platform_id=cid,
        created_at=T0 + timedelta(minutes=int(cid[1:])),
        text=text or f"komentarz {cid}",
        author_key="a" * 32,
        is_from_profile=False,
        parent_platform_id=parent,
        likes_count=1,
        replies_count=None,
    )


def save(profile, comments):  # noqa: ANN001, ANN201
    post = PostData(platform_id="p1", published_at=T0, text="post", reactions={"like": 3}, reactions_total=3)
    with transaction.atomic():
        return store.save_post(profile, post, comments, counts_at=T0, snapshot_at=T0)


def parents() -> dict[str, str | None]:
    return {c.platform_id: c.parent.platform_id if c.parent else None for c in Comment.objects.all()}


def test_threads_are_linked_whatever_the_listing_order():
    profile = make_profile()
    listed = [
        comment("c5", "c4"),  # a reply to a reply, listed before both
        comment("c4", "c1"),
        comment("c1"),
        comment("c2", "c2"),  # names itself: stays top-level
        comment("c3", "c9"),  # its parent was never readable: stays top-level
        comment("c7", "c6"),  # its parent comes later and is itself a reply to an unreadable one
        comment("c6", "c8"),
        comment("c1", text="listed twice"),
    ]
    post_id, saved = save(profile, listed)
    assert saved == 7 and Post.objects.get().pk == post_id
    assert parents() == {"c1": None, "c2": None, "c3": None, "c4": "c1", "c5": "c4", "c6": None, "c7": "c6"}
    assert Comment.objects.get(platform_id="c1").text == "listed twice"


def test_saving_again_updates_in_place_and_keeps_a_link_to_a_parent_stored_before():
    profile = make_profile()
    save(profile, [comment("c1"), comment("c2", "c1")])
    ids = dict(Comment.objects.values_list("platform_id", "id"))
    # next run: the parent could not be read this time (skipped), the reply was edited
    _, saved = save(profile, [comment("c2", "c1", text="poprawione")])
    assert saved == 1
    assert dict(Comment.objects.values_list("platform_id", "id")) == ids  # nothing twice
    assert parents() == {"c1": None, "c2": "c1"}
    assert Comment.objects.get(platform_id="c2").text == "poprawione"
    assert PostCountSnapshot.objects.count() == 1 and Post.objects.count() == 1


def test_stored_times_read_back_as_the_same_moment():
    profile = make_profile()
    save(profile, [comment("c1")])
    assert Comment.objects.get().created_at == T0 + timedelta(minutes=1)
    assert Post.objects.get().published_at == T0
