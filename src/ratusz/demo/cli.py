"""`ratusz demo`: fill the database with a seeded, realistic demo dataset of real units."""

from __future__ import annotations

import time
from datetime import date

import typer


def demo(
    scale: float = typer.Option(1.0, "--scale", help="Wielkość: 1 ≈ 300 profili przez 12 miesięcy; 100 = cały kraj."),
    seed: int = typer.Option(2025, "--seed", help="Ziarno losowania: to samo ziarno daje te same dane."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Nic nie rób, jeśli w bazie są już posty."),
    months: int | None = typer.Option(None, "--months", help="Liczba miesięcy (domyślnie 12, więcej przy dużej skali)."),
    no_comments: bool = typer.Option(False, "--no-comments", help="Bez komentarzy (szybciej; liczniki zostają)."),
    end_date: str | None = typer.Option(None, "--end-date", help="Ostatni dzień danych RRRR-MM-DD (domyślnie wczoraj)."),
    profiles: int | None = typer.Option(None, "--profiles", help="Dokładna liczba profili (zamiast wynikającej ze skali)."),
    replace: bool = typer.Option(False, "--replace", help="Usuń wcześniejsze dane demonstracyjne i utwórz je od nowa."),
) -> None:
    """Generate demo profiles, posts, comments and follower histories of real units (seeded, streamed).

    Scale 1 ≈ 300 profiles over 12 months (~150,000 posts); scale 20 ≈ 6,000 profiles (~3 million posts);
    scale 100 = all ~10,000 profile slots over 36 months (~16 million posts).

    Examples: ratusz demo --scale 1 --if-empty · ratusz demo --scale 20 --no-comments --seed 7 --end-date 2025-12-31
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ratusz.cli import err
    from ratusz.collect.models import Post
    from ratusz.demo.generator import DemoOptions, delete_demo, generate, plan
    from ratusz.errors import RatuszError

    if if_empty and Post.objects.exists():
        err.print("Posty są już w bazie — dane demonstracyjne pominięte (--if-empty).")
        return
    end = None
    if end_date:
        try:
            end = date.fromisoformat(end_date)
        except ValueError:
            raise RatuszError(f"--end-date „{end_date}” nie jest datą RRRR-MM-DD, np. 2025-12-31.") from None
    options = DemoOptions(
        scale=scale, seed=seed, months=months, end_date=end, comments=not no_comments, profiles=profiles
    )
    if replace:
        removed = delete_demo()
        if removed:
            err.print(f"Usunięto poprzednie dane demonstracyjne ({removed} profili).")
    the_plan = plan(options)
    err.print(
        f"Demo: {len(the_plan.slots)} profili, {the_plan.start} … {the_plan.end} ({the_plan.months} mies.), "
        f"ziarno {seed}."
    )
    started = time.perf_counter()
    with Progress(
        TextColumn("[bold]Dane demo[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("profili · {task.fields[posts]:,} postów · {task.fields[comments]:,} komentarzy"),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task("demo", total=len(the_plan.slots), posts=0, comments=0)

        def progress(done: int, posts: int, comments: int) -> None:
            bar.update(task, completed=done, posts=posts, comments=comments)

        result = generate(options, progress=progress, the_plan=the_plan)
    seconds = time.perf_counter() - started
    rows = result.posts + result.comments + result.follower_snapshots + result.count_snapshots
    def num(x: float) -> str:
        return f"{x:,.0f}".replace(",", " ")

    err.print(
        f"Gotowe w {seconds:.1f} s: {result.profiles} profili, {num(result.posts)} postów, "
        f"{num(result.comments)} komentarzy, {num(result.follower_snapshots)} stanów obserwujących, "
        f"{num(result.count_snapshots)} migawek liczników ({num(rows / max(seconds, 1e-9))} wierszy/s)."
    )


def register(app: typer.Typer) -> None:
    """Add `ratusz demo` to the main CLI."""
    app.command("demo")(demo)
