"""The ballot page's fast paths keep every guarantee: the one-query link lookup, the SQL writes of a vote,
database rate limits shared by all workers, and the shortlist rendered once per worker."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from ratusz.voting import ballots, ratelimit
from ratusz.voting.ballots import LinkChanged, cast, field_name
from ratusz.voting.invitations import ballot_path, issue, resolve
from ratusz.voting.models import (
    AuditEvent,
    Ballot,
    BallotPick,
    Election,
    Invitation,
    RateCounter,
    ShortlistEntry,
    Voter,
)
from tests.voting.conftest import build_election


def _picks(election) -> dict[str, list[str]]:
    category = election.categories.get()
    return {field_name(category): [str(e.pk) for e in category.shortlist.all()[1:4]]}


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


@pytest.mark.django_db
def test_link_lookup_loads_what_the_orm_loads(election):
    voter = election.voters.order_by("email")[1]
    invitation, token = issue(voter)
    Invitation.objects.filter(pk=invitation.pk).update(opened_at=timezone.now())
    state = resolve(token)
    assert state.status == "ok"
    expected = Invitation.objects.select_related("voter__election", "voter__unit").get(pk=invitation.pk)
    assert _fields(state.invitation) == _fields(expected)
    assert _fields(state.voter) == _fields(expected.voter)
    assert _fields(state.election) == _fields(expected.voter.election)
    assert state.voter.unit.name == expected.voter.unit.name
    assert state.invitation.opened_at.tzinfo is not None and state.election.opens_at.tzinfo is not None
    # fields not loaded by the lookup still load on access
    assert state.voter.unit.woj_name == expected.voter.unit.woj_name


@pytest.mark.django_db
def test_cast_writes_ballot_picks_and_audit_like_the_orm(election):
    voter = election.voters.order_by("email")[1]
    _, token = issue(voter)
    state = resolve(token)
    code = cast(state, _picks(election))
    ballot = Ballot.objects.get(election=election)
    assert ballot.receipt_hash == ballots.receipt_hash(code)
    assert ballot.cast_on == timezone.localdate()
    assert sorted(str(p.entry_id) for p in BallotPick.objects.filter(ballot=ballot)) == sorted(
        _picks(election)[field_name(election.categories.get())]
    )
    voter.refresh_from_db()
    assert voter.voted_at is not None and abs((timezone.now() - voter.voted_at).total_seconds()) < 60
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.VOTE_CAST)
    assert event.election_id == election.pk and event.voter_id == voter.pk and event.at.tzinfo is not None
    assert ballots.check_receipt(election, code).counted


@pytest.mark.django_db
def test_link_revoked_after_the_page_loaded_stores_nothing(election):
    voter = election.voters.order_by("email")[1]
    _, token = issue(voter)
    state = resolve(token)
    Invitation.objects.filter(voter=voter).update(revoked_at=timezone.now())
    with pytest.raises(LinkChanged) as caught:
        cast(state, _picks(election))
    assert caught.value.code == "revoked"
    assert Ballot.objects.count() == 0 and BallotPick.objects.count() == 0
    assert Voter.objects.get(pk=voter.pk).voted_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["closed_early_at", "results_published_at"])
def test_vote_closed_after_the_page_loaded_stores_nothing(election, change):
    voter = election.voters.order_by("email")[1]
    _, token = issue(voter)
    state = resolve(token)
    Election.objects.filter(pk=election.pk).update(**{change: timezone.now()})
    with pytest.raises(LinkChanged) as caught:
        cast(state, _picks(election))
    assert caught.value.code == "closed"
    assert Ballot.objects.count() == 0
    assert Voter.objects.get(pk=voter.pk).voted_at is None
    assert Invitation.objects.get(voter=voter).used_at is None


@pytest.mark.django_db
def test_rate_limit_counts_per_bucket_and_restarts_each_window():
    assert [ratelimit.hit("link:a", 2) for _ in range(3)] == [True, True, False]
    assert ratelimit.hit("link:b", 2), "another bucket has its own count"
    RateCounter.objects.filter(bucket__startswith="link:a").update(slot=0)  # the minute has passed
    assert ratelimit.hit("link:a", 2)
    assert RateCounter.objects.get(bucket__startswith="link:a").hits == 1


@pytest.mark.django_db(transaction=True)
def test_rate_limit_loses_no_count_under_concurrent_requests():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite's in-memory test database serialises writers; the upsert is raced on PostgreSQL")
    threads, per_thread = 8, 5
    allowed: list[bool] = []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(per_thread):
                ok = ratelimit.hit("link:shared", 25)
                with lock:
                    allowed.append(ok)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(60)
    assert len(allowed) == threads * per_thread
    assert allowed.count(True) == 25
    assert RateCounter.objects.get(bucket__startswith="link:shared").hits == threads * per_thread


@pytest.mark.django_db
def test_cached_shortlist_marks_each_voters_own_unit():
    election = build_election()  # the first voter's unit owns the first shortlisted profile
    owner, other = election.voters.order_by("email")[:2]
    first = election.categories.get().shortlist.first()
    client = Client()
    _, other_token = issue(other)
    _, owner_token = issue(owner)
    for token, disabled in ((other_token, False), (owner_token, True), (other_token, False)):
        html = client.get(ballot_path(token)).content.decode()
        box = re.search(rf'<input type="checkbox"[^>]*value="{first.pk}"[^>]*>', html).group(0)
        assert ("disabled" in box) is disabled


@pytest.mark.django_db
def test_cached_shortlist_follows_category_and_profile_changes(election, monkeypatch):
    client = Client()
    _, token = issue(election.voters.order_by("email")[1])
    assert "Kategoria: Active" in client.get(ballot_path(token)).content.decode()
    category = election.categories.get()
    category.name = "Aktywni"
    category.save()  # bumps the shortlist version: shown at once
    assert "Kategoria: Aktywni" in client.get(ballot_path(token)).content.decode()

    profile = ShortlistEntry.objects.filter(category=category).first().profile
    profile.name = "Przemianowany profil"
    profile.save()  # edited in the registry: shown once the kept copy is older than SHORTLIST_MAX_AGE
    monkeypatch.setattr(ballots, "SHORTLIST_MAX_AGE", 0.0)
    assert "Przemianowany profil" in client.get(ballot_path(token)).content.decode()


@pytest.mark.django_db
def test_guessed_links_are_counted_per_address_and_leave_no_counter_each(client):
    import secrets

    for _ in range(5):
        assert client.get(f"/vote/b/{secrets.token_urlsafe(32)}/").status_code == 404
    assert list(RateCounter.objects.values_list("bucket", "hits")) == [("ip:127.0.0.1/60", 5)]
