"""The Złoty Lajk ranking: categories Active, Love and Region, filters, thresholds, stored runs.

`compute_ranking(params)` ranks profiles from the database (aggregates in SQL, see `metrics.py`);
`run_ranking(params)` also stores the run with its parameters, METHOD_VERSION and a sha256 fingerprint
of its input, so `verify_run` can recompute it later and prove it reproduces to the digit.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction

from ratusz.errors import NotFound, RatuszError
from ratusz.metrics import metrics
from ratusz.metrics.definitions import CATEGORIES, METHOD_VERSION, tie_break_text
from ratusz.registry.models import SIZE_CLASSES, VOIVODESHIPS, Level, Platform, ProfileRole
from ratusz.registry.services import fold

LEVELS = [lv.value for lv in Level]
KINDS = ["gmina miejska", "gmina wiejska", "gmina miejsko-wiejska", "powiat", "miasto na prawach powiatu",
         "województwo"]
_KIND_ALIASES = {"miejska": "gmina miejska", "wiejska": "gmina wiejska", "miejsko-wiejska": "gmina miejsko-wiejska",
                 "mnpp": "miasto na prawach powiatu", "wojewodztwo": "województwo"}

#: Columns of a ranking as printed by the CLI and shown on the page, in order.
COLUMNS = {
    "active": ["rank", "name", "unit_name", "voivodeship", "size_class", "posts", "posts_per_day", "interactions",
               "reactions", "comments", "shares", "followers", "engagement_pct", "profile_id"],
    "love": ["rank", "name", "unit_name", "voivodeship", "size_class", "engagement_pct",
             "interactions_per_post_per_1000", "interactions", "posts", "followers", "ppi", "profile_id"],
}
COLUMNS["region"] = COLUMNS["love"]


@dataclass
class RankingParams:
    """What to rank: category, period (Europe/Warsaw days, inclusive) and filters; thresholds
    default to the category's published defaults when None."""

    category: str
    period_start: date
    period_end: date
    level: str | None = None
    kind: str | None = None
    size_class: str | None = None
    voivodeship: str | None = None
    platform: str | None = "facebook"
    role: str | None = None
    min_posts: int | None = None
    min_followers: int | None = None
    limit: int | None = None

    def filters(self) -> dict[str, Any]:
        """Return the filters as stored with a run (None = not filtered)."""
        return {k: getattr(self, k) for k in ("level", "kind", "size_class", "voivodeship", "platform", "role")}

    def thresholds(self) -> dict[str, Any]:
        """Return the eligibility thresholds as stored with a run."""
        return {"min_posts": self.min_posts, "min_followers": self.min_followers}


@dataclass
class RankingResult:
    """A computed ranking: rows in rank order, the columns to show, and the sentences explaining it."""

    params: RankingParams
    rows: list[dict[str, Any]]
    columns: list[str]
    explanation: str
    fingerprint: str
    candidates: int
    excluded: dict[str, int] = field(default_factory=dict)
    method_version: str = METHOD_VERSION
    total_rows: int = 0


# --- parsing and validation -----------------------------------------------------------------------


def parse_period(text: str) -> tuple[date, date]:
    """Return (start, end) dates of a period written "2025-01-01..2025-12-31", "2025" or "2025-03".

    Raises RatuszError with an example when the text cannot be read or the period is empty.
    """
    text = (text or "").strip()
    try:
        if ".." in text:
            a, b = text.split("..", 1)
            start, end = date.fromisoformat(a.strip()), date.fromisoformat(b.strip())
        elif re.fullmatch(r"\d{4}", text):
            start, end = date(int(text), 1, 1), date(int(text), 12, 31)
        elif re.fullmatch(r"\d{4}-\d{2}", text):
            y, m = map(int, text.split("-"))
            start = date(y, m, 1)
            end = (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)
        else:
            raise ValueError(text)
    except ValueError:
        raise RatuszError(
            f"Nie rozumiem okresu „{text}”: podaj go jako 2025-01-01..2025-12-31, 2025 (rok) lub 2025-03 (miesiąc)."
        ) from None
    if end < start:
        raise RatuszError(
            f"Okres {start}..{end} jest pusty: koniec jest przed początkiem; zamień daty miejscami."
        )
    return start, end


