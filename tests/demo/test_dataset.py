"""What the demo dataset looks like: coverage of the register, realistic shapes, privacy, valid rows."""

from __future__ import annotations

import math
import re
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from django.db.models import Count, Max, Min, Q, Sum

from ratusz.collect.models import REACTION_TYPES, Comment, FollowerSnapshot, Post, PostCountSnapshot
from ratusz.registry.models import SIZE_CLASSES, VOIVODESHIPS, Platform, Profile, ProfileRole

from .conftest import SMALL

pytestmark = pytest.mark.django_db


def test_profiles_cover_every_voivodeship_size_class_level_kind_role_and_platform(demo_data):
    profiles = Profile.objects.filter(platform_id__startswith="demo-").select_related("unit")
    assert profiles.count() == SMALL.profiles == demo_data.profiles
    units = [p.unit for p in profiles]
    assert {u.woj_code for u in units} == {code for code, _ in VOIVODESHIPS}
    assert {u.size_class for u in units} >= set(SIZE_CLASSES)
    assert {u.level for u in units} == {"gmina", "powiat", "wojewodztwo"}
    assert {u.kind for u in units} == {
        "gmina miejska",
        "gmina wiejska",
        "gmina miejsko-wiejska",
        "powiat",
        "miasto na prawach powiatu",
        "województwo",
    }
    assert {p.role for p in profiles} == set(ProfileRole.values) - {ProfileRole.OTHER}
    assert {p.platform for p in profiles} == {Platform.FACEBOOK, Platform.INSTAGRAM, Platform.YOUTUBE}
    # Mostly official Facebook profiles.
    official_fb = profiles.filter(role=ProfileRole.OFFICIAL, platform=Platform.FACEBOOK).count()
    assert official_fb > profiles.count() / 2


def test_followers_grow_with_population_and_over_time(demo_data):
    rows = []
    growth = []
    official = Profile.objects.filter(platform_id__startswith="demo-", role="official", platform="facebook")
    for p in official.filter(unit__level="gmina"):  # powiats and voivodeships reach fewer of their residents
        snaps = FollowerSnapshot.objects.filter(profile=p).aggregate(first=Min("date"), last=Max("date"), n=Count("id"))
        assert snaps["n"] == 61  # one snapshot a day: May and June
        first = FollowerSnapshot.objects.get(profile=p, date=snaps["first"]).followers
        last = FollowerSnapshot.objects.get(profile=p, date=snaps["last"]).followers
        rows.append((math.log(p.unit.population), math.log(last)))
        growth.append(last / first)
    x, y = np.array(rows).T
    assert np.corrcoef(x, y)[0, 1] > 0.6
    slope = np.polyfit(x, y, 1)[0]
    assert 0.6 < slope < 1.4  # roughly proportional to population
    assert np.mean(growth) > 1.0
    # Each day's count is taken at 23:30 Warsaw time (stored in UTC; checks the time zone on both databases).
    warsaw = ZoneInfo("Europe/Warsaw")
    taken = FollowerSnapshot.objects.values_list("date", "taken_at")[:500]
    assert all((t.astimezone(warsaw).date(), t.astimezone(warsaw).hour, t.minute) == (d, 23, 30) for d, t in taken)


def test_posting_rates_are_heavy_tailed_around_one_and_a_half_a_day(demo_data):
    days = 61
    per_profile = np.array(
        Profile.objects.filter(platform_id__startswith="demo-")
        .annotate(n=Count("posts", filter=Q(posts__is_own=True)))
        .values_list("n", flat=True)
    ) / days
    assert 0.9 < per_profile.mean() < 2.0
    assert per_profile.max() > 4 * np.median(per_profile)
    assert Post.objects.filter(is_own=False, format="shared").exists()
    assert not Post.objects.filter(is_own=False).exclude(format="shared").exists()


def test_posts_are_published_in_warsaw_daytime_and_stored_in_utc(demo_data):
    warsaw = ZoneInfo("Europe/Warsaw")
    times = list(Post.objects.values_list("published_at", flat=True)[:2000])
    assert all(t.tzinfo is not None and t.utcoffset().total_seconds() == 0 for t in times)
    local_hours = [t.astimezone(warsaw).hour for t in times]
    assert sum(6 <= h <= 22 for h in local_hours) / len(local_hours) > 0.97
    assert sum(h == 12 or h == 13 for h in local_hours) > sum(h == 7 for h in local_hours)


