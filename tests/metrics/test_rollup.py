"""The daily rollup (metrics_profileday): rankings read it, and it never disagrees with the posts."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratusz.collect.models import FollowerSnapshot, Post
from ratusz.metrics import metrics, rollup
from ratusz.metrics.models import ProfileDay, RollupQueue
from ratusz.metrics.ranking import RankingParams, compute_ranking, run_ranking, verify_run
from tests.factories import make_followers, make_post, make_profile, make_unit

START, END = date(2025, 3, 1), date(2025, 3, 31)
TODAY = date(2025, 6, 1)
DB_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _same_figures(a: list[dict], b: list[dict]) -> None:
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert x.keys() == y.keys()
        for k in x:
            if isinstance(x[k], float) or isinstance(y[k], float):
                assert x[k] == pytest.approx(y[k], rel=1e-12, abs=1e-15), k
            else:
                assert x[k] == y[k], k


def _assert_rollup_equals_posts(start: date = START, end: date = END) -> None:
    by_rollup = metrics.aggregate_profiles(start, end)
    by_posts = metrics.aggregate_profiles(start, end, source="posts")
    _same_figures(by_rollup, by_posts)
    assert rollup.check() == []
    for category in ("active", "love"):
        params = RankingParams(category, start, end, min_posts=1, min_followers=0)
        try:
            a = compute_ranking(params, today=TODAY)
        except Exception as exc:  # noqa: BLE001 - both sources must fail the same way
            with pytest.raises(type(exc)):
                compute_ranking(params, today=TODAY, source="posts")
            continue
        b = compute_ranking(params, today=TODAY, source="posts")
        assert a.fingerprint == b.fingerprint
        assert [r["profile_id"] for r in a.rows] == [r["profile_id"] for r in b.rows]


def test_triggers_are_installed_and_queue_every_kind_of_write(db):
    assert rollup.installed_triggers() >= set(rollup.TRIGGER_NAMES)
    p = make_profile(make_unit())
    make_followers(p, date(2025, 2, 1), 1000)
    post = make_post(p, datetime(2025, 3, 5, 22, 30, tzinfo=UTC), reactions_total=5, comments_count=1,
                     shares_count=0)
    assert RollupQueue.objects.exists()
    rollup.refresh_pending()
    assert not RollupQueue.objects.exists()
    # 22:30 UTC on 5 March is 23:30 in Warsaw: still 5 March; the rate uses the snapshot of 1 February.
    day = ProfileDay.objects.get(profile=p)
    assert (day.day, day.posts, day.interactions, day.followers) == (date(2025, 3, 5), 1, 6, 1000)
    assert day.rate == pytest.approx(6 / 1000)
    # A bulk update sends no Django signal; the trigger still sees it.
    Post.objects.filter(pk=post.pk).update(comments_count=11)
    assert RollupQueue.objects.exists()
    assert metrics.profile_summary(p, START, END)["interactions"] == 16
    # So does raw SQL, and a follower snapshot changes the days after it.
    with connection.cursor() as cur:
        cur.execute("UPDATE collect_followersnapshot SET followers = 2000 WHERE profile_id = %s", [p.pk])
    assert metrics.profile_summary(p, START, END)["engagement"] == pytest.approx(16 / 2000 / 31)
    Post.objects.filter(pk=post.pk).delete()
    assert metrics.profile_summary(p, START, END)["posts"] == 0
    assert not ProfileDay.objects.filter(profile=p).exists()


def test_a_post_moved_to_another_day_leaves_its_old_day(db):
    p = make_profile(make_unit())
    make_followers(p, date(2025, 2, 1), 1000)
    post = make_post(p, datetime(2025, 3, 5, 10, tzinfo=UTC), reactions_total=5, comments_count=1, shares_count=0)
    rollup.refresh_pending()
    Post.objects.filter(pk=post.pk).update(published_at=datetime(2025, 3, 20, 10, tzinfo=UTC))
    days = [d["day"] for d in metrics.profile_days(p, START, END) if d["posts"]]
    assert days == [date(2025, 3, 20)]
    _assert_rollup_equals_posts()


def test_whole_months_of_a_period():
    assert metrics._whole_months(date(2025, 1, 1), date(2025, 12, 31)) == (date(2025, 1, 1), date(2025, 12, 1))
    assert metrics._whole_months(date(2025, 1, 2), date(2025, 3, 30)) == (date(2025, 2, 1), date(2025, 2, 1))
    assert metrics._whole_months(date(2025, 1, 2), date(2025, 2, 27)) is None
    assert metrics._whole_months(date(2024, 12, 31), date(2025, 2, 28)) == (date(2025, 1, 1), date(2025, 2, 1))


def test_rebuild_and_check_from_the_command_line(db):
    from tests.metrics.test_api_cli import _cli

    p = make_profile(make_unit())
    make_followers(p, date(2025, 2, 1), 1000)
    for k in range(3):
        make_post(p, datetime(2025, 3, 1 + k, 10, tzinfo=UTC), reactions_total=k, comments_count=0, shares_count=0)
    rollup.refresh_pending()
    ProfileDay.objects.filter(profile=p).update(interactions=999)  # a hand edit of derived rows
    result = _cli("metrics", "rollup", "--check")
    assert result.exit_code == 1 and "ratusz metrics rollup --rebuild" in result.output
    result = _cli("metrics", "rollup", "--rebuild", "--check")
    assert result.exit_code == 0, result.output
    assert "3 dni z postami" in result.output and "zgodne z postami" in result.output
    assert ProfileDay.objects.filter(profile=p).count() == 3


def test_verify_can_recompute_a_stored_run_from_the_posts(db):
    p = make_profile(make_unit())
    make_followers(p, date(2025, 2, 1), 1000)
    for k in range(12):
        make_post(p, datetime(2025, 3, 1 + k, 10, tzinfo=UTC), reactions_total=k, comments_count=1, shares_count=0)
    run = run_ranking(RankingParams("love", START, END), today=TODAY)
    assert verify_run(run.pk, source="posts")["reproduced"] is True
    assert verify_run(run.pk)["reproduced"] is True


def test_missing_triggers_come_back_with_a_rebuilt_rollup(db):
    p = make_profile(make_unit())
    make_followers(p, date(2025, 2, 1), 1000)
    make_post(p, datetime(2025, 3, 1, 10, tzinfo=UTC), reactions_total=1, comments_count=0, shares_count=0)
    rollup.refresh_pending()
    rollup.drop_triggers()
    Post.objects.update(comments_count=5)  # unseen: no trigger
    assert rollup.ensure_triggers() is True
    assert rollup.installed_triggers() >= set(rollup.TRIGGER_NAMES)
    assert ProfileDay.objects.get(profile=p).interactions == 6


# --- property: after any sequence of writes the rollup ranks exactly like the posts ---------------

_bulk_ids = itertools.count()
count = st.one_of(st.none(), st.integers(min_value=0, max_value=5_000))
moment = st.integers(min_value=-2 * 24 * 60, max_value=33 * 24 * 60)  # minutes from 1 March 00:00 UTC
write = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 2), moment, count, count, count,
              st.one_of(st.none(), st.integers(0, 50_000)), st.sampled_from(["text", "photo"]), st.booleans()),
    st.tuples(st.just("bulk_create"), st.integers(0, 2), st.lists(st.tuples(moment, count), min_size=1, max_size=4)),
    st.tuples(st.just("update_counts"), st.integers(0, 30), count, count),
    st.tuples(st.just("move"), st.integers(0, 30), moment),
    st.tuples(st.just("flip_own"), st.integers(0, 30)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("snapshot"), st.integers(0, 2), st.integers(-40, 35), st.one_of(st.none(), st.integers(0, 9_000))),
    st.tuples(st.just("drop_snapshot"), st.integers(0, 10)),
    st.tuples(st.just("refresh")),
)


def _apply(op: tuple, profiles: list) -> None:
    kind = op[0]
    posts = list(Post.objects.order_by("id").values_list("id", flat=True))
    t0 = datetime(2025, 3, 1, tzinfo=UTC)
    if kind == "create":
        _, who, minute, r, c, s, fap, fmt, own = op
        make_post(profiles[who], t0 + timedelta(minutes=minute), reactions_total=r, comments_count=c, shares_count=s,
                  followers_at_posting=fap, format=fmt, is_own=own)
    elif kind == "bulk_create":  # no Django signal at all
        _, who, specs = op
        Post.objects.bulk_create([
            Post(profile=profiles[who], platform_id=f"bulk-{next(_bulk_ids)}", published_at=t0 + timedelta(minutes=m),
                 reactions_total=r, comments_count=0, shares_count=0, format="photo")
            for m, r in specs])
    elif kind == "update_counts" and posts:
        Post.objects.filter(pk=posts[op[1] % len(posts)]).update(reactions_total=op[2], shares_count=op[3])
    elif kind == "move" and posts:
        Post.objects.filter(pk=posts[op[1] % len(posts)]).update(published_at=t0 + timedelta(minutes=op[2]))
    elif kind == "flip_own" and posts:
        post = Post.objects.get(pk=posts[op[1] % len(posts)])
        post.is_own = not post.is_own
        post.save()
    elif kind == "delete" and posts:
        Post.objects.filter(pk=posts[op[1] % len(posts)]).delete()
    elif kind == "snapshot":
        _, who, offset, followers = op
        FollowerSnapshot.objects.update_or_create(profile=profiles[who], date=START + timedelta(days=offset),
                                                  defaults={"followers": followers})
    elif kind == "drop_snapshot":
        snaps = list(FollowerSnapshot.objects.order_by("id").values_list("id", flat=True))
        if snaps:
            FollowerSnapshot.objects.filter(pk=snaps[op[1] % len(snaps)]).delete()
    elif kind == "refresh":
        rollup.refresh_pending()


@pytest.mark.django_db
@DB_SETTINGS
@given(ops=st.lists(write, min_size=1, max_size=25))
def test_rollup_rankings_equal_raw_post_rankings_after_random_writes(ops):
    profiles = [make_profile(make_unit()) for _ in range(3)]
    for op in ops:
        _apply(op, profiles)
    _assert_rollup_equals_posts()  # one whole month: the monthly rows
    _assert_rollup_equals_posts(date(2025, 3, 10), date(2025, 3, 12))  # days only
    _assert_rollup_equals_posts(date(2025, 2, 27), date(2025, 4, 1))  # days, a month, days


def test_a_file_import_leaves_the_rollup_up_to_date_when_it_commits(db, tmp_path):
    """The importer sends collect.signals.posts_stored at the end of its transaction: nothing stays queued."""
    from ratusz.collect.importing.service import import_file
    from tests.collect_import.conftest import post_line, write_jsonl

    path = write_jsonl(tmp_path / "posts.jsonl", [
        post_line(1), post_line(2, published_at="2025-03-01T23:30:00+01:00"),
        post_line(3, published_at="2025-03-02T00:30:00+01:00", comments_count=None),
    ])
    import_file(path, "jsonl")
    assert not RollupQueue.objects.exists()
    days = {d.day: (d.posts, d.interactions, d.posts_with_interactions) for d in ProfileDay.objects.all()}
    assert days == {date(2025, 3, 1): (2, 34, 2), date(2025, 3, 2): (1, None, 0)}
    assert rollup.check() == []


def test_demo_data_and_its_deletion_leave_the_rollup_up_to_date(db):
    """The demo generator sends collect.signals.posts_stored at the end of each batch's transaction."""
    from ratusz.demo.generator import DemoOptions, delete_demo, generate
    from ratusz.registry.services import load_register

    load_register()
    generate(DemoOptions(profiles=4, months=1, end_date=date(2025, 3, 31), seed=5, comments=False))
    assert not RollupQueue.objects.exists()
    assert ProfileDay.objects.exists() and rollup.check() == []
    delete_demo()
    assert not RollupQueue.objects.exists() and not ProfileDay.objects.exists()