def validate_period(start: date, end: date, today: date | None = None) -> None:
    """Raise RatuszError when the period is empty or reaches into the future (rankings use finished days)."""
    today = today or datetime.now(metrics.WARSAW).date()
    if end < start:
        raise RatuszError(f"Okres {start}..{end} jest pusty: koniec jest przed początkiem; zamień daty miejscami.")
    if start >= today:
        raise RatuszError(
            f"Okres {start}..{end} jest w przyszłości (dziś jest {today}): ranking liczy tylko dni, które już minęły."
        )
    if end >= today:
        raise RatuszError(
            f"Okres {start}..{end} kończy się dziś lub w przyszłości: ranking liczy tylko zakończone dni — "
            f"podaj koniec najpóźniej {today - timedelta(days=1)}."
        )


def parse_voivodeship(value: str | None) -> str | None:
    """Return the two-digit TERYT code of a voivodeship given by code or by Polish name (with or
    without diacritics, optionally prefixed "województwo"/"woj."); None when value is empty."""
    if value is None or not str(value).strip():
        return None
    raw = str(value).strip()
    if raw.isdigit():
        code = f"{int(raw):02d}"
        if code in dict(VOIVODESHIPS):
            return code
    folded = fold(raw)
    folded = re.sub(r"^(wojewodztwo|woj\.?)\s+", "", folded)
    for code, name in VOIVODESHIPS:
        if fold(name) == folded:
            return code
    raise RatuszError(
        f"Nie znam województwa „{raw}”; dostępne: "
        + ", ".join(f"{name} ({code})" for code, name in VOIVODESHIPS)
        + "."
    )


def parse_size_class(value: str | None) -> str | None:
    """Return a size class from SIZE_CLASSES ("<5k" … ">=500k"), accepting –, ≥ and spaces; None when empty."""
    if value is None or not str(value).strip():
        return None
    norm = str(value).strip().replace("–", "-").replace("—", "-").replace("≥", ">=").replace(" ", "").lower()
    norm = {"500k+": ">=500k", "<5000": "<5k"}.get(norm, norm)
    if norm in SIZE_CLASSES:
        return norm
    raise RatuszError(f"Nie znam klasy wielkości „{value}”; dostępne: {', '.join(SIZE_CLASSES)}.")


def _parse_choice(value: str | None, choices: list[str], what: str, aliases: dict[str, str] | None = None) -> str | None:
    if value is None or not str(value).strip():
        return None
    folded = fold(str(value))
    for c in choices:
        if fold(c) == folded:
            return c
    if aliases and folded in aliases:
        return aliases[folded]
    raise RatuszError(f"Nie znam wartości „{value}” ({what}); dostępne: {', '.join(choices)}.")


def normalise(params: RankingParams, today: date | None = None) -> RankingParams:
    """Return params with every filter checked and in canonical form and thresholds resolved to numbers.

    Raises RatuszError (one sentence naming the valid values) on any unknown value.
    """
    if params.category not in CATEGORIES:
        raise RatuszError(f"Nie znam kategorii „{params.category}”; dostępne: {', '.join(CATEGORIES)}.")
    cat = CATEGORIES[params.category]
    validate_period(params.period_start, params.period_end, today)
    level = _parse_choice(params.level, LEVELS, "poziom jednostki", {"województwo": "wojewodztwo"})
    if cat.levels and level and level not in cat.levels:
        raise RatuszError(
            f"Kategoria „{cat.name_pl}” obejmuje tylko profile jednostek poziomu: {', '.join(cat.levels)}; "
            f"poziom „{level}” do niej nie należy."
        )
    platform = params.platform
    if platform is not None and fold(platform) in ("all", "wszystkie", ""):
        platform = None
    platform = _parse_choice(platform, list(Platform.values), "platforma")
    min_posts = cat.default_min_posts if params.min_posts is None else int(params.min_posts)
    min_followers = cat.default_min_followers if params.min_followers is None else int(params.min_followers)
    if min_posts < 0 or min_followers < 0:
        raise RatuszError("Progi --min-posts i --min-followers nie mogą być ujemne.")
    if params.limit is not None and params.limit < 1:
        raise RatuszError("Limit wierszy musi być liczbą dodatnią.")
    return replace(
        params,
        level=level,
        kind=_parse_choice(params.kind, KINDS, "rodzaj jednostki", _KIND_ALIASES),
        size_class=parse_size_class(params.size_class),
        voivodeship=parse_voivodeship(params.voivodeship),
        platform=platform,
        role=_parse_choice(params.role, list(ProfileRole.values), "rola profilu"),
        min_posts=min_posts,
        min_followers=min_followers,
    )


