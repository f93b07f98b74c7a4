"""Every fault class of the platform, served by the loopback server: the run goes on and says what happened."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ratusz.collect.collectors.http import Limiter, parse_usage
from ratusz.collect.models import Comment, FollowerSnapshot, Post
from ratusz.collect.run_models import CollectionCursor, CollectionLogEntry, CursorState
from ratusz.collect.runner import Runner, collect_profiles
from ratusz.registry.models import Profile
from tests.collect.conftest import make_connected_profiles
from tests.collect.expect import db_matches
from tests.collect.fakegraph import Dataset

pytestmark = pytest.mark.django_db


def since(data: Dataset):
    return (data.start - timedelta(days=1)).date()


def messages(**filters) -> list[str]:
    return list(CollectionLogEntry.objects.filter(**filters).values_list("message", flat=True))


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "status", "status": 500},
        {"kind": "status", "status": 503, "json": False},
        {"kind": "malformed"},
        {"kind": "error", "code": 2, "message": "Service temporarily unavailable", "status": 500},
        {"kind": "sleep", "seconds": 2.5},  # longer than RATUSZ_COLLECT_TIMEOUT=2
    ],
    ids=["500", "503-html", "malformed-json", "graph-code-2", "timeout"],
)
def test_transient_failures_are_retried_and_nothing_is_lost(fake_server, fault):
    server = fake_server(Dataset(accounts=1, posts=4, comments=3))
    server.add_fault(r"/published_posts$", fault)
    server.add_fault(r"_2/comments$", fault)
    run = collect_profiles(make_connected_profiles(server), since=since(server.data))
    assert run.status == "ok", messages()
    assert db_matches(server.data) == []


@pytest.mark.parametrize("code", [4, 17, 32, 613, 80001, 80014])
def test_throttling_codes_back_off_and_then_continue(fake_server, code):
    server = fake_server(Dataset(accounts=1, posts=3, comments=2))
    regain = {
        "X-Business-Use-Case-Usage": '{"1": [{"type": "pages", "call_count": 100, "total_cputime": 5, "total_time": 5, "estimated_time_to_regain_access": 30}]}'
    }
    server.add_fault(r"/comments$", {"kind": "error", "code": code, "message": "limit", "headers": regain})
    run = collect_profiles(make_connected_profiles(server), since=since(server.data))
    assert run.status == "ok"
    assert db_matches(server.data) == []
    assert any("limit" in m and "czekam" in m for m in messages(kind="throttled"))


def test_throttling_that_never_ends_stops_the_profile_keeps_progress_and_resumes(fake_server):
    server = fake_server(Dataset(accounts=2, posts=6, comments=2))
    profiles = make_connected_profiles(server)
    # the first account is throttled for good while reading comments of its fourth-newest post
    server.add_fault(
        f"{server.data.post_id(0, 2)}/comments$", *[{"kind": "error", "code": 80001, "message": "BUC"}] * 10
    )
    run = collect_profiles(profiles, since=since(server.data))
    assert run.status == "partial"
    assert messages(kind="throttled", level="error")
    assert Post.objects.filter(profile=profiles[1]).count() == 6  # the other profile went on
    saved_first = Post.objects.filter(profile=profiles[0]).count()
    assert 0 < saved_first < 6
    server.faults.clear()
    requests_before = server.requests
    run = collect_profiles(profiles, since=since(server.data))
    assert run.status == "ok"
    assert db_matches(server.data) == []
    # resumed: the newest posts, already saved, were not read again
    assert server.requests - requests_before < 2 + (6 - saved_first) * 2 + 2


def test_dead_token_marks_profile_needs_reconnect_and_others_go_on(fake_server):
    server = fake_server(Dataset(accounts=2, posts=3, comments=2))
    profiles = make_connected_profiles(server)
    server.dead_tokens.add(server.data.token(0))
    run = collect_profiles(profiles, since=since(server.data))
    assert run.status == "partial" and run.profiles_failed == 1
    assert Profile.objects.get(pk=profiles[0].pk).connection_state == "needs_reconnect"
    assert Profile.objects.get(pk=profiles[1].pk).connection_state == "ok"
    assert Post.objects.filter(profile=profiles[1]).count() == 3
    assert not Post.objects.filter(profile=profiles[0]).exists()
    entry = CollectionLogEntry.objects.get(profile=profiles[0], kind="token_dead")
    assert "ponownego podłączenia" in entry.message
    assert server.data.token(0) not in " ".join(messages())


def test_post_deleted_between_pages_is_skipped_and_logged(fake_server):
    data = Dataset(accounts=1, posts=5, comments=2)
    gone = data.post_id(0, 3)
    data.deleted.add(gone)
    server = fake_server(data)
    run = collect_profiles(make_connected_profiles(server), since=since(data))
    assert run.status == "ok" and run.items_failed == 1
    assert db_matches(data) == []
    assert "usunięty" in CollectionLogEntry.objects.get(item_id=gone).message


def _drop(key):
    def mutate(item):
        item = dict(item)
        item.pop(key, None)
        return item

    return mutate


def _set(key, value):
    def mutate(item):
        return {**item, key: value}

    return mutate


def test_bad_items_are_skipped_with_the_reason_and_the_run_goes_on(fake_server):
    data = Dataset(accounts=1, posts=6, comments=4)
    data.broken = {
        data.post_id(0, 1): _drop("created_time"),
        data.post_id(0, 2): _set("created_time", "wczoraj"),
        data.post_id(0, 3): _set("shares", {"count": "dużo"}),
        f"{data.post_id(0, 4)}_c1": _drop("id"),
        f"{data.post_id(0, 4)}_c3": _set("like_count", -5),
    }
    server = fake_server(data)
    run = collect_profiles(make_connected_profiles(server), since=since(data))
    assert run.items_failed == 5
    reasons = " | ".join(messages(kind="item_skipped"))
    assert (
        "created_time" in reasons
        and "shares.count" in reasons
        and "like_count" in reasons
        and "„id”" in reasons
    )
    # a comment whose id is missing cannot be named: it is reported under the post
    data.broken.pop(f"{data.post_id(0, 4)}_c1")
    data.broken[f"{data.post_id(0, 4)}_c1"] = _drop("id")
    assert db_matches(data) == []
    assert CollectionCursor.objects.filter(state=CursorState.DONE).exists()


def test_failed_listing_keeps_the_window_for_the_next_run(fake_server):
    server = fake_server(Dataset(accounts=1, posts=4, comments=1))
    server.add_fault(r"/published_posts$", *[{"kind": "status", "status": 500}] * 20)
    run = collect_profiles(make_connected_profiles(server), since=since(server.data))
    assert run.status == "failed"
    assert CollectionCursor.objects.filter(state=CursorState.FAILED).exists()
    assert "HTTP 500" in " ".join(messages(kind="window_failed"))
    server.faults.clear()
    run = collect_profiles(Profile.objects.all(), since=since(server.data))
    assert run.status == "ok" and db_matches(server.data) == []


@pytest.mark.parametrize(
    ("usage", "slowed"),
    [
        ({"app": 10, "buc": 20, "page": 20}, False),
        ({"buc": 95}, True),
        ({"page": 90}, True),
        ({"app": 96}, True),
    ],
)
def test_usage_headers_slow_down_before_the_limit(fake_server, monkeypatch, usage, slowed):
    monkeypatch.setenv("RATUSZ_COLLECT_MAX_WAIT", "0.2")
    server = fake_server(Dataset(accounts=1, posts=2, comments=1), usage=usage)
    runner = Runner(since=since(server.data))
    run = runner.execute(make_connected_profiles(server))
    assert run.status == "ok" and db_matches(server.data) == []
    assert (runner.limiter.waited > 0) is slowed


def test_pacing_grows_towards_the_limit_and_blocks_at_it():
    limiter = Limiter()
    limiter.max_wait = 0.2
    assert limiter.pace("t", 50) == 0
    assert 0 < limiter.pace("t", 90) < limiter.pace("t", 99) <= 0.2
    assert limiter.pace("t", 100, regain_minutes=30) == pytest.approx(0.2)


def test_missing_follower_counts_are_logged_not_stored_as_zero(fake_server):
    data = Dataset(accounts=2, posts=2, comments=1)
    data.followers_missing.add(data.account_id(0))
    server = fake_server(data)
    run = collect_profiles(make_connected_profiles(server), since=since(data))
    assert run.status == "ok" and db_matches(data) == []
    assert not FollowerSnapshot.objects.filter(profile__platform_id=data.account_id(0)).exists()
    assert "nie podała liczby obserwujących" in " ".join(messages(kind="warning"))


def test_parse_usage_reads_all_three_headers():
    import httpx

    headers = httpx.Headers(
        {
            "X-App-Usage": '{"call_count": 12, "total_cputime": 80, "total_time": 3}',
            "X-Business-Use-Case-Usage": '{"123": [{"type": "pages", "call_count": 40, "total_cputime": 1, "total_time": 91, "estimated_time_to_regain_access": 7}]}',
            "X-Page-Usage": '{"call_count": 93, "total_cputime": 1, "total_time": 1}',
        }
    )
    assert parse_usage(headers) == (80, 93, 7)
    assert parse_usage(httpx.Headers({"X-App-Usage": "not json"})) == (0, 0, 0)


def test_comment_counts_of_the_day_are_snapshotted_once(fake_server):
    server = fake_server(Dataset(accounts=1, posts=2, comments=2))
    profiles = make_connected_profiles(server)
    collect_profiles(profiles, since=since(server.data))
    collect_profiles(profiles, since=since(server.data), refresh=True)
    post = Post.objects.first()
    assert post.count_snapshots.count() == 1
    assert Comment.objects.count() == 4


def test_post_deleted_between_two_pages_invalidates_the_cursor_and_the_window_is_listed_again(
    fake_server, monkeypatch
):
    monkeypatch.setenv("RATUSZ_COLLECT_WINDOW_DAYS", "3650")  # one window: the listing order is known
    data = Dataset(accounts=1, posts=20, comments=2)
    server = fake_server(data)
    server.page_size = 3
    profiles = make_connected_profiles(server)
    # the post that ends the first listing page (3 per page) is deleted while its comments are read
    newest = sorted(range(data.posts), key=lambda j: data.post_time(0, j), reverse=True)
    victim = data.post_id(0, newest[2])

    def delete_while_reading_it(path, query):
        if path.endswith(f"/{victim}/comments"):
            data.vanished.add(victim)

    server.on_request = delete_while_reading_it
    run = collect_profiles(profiles, since=since(data))
    assert run.status == "ok", messages()
    assert db_matches(data) == []
    assert "usunięty" in CollectionLogEntry.objects.get(item_id=victim).message
    retry = CollectionLogEntry.objects.get(kind="window_retry")
    assert "Invalid cursor" in retry.message
