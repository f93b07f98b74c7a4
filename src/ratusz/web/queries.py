"""Read-only queries behind the public pages (search, profile figures, comment threads)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from ratusz.collect.models import Comment, FollowerSnapshot, Post
from ratusz.registry.models import Profile, Unit
from ratusz.registry.services import find_units, fold

MIN_QUERY_LENGTH = 2
MAX_QUERY_LENGTH = 100
SEARCH_LIMIT = 20
MAX_REPLY_DEPTH = 6


@dataclass
class SearchResult:
    query: str
    units: list[Unit] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    too_short: bool = False
    limit: int = SEARCH_LIMIT

    @property
    def truncated(self) -> bool:
        """Return True when units or profiles hit the limit (more matches exist than shown)."""
        return len(self.units) >= self.limit or len(self.profiles) >= self.limit

    @property
    def empty(self) -> bool:
        """Return True when nothing was found (or nothing was searched)."""
        return not self.units and not self.profiles


def search(query: str, limit: int = SEARCH_LIMIT) -> SearchResult:
    """Return units and profiles matching a name (diacritics optional) or a TERYT code prefix.

    Fewer than 2 characters (or 2 digits) search nothing and set `too_short`.
    """
    # NUL bytes break PostgreSQL string literals; nothing longer than a unit name needs searching.
    query = " ".join(query.replace("\x00", " ").split())[:MAX_QUERY_LENGTH]
    result = SearchResult(query=query, limit=limit)
    if len(query) < MIN_QUERY_LENGTH:
        result.too_short = bool(query)
        return result
    result.units = list(find_units(query, limit=limit))
    result.profiles = list(search_profiles(query, limit=limit))
    return result


def search_profiles(query: str, limit: int = SEARCH_LIMIT) -> QuerySet[Profile]:
    """Return profiles whose name contains the query, or whose unit matches it by name or TERYT prefix."""
    if query.isdigit():
        cond = Q(unit__teryt__startswith=query) | Q(platform_id=query)
    else:
        cond = Q(name__icontains=query) | Q(unit__search_name__contains=fold(query)) | Q(handle__iexact=query)
    return Profile.objects.filter(cond).select_related("unit").order_by("name", "pk")[:limit]


def latest_followers(profile: Profile) -> FollowerSnapshot | None:
    """Return the profile's most recent follower snapshot that has a follower count, or None."""
    return FollowerSnapshot.objects.filter(profile=profile, followers__isnull=False).order_by("-date").first()


def has_followers_at_posting(profile: Profile) -> bool:
    """Return True when any of the profile's posts carries its own followers-at-posting figure."""
    return Post.objects.filter(profile=profile, followers_at_posting__isnull=False).exists()


def profile_posts(profile: Profile) -> QuerySet[Post]:
    """Return the profile's posts, newest first, without the heavy raw payload."""
    return Post.objects.filter(profile=profile).defer("raw").order_by("-published_at", "-pk")


def unit_profiles(unit: Unit) -> QuerySet[Profile]:
    """Return the unit's profiles with `n_posts` (stored posts) and `followers` (latest known count or None)."""
    latest = (
        FollowerSnapshot.objects.filter(profile=OuterRef("pk"), followers__isnull=False)
        .order_by("-date")
        .values("followers")[:1]
    )
    return unit.profiles.annotate(n_posts=Count("posts"), followers=Subquery(latest)).order_by(
        "platform", "name"
    )


def peer_units_with_profiles(unit: Unit, peers: QuerySet[Unit], limit: int = 30) -> list[Unit]:
    """Return up to `limit` peer units, those with registered profiles first (then by population)."""
    return list(
        peers.annotate(n_profiles=Count("profiles")).order_by("-n_profiles", "-population", "teryt")[:limit]
    )


def comment_thread(top_level: list[Comment]) -> list[Comment]:
    """Attach `.thread_replies` (oldest first, recursively) to each given top-level comment; return them.

    Replies are fetched level by level (one query per level, at most MAX_REPLY_DEPTH levels), never
    the post's whole comment table.
    """
    level = top_level
    for c in level:
        c.thread_replies = []
    for _depth in range(MAX_REPLY_DEPTH):
        if not level:
            break
        by_id = {c.pk: c for c in level}
        replies = list(Comment.objects.filter(parent_id__in=by_id).order_by("created_at", "pk"))
        for r in replies:
            r.thread_replies = []
            by_id[r.parent_id].thread_replies.append(r)
        level = replies
    return top_level
