"""Pages of the Złoty Lajk ranking: the national ranking, the methodology, the report download and the
metrics panel of the profile page. They parse input, call the metrics library and render.

Computed rankings, peer groups, the ranking's results fragment and the profile panel are cached
(ratusz.web.cache: the Django cache — RATUSZ_CACHE_DIR shares it between server processes — plus a small
in-process memo and a guard that lets one request compute a missing entry while the others wait) under
keys made of the filters and a cheap data version (the newest ids and a generation bumped by saves), so a
page answers from memory until the data changes or the entry expires (CACHE_SECONDS).
"""

from __future__ import annotations

import bisect
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ratusz.errors import RatuszError
from ratusz.metrics import charts, metrics
from ratusz.metrics.definitions import CATEGORIES, METRICS_BY_KEY
from ratusz.metrics.ranking import KINDS, RankingParams, RankingResult, compute_ranking, parse_period
from ratusz.registry.models import SIZE_CLASSES, VOIVODESHIPS, Level, Platform, ProfileRole
from ratusz.web.cache import (
    CACHE_SECONDS,
    cached,
    clear_local_cache,
    data_changed,
    data_version,
    memo_get,
    memo_set,
    not_modified,
    page_etag,
    with_cache_headers,
)
from ratusz.web.cache import fingerprint as _fingerprint

__all__ = ["CACHE_SECONDS", "cached", "clear_local_cache", "data_changed", "data_version"]

ROWS_PER_PAGE = 50
FILTER_KEYS = ["category", "start", "end", "level", "kind", "size_class", "voivodeship", "platform", "role"]


# --- input ------------------------------------------------------------------------------------------


def local_name(definition: Any) -> str:
    """Return a metric's or category's name in the active language (its English name on English pages)."""
    return definition.name_en if (get_language() or "pl").startswith("en") else definition.name_pl


def _is_htmx_fragment(request: HttpRequest) -> bool:
    # A history restore wants the whole page, not the fragment.
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def default_period(today: date | None = None) -> tuple[date, date]:
    """Return the default period: the 12 calendar months ending with the month of the newest post
    (or the last month), never reaching today (rankings count finished days only)."""
    today = today or date.today()

    def compute() -> tuple[date, date]:
        from ratusz.collect.models import Post

        latest = Post.objects.filter(is_own=True).aggregate(m=Max("published_at"))["m"]
        last_day = latest.astimezone(metrics.WARSAW).date() if latest else today - timedelta(days=1)
        end = _month_end(last_day)
        if end >= today:
            end = today - timedelta(days=1)
        start = date(end.year - (1 if end.month < 12 else 0), end.month % 12 + 1, 1)
        return start, end

    return cached(f"ratusz:metrics:default-period:{data_version()}:{today.isoformat()}", compute)


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def read_filters(request: HttpRequest) -> dict[str, str]:
    """Return the ranking filters from the query string (stripped text; empty when absent), with the
    default category and period filled in. `period=2025-01-01..2025-12-31` is accepted as well."""
    filters = {k: request.GET.get(k, "").strip() for k in FILTER_KEYS}
    period = request.GET.get("period", "").strip()
    if period and not (filters["start"] or filters["end"]):
        try:
            start, end = parse_period(period)
            filters["start"], filters["end"] = start.isoformat(), end.isoformat()
        except RatuszError:
            filters["start"] = period
    if not filters["category"]:
        filters["category"] = "active"
    if not filters["start"] and not filters["end"]:
        start, end = default_period()
        filters["start"], filters["end"] = start.isoformat(), end.isoformat()
    if "platform" not in request.GET:
        filters["platform"] = "facebook"
    return filters


def _date(value: str, what: str) -> date:
    if not value:
        raise RatuszError(f"Brak daty {what}: podaj ją w formacie RRRR-MM-DD, np. 2025-01-31.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RatuszError(
            f"„{value}” nie jest poprawną datą {what}: podaj ją w formacie RRRR-MM-DD, np. 2025-01-31."
        ) from None


