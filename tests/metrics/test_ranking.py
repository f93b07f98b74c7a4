"""The Złoty Lajk ranking: categories, filters, tie-breaks, stored runs and their fingerprints, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ratusz.collect.models import Post
from ratusz.errors import RatuszError
from ratusz.metrics.models import RankingRun
from ratusz.metrics.ranking import (
    RankingParams,
    compute_ranking,
    parse_period,
    parse_size_class,
    parse_voivodeship,
    run_ranking,
    verify_run,
)
from tests.factories import make_followers, make_post, make_profile, make_unit

START, END = date(2025, 3, 1), date(2025, 3, 31)


def params(category: str = "active", **kw) -> RankingParams:
    return RankingParams(category=category, period_start=START, period_end=END, **kw)


def add_profile(posts: int, interactions: int, followers: int | None, **unit_kw):
    """A profile with `posts` own posts in March 2025, each with `interactions` (all reactions)."""
    p = make_profile(make_unit(**unit_kw))
    if followers is not None:
        make_followers(p, date(2025, 2, 1), followers)
    for k in range(posts):
        make_post(p, datetime(2025, 3, 1 + k % 28, 9, k % 60, tzinfo=UTC), reactions_total=interactions,
                  comments_count=0, shares_count=0)
    return p


@pytest.fixture
def field(db):
    """Five profiles: A and B tie on posts (B has more interactions); C posts least but engages most."""
    return {
        "A": add_profile(12, 10, 1000),
        "B": add_profile(12, 20, 4000),
        "C": add_profile(10, 50, 1000, woj_code="14", woj_name="mazowieckie", size_class="50-100k"),
        "D": add_profile(3, 100, 1000),  # below the Love post threshold (10)
        "E": add_profile(11, 10, None),  # no follower snapshots: engagement unknown
    }


def test_active_ranks_by_posts_then_interactions_then_profile_id(field):
    result = compute_ranking(params("active"))
    order = [r["profile_id"] for r in result.rows]
    assert order == [field[k].pk for k in ("B", "A", "E", "C", "D")]
    assert result.rows[1]["tied_on_score"] is True  # A ties with B on posts; interactions decide
    assert "Kolejność: liczba postów, potem interakcje" in result.explanation


def test_active_full_tie_is_broken_by_profile_id(db):
    first = add_profile(2, 5, 100)
    second = add_profile(2, 5, 100)
    rows = compute_ranking(params("active")).rows
    assert [r["profile_id"] for r in rows] == [first.pk, second.pk]


def test_love_ranks_by_engagement_among_eligible_profiles(field):
    result = compute_ranking(params("love"))
    assert [r["profile_id"] for r in result.rows] == [field[k].pk for k in ("C", "A", "B")]
    c = result.rows[0]
    # C: 10 posts on 10 days, 50 interactions each, 1000 followers → mean of 31 days = 10·0.05/31
    assert c["engagement"] == pytest.approx(10 * 0.05 / 31)
    assert c["engagement_pct"] == pytest.approx(round(100 * 10 * 0.05 / 31, 4))
    assert result.excluded == {"too_few_posts": 1, "too_few_followers": 1, "engagement_unknown": 0}
    assert "Sklasyfikowano 3 z 5 profili" in result.explanation


def test_love_thresholds_can_be_lowered(field):
    result = compute_ranking(params("love", min_posts=1))
    # D (3 posts × 100 / 1000 followers = 0.3 per month) now ranks between C (0.5) and A (0.12).
    assert [r["profile_id"] for r in result.rows][:2] == [field["C"].pk, field["D"].pk]


def test_filters_voivodeship_by_name_without_diacritics_and_size_class(field):
    rows = compute_ranking(params("active", voivodeship="Mazowieckie")).rows
    assert [r["profile_id"] for r in rows] == [field["C"].pk]
    rows = compute_ranking(params("active", voivodeship="dolnoslaskie", size_class="20–50k")).rows
    assert {r["profile_id"] for r in rows} == {field[k].pk for k in ("A", "B", "D", "E")}
    assert compute_ranking(params("active", voivodeship="14")).rows[0]["profile_id"] == field["C"].pk


def test_region_ranks_voivodeship_and_powiat_profiles_only(field):
    powiat = add_profile(10, 30, 1000, level="powiat", kind="powiat")
    woj = add_profile(10, 10, 1000, level="wojewodztwo", kind="województwo")
    result = compute_ranking(params("region"))
    assert [r["profile_id"] for r in result.rows] == [powiat.pk, woj.pk]
    with pytest.raises(RatuszError, match="tylko profile jednostek poziomu"):
        compute_ranking(params("region", level="gmina"))


def test_role_and_platform_filters(field):
    head = make_profile(field["A"].unit, role="head")
    make_post(head, datetime(2025, 3, 5, 10, tzinfo=UTC))
    assert [r["profile_id"] for r in compute_ranking(params("active", role="head")).rows] == [head.pk]
    with pytest.raises(RatuszError, match="Żaden aktywny profil"):
        compute_ranking(params("active", platform="youtube"))


def test_stored_run_reproduces_and_a_changed_count_changes_the_fingerprint(field):
    run = run_ranking(params("love"))
    assert run.method_version and len(run.input_fingerprint) == 64 and run.row_count == 3
    again = run_ranking(params("love"))
    assert again.input_fingerprint == run.input_fingerprint
    assert [(e.rank, e.profile_id, e.score) for e in again.entries.all()] == [
        (e.rank, e.profile_id, e.score) for e in run.entries.all()]
    assert verify_run(run.pk)["reproduced"] is True
    # One more comment under one of A's posts: the order stays, the fingerprint must not.
    post = Post.objects.filter(profile=field["A"]).order_by("id").first()
    Post.objects.filter(pk=post.pk).update(comments_count=1)
    check = verify_run(run.pk)
    assert check["reproduced"] is False
    assert check["fingerprint_now"] != run.input_fingerprint


def test_counts_moved_between_posts_still_change_the_fingerprint(field):
    fp = compute_ranking(params("active")).fingerprint
    a, b = Post.objects.filter(profile=field["A"]).order_by("id")[:2]
    Post.objects.filter(pk=a.pk).update(reactions_total=9)
    Post.objects.filter(pk=b.pk).update(reactions_total=11)  # same sum for the profile
    assert compute_ranking(params("active")).fingerprint != fp


def test_a_failed_run_stores_nothing(field):
    with pytest.raises(RatuszError):
        run_ranking(params("love", min_posts=1000))
    assert RankingRun.objects.count() == 0


# --- bad input: one clear sentence each ----------------------------------------------------------


def test_parse_period_forms_and_errors():
    assert parse_period("2025-01-01..2025-12-31") == (date(2025, 1, 1), date(2025, 12, 31))
    assert parse_period("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    assert parse_period("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    with pytest.raises(RatuszError, match="jest pusty"):
        parse_period("2025-12-31..2025-01-01")
    with pytest.raises(RatuszError, match="Nie rozumiem okresu"):
        parse_period("last year")


def test_period_in_the_future_is_refused(db):
    with pytest.raises(RatuszError, match="w przyszłości"):
        compute_ranking(RankingParams("active", date(2099, 1, 1), date(2099, 12, 31)))
    with pytest.raises(RatuszError, match="kończy się dziś lub w przyszłości"):
        compute_ranking(params("active"), today=date(2025, 3, 15))


def test_unknown_voivodeship_and_size_class_list_the_values():
    with pytest.raises(RatuszError, match="Nie znam województwa „Mazowsze”; dostępne: dolnośląskie"):
        parse_voivodeship("Mazowsze")
    assert parse_voivodeship("województwo Łódzkie") == "10"
    with pytest.raises(RatuszError, match="dostępne: <5k, 5-10k"):
        parse_size_class("huge")
    assert parse_size_class("≥ 500k") == ">=500k"


def test_unknown_category_level_kind_role(db):
    for kw, text in ((dict(category="best"), "kategorii"), (dict(level="miasto"), "poziom"),
                     (dict(kind="metropolia"), "rodzaj"), (dict(role="mayor"), "rola")):
        p = params(**({"category": "active"} | kw))
        with pytest.raises(RatuszError, match=text):
            compute_ranking(p)


def test_no_eligible_profiles_says_why(field):
    with pytest.raises(RatuszError) as info:
        compute_ranking(params("love", min_posts=100))
    message = info.value.message
    assert "z 5 pasujących profili 5 ma mniej niż 100 własnych postów" in message
    assert "--min-posts" in message
    assert info.value.details["excluded"]["too_few_posts"] == 5
