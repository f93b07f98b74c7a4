"""The organiser runs a whole vote from the admin: create, nominate from a ranking, import, invite, watch, close, publish."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ratusz.metrics.models import RankingRun
from ratusz.voting.models import AuditEvent, Ballot, Election
from tests.factories import make_profile, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(client) -> User:
    user = User.objects.create_user("organizatorka", is_staff=True)
    user.groups.add(Group.objects.get(name="organiser"))
    client.force_login(user)
    return user


def test_admin_requires_organiser_rights(client):
    staff = User.objects.create_user("redaktor", is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/voting/election/").status_code == 403
    assert client.get("/vote/x/turnout/").status_code == 302  # to the login page
    client.logout()
    assert client.get("/admin/voting/election/").status_code == 302


def _local(dt):
    local = timezone.localtime(dt)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def _action(client, model: str, action: str, pks) -> object:
    return client.post(
        f"/admin/voting/{model}/", {"action": action, "_selected_action": [str(p) for p in pks]}, follow=True
    )


def test_organiser_runs_a_whole_vote_from_the_admin(client, organiser):
    profiles = [make_profile(name=f"Kandydat {i}") for i in range(5)]
    run = RankingRun.objects.create(
        category="love", period_start=date(2025, 1, 1), period_end=date(2025, 6, 30), method_version="1"
    )
    for rank, p in enumerate(profiles, start=1):
        run.entries.create(rank=rank, profile=p, score=10.0 - rank)
    now = timezone.now()
    opens, closes = _local(now - timedelta(minutes=5)), _local(now + timedelta(days=7))
    response = client.post(
        "/admin/voting/election/add/",
        {
            "name": "Złoty Lajk 2025",
            "slug": "zloty-lajk-2025",
            "description": "",
            "opens_at_0": opens[0],
            "opens_at_1": opens[1],
            "closes_at_0": closes[0],
            "closes_at_1": closes[1],
            "picks_required": "3",
            "forbid_own_unit": "on",
            "categories-TOTAL_FORMS": "1",
            "categories-INITIAL_FORMS": "0",
            "categories-MIN_NUM_FORMS": "0",
            "categories-MAX_NUM_FORMS": "1000",
            "categories-0-key": "love",
            "categories-0-name": "Love",
            "categories-0-order": "0",
            "categories-0-ranking_run": str(run.pk),
            "categories-0-top_n": "4",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    election = Election.objects.get(slug="zloty-lajk-2025")
    assert len(election.tie_seed_hash) == 64

    _action(client, "election", "nominate_from_rankings", [election.pk])
    assert [e.profile_id for e in election.categories.get().shortlist.all()] == [p.pk for p in profiles[:4]]

    units = [make_unit() for _ in range(3)]
    csv_bytes = (
        "teryt,email,name\n" + "".join(f"{u.teryt},biuro{i}@example.org,\n" for i, u in enumerate(units))
    ).encode()
    bad = client.post(
        f"/admin/voting/election/{election.pk}/import-voters/",
        {"file": SimpleUploadedFile("zle.csv", b"teryt,email\n9999999,x@example.org\n")},
        follow=True,
    )
    assert "wiersz 2: nieznany kod TERYT 9999999" in bad.content.decode()
    assert election.voters.count() == 0
    client.post(
        f"/admin/voting/election/{election.pk}/import-voters/",
        {"file": SimpleUploadedFile("ok.csv", csv_bytes)},
    )
    assert election.voters.count() == 3

    page = _action(client, "election", "send_invitations", [election.pk])
    assert "wysłano 3 zaproszeń" in page.content.decode()
    assert len(mail.outbox) == 3
    link = re.search(r"https?://\S+(/vote/b/[A-Za-z0-9_-]+/)", mail.outbox[0].body).group(1)

    voter_client = client.__class__()
    category = election.categories.get()
    picks = [str(e.pk) for e in category.shortlist.all()[:3]]
    assert voter_client.post(link, {"step": "confirm", f"c{category.pk}": picks}).status_code == 200

    turnout = client.get(f"/vote/{election.slug}/turnout/")
    assert turnout.status_code == 200
    assert "33,3%" in turnout.content.decode()
    changelist = client.get("/admin/voting/election/").content.decode()
    assert "1/3 (33,3%)" in changelist

    # resend to one voter, revoke another, through the voter list
    voters = list(election.voters.filter(voted_at__isnull=True))
    _action(client, "voter", "send_or_resend", [voters[0].pk])
    assert len(mail.outbox) == 4
    _action(client, "voter", "revoke_links", [voters[1].pk])

    assert client.get(f"/vote/{election.slug}/results/").status_code == 403
    _action(client, "election", "close_now", [election.pk])
    assert client.get(f"/vote/{election.slug}/results/").status_code == 200  # organiser preview
    assert client.get(f"/vote/{election.slug}/results.csv").status_code == 200
    _action(client, "election", "publish_results", [election.pk])
    election.refresh_from_db()
    assert election.state() == "published"
    public = client.__class__().get(f"/vote/{election.slug}/results/")
    assert public.status_code == 200 and election.tie_seed in public.content.decode()
    assert Ballot.objects.filter(election=election).count() == 1

    actions = list(
        AuditEvent.objects.filter(election=election, actor="admin:organizatorka").values_list(
            "kind", "detail"
        )
    )
    kinds = {k for k, _ in actions}
    assert {"created", "organiser", "invitation_sent", "invitation_revoked"} <= kinds
    details = " ".join(d for _, d in actions)
    assert "Zamknięto" in details and "Opublikowano" in details and "Import uprawnionych" in details


def test_export_links_action_returns_a_csv(client, organiser):
    from tests.voting.conftest import build_election

    election = build_election()
    response = _action(client, "election", "export_links", [election.pk])
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0] == "teryt,unit,email,link" and len(lines) == 4 and "/vote/b/" in lines[1]


def test_election_with_ballots_cannot_be_deleted_or_have_its_rules_changed(client, organiser):
    from ratusz.voting.ballots import cast, field_name
    from ratusz.voting.invitations import issue, resolve
    from tests.voting.conftest import build_election

    election = build_election(forbid_own_unit=False)
    category = election.categories.get()
    _, token = issue(election.voters.first())
    cast(resolve(token), {field_name(category): [str(e.pk) for e in category.shortlist.all()[:3]]})
    assert client.get(f"/admin/voting/election/{election.pk}/delete/").status_code == 403
    form = client.get(f"/admin/voting/election/{election.pk}/change/").content.decode()
    assert 'name="picks_required"' not in form
