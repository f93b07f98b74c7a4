"""API routes of the language app: score texts, check a draft's readability, daily moods of a profile.

Errors use the one error shape {"error": {"code", "message", "details"}} (see ratusz.api).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from ratusz.errors import NotFound, RatuszError

router = Router(tags=["language"])
MAX_TEXTS = 10_000


class TextsIn(Schema):
    texts: list[str]


class TextIn(Schema):
    text: str


@router.post("/score")
def score(request: HttpRequest, payload: TextsIn) -> list[dict[str, Any]]:
    """Score up to 10,000 texts: one result per text (sentiment, harm, question, language, model version)."""
    from ratusz.language.scoring import score_texts

    if len(payload.texts) > MAX_TEXTS:
        raise RatuszError(
            f"Za dużo tekstów ({len(payload.texts)}): wyślij najwyżej {MAX_TEXTS} w jednym żądaniu."
        )
    return score_texts(payload.texts)


@router.post("/check")
def check(request: HttpRequest, payload: TextIn) -> dict[str, Any]:
    """Readability of a draft post: FOG-PL, Pisarek, a Jasnopis-like band and plain-language hints."""
    from ratusz.language.readability import check as check_text

    return check_text(payload.text).as_dict()


@router.get("/profiles/{profile_id}/moods")
def moods(request: HttpRequest, profile_id: int, days: int = 30) -> list[dict[str, Any]]:
    """Daily counts and shares (0..1) of negative and harmful residents' comments under a profile's posts."""
    from ratusz.language.moods import daily_shares
    from ratusz.registry.models import Profile

    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None:
        raise NotFound(f"Nie ma profilu o identyfikatorze {profile_id}.")
    return [{**r, "date": r["date"].isoformat()} for r in daily_shares(profile=profile, days=min(days, 366))]
