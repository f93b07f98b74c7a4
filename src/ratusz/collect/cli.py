"""CLI commands of the collect app: `ratusz collect …` and `ratusz profiles token`."""

from __future__ import annotations

import sys
from datetime import date

import typer

from ratusz.output import CsvOpt, JsonOpt, NlOpt, emit, output_format

collect_app = typer.Typer(invoke_without_command=True)  # help: the callback's docstring

CRON_LINE = "15 3 * * * cd /srv/ratusz && .venv/bin/ratusz collect schedule"


def _parse_since(value: str) -> date | None:
    if not value:
        return None
    from ratusz.errors import RatuszError

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RatuszError(
            f"--since „{value}” nie jest datą: podaj ją jako RRRR-MM-DD, np. 2025-03-01."
        ) from None


@collect_app.callback()
def collect(
    ctx: typer.Context,
    profile: list[int] = typer.Option(None, "--profile", "-p", help="Id profilu (można powtórzyć)."),
    all_: bool = typer.Option(False, "--all", help="Wszystkie aktywne profile z modułem zbierania."),
    since: str = typer.Option(
        "", "--since", help="Od dnia RRRR-MM-DD (domyślnie RATUSZ_COLLECT_LOOKBACK_DAYS wstecz)."
    ),
    refresh: bool = typer.Option(False, "--refresh", help="Pobierz ponownie także okna zebrane już dziś."),
    concurrency: int = typer.Option(
        0, "--concurrency", help="Ile profili naraz (domyślnie RATUSZ_COLLECT_CONCURRENCY)."
    ),
) -> None:
    """Collect posts, comments and follower counts from Facebook, Instagram and YouTube; a killed run
    resumes where it stopped.

    Examples: ratusz collect --all · ratusz collect --profile 12 --since 2025-01-01 · ratusz collect runs
    """
    if ctx.invoked_subcommand:
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ratusz.cli import err
    from ratusz.collect.runner import Runner, collectable_profiles
    from ratusz.errors import RatuszError
    from ratusz.registry.models import Profile

    if bool(profile) == all_:
        raise RatuszError("Podaj --profile ID (jeden lub więcej) albo --all, np. ratusz collect --all.")
    if all_:
        profiles = list(collectable_profiles())
    else:
        profiles = list(Profile.objects.filter(pk__in=profile).order_by("id"))
        missing = sorted(set(profile) - {p.pk for p in profiles})
        if missing:
            raise RatuszError(
                f"Nie ma profilu o id {', '.join(map(str, missing))}: sprawdź `ratusz profiles list`."
            )
    since_day = _parse_since(since)
    with Progress(
        TextColumn("[bold]Zbieranie[/bold] {task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=not sys.stderr.isatty(),
    ) as bar:
        task = bar.add_task("okna czasowe", total=None)

        def on_progress(event) -> None:  # noqa: ANN001
            bar.update(
                task, total=runner.total_windows, advance=event.windows, description=event.profile.name[:40]
            )

        runner = Runner(
            since=since_day, refresh=refresh, concurrency=concurrency or None, on_progress=on_progress
        )
        run = runner.execute(profiles)
    err.print(
        f"Zbieranie #{run.pk}: {run.get_status_display()} — profile {run.profiles_ok}/{run.profiles_total} bez błędów, "
        f"{run.items_saved} postów, {run.comments_saved} komentarzy, {run.items_failed} pominiętych, "
        f"{run.requests} zapytań. Szczegóły: ratusz collect log {run.pk}"
    )
    if run.profiles_failed:
        raise typer.Exit(1 if run.profiles_ok == 0 else 0)


@collect_app.command("schedule")
def schedule(
    since: str = typer.Option("", "--since", help="Od dnia RRRR-MM-DD."),
) -> None:
    """Queue the daily collection of all profiles as a background task (run by `ratusz-manage db_worker`).

    Put it in cron once a day, e.g.:  15 3 * * * cd /srv/ratusz && .venv/bin/ratusz collect schedule
    and keep the worker running:     .venv/bin/ratusz-manage db_worker
    Example: ratusz collect schedule
    """
    from ratusz.cli import err
    from ratusz.collect.tasks import collect_all_profiles

    since_day = _parse_since(since)
    result = collect_all_profiles.enqueue(since=since_day.isoformat() if since_day else "")
    err.print(f"Zadanie zbierania w kolejce (id {result.id}); wykona je `ratusz-manage db_worker`.")


@collect_app.command("runs")
def runs(
    limit: int = typer.Option(20, help="Ile ostatnich przebiegów."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """List recent collection runs with their outcome.

    Example: ratusz collect runs --json
    """
    from ratusz.collect.run_models import CollectionRun

    rows = [
        {
            "id": r.pk,
            "started_at": r.started_at,
            "finished_at": r.finished_at,
            "status": r.status,
            "trigger": r.trigger,
            "profiles": r.profiles_total,
            "failed_profiles": r.profiles_failed,
            "posts": r.items_saved,
            "comments": r.comments_saved,
            "skipped": r.items_failed,
            "requests": r.requests,
        }
        for r in CollectionRun.objects.all()[:limit]
    ]
    emit(rows, output_format(json_, csv_, nl), title="Przebiegi zbierania")


@collect_app.command("log")
def log(
    run_id: int = typer.Argument(..., help="Id przebiegu (z `ratusz collect runs`)."),
    errors_only: bool = typer.Option(False, "--errors", help="Tylko ostrzeżenia i błędy."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Show a run's log: per profile what ran, what was skipped and why.

    Example: ratusz collect log 3 --errors
    """
    from ratusz.collect.run_models import CollectionLogEntry

    qs = CollectionLogEntry.objects.filter(run_id=run_id).select_related("profile").order_by("id")
    if errors_only:
        qs = qs.exclude(level="info")
    rows = [
        {
            "time": e.created_at,
            "profile": e.profile.name if e.profile else "",
            "level": e.level,
            "kind": e.kind,
            "item": e.item_id,
            "message": e.message,
        }
        for e in qs
    ]
    emit(rows, output_format(json_, csv_, nl), title=f"Dziennik zbierania #{run_id}")


def token(
    profile_id: int = typer.Argument(..., help="Id profilu (z `ratusz profiles list`)."),
    value: str = typer.Option(
        "", "--token", help="Token w argumencie (odradzane: zostaje w historii powłoki)."
    ),
    clear: bool = typer.Option(False, "--clear", help="Usuń zapisany token."),
) -> None:
    """Set or replace a profile's access token (read from a hidden prompt or stdin; stored encrypted).

    Examples: ratusz profiles token 12 · echo "$TOKEN" | ratusz profiles token 12
    """
    from ratusz.cli import err
    from ratusz.collect.tokens import clear_token, set_token
    from ratusz.errors import NotFound
    from ratusz.registry.models import Profile

    profile = Profile.objects.filter(pk=profile_id).first()
    if profile is None:
        raise NotFound(f"Nie ma profilu o id {profile_id}: sprawdź `ratusz profiles list`.")
    if clear:
        clear_token(profile)
        err.print(f"Token profilu „{profile.name}” usunięty.")
        return
    if value:
        err.print(
            "[yellow]Uwaga:[/yellow] token podany w argumencie zostaje w historii powłoki; lepiej wklej go po pytaniu."
        )
    elif sys.stdin.isatty():
        value = typer.prompt(f"Token dostępu dla „{profile.name}”", hide_input=True)
    else:
        value = sys.stdin.readline()
    set_token(profile, value)
    err.print(f"Token profilu „{profile.name}” zapisany (zaszyfrowany); stan: podłączony.")


def register(app: typer.Typer) -> None:
    """Add this app's commands to the main CLI."""
    from ratusz.collect.importing.cli import register as register_import

    register_import(app)
    app.add_typer(collect_app, name="collect")
    from ratusz.registry.cli import profiles_app

    profiles_app.command("token")(token)