def _where(params: RankingParams) -> tuple[str, list[Any]]:
    clauses, values = ["pr.active"], []
    for column, value in (
        ("pr.platform", params.platform),
        ("pr.role", params.role),
        ("u.level", params.level),
        ("u.kind", params.kind),
        ("u.size_class", params.size_class),
        ("u.woj_code", params.voivodeship),
    ):
        if value is not None:
            clauses.append(f"{column} = %s")
            values.append(value)
    levels = CATEGORIES[params.category].levels
    if levels:
        clauses.append("u.level IN (" + ", ".join(f"'{lv}'" for lv in levels) + ")")
    return " AND ".join(clauses), values


# --- computing ------------------------------------------------------------------------------------

_FINGERPRINT_KEYS = ["profile_id", "teryt", "level", "kind", "size_class", "voivodeship", "platform", "role",
                     "posts", "media_posts", "reactions", "reactions_by_type", "comments", "shares", "interactions",
                     "posts_with_interactions", "post_days", "unknown_days", "engagement", "followers", "fans_end",
                     "followers_start", "reaction_mood", "checksum"]


def _canon(value: Any) -> Any:
    """Floats to 12 significant digits: the digits a ranking publishes, stable across summation orders."""
    t = type(value)
    if t is int or t is str or value is None:  # most values: a ranking canonicalises 100,000s of them
        return value
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: _canon(v) for k, v in value.items()}
    return value


def _canon_inputs(row: dict[str, Any]) -> list[Any]:
    """Return `[_canon(row.get(k)) for k in _FINGERPRINT_KEYS]`, inlined for the common types (a national
    ranking fingerprints 6,000 rows × 24 values)."""
    out = []
    get = row.get
    for k in _FINGERPRINT_KEYS:
        v = get(k)
        t = type(v)
        if t is float:
            v = float(f"{v:.12g}")
        elif t is not int and v is not None:
            v = _canon(v)
        out.append(v)
    return out