def params_from_filters(filters: dict[str, str]) -> RankingParams:
    """Return RankingParams for the page's filters; raises RatuszError for an unreadable date
    (the library checks every other value and says which values exist)."""
    start = _date(filters["start"], _("początku okresu"))
    end = _date(filters["end"], _("końca okresu"))
    if end < start:
        raise RatuszError(
            f"Okres {start}..{end} jest pusty: koniec jest przed początkiem; zamień daty miejscami."
        )
    return RankingParams(
        category=filters["category"],
        period_start=start,
        period_end=end,
        level=filters["level"] or None,
        kind=filters["kind"] or None,
        size_class=filters["size_class"] or None,
        voivodeship=filters["voivodeship"] or None,
        platform=filters["platform"] or None,
        role=filters["role"] or None,
    )


# Keys of a ranking row that the page and the report show; the rest stays out of the cache.
ROW_KEYS = [
    "rank",
    "profile_id",
    "name",
    "unit_name",
    "voivodeship",
    "size_class",
    "level",
    "kind",
    "posts",
    "posts_per_day",
    "interactions",
    "reactions",
    "comments",
    "shares",
    "engagement",
    "followers",
    "score",
    "interactions_per_post_per_1000",
    "ppi",
]


def cached_ranking(params: RankingParams) -> RankingResult:
    """Return compute_ranking(params) with rows reduced to ROW_KEYS, from the cache when the same filters
    were ranked on the same data. Errors (RatuszError) are not cached."""

    def compute() -> RankingResult:
        result = compute_ranking(params)
        result.rows = [{k: r.get(k) for k in ROW_KEYS} for r in result.rows]
        return result

    return cached(f"ratusz:metrics:ranking:{_fingerprint(params.__dict__)}:{data_version()}", compute)


# --- ranking page -----------------------------------------------------------------------------------


def _select_fields(filters: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "name": "level",
            "label": _("Poziom jednostki"),
            "all_label": _("wszystkie poziomy"),
            "choices": list(Level.choices),
            "value": filters["level"],
        },
        {
            "name": "kind",
            "label": _("Rodzaj jednostki"),
            "all_label": _("wszystkie rodzaje"),
            "choices": [(k, k) for k in KINDS],
            "value": filters["kind"],
        },
        {
            "name": "size_class",
            "label": _("Klasa wielkości"),
            "all_label": _("wszystkie klasy"),
            "choices": [(s, s) for s in SIZE_CLASSES],
            "value": filters["size_class"],
        },
        {
            "name": "voivodeship",
            "label": _("Województwo"),
            "all_label": _("cała Polska"),
            "choices": [(name, name) for _code, name in VOIVODESHIPS],
            "value": filters["voivodeship"],
        },
        {
            "name": "platform",
            "label": _("Platforma"),
            "all_label": _("wszystkie platformy"),
            "choices": list(Platform.choices),
            "value": filters["platform"],
        },
        {
            "name": "role",
            "label": _("Rola profilu"),
            "all_label": _("wszystkie role"),
            "choices": list(ProfileRole.choices),
            "value": filters["role"],
        },
    ]


