"""Build the Złoty Lajk ranking report: one document for the ranking page, the HTML file and the PDF.

`ranking_document(params)` computes the ranking with the metrics library and returns everything a
reader needs (rows formatted for people, charts, the method, the data sources). The HTML report is
self-contained (inline CSS, charts as inline SVG rendered offline by vl-convert) and the PDF is the
same HTML typeset by WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils import timezone
from django.utils.formats import number_format

from ratusz.metrics import charts
from ratusz.registry.models import VOIVODESHIPS

TEMPLATE_DIRS = [
    Path(__file__).resolve().parent / "templates",
    Path(__file__).resolve().parent.parent / "metrics" / "templates",
]
CSS_FILE = Path(__file__).resolve().parent / "templates" / "reports" / "report.css"
CATEGORY_LABELS = {"active": "Aktywni", "love": "Love", "region": "Region"}
LEVEL_LABELS = {"gmina": "gmina", "powiat": "powiat", "wojewodztwo": "województwo"}
ROLE_LABELS = {
    "official": "oficjalny profil jednostki",
    "head": "profil włodarza",
    "council": "rada",
    "institution": "instytucja samorządowa",
    "other": "inny",
}

_engine: Engine | None = None


def _template_engine() -> Engine:
    global _engine
    if _engine is None:
        _engine = Engine(
            dirs=[str(d) for d in TEMPLATE_DIRS],
            libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n"},
            autoescape=True,
        )
    return _engine


def fmt_int(value: Any) -> str:
    """Return a count with Polish digit grouping, or "brak danych" when it is unknown (None)."""
    if value is None:
        return "brak danych"
    return number_format(int(value), use_l10n=True, force_grouping=True)


def fmt_percent(fraction: float | None, digits: int = 3) -> str:
    """Return a fraction as a Polish percentage (0.0123 -> "1,230%"), or "brak danych" when unknown."""
    if fraction is None:
        return "brak danych"
    return number_format(100 * fraction, decimal_pos=digits, use_l10n=True) + "%"


def fmt_number(value: float | None, digits: int = 2) -> str:
    """Return a number with Polish decimals ("12,34"), or "brak danych" when unknown."""
    if value is None:
        return "brak danych"
    return number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)


def period_label(start: date, end: date) -> str:
    """Return a period as Polish text: "1.01.2025–31.12.2025 (365 dni)"."""
    days = (end - start).days + 1
    return f"{start.day}.{start.month:02d}.{start.year}–{end.day}.{end.month:02d}.{end.year} ({days} dni)"


def filters_label(params: Any) -> str:
    """Return the ranking's filters in words ("wszystkie profile" when none is set)."""
    parts = []
    if getattr(params, "level", None):
        parts.append(f"poziom: {LEVEL_LABELS.get(params.level, params.level)}")
    if getattr(params, "kind", None):
        parts.append(f"rodzaj: {params.kind}")
    if getattr(params, "size_class", None):
        parts.append(f"klasa wielkości: {params.size_class}")
    if getattr(params, "voivodeship", None):
        parts.append(f"województwo: {dict(VOIVODESHIPS).get(params.voivodeship, params.voivodeship)}")
    if getattr(params, "platform", None):
        parts.append(f"platforma: {params.platform}")
    if getattr(params, "role", None):
        parts.append(f"rola: {ROLE_LABELS.get(params.role, params.role)}")
    return "; ".join(parts) if parts else "wszystkie profile"


def display_row(row: dict[str, Any]) -> dict[str, Any]:
    """Return one ranking row with the labels people read (counts grouped, engagement in %, mix)."""
    out = dict(row)
    out["posts_label"] = fmt_int(row.get("posts"))
    out["interactions_label"] = fmt_int(row.get("interactions"))
    out["mix_label"] = " / ".join(fmt_int(row.get(k)) for k in ("reactions", "comments", "shares"))
    out["engagement_label"] = fmt_percent(row.get("engagement"))
    out["followers_label"] = fmt_int(row.get("followers"))
    return out


