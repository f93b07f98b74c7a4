"""Counting: tally per category, turnout, ties settled by the draw committed to before the vote."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field

from django.db.models import Count

from ratusz.voting.ballots import receipt_fingerprint
from ratusz.voting.models import Ballot, BallotPick, Election

TIE_RULE = (
    "Przy równej liczbie głosów o kolejności decyduje losowanie: wyżej jest profil z mniejszą wartością "
    "SHA-256(ziarno:klucz kategorii:numer profilu). Skrót SHA-256 ziarna publikujemy przy utworzeniu "
    "głosowania, a samo ziarno razem z wynikami — każdy może sprawdzić, że nie zostało zmienione."
)


def tie_key(seed: str, category_key: str, profile_id: int) -> str:
    """Return the draw value of a profile in a category (hex SHA-256; lower wins a tie)."""
    return hashlib.sha256(f"{seed}:{category_key}:{profile_id}".encode()).hexdigest()


@dataclass
class Turnout:
    eligible: int
    voted: int
    ballots: int
    invited: int

    @property
    def percent(self) -> float | None:
        """Return the share of eligible voters who voted, in percent (None without voters)."""
        return round(100.0 * self.voted / self.eligible, 1) if self.eligible else None


def turnout(election: Election) -> Turnout:
    """Return the turnout so far: eligible voters, voters who voted, ballots stored, voters invited."""
    voters = election.voters
    return Turnout(
        eligible=voters.count(),
        voted=voters.filter(voted_at__isnull=False).count(),
        ballots=election.ballots.count(),
        invited=voters.filter(invitations__sent_at__isnull=False).distinct().count(),
    )


@dataclass
class CategoryResult:
    key: str
    name: str
    rows: list[dict] = field(default_factory=list)


def tally(election: Election) -> list[CategoryResult]:
    """Return per category the shortlisted profiles with their votes and final rank (ties settled by the draw).

    Each row: rank, profile_id, profile, unit, teryt, url, votes, share (percent of ballots), tied, draw.
    """
    counts = dict(
        BallotPick.objects.filter(ballot__election=election)
        .values_list("entry_id")
        .annotate(n=Count("id"))
        .values_list("entry_id", "n")
    )
    ballots = Ballot.objects.filter(election=election).count()
    out = []
    for category in election.categories.prefetch_related("shortlist__profile__unit"):
        rows = []
        for entry in category.shortlist.all():
            votes = counts.get(entry.pk, 0)
            rows.append(
                {
                    "profile_id": entry.profile_id,
                    "profile": entry.profile.name,
                    "unit": entry.profile.unit.name if entry.profile.unit else "",
                    "teryt": entry.profile.unit_id or "",
                    "url": entry.profile.url,
                    "votes": votes,
                    "share": round(100.0 * votes / ballots, 1) if ballots else 0.0,
                    "draw": tie_key(election.tie_seed, category.key, entry.profile_id),
                }
            )
        rows.sort(key=lambda r: (-r["votes"], r["draw"]))
        for i, row in enumerate(rows):
            row["rank"] = i + 1
            row["tied"] = any(o is not row and o["votes"] == row["votes"] for o in rows) and row["votes"] > 0
        out.append(CategoryResult(category.key, category.name, rows))
    return out


def results_rows(election: Election) -> list[dict]:
    """Return the tally as flat rows (one per category and profile) for tables and CSV."""
    rows = []
    for cat in tally(election):
        for r in cat.rows:
            rows.append(
                {
                    "category": cat.key,
                    "category_name": cat.name,
                    "rank": r["rank"],
                    "profile": r["profile"],
                    "unit": r["unit"],
                    "teryt": r["teryt"],
                    "votes": r["votes"],
                    "share_percent": r["share"],
                    "tie_broken_by_draw": "tak" if r["tied"] else "",
                }
            )
    return rows


RESULT_COLUMNS = [
    "category",
    "category_name",
    "rank",
    "profile",
    "unit",
    "teryt",
    "votes",
    "share_percent",
    "tie_broken_by_draw",
]


def results_csv(election: Election) -> str:
    """Return the results as CSV text (header + one row per category and profile)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=RESULT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(results_rows(election))
    return buf.getvalue()


def ballots_csv(election: Election) -> str:
    """Return every ballot anonymously (receipt fingerprint, day, picks) as CSV, for anyone to recount."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["receipt_fingerprint", "cast_on", "category", "profile_id", "profile"])
    picks = (
        BallotPick.objects.filter(ballot__election=election)
        .select_related("ballot", "entry__category", "entry__profile")
        .order_by("ballot__receipt_hash", "entry__category__order", "entry__position")
    )
    for p in picks:
        writer.writerow(
            [
                receipt_fingerprint(p.ballot.receipt_hash),
                p.ballot.cast_on.isoformat(),
                p.entry.category.key,
                p.entry.profile_id,
                p.entry.profile.name,
            ]
        )
    return buf.getvalue()
