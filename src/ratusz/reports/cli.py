"""`ratusz report ranking …`: the Złoty Lajk ranking as an HTML file and a PDF."""

from __future__ import annotations

from pathlib import Path

import typer

report_app = typer.Typer(
    help="Raporty do druku: ranking Złotego Lajka jako HTML i PDF.", no_args_is_help=True
)


@report_app.command("ranking")
def ranking_report(
    period: str = typer.Option(..., "--period", help="Okres: 2025-01-01..2025-12-31, 2025 albo 2025-03."),
    category: str = typer.Option("active", "--category", "-c", help="Kategoria: active, love albo region."),
    out: Path = typer.Option(Path("."), "--out", help="Folder, do którego trafią pliki .html i .pdf."),
    size_class: str = typer.Option(None, "--size-class", help="Klasa wielkości: <5k, 5-10k, …, >=500k."),
    voivodeship: str = typer.Option(None, "--voivodeship", help="Województwo: nazwa lub kod TERYT."),
    level: str = typer.Option(None, "--level", help="Poziom jednostki: gmina, powiat, wojewodztwo."),
    kind: str = typer.Option(None, "--kind", help="Rodzaj jednostki, np. gmina miejska."),
    platform: str = typer.Option("facebook", "--platform", help="Platforma (albo: all)."),
    role: str = typer.Option(
        None, "--role", help="Rola profilu: official, head, council, institution, other."
    ),
    min_posts: int = typer.Option(
        None, "--min-posts", help="Najmniej postów w okresie (domyślnie wg kategorii)."
    ),
    min_followers: int = typer.Option(
        None, "--min-followers", help="Najmniej obserwujących (domyślnie wg kategorii)."
    ),
    top: int = typer.Option(100, "--top", help="Ile pierwszych miejsc wypisać w tabeli (0 = wszystkie)."),
) -> None:
    """Write the ranking report: a self-contained HTML file and a PDF (the run is stored for reproduction).

    Example: ratusz report ranking --period 2025-01-01..2025-12-31 --category love --voivodeship dolnośląskie --out raporty
    """
    from ratusz.cli import err
    from ratusz.metrics.ranking import RankingParams, parse_period
    from ratusz.reports.builder import ranking_document, write_report

    start, end = parse_period(period)
    params = RankingParams(
        category=category.strip().lower(),
        period_start=start,
        period_end=end,
        level=level,
        kind=kind,
        size_class=size_class,
        voivodeship=voivodeship,
        platform=platform,
        role=role,
        min_posts=min_posts,
        min_followers=min_followers,
    )
    with err.status("Liczę ranking i składam raport…"):
        doc = ranking_document(params, store=True, top=top or None)
        files = write_report(doc, out)
    err.print(f"Zapisano ranking nr {doc['run_id']} i raport: {files.html} oraz {files.pdf}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the `report` command group to the main CLI."""
    app.add_typer(report_app, name="report")
