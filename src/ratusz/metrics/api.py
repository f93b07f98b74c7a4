"""API: rankings (computed and stored), profile metrics with peer percentiles, per-post metrics, the method.

Errors use the one error shape {"error": {"code", "message", "details"}} (see ratusz.api).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from ratusz.errors import NotFound
from ratusz.metrics import metrics, ranking
from ratusz.metrics.definitions import methodology

router = Router(tags=["metrics"])


class RankingQuery(Schema):
    category: str = "active"
    period: str
    level: str | None = None
    kind: str | None = None
    size_class: str | None = None
    voivodeship: str | None = None
    platform: str | None = "facebook"
    role: str | None = None
    min_posts: int | None = None
    min_followers: int | None = None
    limit: int | None = None

    def to_params(self) -> ranking.RankingParams:
        start, end = ranking.parse_period(self.period)
        return ranking.RankingParams(
            category=self.category, period_start=start, period_end=end, level=self.level, kind=self.kind,
            size_class=self.size_class, voivodeship=self.voivodeship, platform=self.platform, role=self.role,
            min_posts=self.min_posts, min_followers=self.min_followers, limit=self.limit,
        )


class RankingOut(Schema):
    category: str
    period_start: date
    period_end: date
    filters: dict[str, Any]
    thresholds: dict[str, Any]
    method_version: str
    input_fingerprint: str
    explanation: str
    columns: list[str]
    candidates: int
    excluded: dict[str, int]
    total_rows: int
    rows: list[dict[str, Any]]


class RunOut(Schema):
    id: int
    category: str
    period_start: date
    period_end: date
    filters: dict[str, Any]
    params: dict[str, Any]
    method_version: str
    input_fingerprint: str
    row_count: int
    created_at: datetime
    explanation: str


class RunDetailOut(RunOut):
    columns: list[str]
    rows: list[dict[str, Any]]


class VerifyOut(Schema):
    run_id: int
    reproduced: bool
    fingerprint_stored: str
    fingerprint_now: str
    method_version_stored: str
    method_version_now: str
    rows_equal: bool
    differences: list[str]


class ProfileMetricsOut(Schema):
    profile_id: int
    name: str
    period_start: date
    period_end: date
    summary: dict[str, Any]
    peers: dict[str, Any]
    missing: list[str]


def _period_or_default(period: str | None) -> tuple[date, date]:
    if period:
        return ranking.parse_period(period)
    end = datetime.now(metrics.WARSAW).date() - timedelta(days=1)
    return end - timedelta(days=364), end


def _profile(profile_id: int):
    from ratusz.registry.models import Profile

    try:
        return Profile.objects.select_related("unit").get(pk=profile_id)
    except Profile.DoesNotExist:
        raise NotFound(f"Nie ma profilu nr {profile_id}; sprawdź numer w rejestrze profili.") from None


def _run_out(run, with_rows: bool = False) -> dict[str, Any]:
    out = {f: getattr(run, f) for f in ("id", "category", "period_start", "period_end", "filters", "params",
                                        "method_version", "input_fingerprint", "row_count", "created_at",
                                        "explanation")}
    if with_rows:
        out["columns"] = ranking.COLUMNS[run.category]
        out["rows"] = ranking.run_rows(run)
    return out


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return ranking._json_safe(row)


@router.get("/rankings", response=RankingOut, summary="Compute a ranking")
def compute(request: HttpRequest, q: Query[RankingQuery]) -> dict[str, Any]:
    """Compute a Złoty Lajk ranking (active, love, region) for a period with filters; not stored.

    Example: /api/metrics/rankings?category=love&period=2025-01-01..2025-12-31&size_class=20-50k&voivodeship=dolnoslaskie
    """
    result = ranking.compute_ranking(q.to_params())
    p = result.params
    return {
        "category": p.category, "period_start": p.period_start, "period_end": p.period_end,
        "filters": p.filters(), "thresholds": p.thresholds(), "method_version": result.method_version,
        "input_fingerprint": result.fingerprint, "explanation": result.explanation, "columns": result.columns,
        "candidates": result.candidates, "excluded": result.excluded, "total_rows": result.total_rows,
        "rows": [_clean(r) for r in result.rows],
    }


@router.post("/rankings/runs", response=RunDetailOut, summary="Compute and store a ranking")
def create_run(request: HttpRequest, body: RankingQuery) -> dict[str, Any]:
    """Compute a ranking and store it with its parameters, method version and input fingerprint."""
    return _run_out(ranking.run_ranking(body.to_params()), with_rows=True)


@router.get("/rankings/runs", response=list[RunOut], summary="List stored rankings")
def list_runs(request: HttpRequest, limit: int = 50) -> list[dict[str, Any]]:
    """Stored ranking runs, newest first."""
    from ratusz.metrics.models import RankingRun

    return [_run_out(r) for r in RankingRun.objects.all()[: max(1, min(limit, 500))]]


@router.get("/rankings/runs/{run_id}", response=RunDetailOut, summary="A stored ranking")
def run_detail(request: HttpRequest, run_id: int) -> dict[str, Any]:
    """A stored ranking with its rows as published."""
    return _run_out(ranking.get_run(run_id), with_rows=True)


@router.get("/rankings/runs/{run_id}/verify", response=VerifyOut, summary="Check a stored ranking reproduces")
def run_verify(request: HttpRequest, run_id: int) -> dict[str, Any]:
    """Recompute a stored ranking and compare its fingerprint and rows."""
    return ranking.verify_run(run_id)


@router.get("/profiles/{profile_id}", response=ProfileMetricsOut, summary="Profile metrics with peer percentiles")
def profile_metrics(request: HttpRequest, profile_id: int, period: str | None = None) -> dict[str, Any]:
    """A profile's metrics for a period (default: the last 365 finished days) and its percentile among
    peers (same level, kind and size class). Engagement is a fraction of followers per day."""
    p = _profile(profile_id)
    start, end = _period_or_default(period)
    summary = metrics.profile_summary(p, start, end)
    missing = summary.pop("missing", [])
    return {"profile_id": p.pk, "name": p.name, "period_start": summary["period_start"],
            "period_end": summary["period_end"], "summary": _clean(summary),
            "peers": _clean(metrics.peer_percentiles(p, start, end)), "missing": missing}


@router.get("/profiles/{profile_id}/series", response=list[dict[str, Any]], summary="Weekly series of a profile")
def profile_series(request: HttpRequest, profile_id: int, period: str | None = None) -> list[dict[str, Any]]:
    """Per week (Monday, Europe/Warsaw): posts, interactions and parts, engagement, reaction mood."""
    p = _profile(profile_id)
    start, end = _period_or_default(period)
    return [_clean(w) for w in metrics.weekly_series(p, start, end)]


@router.get("/profiles/{profile_id}/posts", response=list[dict[str, Any]], summary="Per-post metrics")
def profile_posts(request: HttpRequest, profile_id: int, period: str | None = None) -> list[dict[str, Any]]:
    """Own posts of a profile in a period with interactions, ER, reaction mood and overperformance."""
    p = _profile(profile_id)
    start, end = _period_or_default(period)
    return [_clean(r) for r in metrics.post_rows(p, start, end)]


@router.get("/posts/{post_id}", response=dict[str, Any], summary="Metrics of one post")
def post_detail(request: HttpRequest, post_id: int) -> dict[str, Any]:
    """One post's interactions, ER, reaction mood and overperformance."""
    from ratusz.collect.models import Post

    if not Post.objects.filter(pk=post_id).exists():
        raise NotFound(f"Nie ma posta nr {post_id}.")
    return _clean(metrics.post_metrics(post_id))


@router.get("/definitions", response=dict[str, Any], summary="The published method")
def definitions(request: HttpRequest) -> dict[str, Any]:
    """Method version, metric definitions, ranking categories, tie-breaks and default thresholds."""
    return methodology()