def fingerprint(params: RankingParams, inputs: list[dict[str, Any]]) -> str:
    """Return the sha256 (hex) of the method version, parameters and every candidate profile's input
    aggregates (including a per-profile checksum of all its post rows computed in the database)."""
    payload = {
        "method_version": METHOD_VERSION,
        "category": params.category,
        "period": [params.period_start.isoformat(), params.period_end.isoformat()],
        "filters": params.filters(),
        "thresholds": params.thresholds(),
        "inputs": [_canon_inputs(r) for r in inputs],
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def _desc(value: float | int | None) -> tuple[int, float]:
    """Sort key: larger first, unknown last."""
    return (1, 0.0) if value is None else (0, -float(_canon(float(value))))


def _sort_key(category: str, r: dict[str, Any]) -> tuple:
    if category == "active":
        return (_desc(r["posts"]), _desc(r.get("interactions")), r["profile_id"])
    return (_desc(r.get("engagement")), _desc(r.get("interactions_per_post_per_1000")),
            _desc(r.get("interactions")), r["profile_id"])


def _filters_text(p: RankingParams) -> str:
    parts = []
    if p.voivodeship:
        parts.append(f"województwo {dict(VOIVODESHIPS)[p.voivodeship]}")
    for label, value in (("poziom", p.level), ("rodzaj", p.kind), ("klasa wielkości", p.size_class),
                         ("platforma", p.platform), ("rola", p.role)):
        if value:
            parts.append(f"{label} {value}")
    return ", ".join(parts) or "bez filtrów"


def compute_ranking(params: RankingParams, today: date | None = None, source: str = "rollup") -> RankingResult:
    """Return the ranking for params (validated first): rows in rank order with every metric,
    the columns to show, an explanation (period, filters, thresholds, tie-breaks, exclusions) and
    the input fingerprint. `source` "posts" re-derives it from the post rows instead of the daily
    rollup (same result). Raises RatuszError when nothing can be ranked, saying why."""
    p = normalise(params, today)
    cat = CATEGORIES[p.category]
    where, values = _where(p)
    candidates = metrics.aggregate_profiles(p.period_start, p.period_end, where, values, source=source)
    fp = fingerprint(p, candidates)
    filters_text = _filters_text(p)
    if not candidates:
        raise RatuszError(
            f"Żaden aktywny profil nie pasuje do filtrów ({filters_text}): sprawdź filtry lub zarejestruj profile "
            "(ratusz profiles import)."
        )
    excluded = {"too_few_posts": 0, "too_few_followers": 0, "engagement_unknown": 0}
    eligible = []
    for r in candidates:
        if r["posts"] < p.min_posts:
            excluded["too_few_posts"] += 1
        elif cat.key != "active" and (r.get("followers") is None or r["followers"] < p.min_followers):
            excluded["too_few_followers"] += 1
        elif cat.key != "active" and r.get("engagement") is None:
            excluded["engagement_unknown"] += 1
        else:
            eligible.append(r)
    if not eligible:
        reasons = [f"{excluded['too_few_posts']} ma mniej niż {p.min_posts} własnych postów w okresie"]
        if cat.key != "active":
            reasons.append(
                f"{excluded['too_few_followers']} ma mniej niż {p.min_followers} obserwujących na koniec okresu "
                "lub brak ich stanów"
            )
            reasons.append(f"{excluded['engagement_unknown']} ma nieznane zaangażowanie")
        raise RatuszError(
            f"Brak profili spełniających warunki kategorii „{cat.name_pl}” w okresie {p.period_start}..{p.period_end} "
            f"({filters_text}): z {len(candidates)} pasujących profili " + ", ".join(reasons)
            + "; obniż progi (--min-posts, --min-followers) albo zmień okres lub filtry.",
            code="no_eligible_profiles",
            details={"candidates": len(candidates), "excluded": excluded, "thresholds": p.thresholds()},
        )
    metrics.add_ppi(eligible)
    eligible.sort(key=lambda r: _sort_key(cat.key, r))
    previous_score: Any = object()
    for i, r in enumerate(eligible, start=1):
        r["rank"] = i
        score = r["posts"] if cat.key == "active" else r.get("engagement")
        r["score"] = float(score) if score is not None else None
        r["tied_on_score"] = _canon(r["score"]) == previous_score
        previous_score = _canon(r["score"])
        r["engagement_pct"] = round(100 * r["engagement"], 4) if r.get("engagement") is not None else None
        for k in ("posts_per_day", "interactions_per_post_per_1000", "ppi", "sii_relative"):
            if r.get(k) is not None:
                r[k] = round(r[k], 4)
    n_excluded = sum(excluded.values())
    explanation = (
        f"Kategoria {cat.name_pl}: ranking według "
        f"{'liczby własnych postów' if cat.key == 'active' else 'zaangażowania (średnia dziennych wskaźników)'} "
        f"w okresie {p.period_start}..{p.period_end} (kalendarz Europe/Warsaw), {filters_text}. "
        f"Progi: co najmniej {p.min_posts} postów"
        + (f" i {p.min_followers} obserwujących" if cat.key != "active" else "")
        + f". {tie_break_text(cat.key)} Sklasyfikowano {len(eligible)} z {len(candidates)} profili"
        + (f" (poza progami: {n_excluded})" if n_excluded else "")
        + f". Metoda {METHOD_VERSION}, odcisk danych {fp[:12]}."
    )
    rows = eligible[: p.limit] if p.limit else eligible
    return RankingResult(p, rows, COLUMNS[cat.key], explanation, fp, len(candidates), excluded,
                         total_rows=len(eligible))


# --- stored runs ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _json_safe(row: dict[str, Any]) -> dict[str, Any]:
    """Return the row as plain JSON types (dates and datetimes as ISO 8601 text)."""
    return json.loads(json.dumps(row, default=_plain))


def run_ranking(params: RankingParams, today: date | None = None):
    """Compute the ranking (all rows, ignoring `limit`) and store it as a RankingRun with its entries;
    return the run. All or nothing: on any error nothing is stored."""
    from ratusz.metrics.models import RankingEntry, RankingRun

    result = compute_ranking(replace(params, limit=None), today)
    p = result.params
    with transaction.atomic():
        run = RankingRun.objects.create(
            category=p.category,
            period_start=p.period_start,
            period_end=p.period_end,
            filters=p.filters(),
            params=p.thresholds(),
            method_version=METHOD_VERSION,
            input_fingerprint=result.fingerprint,
            row_count=len(result.rows),
            explanation=result.explanation,
        )
        RankingEntry.objects.bulk_create(
            [RankingEntry(run=run, rank=r["rank"], profile_id=r["profile_id"], score=r["score"],
                          values=_json_safe(r)) for r in result.rows],
            batch_size=1000,
        )
    return run


def get_run(run_id: int):
    """Return the stored RankingRun with this id, or raise NotFound with a helpful sentence."""
    from ratusz.metrics.models import RankingRun

    try:
        return RankingRun.objects.get(pk=run_id)
    except (RankingRun.DoesNotExist, ValueError):
        raise NotFound(f"Nie ma zapisanego rankingu nr {run_id}; listę pokazuje `ratusz ranking list`.") from None


def params_of_run(run) -> RankingParams:
    """Return the RankingParams a stored run was computed with."""
    return RankingParams(category=run.category, period_start=run.period_start, period_end=run.period_end,
                         **run.filters, **run.params)


def run_rows(run) -> list[dict[str, Any]]:
    """Return the stored rows of a run in rank order (the values as published)."""
    return [dict(e.values, rank=e.rank, profile_id=e.profile_id, score=e.score) for e in run.entries.order_by("rank")]


def verify_run(run_id: int, source: str = "rollup") -> dict[str, Any]:
    """Recompute a stored run from the database (the daily rollup, or with `source` "posts" the post
    rows themselves) and compare: returns {"run_id", "reproduced" (bool), "source", "fingerprint_stored",
    "fingerprint_now", "method_version_stored", "rows_equal", "differences"}."""
    run = get_run(run_id)
    stored = [(e.rank, e.profile_id, _canon(e.score)) for e in run.entries.order_by("rank")]
    try:
        result = compute_ranking(params_of_run(run), today=run.period_end + timedelta(days=1), source=source)
        now = [(r["rank"], r["profile_id"], _canon(r["score"])) for r in result.rows]
        fp_now = result.fingerprint
    except RatuszError as exc:
        now, fp_now = [], f"(błąd: {exc.message})"
    diffs = [f"miejsce {a[0]}: zapisano profil {a[1]} ({a[2]}), teraz {b[1]} ({b[2]})"
             for a, b in zip(stored, now, strict=False) if a != b]
    if len(stored) != len(now):
        diffs.append(f"liczba pozycji: zapisano {len(stored)}, teraz {len(now)}")
    return {
        "run_id": run.pk,
        "source": source,
        "reproduced": fp_now == run.input_fingerprint and not diffs and run.method_version == METHOD_VERSION,
        "fingerprint_stored": run.input_fingerprint,
        "fingerprint_now": fp_now,
        "method_version_stored": run.method_version,
        "method_version_now": METHOD_VERSION,
        "rows_equal": not diffs,
        "differences": diffs[:20],
    }


def params_dict(p: RankingParams) -> dict[str, Any]:
    """Return params as a JSON-safe dict."""
    d = asdict(p)
    d["period_start"], d["period_end"] = p.period_start.isoformat(), p.period_end.isoformat()
    return d
