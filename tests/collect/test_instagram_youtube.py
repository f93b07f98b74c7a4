"""Instagram and YouTube collection against their loopback APIs, and the YouTube quota budget."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ratusz.collect.models import Comment, Post
from ratusz.collect.run_models import CollectionLogEntry, QuotaUsage
from ratusz.collect.runner import collect_profiles
from ratusz.registry.models import Profile
from tests.collect.conftest import make_connected_profiles
from tests.collect.expect import db_matches
from tests.collect.fakegraph import Dataset

pytestmark = pytest.mark.django_db


def since(data: Dataset):
    return (data.start - timedelta(days=1)).date()


def test_instagram_media_comments_replies_and_followers_exactly(fake_server):
    server = fake_server(Dataset(platform="instagram", accounts=2, posts=7, comments=6), short_pages=True)
    run = collect_profiles(make_connected_profiles(server), since=since(server.data))
    assert run.status == "ok", list(CollectionLogEntry.objects.values_list("message", flat=True))
    assert db_matches(server.data) == []
    post = Post.objects.get(platform_id=server.data.post_id(0, 1))
    assert (
        post.format == "reel" and post.reactions_love is None and post.reactions_total == post.reactions_like
    )
    assert Comment.objects.filter(is_from_profile=True).exists()


def test_instagram_dead_token_marks_profile(fake_server):
    server = fake_server(Dataset(platform="instagram", accounts=1, posts=2, comments=1))
    profiles = make_connected_profiles(server)
    server.dead_tokens.add(server.data.token(0))
    collect_profiles(profiles, since=since(server.data))
    assert Profile.objects.get(pk=profiles[0].pk).connection_state == "needs_reconnect"


def test_youtube_videos_threads_and_subscribers_exactly_with_quota_counted(fake_server):
    server = fake_server(Dataset(platform="youtube", accounts=2, posts=7, comments=6))
    run = collect_profiles(make_connected_profiles(server), since=since(server.data))
    assert run.status == "ok", list(CollectionLogEntry.objects.values_list("message", flat=True))
    assert db_matches(server.data) == []
    post = Post.objects.get(platform_id=server.data.post_id(1, 3))
    assert post.views_count == post.reactions_like * 10 and post.format == "video"
    assert QuotaUsage.objects.get(api="youtube").units == server.requests  # 1 unit per list call


def test_youtube_stops_at_the_daily_budget_and_resumes_the_next_day(fake_server, monkeypatch):
    data = Dataset(platform="youtube", accounts=1, posts=6, comments=2)
    server = fake_server(data)
    monkeypatch.setenv("RATUSZ_YOUTUBE_DAILY_QUOTA", "5")
    profiles = make_connected_profiles(server)
    run = collect_profiles(profiles, since=since(data))
    assert run.status == "failed" and server.requests == 5
    assert "budżet YouTube" in CollectionLogEntry.objects.get(kind="quota").message
    QuotaUsage.objects.all().delete()  # a new Pacific day
    monkeypatch.setenv("RATUSZ_YOUTUBE_DAILY_QUOTA", "10000")
    run = collect_profiles(profiles, since=since(data))
    assert run.status == "ok" and db_matches(data) == []


def test_youtube_quota_exceeded_answer_stops_the_profile(fake_server):
    server = fake_server(Dataset(platform="youtube", accounts=1, posts=2, comments=1))
    server.add_fault(r"/commentThreads$", {"kind": "yt_error", "status": 403, "reason": "quotaExceeded"})
    run = collect_profiles(make_connected_profiles(server), since=since(server.data))
    assert run.status == "failed"
    assert CollectionLogEntry.objects.filter(kind="quota").exists()


@pytest.mark.django_db(transaction=True)
def test_daily_task_is_queued_and_run_by_the_database_worker(fake_server):
    from django.core.management import call_command

    from ratusz.collect.run_models import CollectionRun
    from ratusz.collect.tasks import collect_all_profiles

    server = fake_server(Dataset(accounts=2, posts=3, comments=2))
    make_connected_profiles(server)
    result = collect_all_profiles.enqueue(since=since(server.data).isoformat())
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == "SUCCESSFUL", result.errors
    assert result.return_value["status"] == "ok" and result.return_value["posts"] == 6
    assert CollectionRun.objects.get().trigger == "task"
    assert db_matches(server.data) == []
