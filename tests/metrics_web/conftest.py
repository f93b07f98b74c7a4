"""A small ranking dataset: six gminy profiles with posts and follower counts in 2025."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_followers, make_post, make_profile, make_unit

PERIOD = "start=2025-01-01&end=2025-03-31"


@pytest.fixture
def ranking_data(db) -> dict:
    """Six profiles (two voivodeships, two size classes) with 3–14 posts each in Q1 2025; the last one
    has no follower snapshots (its engagement is unknown)."""
    profiles = []
    specs = [
        ("Miasto Alfa", "02", "dolnośląskie", "20-50k", 14, 1000, True),
        ("Miasto Beta", "02", "dolnośląskie", "20-50k", 12, 2000, True),
        ("Miasto Gamma", "24", "śląskie", "20-50k", 11, 800, True),
        ("Miasto Delta", "24", "śląskie", "50-100k", 13, 5000, True),
        ("Miasto Epsilon", "24", "śląskie", "50-100k", 3, 700, True),
        ("Miasto Zeta", "02", "dolnośląskie", "20-50k", 12, None, False),
    ]
    for i, (name, woj, woj_name, size, n_posts, followers, with_snapshots) in enumerate(specs):
        unit = make_unit(name=name, woj_code=woj, woj_name=woj_name, size_class=size)
        profile = make_profile(unit, name=f"{name} — oficjalny")
        if with_snapshots:
            for d in (date(2024, 12, 31), date(2025, 2, 1), date(2025, 3, 31)):
                make_followers(profile, d, followers)
        for k in range(n_posts):
            make_post(
                profile,
                published_at=datetime(2025, 1, 3, 10, tzinfo=UTC) + timedelta(days=6 * k + i),
                reactions_like=10 + k + i,
                reactions_love=2 + (k % 3),
                reactions_care=0,
                reactions_haha=1,
                reactions_wow=0,
                reactions_sad=k % 2,
                reactions_angry=1 if k % 4 == 0 else 0,
                comments_count=3 + i,
                shares_count=1 + (k % 2),
                format="photo" if k % 3 else "text",
            )
        profiles.append(profile)
    return {"profiles": profiles}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rankings are cached by data version; every test starts from an empty cache."""
    from django.core.cache import cache

    from ratusz.metrics.views import clear_local_cache

    cache.clear()
    clear_local_cache()
    yield
    cache.clear()
    clear_local_cache()
