"""Setting up a vote (TOML, CSV of voters, shortlist from a ranking run), counting, results and the CLI."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from typer.testing import CliRunner

from ratusz.errors import RatuszError
from ratusz.voting.ballots import cast, field_name, receipt_fingerprint, receipt_hash
from ratusz.voting.elections import (
    close_now,
    create_election_from_toml,
    import_voters_csv,
    publish_results,
    shortlist_from_ranking,
)
from ratusz.voting.invitations import issue, resolve
from ratusz.voting.models import AuditEvent, Election, Voter
from ratusz.voting.results import ballots_csv, results_csv, tally, tie_key, turnout
from tests.factories import make_profile, make_unit
from tests.voting.conftest import build_election

pytestmark = pytest.mark.django_db


class _Run:
    def __init__(self, result) -> None:
        self.exit_code = result.exit_code
        self.output = result.output
        if isinstance(result.exception, RatuszError):  # main() prints it as one line and exits with 1
            self.output += result.exception.message
        elif result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception


def _cli(*args: str) -> _Run:
    from ratusz import cli

    cli._register_commands_once()
    return _Run(CliRunner().invoke(cli.app, list(args)))


def test_election_from_toml_with_voters_csv(tmp_path):
    profiles = [make_profile() for _ in range(4)]
    units = [make_unit() for _ in range(2)]
    (tmp_path / "uprawnieni.csv").write_text(
        "teryt,email,name\n"
        + "".join(f"{u.teryt},urzad{i}@example.org,Rzecznik {i}\n" for i, u in enumerate(units)),
        encoding="cp1250",
    )
    ids = ", ".join(str(p.pk) for p in profiles)
    (tmp_path / "glosowanie.toml").write_text(
        f"""
name = "Złoty Lajk 2025"
slug = "zl-2025"
opens_at = 2025-11-01T09:00:00
closes_at = "2025-11-20 23:59"
picks = 3
forbid_own_unit = true
voters_csv = "uprawnieni.csv"

