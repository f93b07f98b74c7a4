"""Invariants of the method, checked on generated data in the real database (hypothesis)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ratusz.metrics import metrics
from tests.factories import make_followers, make_post, make_profile, make_unit

START, END = date(2025, 3, 1), date(2025, 3, 31)
DB_SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

count = st.one_of(st.none(), st.integers(min_value=0, max_value=10_000))
post = st.fixed_dictionaries({
    "minute": st.integers(min_value=0, max_value=31 * 24 * 60 - 121),  # anywhere in March, Warsaw time
    "reactions_total": count,
    "comments_count": count,
    "shares_count": count,
    "format": st.sampled_from(["text", "photo", "video", "link"]),
})
followers = st.integers(min_value=1, max_value=2_000_000)


def _create(profile, spec: dict, followers_factor: int = 1, followers_at_posting: int | None = None):
    return make_post(
        profile,
        datetime(2025, 3, 1, tzinfo=UTC) + timedelta(minutes=spec["minute"]),
        reactions_total=spec["reactions_total"],
        comments_count=spec["comments_count"],
        shares_count=spec["shares_count"],
        format=spec["format"],
        followers_at_posting=None if followers_at_posting is None else followers_at_posting * followers_factor,
    )


@pytest.mark.django_db
@DB_SETTINGS
@given(posts=st.lists(post, max_size=8), extra=post, f=followers)
def test_adding_a_post_never_lowers_a_profiles_interactions(posts, extra, f):
    p = make_profile(make_unit())
    make_followers(p, date(2025, 2, 1), f)
    for spec in posts:
        _create(p, spec)
    before = metrics.profile_summary(p, START, END)
    _create(p, extra)
    after = metrics.profile_summary(p, START, END)
    assert after["posts"] == before["posts"] + 1
    parts = {"reactions": extra["reactions_total"], "comments": extra["comments_count"],
             "shares": extra["shares_count"]}
    parts["interactions"] = None if None in parts.values() else sum(parts.values())
    for key, added in parts.items():
        if before[key] is not None and after[key] is not None:
            assert after[key] >= before[key]
        if added is not None:  # a known count always makes the profile's sum known and not lower
            assert after[key] == (before[key] or 0) + added
        elif before["posts"]:
            assert after[key] == before[key]  # an unknown count leaves the known sum as it was
        else:
            assert after[key] is None  # the only post's count is unknown: unknown, not 0


@pytest.mark.django_db
@DB_SETTINGS
@given(posts=st.lists(post, min_size=1, max_size=8), f=followers,
       own=st.lists(st.one_of(st.none(), followers), min_size=8, max_size=8))
def test_doubling_followers_halves_engagement(posts, f, own):
    single, double = make_profile(make_unit()), make_profile(make_unit())
    for profile, factor in ((single, 1), (double, 2)):
        make_followers(profile, date(2025, 2, 1), f * factor)
        make_followers(profile, date(2025, 3, 15), (f + 7) * factor)
        for spec, fap in zip(posts, own, strict=False):
            _create(profile, spec, factor, fap)
    a = metrics.profile_summary(single, START, END)
    b = metrics.profile_summary(double, START, END)
    if a["engagement"] is None:
        assert b["engagement"] is None
    else:
        assert b["engagement"] == pytest.approx(a["engagement"] / 2, rel=1e-12)
    for ra, rb in zip(metrics.post_rows(single, START, END), metrics.post_rows(double, START, END), strict=True):
        assert (ra["er"] is None) == (rb["er"] is None)
        if ra["er"] is not None:
            assert rb["er"] == pytest.approx(ra["er"] / 2, rel=1e-12)


@pytest.mark.django_db
@DB_SETTINGS
@given(posts=st.lists(post, min_size=1, max_size=6), f=followers)
def test_a_missing_count_stays_missing(posts, f):
    p = make_profile(make_unit())
    make_followers(p, date(2025, 2, 1), f)
    for spec in posts:
        _create(p, spec)
    rows = metrics.post_rows(p, START, END)
    for spec, row in zip(sorted(posts, key=lambda s: s["minute"]), rows, strict=True):
        parts = (spec["reactions_total"], spec["comments_count"], spec["shares_count"])
        if any(v is None for v in parts):
            assert row["interactions"] is None and row["er"] is None
        else:
            assert row["interactions"] == sum(parts)
    s = metrics.profile_summary(p, START, END)
    complete = [s_ for s_ in posts if None not in (s_["reactions_total"], s_["comments_count"], s_["shares_count"])]
    if complete:
        assert s["interactions"] == sum(x["reactions_total"] + x["comments_count"] + x["shares_count"]
                                        for x in complete)
    else:
        # Never read as 0: no post with known counts means unknown interactions and engagement.
        assert s["interactions"] is None and s["engagement"] is None
    for key, field in (("comments", "comments_count"), ("shares", "shares_count")):
        known = [x[field] for x in posts if x[field] is not None]
        assert s[key] == (sum(known) if known else None)
