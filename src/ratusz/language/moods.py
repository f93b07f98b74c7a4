"""Moods of residents' comments per post, profile and day, for the metrics and the profile/post pages.

Only comments by residents count (the profile's own replies are left out), and only scored Polish ones
enter the shares: share = comments with that label / scored comments, per day (Europe/Warsaw).
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncDate

from ratusz.collect.models import Comment, ModerationState, Post
from ratusz.registry.models import Profile

WARSAW = ZoneInfo("Europe/Warsaw")
NEGATIVE_REACTIONS = ("sad", "angry")
POSITIVE_REACTIONS = ("love", "care", "haha", "wow")


def _residents(profile: Profile | None = None, post: Post | None = None) -> QuerySet[Comment]:
    qs = Comment.objects.filter(is_from_profile=False)
    if post is not None:
        qs = qs.filter(post=post)
    if profile is not None:
        qs = qs.filter(post__profile=profile)
    return qs


_COUNTS = {
    "comments": Count("id"),
    "scored": Count("id", filter=~Q(scored_model_version="") & ~Q(sentiment="")),
    "negative": Count("id", filter=Q(sentiment="negative")),
    "positive": Count("id", filter=Q(sentiment="positive")),
    "harmful": Count("id", filter=Q(harm__in=["cyberbullying", "hate"])),
    "questions": Count("id", filter=Q(is_question=True)),
    "flagged": Count("id", filter=Q(moderation_state=ModerationState.FLAGGED)),
}


def _shares(row: dict) -> dict:
    scored = row["scored"]
    row["negative_share"] = round(row["negative"] / scored, 4) if scored else None
    row["positive_share"] = round(row["positive"] / scored, 4) if scored else None
    row["harmful_share"] = round(row["harmful"] / scored, 4) if scored else None
    return row


def mood_summary(profile: Profile | None = None, post: Post | None = None) -> dict:
    """Counts (comments, scored, negative, positive, harmful, questions, flagged) and shares (0..1, None
    when nothing is scored) of residents' comments under a post or a profile."""
    return _shares(dict(_residents(profile, post).aggregate(**_COUNTS)))


def daily_shares(
    profile: Profile | None = None,
    post: Post | None = None,
    start: date | None = None,
    end: date | None = None,
    days: int = 30,
) -> list[dict]:
    """Per day (Europe/Warsaw) from start to end (default: the `days` days up to the latest comment):
    counts and daily shares (0..1) of negative and harmful comments; days without comments are included
    with zero counts and None shares."""
    qs = _residents(profile, post)
    if end is None:
        latest = qs.aggregate(m=Max("created_at"))["m"]
        if latest is None:
            return []
        end = latest.astimezone(WARSAW).date()
    if start is None:
        start = end - timedelta(days=days - 1)
    rows = (
        qs.annotate(day=TruncDate("created_at", tzinfo=WARSAW))
        .filter(day__gte=start, day__lte=end)
        .values("day")
        .annotate(**_COUNTS)
        .order_by("day")
    )
    by_day = {r["day"]: r for r in rows}
    out = []
    day = start
    while day <= end:
        row = by_day.get(day) or {"day": day, **dict.fromkeys(_COUNTS, 0)}
        out.append(_shares({"date": day, **{k: v for k, v in row.items() if k != "day"}}))
        day += timedelta(days=1)
    return out


def daily_reaction_mood(profile: Profile, start: date, end: date) -> dict[date, float | None]:
    """Per day of publication: share (0..1) of sad+angry among reactions of known type on the profile's
    posts, None when no typed reactions are known for that day."""
    fields = [f"reactions_{r}" for r in (*NEGATIVE_REACTIONS, *POSITIVE_REACTIONS, "like")]
    posts = (
        Post.objects.filter(profile=profile)
        .annotate(day=TruncDate("published_at", tzinfo=WARSAW))
        .filter(day__gte=start, day__lte=end)
        .values("day", *fields)
    )
    totals: dict[date, list[int]] = {}
    for p in posts:
        neg = sum(p[f"reactions_{r}"] or 0 for r in NEGATIVE_REACTIONS)
        allr = sum(p[f] or 0 for f in fields)
        if all(p[f] is None for f in fields):
            continue
        t = totals.setdefault(p["day"], [0, 0])
        t[0] += neg
        t[1] += allr
    return {d: (round(n / a, 4) if a else None) for d, (n, a) in totals.items()}


def flagged_comments(profile: Profile | None = None, limit: int = 100) -> QuerySet[Comment]:
    """Comments waiting for a moderator (flagged as harmful), most probable first."""
    qs = Comment.objects.filter(moderation_state=ModerationState.FLAGGED).select_related(
        "post", "post__profile"
    )
    if profile is not None:
        qs = qs.filter(post__profile=profile)
    return qs.order_by("-harm_probability", "-created_at")[:limit]


def open_questions(
    profile: Profile | None = None, post: Post | None = None, limit: int = 50
) -> QuerySet[Comment]:
    """Residents' questions without a reply from the profile (no reply with is_from_profile), newest first."""
    qs = _residents(profile, post).filter(is_question=True).exclude(replies__is_from_profile=True)
    return qs.select_related("post").order_by("-created_at")[:limit]