def test_reactions_are_counted_per_type_with_like_dominant(demo_data):
    fb = Post.objects.filter(profile__platform="facebook")
    sums = fb.aggregate(**{t: Sum(f"reactions_{t}") for t in REACTION_TYPES}, total=Sum("reactions_total"))
    assert all(sums[t] > 0 for t in REACTION_TYPES), sums
    assert sums["like"] > 0.5 * sums["total"]
    assert sum(sums[t] for t in REACTION_TYPES) == sums["total"]
    # Some posts carry a wave of angry reactions (crisis alerts, reaction mood).
    angry_posts = [p for p in fb.filter(reactions_total__gte=20) if p.reactions_angry > 0.25 * p.reactions_total]
    assert angry_posts
    # Instagram and YouTube report likes only: the other types are unknown (NULL), never 0.
    other = Post.objects.exclude(profile__platform="facebook")
    assert other.exists()
    assert not other.filter(reactions_love__isnull=False).exists()
    assert not other.filter(reactions_like__isnull=True).exists()


def test_formats_views_and_counts_at(demo_data):
    formats = dict(Post.objects.values_list("format").annotate(n=Count("id")))
    assert set(formats) >= {"photo", "video", "reel", "link", "text", "event", "shared"}
    assert formats["photo"] == max(formats.values())
    assert not Post.objects.filter(format__in=["video", "reel"], views_count__isnull=True).exists()
    assert not Post.objects.filter(profile__platform="facebook", format="photo", views_count__isnull=False).exists()
    assert not Post.objects.filter(counts_at__isnull=True).exists()
    assert PostCountSnapshot.objects.exists()


def test_comments_have_replies_profile_answers_and_a_heavy_tail(demo_data):
    comments = Comment.objects.filter(post__profile__platform_id__startswith="demo-")
    assert comments.count() == demo_data.comments
    replies = comments.filter(parent__isnull=False)
    answers = comments.filter(is_from_profile=True)
    assert replies.filter(is_from_profile=False).exists()
    assert answers.exists()
    assert not answers.filter(parent__isnull=True).exists()  # the profile answers residents' comments
    assert not answers.exclude(author_key="").exists()
    # Replies come after what they answer; top-level comments count their replies.
    for reply in replies.select_related("parent")[:300]:
        assert reply.created_at >= reply.parent.created_at
    top = comments.filter(parent__isnull=True).annotate(n=Count("replies"))[:300]
    assert all(c.replies_count == c.n for c in top)
    # Residents ask questions; some are answered, some not.
    questions = comments.filter(parent__isnull=True, is_from_profile=False, text__endswith="?")
    answered = questions.filter(replies__is_from_profile=True).distinct().count()
    assert 0 < answered < questions.count()
    # Heavy tail: most posts have few comments, a few have many.
    per_post = np.array(Post.objects.annotate(n=Count("comments")).values_list("n", flat=True))
    assert np.median(per_post) < per_post.mean() < per_post.max() / 3
    assert all(p.comments_count >= p.n for p in Post.objects.annotate(n=Count("comments"))[:500])
    # Something for the moderation queue.
    assert comments.filter(text__icontains="nieudacznik").exists() or comments.filter(text__icontains="idioci").exists()


def test_authors_are_pseudonymised_repeat_commenters(demo_data):
    keys = list(
        Comment.objects.filter(is_from_profile=False).values_list("author_key", flat=True)
    )
    assert keys and all(re.fullmatch(r"[0-9a-f]{32}", k) for k in keys)
    assert not Comment.objects.filter(Q(author_key__contains="demo") | Q(text__contains="demo-author")).exists()
    counts = np.array(sorted(
        Comment.objects.filter(is_from_profile=False).values("author_key").annotate(n=Count("id")).values_list(
            "n", flat=True
        )
    ))
    assert counts.max() >= 5 and np.median(counts) <= 2  # a few residents comment a lot


def test_polish_texts_are_filled_in(demo_data):
    texts = list(Post.objects.values_list("text", flat=True)[:1000]) + list(
        Comment.objects.values_list("text", flat=True)[:2000]
    )
    assert all(t and "{" not in t and "}" not in t for t in texts)
    assert any("ulic" in t for t in texts)
    assert sum(t.endswith("?") for t in texts) > 10


def test_ordinary_inserts_still_work_after_the_demo(demo_data):
    # On PostgreSQL the id sequences must have been moved past the ids the demo wrote.
    profile = Profile.objects.filter(platform_id__startswith="demo-").first()
    post = Post.objects.create(profile=profile, platform_id="after-demo", published_at=Post.objects.first().published_at)
    Comment.objects.create(post=post, platform_id="c", created_at=post.published_at, text="Dziękujemy!")
    FollowerSnapshot.objects.create(profile=profile, date="2030-01-01", followers=1)