def _results(request: HttpRequest, filters: dict[str, str]) -> tuple[str, str | None]:
    """Return the rendered results fragment (table, facts, paging) and the error sentence, if any."""
    from ratusz.reports.builder import display_row, page_document

    error = None
    doc: dict[str, Any] = {}
    rows_page = None
    try:
        params = params_from_filters(filters)
        result = cached_ranking(params)
        doc = page_document(result)
        rows_page = Paginator(result.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        rows_page.object_list = [display_row(r) for r in rows_page.object_list]
    except RatuszError as exc:
        error = exc.message
    category = CATEGORIES.get(filters["category"])
    heading = _("Kategoria %(name)s") % {"name": local_name(category)} if category else _("Ranking")
    context = {
        "filters": filters,
        "error": error,
        "doc": doc,
        "rows_page": rows_page,
        "heading": heading,
        "query": urlencode({k: v for k, v in filters.items() if v}),
        "profile_query": urlencode({"start": filters["start"], "end": filters["end"]}),
    }
    return render_to_string("metrics/ranking.html#results", context, request=request), error


def _filters_form(request: HttpRequest, filters: dict[str, str]) -> str:
    """Return the ranking's heading and filter form for these filters (cached: it depends on nothing else)."""

    def compute() -> str:
        context = {
            "filters": filters,
            "choices": {"category": [(k, local_name(c)) for k, c in CATEGORIES.items()]},
            "select_fields": _select_fields(filters),
        }
        return render_to_string("metrics/ranking.html#filters", context, request=request)

    return cached(f"ratusz:metrics:filters:{_fingerprint([filters, get_language()])}", compute)


@require_GET
def ranking(request: HttpRequest) -> HttpResponse:
    """The national ranking with its filters; the results fragment alone for htmx requests.

    The fragment is cached per filters, page, language and data version (it holds no per-user content)."""
    filters = read_filters(request)
    fragment = _is_htmx_fragment(request)
    key = (
        f"ratusz:metrics:results:{_fingerprint([filters, request.GET.get('page', ''), get_language()])}:"
        f"{data_version()}"
    )
    etag = page_etag(request, f"{key}:{fragment}")
    if (response := not_modified(request, etag)) is not None:
        return response
    html = memo_get(key) or cache.get(key)
    error = None
    if html is None:
        # An error sentence is cheap to produce again and is not stored; a ranking is stored once.
        html, error = _results(request, filters)
        if error is None:
            cache.set(key, html, CACHE_SECONDS)
    if error is None:
        memo_set(key, html)
    else:
        etag = None
    if fragment:
        response = with_cache_headers(HttpResponse(html), etag)
        patch_vary_headers(response, ["HX-Request"])
        return response
    context = {
        "filters_html": mark_safe(_filters_form(request, filters)),  # both rendered by the template engine
        "results_html": mark_safe(html),
    }
    response = render(request, "metrics/ranking.html", context, status=400 if error else 200)
    patch_vary_headers(response, ["HX-Request"])  # the same address answers htmx with the fragment
    return with_cache_headers(response, etag)


@require_GET
def report_pdf(request: HttpRequest) -> HttpResponse:
    """The ranking report as a PDF download, for the same filters as the ranking page."""
    from ratusz.reports.builder import ranking_document, render_html, render_pdf

    filters = read_filters(request)
    try:
        params = params_from_filters(filters)
        doc = ranking_document(params, store=False, result=cached_ranking(params))
    except RatuszError as exc:
        return render(
            request,
            "web/error.html",
            {"title": _("Nie można przygotować raportu"), "message": exc.message},
            status=400,
        )
    pdf = render_pdf(render_html(doc))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc["file_stem"]}.pdf"'
    return response


@require_GET
def methodology(request: HttpRequest) -> HttpResponse:
    """The methodology page, generated from ratusz.metrics.definitions (the definitions the code uses)."""
    from ratusz.reports.builder import method_context

    return render(request, "metrics/methodology.html", {"method": method_context()})


# --- the profile page's metrics panel ---------------------------------------------------------------

PANEL_METRICS = [
    "posts",
    "posts_per_day",
    "interactions",
    "followers",
    "engagement",
    "interactions_per_post_per_1000",
    "sii",
    "sii_relative",
    "follower_growth",
    "ppi",
    "reaction_mood",
]
FRACTION_METRICS = {"engagement", "follower_growth"}


def cached_peer_group(profile: Any, start: date, end: date) -> tuple[dict[str, Any] | None, str]:
    """Return the profile's peer group (same platform, level, kind and size class; active profiles) for
    the period as {"n": profiles, "sorted": {metric: sorted known values}, "values": {profile id: {metric:
    value}}} (PPI included), cached per group and period, and the group's description."""
    unit = profile.unit
    if unit is None:
        return None, _("profil bez jednostki: brak grupy porównawczej")
    group = [profile.platform, unit.level, unit.kind, unit.size_class]

    def compute() -> dict[str, Any]:
        where = "pr.platform = %s AND pr.active AND u.level = %s AND u.kind = %s AND u.size_class = %s"
        rows = metrics.aggregate_profiles(start, end, where, group)
        metrics.add_ppi(rows)
        return {
            "n": len(rows),
            "sorted": {k: sorted(r[k] for r in rows if r.get(k) is not None) for k in metrics.PEER_METRICS},
            "values": {r["profile_id"]: {k: r.get(k) for k in metrics.PEER_METRICS} for r in rows},
        }

    data = cached(f"ratusz:metrics:peers:{_fingerprint([group, start, end])}:{data_version()}", compute)
    label = f"{unit.kind}, {_('klasa wielkości')} {unit.size_class or _('nieznana')}, {profile.get_platform_display()}"
    return data, label