def method_context() -> dict[str, Any]:
    """Return the method as shown on the methodology page and in reports (from metrics.definitions)."""
    from ratusz.metrics import definitions as d

    data = d.methodology()
    metric_names = {m["key"]: m["name_pl"] for m in data["metrics"]}
    categories = []
    for c in data["categories"]:
        rule = (
            f"Ranking według: {metric_names.get(c['ranks_by'], c['ranks_by'])}. {c['tie_break_text']} "
            f"Kto jest klasyfikowany: {c['eligibility']}. Domyślne progi: co najmniej "
            f"{c['default_min_posts']} postów i {c['default_min_followers']} obserwujących."
        )
        if c.get("levels"):
            rule += " Poziomy jednostek: " + ", ".join(LEVEL_LABELS.get(lv, lv) for lv in c["levels"]) + "."
        categories.append({"key": c["key"], "label": c["name_pl"], "rule": rule, **c})
    rules = [
        f"Okresy, dni i tygodnie liczymy w kalendarzu {data['calendar']}.",
        "Liczymy tylko własne posty profilu; udostępnienia cudzych postów są wykazywane, ale nie liczone.",
        "Liczba, której platforma nie podała, jest nieznana (brak danych), a nie zerem.",
        "Każdy ranking jest zapisywany z parametrami, wersją metody i odciskiem danych wejściowych, "
        "więc opublikowany wynik można odtworzyć co do cyfry.",
        "Porównujemy jednostkę z jej grupą porównawczą: ten sam poziom i rodzaj, ta sama klasa wielkości (GUS).",
    ]
    definitions = [
        {
            "key": m["key"],
            "name": m["name_pl"],
            "formula": m["formula"],
            "unit": m["unit"],
            "note": m.get("notes", ""),
        }
        for m in data["metrics"]
    ]
    return {
        "version": data["method_version"],
        "categories": categories,
        "rules": rules,
        "definitions": definitions,
        "defaults": data["defaults"],
    }


@dataclass
class ReportFiles:
    """Paths of the written report files."""

    html: Path
    pdf: Path


def report_css() -> str:
    """Return the report's stylesheet (inlined into the HTML so the file stands alone)."""
    return CSS_FILE.read_text(encoding="utf-8")


def render_html(doc: dict[str, Any]) -> str:
    """Return the report as one self-contained HTML document (inline CSS and SVG charts)."""
    template = _template_engine().get_template("reports/ranking.html")
    return template.render(Context({"doc": doc, "css": report_css()}))


def render_pdf(html: str) -> bytes:
    """Return the PDF (bytes) of a report's HTML, typeset by WeasyPrint without network access."""
    import weasyprint

    def no_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
        # Reports are self-contained; never fetch anything from the network.
        raise ValueError(f"external resource not allowed in a report: {url}")

    return weasyprint.HTML(string=html, url_fetcher=no_fetch).write_pdf()


def ranking_charts(rows: list[dict[str, Any]], category: str) -> list[charts.Chart]:
    """Return the report's charts: the top of the ranking by its score and the interactions mix."""
    if category == "active":
        bars = charts.ranking_bars(rows, "posts", "Liczba postów")
    else:
        pct = [
            dict(r, engagement_pct=None if r.get("engagement") is None else 100 * r["engagement"])
            for r in rows
        ]
        bars = charts.ranking_bars(pct, "engagement_pct", "Zaangażowanie [%]")
    return [bars, charts.interactions_mix(rows)]