[[categories]]
key = "active"
name = "Active"
profiles = [{ids}]
""",
        encoding="utf-8",
    )
    result = _cli("vote", "create", str(tmp_path / "glosowanie.toml"))
    assert result.exit_code == 0, result.output
    election = Election.objects.get(slug="zl-2025")
    warsaw = ZoneInfo("Europe/Warsaw")
    assert election.opens_at == datetime(2025, 11, 1, 9, 0, tzinfo=warsaw)
    assert election.closes_at == datetime(2025, 11, 20, 23, 59, tzinfo=warsaw)
    assert election.closes_at.astimezone(UTC).hour == 22  # CET in November
    assert election.voters.count() == 2
    assert [e.profile_id for e in election.categories.get().shortlist.all()] == [p.pk for p in profiles]
    assert hashlib.sha256(election.tie_seed.encode()).hexdigest() == election.tie_seed_hash
    assert election.tie_seed_hash in result.output.replace("\n", "")
    assert AuditEvent.objects.filter(election=election, kind="created").exists()


def test_bad_toml_is_one_clear_error(tmp_path):
    bad = tmp_path / "zle.toml"
    bad.write_text('name = "X"\nopens_at = "jutro"\nclosescategories', encoding="utf-8")
    result = _cli("vote", "create", str(bad))
    assert result.exit_code != 0
    with pytest.raises(RatuszError, match="błędny plik TOML"):
        create_election_from_toml(bad)
    bad.write_text(
        'name = "X"\nopens_at = "jutro"\ncloses_at = "2025-01-01"\n[[categories]]\nkey="a"', encoding="utf-8"
    )
    with pytest.raises(RatuszError, match="opens_at"):
        create_election_from_toml(bad)
    assert Election.objects.count() == 0


def test_voter_csv_errors_name_the_lines_and_nothing_is_imported(election):
    unit = make_unit()
    before = election.voters.count()
    text = (
        "teryt,email\n"
        f"{unit.teryt},ok@example.org\n"
        "9999998,nieznany@example.org\n"
        f"{unit.teryt},dubel@example.org\n"
        f"{make_unit().teryt},to-nie-adres\n"
        ",brak@example.org\n"
    )
    with pytest.raises(RatuszError) as info:
        import_voters_csv(election, text.encode())
    message = info.value.message
    assert "nic nie zaimportowano" in message
    for fragment in (
        "wiersz 3: nieznany kod TERYT 9999998",
        "wiersz 4: jednostka",
        "wiersz 5:",
        "wiersz 6: brak kodu TERYT",
    ):
        assert fragment in message
    assert election.voters.count() == before
    with pytest.raises(RatuszError, match="teryt i email"):
        import_voters_csv(election, b"kod,adres\n1,2\n")
    result = import_voters_csv(election, f"teryt,email\n{unit.teryt},ok@example.org\n".encode())
    assert (result.created, result.updated) == (1, 0)


def test_shortlist_is_the_top_n_of_a_stored_ranking_run(election):
    from ratusz.metrics.models import RankingRun

    run = RankingRun.objects.create(
        category="active", period_start=date(2025, 1, 1), period_end=date(2025, 3, 31), method_version="test"
    )
    profiles = [make_profile() for _ in range(6)]
    for rank, profile in enumerate(reversed(profiles), start=1):
        run.entries.create(rank=rank, profile=profile, score=100 - rank)
    category = election.categories.get()
    assert shortlist_from_ranking(category, run.pk, 4, actor="test") == 4
    assert [e.profile_id for e in category.shortlist.all()] == [p.pk for p in reversed(profiles)][:4]
    category.refresh_from_db()
    assert category.ranking_run_id == run.pk
    with pytest.raises(RatuszError, match="Nie ma przebiegu rankingu nr 999"):
        shortlist_from_ranking(category, 999, 4)


def _cast(election, voter, indexes):
    _, token = issue(voter)
    category = election.categories.get()
    entries = list(category.shortlist.all())
    return cast(resolve(token), {field_name(category): [str(entries[i].pk) for i in indexes]})


def test_tally_turnout_ties_by_committed_draw_and_results_csv(db):
    election = build_election(voters=4, forbid_own_unit=False)
    voters = list(election.voters.order_by("email"))
    codes = [
        _cast(election, voters[0], (0, 1, 2)),
        _cast(election, voters[1], (0, 1, 3)),
        _cast(election, voters[2], (0, 2, 3)),
    ]
    t = turnout(election)
    assert (t.eligible, t.voted, t.ballots, t.percent) == (4, 3, 3, 75.0)
    [category] = tally(election)
    votes = {r["profile"]: r["votes"] for r in category.rows}
    assert votes == {
        "Miasto 1 oficjalnie": 3,
        "Miasto 2 oficjalnie": 2,
        "Miasto 3 oficjalnie": 2,
        "Miasto 4 oficjalnie": 2,
        "Miasto 5 oficjalnie": 0,
    }
    assert category.rows[0]["profile"] == "Miasto 1 oficjalnie" and not category.rows[0]["tied"]
    tied = category.rows[1:4]
    assert all(r["tied"] for r in tied)
    expected = sorted(tied, key=lambda r: tie_key(election.tie_seed, "active", r["profile_id"]))
    assert [r["profile_id"] for r in tied] == [r["profile_id"] for r in expected]
    assert [r["rank"] for r in category.rows] == [1, 2, 3, 4, 5]

    rows = list(csv.DictReader(io.StringIO(results_csv(election))))
    assert rows[0]["votes"] == "3" and rows[1]["tie_broken_by_draw"] == "tak"
    ballots = list(csv.DictReader(io.StringIO(ballots_csv(election))))
    assert len(ballots) == 9
    assert {b["receipt_fingerprint"] for b in ballots} == {
        receipt_fingerprint(receipt_hash(c)) for c in codes
    }


def test_close_publish_and_results_command(db):
    election = build_election(forbid_own_unit=False)
    _cast(election, election.voters.first(), (0, 1, 2))
    result = _cli("vote", "results", election.slug)
    assert result.exit_code == 1 and "jeszcze trwa" in result.output
    with pytest.raises(RatuszError, match="jeszcze trwa"):
        publish_results(election)
    close_now(election, actor="test")
    _, token = issue(election.voters.filter(voted_at__isnull=True).first())
    assert resolve(token).status == "closed"
    result = _cli("vote", "results", election.slug, "--csv")
    assert result.exit_code == 0, result.output
    assert "category,category_name,rank,profile" in result.output
    assert _cli("vote", "publish", election.slug).exit_code == 0
    election.refresh_from_db()
    assert election.state() == "published"
    turnout_out = _cli("vote", "turnout", election.slug, "--json")
    assert '"voted": 1' in turnout_out.output
    organiser_actions = AuditEvent.objects.filter(election=election, kind="organiser").values_list(
        "detail", flat=True
    )
    assert any("Zamknięto" in d for d in organiser_actions) and any(
        "Opublikowano" in d for d in organiser_actions
    )


def test_cli_invitations_csv_and_receipt_check(db):
    election = build_election(forbid_own_unit=False)
    result = _cli("vote", "invitations", election.slug, "--csv")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if "/vote/b/" in line]
    assert len(lines) == 3
    token = lines[0].rsplit("/vote/b/", 1)[1].strip().strip("/")
    category = election.categories.get()
    entries = list(category.shortlist.all())
    code = cast(resolve(token), {field_name(category): [str(e.pk) for e in entries[:3]]})
    assert _cli("vote", "receipt", election.slug, code.lower()).exit_code == 0
    assert _cli("vote", "receipt", election.slug, "AAAA-BBBB-CCCC-DDDD").exit_code == 1
    assert _cli("vote", "results", "nie-ma-takiego").exit_code == 1


def test_voter_that_voted_gets_no_new_link(db):
    election = build_election(forbid_own_unit=False)
    voter = election.voters.first()
    _cast(election, voter, (0, 1, 2))
    voter = Voter.objects.get(pk=voter.pk)
    with pytest.raises(RatuszError, match="już zagłosował"):
        issue(voter)
    assert voter.voted_at <= timezone.now()


def test_api_shows_commitment_then_results_after_publication(client):
    election = build_election(forbid_own_unit=False)
    code = _cast(election, election.voters.first(), (0, 1, 2))
    info = client.get(f"/api/voting/elections/{election.slug}").json()
    assert info["tie_seed_hash"] == election.tie_seed_hash and "tie_seed" not in info
    assert len(info["categories"][0]["shortlist"]) == 5
    early = client.get(f"/api/voting/elections/{election.slug}/results")
    assert early.status_code == 400 and early.json()["error"]["code"] == "not_published"
    assert (
        client.get(f"/api/voting/elections/{election.slug}/receipt", {"code": code}).json()["counted"] is True
    )
    close_now(election)
    publish_results(election)
    results = client.get(f"/api/voting/elections/{election.slug}/results").json()
    assert results["turnout"]["voted"] == 1 and results["tie_seed"] == election.tie_seed
    assert sum(r["votes"] for r in results["rows"]) == 3


def test_election_without_ballots_can_be_deleted_with_everything_in_it(db):
    election = build_election()
    election.delete()
    assert not Election.objects.exists() and not Voter.objects.exists()
