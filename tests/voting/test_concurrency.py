"""Many simultaneous submissions with one link store exactly one ballot (a database guarantee, not a check)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from ratusz.voting.ballots import AlreadyVoted, cast, field_name
from ratusz.voting.invitations import issue, resolve
from ratusz.voting.models import Ballot, BallotPick, Voter
from tests.voting.conftest import build_election

THREADS = 12


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_with_one_link_store_exactly_one_ballot():
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's in-memory test database serialises writers, so threads cannot race here; "
            "the same conditional UPDATE is raced on PostgreSQL (this test) and in `python -m benchmarks vote`"
        )
    election = build_election(forbid_own_unit=False)
    voter = election.voters.first()
    _, token = issue(voter)
    category = election.categories.get()
    picks = {field_name(category): [str(e.pk) for e in category.shortlist.all()[:3]]}
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            state = resolve(token)  # every thread sees a valid, unused link
            barrier.wait(timeout=30)
            try:
                cast(state, picks)
                result = "ballot"
            except AlreadyVoted:
                result = "already"
            with lock:
                outcomes.append(result)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(outcomes) == ["already"] * (THREADS - 1) + ["ballot"]
    assert Ballot.objects.filter(election=election).count() == 1
    assert BallotPick.objects.count() == 3
    assert Voter.objects.get(pk=voter.pk).voted_at is not None