def write_report(doc: dict[str, Any], out_dir: Path, stem: str | None = None) -> ReportFiles:
    """Write the HTML and PDF of a report document into out_dir; returns their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = stem or doc["file_stem"]
    html = render_html(doc)
    html_path = out_dir / f"{stem}.html"
    pdf_path = out_dir / f"{stem}.pdf"
    pdf = render_pdf(html)
    # Write to temporary names first so a failure never leaves a half-written report behind.
    tmp_html = html_path.with_suffix(".html.part")
    tmp_pdf = pdf_path.with_suffix(".pdf.part")
    tmp_html.write_text(html, encoding="utf-8")
    tmp_pdf.write_bytes(pdf)
    tmp_html.replace(html_path)
    tmp_pdf.replace(pdf_path)
    return ReportFiles(html=html_path, pdf=pdf_path)


def now_label() -> str:
    """Return the current local time as "22.11.2026 02:10" (Europe/Warsaw)."""
    return timezone.localtime().strftime("%d.%m.%Y %H:%M")


def thresholds_label(result: Any) -> str:
    """Return the eligibility thresholds of a computed ranking in words."""
    p = result.params
    text = f"co najmniej {p.min_posts} własnych postów w okresie"
    if p.category != "active":
        text += f" i {p.min_followers} obserwujących na koniec okresu, znane zaangażowanie"
    excluded = sum((result.excluded or {}).values())
    if excluded and result.candidates:
        text += f" (poza progami: {excluded} z {result.candidates} profili)"
    return text


def page_document(result: Any) -> dict[str, Any]:
    """Return the facts shown above a ranking (period, filters, thresholds, tie-break, method, summary)."""
    from ratusz.metrics.definitions import CATEGORIES, tie_break_text

    p = result.params
    cat = CATEGORIES[p.category]
    return {
        "title": f"Ranking Złoty Lajk — kategoria {cat.name_pl}",
        "category": p.category,
        "category_label": cat.name_pl,
        "period_label": period_label(p.period_start, p.period_end),
        "filters_label": filters_label(p),
        "thresholds_label": thresholds_label(result),
        "tie_break": tie_break_text(p.category),
        "method_version": result.method_version,
        "fingerprint": result.fingerprint,
        "summary": result.explanation,
        "total": result.total_rows or len(result.rows),
    }


def _command(p: Any) -> str:
    parts = [
        "ratusz report ranking",
        f"--period {p.period_start}..{p.period_end}",
        f"--category {p.category}",
    ]
    for name in ("level", "kind", "size_class", "voivodeship", "platform", "role"):
        value = getattr(p, name)
        if name == "voivodeship" and value:
            value = dict(VOIVODESHIPS).get(value, value)
        if value and not (name == "platform" and value == "facebook"):
            parts.append(f"--{name.replace('_', '-')} '{value}'")
    return " ".join(parts) + " --out DIR"


def data_sources(result: Any) -> list[str]:
    """Return sentences naming the data behind a ranking: the unit register, posts and followers used."""
    from django.db.models import Count, Max

    from ratusz.collect.models import Post
    from ratusz.metrics.metrics import day_bounds
    from ratusz.registry.models import Unit

    p = result.params
    lo, hi = day_bounds(p.period_start, p.period_end)
    ids = [r["profile_id"] for r in result.rows]
    posts = sum(r.get("posts") or 0 for r in result.rows)
    reg = Unit.objects.aggregate(date=Max("register_date"), year=Max("population_year"))
    lines = [
        "Rejestr jednostek samorządu: kody TERYT (GUS)"
        + (f", stan na {reg['date']:%d.%m.%Y}" if reg["date"] else "")
        + (f"; ludność i klasy wielkości według GUS za {reg['year']} r." if reg["year"] else "."),
        (
            f"Profile: {result.candidates} profili pasujących do filtrów, "
            if result.candidates
            else "Profile: "
        )
        + f"{result.total_rows or len(ids)} sklasyfikowanych (rejestr profili ratusz).",
        f"Posty: {fmt_int(posts)} własnych postów sklasyfikowanych profili opublikowanych w okresie, z licznikami "
        "reakcji (według typów), komentarzy i udostępnień w chwili ostatniego pobrania.",
    ]
    if ids and len(ids) <= 2000:
        by_source = (
            Post.objects.filter(profile_id__in=ids, is_own=True, published_at__gte=lo, published_at__lt=hi)
            .values("source")
            .annotate(n=Count("id"))
            .order_by("-n")
        )
        named = [f"{row['source'] or 'nieopisane'}: {fmt_int(row['n'])}" for row in by_source]
        if named:
            lines.append("Pochodzenie postów (źródło zapisu): " + "; ".join(named) + ".")
    lines.append(
        "Obserwujący: liczba w chwili publikacji podana przez źródło, a gdy jej brak — dzienny stan "
        "obserwujących profilu z dnia publikacji lub wcześniejszy."
    )
    lines.append(f"Odcisk danych wejściowych (sha256): {result.fingerprint}.")
    return lines


def result_of_run(run: Any) -> Any:
    """Return a RankingResult holding a stored run's parameters, rows (as published) and explanation.

    The number of candidate profiles and the exclusions are not stored with a run (candidates = 0):
    the explanation states them."""
    from ratusz.metrics.ranking import COLUMNS, RankingResult, params_of_run, run_rows

    rows = run_rows(run)
    return RankingResult(
        params=params_of_run(run),
        rows=rows,
        columns=COLUMNS[run.category],
        explanation=run.explanation,
        fingerprint=run.input_fingerprint,
        candidates=0,
        method_version=run.method_version,
        total_rows=len(rows),
    )


def ranking_document(
    params: Any, *, store: bool = True, top: int | None = 100, result: Any = None, with_charts: bool = True
) -> dict[str, Any]:
    """Return the report document of a ranking: page facts, display rows (the first `top`; all when None),
    charts, the method and the data sources. With store=True the run is stored (RankingRun) first and
    the report names its id and fingerprint. Raises RatuszError for bad parameters or an empty ranking."""
    from ratusz import __version__
    from ratusz.metrics.ranking import compute_ranking, run_ranking

    run = None
    if store:
        # Compute once: store the run, then report exactly the stored rows.
        run = run_ranking(result.params if result is not None else params)
        result = result_of_run(run)
    elif result is None:
        result = compute_ranking(params)
    p = result.params
    doc = page_document(result)
    rows = result.rows if top is None else result.rows[:top]
    doc.update(
        {
            "software_version": __version__,
            "run_id": run.pk if run else None,
            "generated_at": now_label(),
            "rows": [display_row(r) for r in rows],
            "truncated": len(rows) < doc["total"],
            "charts": ranking_charts(result.rows, p.category) if with_charts else [],
            "method": method_context(),
            "sources": data_sources(result),
            "command": _command(p),
            "file_stem": f"zloty-lajk-{p.category}-{p.period_start}-{p.period_end}",
        }
    )
    return doc