def peer_percentiles(profile: Any, start: date, end: date) -> dict[str, Any]:
    """Return {"peers": n, "group": text, "metrics": {key: {"value", "percentile", "known"}}} as
    metrics.peer_percentiles does (percentile: share 0–1 of the peers with a known value ≤ the profile's),
    computed from the cached peer group."""
    data, group = cached_peer_group(profile, start, end)
    own = data["values"].get(profile.pk) if data else None
    if data is None or own is None:
        # No unit, or an inactive profile: compare it with its active peers (it joins the group).
        result = metrics.peer_percentiles(profile, start, end)
        return {"peers": result["peers"], "group": result.get("group", group), "metrics": result["metrics"]}
    out = {}
    for key in metrics.PEER_METRICS:
        known = data["sorted"][key]
        value = own.get(key)
        out[key] = {
            "value": value,
            "percentile": bisect.bisect_right(known, value) / len(known)
            if value is not None and known
            else None,
            "known": len(known),
        }
    return {"peers": data["n"], "group": group, "metrics": out}


def _value_label(key: str, value: Any) -> str:
    from ratusz.reports.builder import fmt_int, fmt_number, fmt_percent

    if value is None:
        return _("brak danych")
    if key in FRACTION_METRICS:
        return fmt_percent(value)
    if key in {"posts", "interactions", "followers", "sii"}:
        return fmt_int(value)
    return fmt_number(value, 2 if key != "reaction_mood" else 2)


def panel_period(request: HttpRequest) -> tuple[date, date, str | None]:
    """Return the panel's period from ?start=&end= (default: the ranking's default period) and an
    error sentence when the given dates are unreadable (the default is used then)."""
    start_s, end_s = request.GET.get("start", "").strip(), request.GET.get("end", "").strip()
    if not start_s and not end_s:
        return (*default_period(), None)
    try:
        start, end = _date(start_s, _("początku okresu")), _date(end_s, _("końca okresu"))
        if end < start:
            raise RatuszError(
                f"Okres {start}..{end} jest pusty: koniec jest przed początkiem; zamień daty miejscami."
            )
        return start, end, None
    except RatuszError as exc:
        return (*default_period(), exc.message)


def render_profile_panel(request: HttpRequest, profile: Any) -> str:
    """Return the HTML of the profile page's metrics panel: figures for a period against the peers
    (percentile within the size class) and four charts with their data tables. Cached per profile,
    period, page address, language and data version."""
    start, end, error = panel_period(request)
    key = (
        f"ratusz:metrics:panel:{_fingerprint([profile.pk, start, end, error, request.path, get_language()])}:"
        f"{data_version()}"
    )
    return cached(key, lambda: _render_profile_panel(request, profile, start, end, error))


def _render_profile_panel(
    request: HttpRequest, profile: Any, start: date, end: date, error: str | None
) -> str:
    from ratusz.reports.builder import period_label

    summary = metrics.profile_summary(profile, start, end)
    peers = peer_percentiles(profile, start, end)
    weeks = metrics.weekly_series(profile, start, end)
    parts = {
        **summary.get("reactions_by_type", {}),
        "comments": summary.get("comments"),
        "shares": summary.get("shares"),
    }
    chart_list = [
        charts.posts_per_week(weeks),
        charts.interactions_by_type(parts),
        charts.engagement_over_time(weeks),
        charts.reaction_mood(weeks),
    ]
    table = []
    for key in PANEL_METRICS:
        definition = METRICS_BY_KEY.get(key)
        peer = peers["metrics"].get(key)
        pct = peer["percentile"] if peer else None
        # PPI exists only relative to a group: the summary has none, the peer group computes it.
        value = summary.get(key)
        if value is None and peer is not None:
            value = peer.get("value")
        table.append(
            {
                "key": key,
                "name": local_name(definition) if definition else key,
                "unit": definition.unit if definition else "",
                "value": _value_label(key, value),
                "percentile": None if pct is None else round(100 * pct),
            }
        )
    context = {
        "profile": profile,
        "start": start.isoformat(),
        "end": summary.get("period_end", end).isoformat(),
        "period_label": period_label(start, summary.get("period_end", end)),
        "error": error,
        "summary": summary,
        "missing": summary.get("missing", []),
        "engagement_missing": summary.get("engagement") is None,
        "table": table,
        "peers": peers,
        "charts": chart_list,
    }
    return render_to_string("metrics/profile_panel.html", context, request=request)
