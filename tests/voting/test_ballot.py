"""The ballot page behind a single-use link: the rules, the confirmation step, the receipt, every refusal."""

from __future__ import annotations

import logging
import re
import secrets
from datetime import timedelta

import pytest
from django.test import Client

from ratusz.voting.ballots import check_receipt, field_name
from ratusz.voting.invitations import ballot_path, issue
from ratusz.voting.models import AuditEvent, Ballot, BallotPick, Invitation, Voter
from tests.voting.conftest import build_election

pytestmark = pytest.mark.django_db


def _entries(election, category_index=0):
    category = list(election.categories.all())[category_index]
    return category, list(category.shortlist.select_related("profile"))


def _picks(election, indexes=(1, 2, 3)):
    category, entries = _entries(election)
    return {field_name(category): [str(entries[i].pk) for i in indexes]}


def _voter(election, index=1) -> Voter:
    return list(election.voters.order_by("email"))[index]


def _vote(client: Client, token: str, picks: dict, step: str = "confirm"):
    return client.post(ballot_path(token), {"step": step, **picks})


def _receipt(response) -> str:
    match = re.search(r'data-testid="receipt">([A-Z0-9-]+)<', response.content.decode())
    assert match, response.content.decode()[:2000]
    return match.group(1)


def test_full_vote_shows_shortlist_confirms_and_gives_a_receipt(client, election):
    voter = _voter(election)
    _, token = issue(voter)
    page = client.get(ballot_path(token))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Miasto 1 oficjalnie" in html and "https://facebook.com/miasto1" in html
    assert voter.unit.name in html
    assert page["Referrer-Policy"] == "same-origin"
    assert "no-store" in page["Cache-Control"]

    review = _vote(client, token, _picks(election), step="review")
    assert review.status_code == 200
    assert "Potwierdzam" in review.content.decode()
    assert Ballot.objects.count() == 0, "the review step must not cast the ballot"

    done = _vote(client, token, _picks(election))
    assert done.status_code == 200
    code = _receipt(done)
    assert Ballot.objects.filter(election=election).count() == 1
    assert BallotPick.objects.count() == 3
    voter.refresh_from_db()
    assert voter.voted_at is not None
    assert Invitation.objects.get(voter=voter).used_at is not None
    check = check_receipt(election, code)
    assert check.counted and len(check.picks) == 3
    assert not check_receipt(election, "AAAA-BBBB-CCCC-DDDD").counted
    kinds = set(AuditEvent.objects.filter(election=election).values_list("kind", flat=True))
    assert {"link_opened", "vote_cast"} <= kinds


def test_vote_link_cannot_be_used_twice(client, election):
    _, token = issue(_voter(election))
    assert _vote(client, token, _picks(election)).status_code == 200
    again = client.get(ballot_path(token))
    assert again.status_code == 409
    assert "już oddano głos" in again.content.decode()
    assert re.search(r"Głos oddano \d+ \w+ \d{4}, \d\d:\d\d", again.content.decode())
    second = _vote(client, token, _picks(election, (2, 3, 4)))
    assert second.status_code == 409
    assert Ballot.objects.count() == 1
    assert AuditEvent.objects.filter(kind="refused", reason="used").count() == 1


def test_ballot_row_cannot_name_its_voter():
    names = {f.name for f in Ballot._meta.get_fields()} | {f.name for f in BallotPick._meta.get_fields()}
    related = {
        f.related_model.__name__
        for m in (Ballot, BallotPick)
        for f in m._meta.get_fields()
        if f.is_relation and f.related_model
    }
    assert not related & {"Voter", "Invitation", "Unit", "User"}
    assert not {"voter", "invitation", "created_at", "cast_at"} & names


@pytest.mark.parametrize("token", [secrets.token_urlsafe(32), "short", "x" * 43 + "!"])
def test_forged_link_is_refused_and_only_the_attempt_is_recorded(client, election, token):
    response = client.get(f"/vote/b/{token}/")
    assert response.status_code == 404
    assert "Nieprawidłowy link" in response.content.decode()
    event = AuditEvent.objects.get(kind="refused")
    assert event.reason == "forged" and token not in event.detail


def test_revoked_link_is_refused(client, election):
    voter = _voter(election)
    _, old = issue(voter)
    _, new = issue(voter)  # resend: the old link stops working
    response = client.get(ballot_path(old))
    assert response.status_code == 410
    assert "unieważniony" in response.content.decode()
    assert _vote(client, old, _picks(election)).status_code == 410
    assert Ballot.objects.count() == 0
    assert client.get(ballot_path(new)).status_code == 200


def test_link_before_opening_and_after_closing_says_when_the_vote_runs(client, db):
    early = build_election(slug="przed", opens_in=timedelta(days=2), closes_in=timedelta(days=3))
    _, token = issue(_voter(early))
    response = client.get(ballot_path(token))
    assert response.status_code == 403
    assert "jeszcze się nie rozpoczęło" in response.content.decode()
    assert "Głosowanie trwa od" in response.content.decode()

    late = build_election(slug="po", opens_in=timedelta(days=-3), closes_in=timedelta(days=-1))
    _, token = issue(_voter(late))
    response = client.get(ballot_path(token))
    assert response.status_code == 410
    assert "zakończone" in response.content.decode()
    assert _vote(client, token, _picks(late)).status_code == 410
    assert Ballot.objects.count() == 0


