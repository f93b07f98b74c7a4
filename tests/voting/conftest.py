"""Fixtures of the vote tests: an election ready to vote (rate-limit counters live in the test database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ratusz.voting.elections import create_election, set_shortlist
from ratusz.voting.models import Election, Voter
from tests.factories import make_profile, make_unit


def build_election(
    *,
    voters: int = 3,
    profiles: int = 5,
    categories: tuple[str, ...] = ("active",),
    picks: int = 3,
    forbid_own_unit: bool = True,
    opens_in: timedelta = timedelta(hours=-1),
    closes_in: timedelta = timedelta(days=1),
    slug: str = "zloty-lajk-test",
) -> Election:
    """Create an open election: `profiles` shortlisted in each category, `voters` eligible units.

    The first voter's unit owns the first shortlisted profile (for the own-unit rule).
    """
    now = timezone.now()
    shortlisted = [
        make_profile(name=f"Miasto {i + 1} oficjalnie", url=f"https://facebook.com/miasto{i + 1}")
        for i in range(profiles)
    ]
    election = create_election(
        name="Złoty Lajk (test)",
        slug=slug,
        opens_at=now + opens_in,
        closes_at=now + closes_in,
        picks_required=picks,
        forbid_own_unit=forbid_own_unit,
        categories=[{"key": key, "name": key.capitalize()} for key in categories],
        actor="test",
    )
    for category in election.categories.all():
        set_shortlist(category, [p.pk for p in shortlisted], actor="test")
    units = [shortlisted[0].unit] + [make_unit() for _ in range(voters - 1)]
    for i, unit in enumerate(units):
        Voter.objects.create(election=election, unit=unit, email=f"urzad{i + 1}@example.org")
    return election


@pytest.fixture
def election(db) -> Election:
    """An open election with 3 voters, 5 shortlisted profiles in one category, 3 picks, no vote for own unit."""
    return build_election()
