"""API of the vote: public election facts, published results, receipt check. Voting itself happens on the ballot page."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from ratusz.errors import RatuszError
from ratusz.voting.ballots import ballot_choices, check_receipt
from ratusz.voting.elections import get_election
from ratusz.voting.models import Election
from ratusz.voting.results import TIE_RULE, results_rows, turnout

router = Router(tags=["voting"])


class ElectionOut(Schema):
    slug: str
    name: str
    state: str
    opens_at: str
    closes_at: str
    picks_required: int
    forbid_own_unit: bool
    tie_seed_hash: str


def _election(e: Election) -> dict:
    return {
        "slug": e.slug,
        "name": e.name,
        "state": e.state(),
        "opens_at": e.opens_at.isoformat(),
        "closes_at": e.effective_close.isoformat(),
        "picks_required": e.picks_required,
        "forbid_own_unit": e.forbid_own_unit,
        "tie_seed_hash": e.tie_seed_hash,
    }


@router.get("/elections", response=list[ElectionOut])
def list_elections(request: HttpRequest) -> list[dict]:
    """All elections with their state and the published hash of the tie-break seed."""
    return [_election(e) for e in Election.objects.all()]


@router.get("/elections/{slug}")
def election_detail(request: HttpRequest, slug: str) -> dict:
    """One election with its categories and shortlists (profile id, name, unit)."""
    e = get_election(slug)
    return {
        **_election(e),
        "tie_rule": TIE_RULE,
        "categories": [
            {
                "key": cc.category.key,
                "name": cc.category.name,
                "shortlist": [
                    {"profile_id": x.profile_id, "profile": x.profile.name, "teryt": x.profile.unit_id}
                    for x in cc.entries
                ],
            }
            for cc in ballot_choices(e, None)
        ],
    }


@router.get("/elections/{slug}/results")
def election_results(request: HttpRequest, slug: str) -> dict:
    """Published results: rows per category and profile, turnout and the revealed seed."""
    e = get_election(slug)
    if e.state() != "published":
        raise RatuszError(f"Wyniki głosowania {e.slug} nie są jeszcze opublikowane.", code="not_published")
    t = turnout(e)
    return {
        **_election(e),
        "tie_seed": e.tie_seed,
        "turnout": {"eligible": t.eligible, "voted": t.voted, "ballots": t.ballots, "percent": t.percent},
        "rows": results_rows(e),
    }


@router.get("/elections/{slug}/receipt")
def receipt(request: HttpRequest, slug: str, code: str) -> dict:
    """Whether the ballot with this receipt code is counted (and on which day)."""
    from ratusz.voting import ratelimit

    if not ratelimit.hit("receipt:" + ratelimit.client_address(request), ratelimit.limits()[1]):
        raise RatuszError("Zbyt wiele sprawdzeń w ciągu minuty; odczekaj chwilę.", code="rate_limited")
    result = check_receipt(get_election(slug), code[:40])
    return {"counted": result.counted, "cast_on": result.cast_on, "fingerprint": result.fingerprint}
