"""Plain factory functions for tests: real rows in the real test database, sensible defaults."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from ratusz.collect.models import Comment, FollowerSnapshot, Post
from ratusz.registry.models import Profile, Unit
from ratusz.registry.services import fold

_seq = itertools.count(1)


def make_unit(**kw: Any) -> Unit:
    """Create a unit (a gmina miejska of 20-50k in dolnośląskie unless told otherwise)."""
    n = next(_seq)
    defaults: dict[str, Any] = {
        "teryt": f"{9900000 + n:07d}",
        "name": f"Gmina Testowa {n}",
        "level": "gmina",
        "kind": "gmina miejska",
        "woj_code": "02",
        "woj_name": "dolnośląskie",
        "population": 30000,
        "size_class": "20-50k",
    }
    defaults.update(kw)
    defaults.setdefault("search_name", fold(defaults["name"]))
    return Unit.objects.create(**defaults)


def make_profile(unit: Unit | None = None, **kw: Any) -> Profile:
    """Create a Facebook profile of a unit (a new unit if none is given)."""
    n = next(_seq)
    unit = unit if unit is not None else make_unit()
    defaults: dict[str, Any] = {"platform": "facebook", "platform_id": str(100000 + n), "name": f"Profil {n}"}
    defaults.update(kw)
    return Profile.objects.create(unit=unit, **defaults)


def make_followers(profile: Profile, day: date, followers: int | None, **kw: Any) -> FollowerSnapshot:
    """Create a follower snapshot for one day."""
    return FollowerSnapshot.objects.create(profile=profile, date=day, followers=followers, **kw)


def make_post(profile: Profile, published_at: datetime | None = None, **kw: Any) -> Post:
    """Create an own post with the given counts (counts not given stay NULL)."""
    n = next(_seq)
    defaults: dict[str, Any] = {
        "platform_id": f"post-{n}",
        "published_at": published_at or datetime(2025, 3, 1, 10, tzinfo=UTC),
        "format": "photo",
    }
    defaults.update(kw)
    return Post.objects.create(profile=profile, **defaults)


def make_comment(post: Post, text: str = "Dziękujemy!", **kw: Any) -> Comment:
    """Create a comment under a post."""
    n = next(_seq)
    defaults: dict[str, Any] = {"platform_id": f"c-{n}", "created_at": post.published_at, "text": text}
    defaults.update(kw)
    return Comment.objects.create(post=post, **defaults)
