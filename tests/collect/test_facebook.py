"""Facebook collection against the loopback Graph API: exact contents, paging, threading, privacy."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ratusz.collect.models import Comment, Post, PostCountSnapshot
from ratusz.collect.run_models import CollectionCursor, CollectionLogEntry, CursorState
from ratusz.collect.runner import collect_profiles
from tests.collect.conftest import make_connected_profiles
from tests.collect.expect import db_matches
from tests.collect.fakegraph import Dataset

pytestmark = pytest.mark.django_db


def since(data: Dataset):
    return (data.start - timedelta(days=1)).date()


def test_collects_every_post_comment_reaction_and_follower_count_exactly(fake_server):
    server = fake_server(Dataset(accounts=2, posts=9, comments=7))
    profiles = make_connected_profiles(server)
    run = collect_profiles(profiles, since=since(server.data))
    assert run.status == "ok", list(CollectionLogEntry.objects.values_list("message", flat=True))
    assert db_matches(server.data) == []
    assert run.items_saved == 18 and run.comments_saved == 18 * 7
    assert Post.objects.filter(format="photo").exists() and Post.objects.filter(format="text").exists()
    assert run.requests == server.requests


def test_second_run_changes_nothing_and_duplicates_nothing(fake_server):
    server = fake_server(Dataset(accounts=1, posts=6, comments=5))
    profiles = make_connected_profiles(server)
    collect_profiles(profiles, since=since(server.data))
    before = (Post.objects.count(), Comment.objects.count(), PostCountSnapshot.objects.count())
    collect_profiles(profiles, since=since(server.data), refresh=True)
    assert (Post.objects.count(), Comment.objects.count(), PostCountSnapshot.objects.count()) == before
    assert db_matches(server.data) == []


def test_windows_done_today_are_not_fetched_again(fake_server):
    server = fake_server(Dataset(accounts=1, posts=6, comments=2))
    profiles = make_connected_profiles(server)
    collect_profiles(profiles, since=since(server.data))
    first = server.requests
    collect_profiles(profiles, since=since(server.data))
    assert server.requests - first == 1  # only today's follower snapshot
    assert not CollectionCursor.objects.exclude(state=CursorState.DONE).exists()


def test_short_and_empty_pages_are_not_the_end(fake_server):
    server = fake_server(Dataset(accounts=1, posts=12, comments=60), short_pages=True)
    profiles = make_connected_profiles(server)
    collect_profiles(profiles, since=since(server.data))
    assert db_matches(server.data) == []


def test_threads_and_page_replies_are_kept_and_authors_pseudonymised(fake_server):
    server = fake_server(Dataset(accounts=1, posts=2, comments=10))
    profiles = make_connected_profiles(server)
    collect_profiles(profiles, since=since(server.data))
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.count() == 2 * 3  # k = 2, 5, 8 of each post
    assert Comment.objects.filter(is_from_profile=True).count() == 2 * 2  # k = 4, 9
    assert not Comment.objects.filter(author_key__startswith="user").exists()
    raw = json.dumps(list(Post.objects.values_list("raw", flat=True)))
    assert "Jan Kowalski" not in raw and "user" not in raw


def test_unknown_reaction_type_is_kept_in_total_and_logged(fake_server):
    data = Dataset(accounts=1, posts=3, comments=1)
    pid = data.post_id(0, 1)
    data.thankful[pid] = 4
    server = fake_server(data)
    collect_profiles(make_connected_profiles(server), since=since(data))
    post = Post.objects.get(platform_id=pid)
    assert post.reactions_total == sum(data.reactions(0, 1).values()) + 4
    assert CollectionLogEntry.objects.filter(item_id=pid, message__contains="nieznanego typu").exists()
    assert db_matches(data) == []