def _bad(election, kind):
    category, entries = _entries(election)
    name = field_name(category)
    own = [str(e.pk) for e in entries if e.profile.unit_id == _voter(election, 0).unit_id][0]
    return {
        "too_few": {name: [str(entries[1].pk), str(entries[2].pk)]},
        "too_many": {name: [str(e.pk) for e in entries[1:5]]},
        "duplicate": {name: [str(entries[1].pk), str(entries[1].pk), str(entries[2].pk)]},
        "not_shortlisted": {name: [str(entries[1].pk), str(entries[2].pk), "999999"]},
        "own_unit": {name: [own, str(entries[1].pk), str(entries[2].pk)]},
        "tampered": {name: [str(entries[1].pk), str(entries[2].pk), "1 OR 1=1"]},
        "tampered_category": {**_picks(election), "c999999": [str(entries[1].pk)]},
        "nothing": {},
    }[kind]


@pytest.mark.parametrize(
    ("kind", "reason", "message"),
    [
        ("too_few", "too_few", "trzeba wybrać dokładnie 3"),
        ("too_many", "too_many", "można wybrać dokładnie 3"),
        ("duplicate", "duplicate", "więcej niż raz"),
        ("not_shortlisted", "not_shortlisted", "spoza listy nominowanych"),
        ("own_unit", "own_unit", "własnej jednostki"),
        ("tampered", "tampered", "Formularz w kategorii"),
        ("tampered_category", "tampered", "nieznana kategoria"),
        ("nothing", "too_few", "wybrano 0"),
    ],
)
def test_bad_ballot_is_refused_with_a_clear_message(client, election, kind, reason, message):
    voter = _voter(election, 0)  # owns a shortlisted profile
    _, token = issue(voter)
    for step in ("review", "confirm"):
        response = _vote(client, token, _bad(election, kind), step=step)
        assert response.status_code == 400
        html = response.content.decode()
        assert message in html, html[:3000]
        assert 'role="alert"' in html
    assert Ballot.objects.count() == 0
    voter.refresh_from_db()
    assert voter.voted_at is None
    refused = AuditEvent.objects.filter(kind="refused", voter=voter)
    assert refused.count() == 2 and set(refused.values_list("reason", flat=True)) == {reason}
    # the link still works after a refused attempt
    assert _vote(client, token, _picks(election)).status_code == 200


def test_own_unit_is_allowed_when_the_rule_is_off(client, db):
    election = build_election(forbid_own_unit=False)
    _, token = issue(_voter(election, 0))
    assert _vote(client, token, _bad(election, "own_unit")).status_code == 200


def test_missing_step_is_a_tampered_form(client, election):
    _, token = issue(_voter(election))
    response = client.post(ballot_path(token), _picks(election))
    assert response.status_code == 400
    assert "Formularz został zmieniony" in response.content.decode()
    assert Ballot.objects.count() == 0


def test_post_without_csrf_token_is_refused(election):
    client = Client(enforce_csrf_checks=True)
    _, token = issue(_voter(election))
    assert client.get(ballot_path(token)).status_code == 200
    response = _vote(client, token, _picks(election))
    assert response.status_code == 403
    assert Ballot.objects.count() == 0


def test_ballot_endpoint_is_rate_limited(client, election, settings):
    settings.RATUSZ_VOTE_RATE_LIMIT = "3,2"
    _, token = issue(_voter(election))
    statuses = [client.get(ballot_path(token)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    forged = [client.get(f"/vote/b/{secrets.token_urlsafe(32)}/").status_code for _ in range(3)]
    assert forged == [404, 404, 429]


def test_tokens_never_reach_the_logs(client, election, caplog):
    from ratusz.voting.apps import RedactVoteTokens

    caplog.set_level(logging.DEBUG)
    _, token = issue(_voter(election))
    forged = secrets.token_urlsafe(32)
    client.get(f"/vote/b/{forged}/")
    client.get(ballot_path(token))
    _vote(client, token, _bad(election, "too_few"))
    _vote(client, token, _picks(election))
    client.get(ballot_path(token))
    assert token not in caplog.text and forged not in caplog.text
    # request-log lines of the dev server and gunicorn are redacted too
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (f"GET /vote/b/{token}/ HTTP/1.1", "200", "5"),
        None,
    )
    RedactVoteTokens().filter(record)
    assert token not in record.getMessage() and "/vote/b/***" in record.getMessage()


def test_edit_step_returns_to_the_ballot_with_the_choice_kept(client, election):
    _, token = issue(_voter(election))
    picks = _picks(election)
    response = _vote(client, token, picks, step="edit")
    assert response.status_code == 200
    html = response.content.decode()
    for value in next(iter(picks.values())):
        assert re.search(rf'value="{value}"[^>]*checked', html)


def test_ballot_shows_a_shortlist_change_at_once(client, election):
    from ratusz.voting.models import ShortlistEntry
    from tests.factories import make_profile

    _, token = issue(_voter(election))
    assert "Nowy kandydat" not in client.get(ballot_path(token)).content.decode()
    category = election.categories.get()
    entry = ShortlistEntry.objects.create(
        category=category, profile=make_profile(name="Nowy kandydat"), position=9
    )
    assert "Nowy kandydat" in client.get(ballot_path(token)).content.decode()
    entry.delete()
    assert "Nowy kandydat" not in client.get(ballot_path(token)).content.decode()
