"""Hand-computed examples for every metric of the method (see ratusz.metrics.definitions)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ratusz.metrics import metrics
from tests.factories import make_followers, make_post, make_profile, make_unit

START, END = date(2025, 3, 1), date(2025, 3, 10)


def reactions(like=0, love=0, care=0, haha=0, wow=0, sad=0, angry=0) -> dict:
    return {f"reactions_{k}": v for k, v in
            dict(like=like, love=love, care=care, haha=haha, wow=wow, sad=sad, angry=angry).items()}


@pytest.fixture
def profile(db):
    """One profile with three own posts in 2025-03-01..10, one shared post and one older photo post."""
    p = make_profile(make_unit())
    make_followers(p, date(2025, 2, 28), 1000)
    make_followers(p, date(2025, 3, 2), 2000)
    # Before the period: the overperformance benchmark of later photo posts (I = 10).
    make_post(p, datetime(2025, 2, 1, 12, tzinfo=UTC), format="photo", comments_count=0, shares_count=0,
              **reactions(like=10))
    # 11:00 in Warsaw on 1 March: 14 reactions (sum of the types), 5 comments, 1 share → I = 20, ER 20/1000.
    make_post(p, datetime(2025, 3, 1, 10, tzinfo=UTC), format="photo", comments_count=5, shares_count=1,
              counts_at=datetime(2025, 3, 20, tzinfo=UTC), **reactions(like=10, love=2, wow=1, angry=1))
    # 23:30 UTC on 1 March is 00:30 on 2 March in Warsaw: that day's followers (2000) → ER 40/2000.
    make_post(p, datetime(2025, 3, 1, 23, 30, tzinfo=UTC), format="text", reactions_total=30,
              comments_count=6, shares_count=4)
    # Comments unknown → interactions unknown (not 30 + 0 + 0), and that day leaves the mean.
    make_post(p, datetime(2025, 3, 3, 12, tzinfo=UTC), format="video", reactions_total=5, shares_count=0,
              followers_at_posting=500)
    # A shared post of another page is listed, never counted.
    make_post(p, datetime(2025, 3, 4, 12, tzinfo=UTC), format="shared", is_own=False, reactions_total=999,
              comments_count=999, shares_count=999)
    return p


def test_activity_counts_own_posts_in_the_warsaw_calendar(profile):
    s = metrics.profile_summary(profile, START, END)
    assert s["posts"] == 3
    assert s["posts_per_day"] == pytest.approx(0.3)
    # 1 March 00:30 Warsaw time is 28 Feb 23:30 UTC: in the period although its UTC date is not.
    make_post(profile, datetime(2025, 2, 28, 23, 30, tzinfo=UTC), format="photo")
    assert metrics.profile_summary(profile, START, END)["posts"] == 4
    # 11 March 00:30 Warsaw (10 March 23:30 UTC) is outside.
    make_post(profile, datetime(2025, 3, 10, 23, 30, tzinfo=UTC), format="photo")
    assert metrics.profile_summary(profile, START, END)["posts"] == 4


def test_interactions_and_their_parts(profile):
    s = metrics.profile_summary(profile, START, END)
    assert s["reactions"] == 14 + 30 + 5
    assert s["comments"] == 5 + 6  # the third post's comments are unknown
    assert s["shares"] == 1 + 4 + 0
    assert s["interactions"] == 20 + 40  # only posts whose every part is known
    assert s["posts_with_interactions"] == 2
    assert s["reactions_by_type"]["like"] == 10 and s["reactions_by_type"]["angry"] == 1
    assert any("1 z 3 postów" in note for note in s["missing"])


def test_engagement_rate_of_a_post_uses_followers_at_posting(profile):
    rows = {r["format"]: r for r in metrics.post_rows(profile, START, END)}
    assert rows["photo"]["interactions"] == 20 and rows["photo"]["followers"] == 1000
    assert rows["photo"]["er"] == pytest.approx(0.02)
    assert rows["text"]["followers"] == 2000 and rows["text"]["er"] == pytest.approx(0.02)
    assert rows["video"]["followers"] == 500  # the post's own figure wins over snapshots
    assert rows["video"]["interactions"] is None and rows["video"]["er"] is None


def test_profile_engagement_is_the_mean_of_daily_rates_days_without_posts_count_zero(profile):
    s = metrics.profile_summary(profile, START, END)
    # Days 1 and 2 March: 0.02 each; 3 March unknown (left out); 7 other days: 0 → 0.04 / 9.
    assert s["engagement"] == pytest.approx(0.04 / 9)


def test_interactions_per_post_per_1000_followers(profile):
    s = metrics.profile_summary(profile, START, END)
    assert s["followers"] == 2000
    assert s["interactions_per_post_per_1000"] == pytest.approx(60 / 2 / 2000 * 1000)


def test_sotrender_interactivity_index_and_relative_index(profile):
    s = metrics.profile_summary(profile, START, END)
    # 1·49 reactions + 4·11 comments + 8·1 text post + 12·2 media posts + 16·5 shares
    assert s["sii"] == 49 + 44 + 8 + 24 + 80
    assert s["sii_relative"] == pytest.approx(205 / 2000 * 1000)  # no fans figure → followers
    make_followers(profile, date(2025, 3, 5), 2000, fans=1000)
    assert metrics.profile_summary(profile, START, END)["sii_relative"] == pytest.approx(205.0)


def test_follower_growth_is_weekly_and_geometric(profile):
    s = metrics.profile_summary(profile, START, END)
    assert s["followers_start"] == 1000
    assert s["follower_growth"] == pytest.approx(2 ** (7 / 10) - 1)


def test_reaction_mood_and_undefined_mood(profile):
    s = metrics.profile_summary(profile, START, END)
    # only the first post has every type: (2 love + 1 wow − 1 angry) ÷ (14 − 10 likes)
    assert s["reaction_mood"] == pytest.approx(0.5)
    rows = {r["format"]: r for r in metrics.post_rows(profile, START, END)}
    assert rows["photo"]["reaction_mood"] == pytest.approx(0.5)
    assert rows["text"]["reaction_mood"] is None  # types unknown
    only_likes = make_post(profile, datetime(2025, 3, 6, 9, tzinfo=UTC), comments_count=0, shares_count=0,
                           **reactions(like=7))
    assert metrics.post_metrics(only_likes)["reaction_mood"] is None  # denominator 0


def test_overperformance_against_the_last_posts_of_the_same_format(profile):
    photo = next(r for r in metrics.post_rows(profile, START, END) if r["format"] == "photo")
    assert photo["expected"] == pytest.approx(10.0) and photo["expected_posts"] == 1
    assert photo["overperformance"] == pytest.approx(2.0)
    assert photo["provisional"] is False  # counts 19 days after publication
    text = next(r for r in metrics.post_rows(profile, START, END) if r["format"] == "text")
    assert text["expected"] is None and text["overperformance"] is None  # no earlier text post
    assert text["provisional"] is True  # counts of unknown age


def test_page_performance_index_caps_the_top_ten_percent():
    rows = [{"engagement": float(i), "follower_growth": float(i)} for i in range(1, 21)]
    metrics.add_ppi(rows)
    # 20 profiles: the best two (top 10 %) reach 100 %; the 9th has percentile 9/20 → 0.45/0.9 = 0.5.
    assert rows[19]["ppi"] == pytest.approx(100.0) and rows[18]["ppi"] == pytest.approx(100.0)
    assert rows[8]["engagement_percentile"] == pytest.approx(0.5)
    assert rows[8]["ppi"] == pytest.approx(50.0)
    lone = [{"engagement": 0.1, "follower_growth": None}]
    metrics.add_ppi(lone)
    assert lone[0]["ppi"] is None


def test_profile_without_follower_snapshots_has_missing_engagement(db):
    p = make_profile()
    make_post(p, datetime(2025, 3, 2, 10, tzinfo=UTC), reactions_total=3, comments_count=1, shares_count=0)
    s = metrics.profile_summary(p, START, END)
    assert s["interactions"] == 4
    assert s["engagement"] is None and s["interactions_per_post_per_1000"] is None
    assert any("Brak stanów obserwujących" in n for n in s["missing"])


def test_series_for_the_profile_charts(profile):
    days = metrics.profile_days(profile, START, END)
    assert len(days) == 10
    assert days[0]["engagement"] == pytest.approx(0.02) and days[2]["engagement"] is None
    assert days[5]["engagement"] == 0.0 and days[5]["posts"] == 0
    weeks = metrics.weekly_posts(profile, START, END)
    # 1–2 March are Sat–Sun of the week starting 24 Feb; 3–9 March; 10 March starts a new week.
    assert [(w["week"], w["posts"]) for w in weeks] == [
        (date(2025, 2, 24), 2), (date(2025, 3, 3), 1), (date(2025, 3, 10), 0)]
    mood = metrics.reaction_mood_series(profile, START, END)
    assert mood[0]["mood"] == pytest.approx(0.5) and mood[1]["mood"] is None
    eng = metrics.weekly_engagement(profile, START, END)
    assert eng[0]["engagement"] == pytest.approx(0.02)  # mean of 0.02 and 0.02
    parts = metrics.interactions_by_type(profile, START, END)
    assert parts["comments"] == 11 and parts["love"] == 2


def test_peer_percentiles_within_the_size_class(db):
    unit_kw = {"kind": "gmina miejska", "size_class": "20-50k"}
    profiles = []
    for i, n in enumerate([1, 2, 3, 4]):
        p = make_profile(make_unit(**unit_kw))
        make_followers(p, date(2025, 2, 1), 1000 * (i + 1))
        for k in range(n):
            make_post(p, datetime(2025, 3, 2 + k, 10, tzinfo=UTC), reactions_total=10, comments_count=0,
                      shares_count=0)
        profiles.append(p)
    other = make_profile(make_unit(kind="gmina wiejska", size_class="20-50k"))
    make_post(other, datetime(2025, 3, 2, 10, tzinfo=UTC))
    result = metrics.peer_percentiles(profiles[2], START, END)
    assert result["peers"] == 4
    assert result["metrics"]["posts"]["value"] == 3
    assert result["metrics"]["posts"]["percentile"] == pytest.approx(0.75)


def test_local_date_sql_matches_the_warsaw_calendar_across_summer_time(db):
    from datetime import timedelta

    from django.db import connection

    from ratusz.collect.models import Post

    p = make_profile()
    instants = []
    for day in (date(2025, 3, 29), date(2025, 3, 30), date(2025, 7, 1), date(2025, 10, 25), date(2025, 10, 26),
                date(2025, 12, 31)):
        for minutes in range(0, 24 * 60, 30):
            instants.append(datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(minutes=minutes))
    for i, ts in enumerate(instants):
        make_post(p, ts, platform_id=f"tz-{i}")
    expr = metrics.local_date_sql("p.published_at", 2025, 2025)
    with connection.cursor() as cur:
        cur.execute(f"SELECT p.id, {expr} FROM collect_post p WHERE p.profile_id = %s", [p.pk])
        got = {pid: str(d) for pid, d in cur.fetchall()}
    for post in Post.objects.filter(profile=p):
        assert got[post.pk] == post.published_at.astimezone(metrics.WARSAW).date().isoformat(), post.published_at
