"""`ratusz rank …` (compute a ranking) and `ratusz ranking list|show|verify` (stored runs)."""

from __future__ import annotations

from typing import Any

import typer

from ratusz.output import CsvOpt, Format, JsonOpt, NlOpt, emit, output_format

ranking_app = typer.Typer(help="Zapisane rankingi Złotego Lajka: lista, podgląd, sprawdzenie.", no_args_is_help=True)
metrics_app = typer.Typer(help="Wskaźniki: dzienne zestawienie profili, z którego liczą się rankingi.",
                          no_args_is_help=True)


def _project(rows: list[dict[str, Any]], columns: list[str]) -> list[dict[str, Any]]:
    return [{c: r.get(c) for c in columns} for r in rows]


def rank(
    period: str = typer.Option(..., "--period", help="Okres: 2025-01-01..2025-12-31, 2025 albo 2025-03."),
    category: str = typer.Option("active", "--category", "-c", help="Kategoria: active, love albo region."),
    size_class: str = typer.Option(None, "--size-class", help="Klasa wielkości: <5k, 5-10k, …, 20-50k, …, >=500k."),
    voivodeship: str = typer.Option(None, "--voivodeship", help="Województwo: nazwa (z polskimi znakami lub bez) lub kod."),
    level: str = typer.Option(None, "--level", help="Poziom jednostki: gmina, powiat, wojewodztwo."),
    kind: str = typer.Option(None, "--kind", help="Rodzaj: gmina miejska, gmina wiejska, …, miasto na prawach powiatu."),
    platform: str = typer.Option("facebook", "--platform", help="Platforma (albo: all)."),
    role: str = typer.Option(None, "--role", help="Rola profilu: official, head, council, institution, other."),
    min_posts: int = typer.Option(None, "--min-posts", help="Najmniej postów w okresie (domyślnie wg kategorii)."),
    min_followers: int = typer.Option(None, "--min-followers", help="Najmniej obserwujących (domyślnie wg kategorii)."),
    limit: int = typer.Option(None, "--limit", help="Pokaż tylko tyle pierwszych miejsc."),
    save: bool = typer.Option(False, "--save", help="Zapisz ranking (parametry, wersja metody, odcisk danych)."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Compute a Złoty Lajk ranking and print it (a table, or --json, --csv, --nl: the same rows).

    Example: ratusz rank --period 2025-01-01..2025-12-31 --category love --size-class 20-50k --voivodeship dolnośląskie
    """
    from ratusz.cli import err
    from ratusz.metrics import ranking

    start, end = ranking.parse_period(period)
    params = ranking.RankingParams(
        category=category.strip().lower(), period_start=start, period_end=end, level=level, kind=kind,
        size_class=size_class, voivodeship=voivodeship, platform=platform, role=role, min_posts=min_posts,
        min_followers=min_followers, limit=limit,
    )
    fmt = output_format(json_, csv_, nl)
    with err.status("Liczę ranking…"):
        if save:
            run = ranking.run_ranking(params)
            result_rows = ranking.run_rows(run)
            rows = result_rows[:limit] if limit else result_rows
            columns = ranking.COLUMNS[run.category]
            explanation = run.explanation
        else:
            result = ranking.compute_ranking(params)
            rows, columns, explanation = result.rows, result.columns, result.explanation
    emit(_project(rows, columns), fmt, columns=columns, title=f"Ranking: {category}")
    if fmt is Format.table:
        err.print(explanation, highlight=False)
    if save:
        err.print(f"Zapisano ranking nr {run.pk} (odcisk {run.input_fingerprint[:12]}); "
                  f"sprawdzisz go: ratusz ranking verify {run.pk}", highlight=False)


@ranking_app.command("list")
def list_runs(
    limit: int = typer.Option(50, "--limit", help="Najwięcej pozycji."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """List stored ranking runs, newest first.

    Example: ratusz ranking list --json
    """
    from ratusz.metrics.models import RankingRun

    rows = [
        {"id": r.pk, "category": r.category, "period": f"{r.period_start}..{r.period_end}",
         "filters": ", ".join(f"{k}={v}" for k, v in r.filters.items() if v), "rows": r.row_count,
         "method_version": r.method_version, "fingerprint": r.input_fingerprint[:12], "created_at": r.created_at}
        for r in RankingRun.objects.all()[:limit]
    ]
    emit(rows, output_format(json_, csv_, nl), title="Zapisane rankingi",
         columns=["id", "category", "period", "filters", "rows", "method_version", "fingerprint", "created_at"])


@ranking_app.command("show")
def show(
    run_id: int = typer.Argument(..., help="Numer zapisanego rankingu."),
    limit: int = typer.Option(None, "--limit", help="Pokaż tylko tyle pierwszych miejsc."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Print a stored ranking exactly as it was published.

    Example: ratusz ranking show 3 --csv > ranking.csv
    """
    from ratusz.cli import err
    from ratusz.metrics import ranking

    run = ranking.get_run(run_id)
    rows = ranking.run_rows(run)
    rows = rows[:limit] if limit else rows
    columns = ranking.COLUMNS[run.category]
    fmt = output_format(json_, csv_, nl)
    emit(_project(rows, columns), fmt, columns=columns, title=f"Ranking nr {run.pk}")
    if fmt is Format.table:
        err.print(run.explanation, highlight=False)


@ranking_app.command("verify")
def verify(
    run_id: int = typer.Argument(..., help="Numer zapisanego rankingu."),
    from_posts: bool = typer.Option(False, "--from-posts",
                                    help="Policz od nowa z samych postów (z pominięciem dziennego zestawienia)."),
) -> None:
    """Recompute a stored ranking from the database and check it reproduces (fingerprint and rows).

    Example: ratusz ranking verify 3 --from-posts
    """
    from ratusz.cli import err
    from ratusz.metrics import ranking

    check = ranking.verify_run(run_id, source="posts" if from_posts else "rollup")
    if check["reproduced"]:
        err.print(f"[green]Ranking nr {run_id} odtworzony co do cyfry[/green] (odcisk {check['fingerprint_now'][:12]}"
                  + (", policzony z postów" if from_posts else "") + ").")
        return
    err.print(f"[red]Ranking nr {run_id} nie odtwarza się:[/red] odcisk zapisany {check['fingerprint_stored'][:12]}, "
              f"teraz {check['fingerprint_now'][:12]}; metoda zapisana {check['method_version_stored']}, "
              f"teraz {check['method_version_now']}.", highlight=False)
    for d in check["differences"]:
        err.print(f"  {d}", highlight=False)
    raise typer.Exit(1)


@metrics_app.command("rollup")
def rollup_command(
    rebuild: bool = typer.Option(False, "--rebuild", help="Przelicz całe zestawienie z postów (pasek postępu)."),
    check: bool = typer.Option(False, "--check", help="Porównaj zestawienie z postami i wypisz różnice."),
) -> None:
    """Bring the daily rollup (one row per profile and day, what rankings read) up to date.

    Without options it refreshes the days changed since the last refresh; --rebuild recomputes all
    of it (after restoring a backup, or for a database from before the rollup); --check compares it
    with the posts and exits with 1 when they differ.

    Example: ratusz metrics rollup --rebuild
    """
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ratusz.cli import err
    from ratusz.metrics import rollup

    if rebuild:
        t = time.perf_counter()
        with Progress(TextColumn("Zestawienie dzienne"), BarColumn(), MofNCompleteColumn(), TextColumn("profili"),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("rollup", total=None)
            stats = rollup.rebuild(lambda done, total: bar.update(task, completed=done, total=total))
        profiles, days = (f"{stats[k]:,}".replace(",", " ") for k in ("profiles", "days"))
        err.print(f"Przeliczono zestawienie dzienne: {profiles} profili, {days} dni z postami "
                  f"w {time.perf_counter() - t:.1f} s.", highlight=False)
    else:
        n = rollup.refresh_pending()
        err.print(f"Zestawienie dzienne aktualne (odświeżono profili: {n}).", highlight=False)
    if check:
        diffs = rollup.check()
        if diffs:
            err.print(f"[red]Zestawienie różni się od postów w {len(diffs)} dniach profili[/red] — napraw: "
                      "ratusz metrics rollup --rebuild", highlight=False)
            for d in diffs[:20]:
                err.print(f"  {d}", highlight=False)
            raise typer.Exit(1)
        err.print("[green]Zestawienie zgodne z postami.[/green]")


def register(app: typer.Typer) -> None:
    """Add `ratusz rank`, `ratusz ranking …` and `ratusz metrics …` to the main CLI."""
    app.command("rank")(rank)
    app.add_typer(ranking_app, name="ranking")
    app.add_typer(metrics_app, name="metrics")
