"""`ratusz import FILE --format F`: a thin command over ratusz.collect.importing.service.import_file."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

err = Console(stderr=True)

HELP = """Import posts, comments and follower counts from a file (all or nothing, safe to repeat).

Examples:

  ratusz import posts.jsonl --format jsonl

  ratusz import export.csv --format crowdtangle --teryt 0264011

  ratusz import Facebook_Pages.csv --format csv --mapping canada2015

  ratusz import metrics.csv --format csv --mapping uci_facebook_metrics --profile-name "Strona marki"

  ratusz import posts.csv --format csv --map platform_id=id --map published_at=created --profile-name "Gmina X"

  ratusz import --list-formats
"""


def import_cmd(
    file: Path | None = typer.Argument(None, help="The file to import ('-' reads standard input)."),
    format_id: str = typer.Option(
        "", "--format", "-f", help="Format id: jsonl, crowdtangle, csv … (see --list-formats)."
    ),
    map_: list[str] = typer.Option(
        [], "--map", help="field=column for --format csv (repeat), e.g. published_at=created_time."
    ),
    mapping: str = typer.Option(
        "", "--mapping", help="Mapping file (TOML/JSON) or a shipped one: canada2015, uci_facebook_metrics."
    ),
    delimiter: str = typer.Option(
        "", "--delimiter", help="Column separator of CSV files (detected when not given)."
    ),
    profile_name: str = typer.Option(
        "", "--profile-name", help="Profile of the posts when the file has no profile column."
    ),
    platform: str = typer.Option("", "--platform", help="Platform of --profile-name (default facebook)."),
    teryt: str = typer.Option("", "--teryt", help="TERYT code of the unit of the profile (optional)."),
    timezone: str = typer.Option(
        "", "--timezone", help="Time zone of times without one (crowdtangle; default Europe/Warsaw)."
    ),
    list_formats: bool = typer.Option(
        False, "--list-formats", help="List the registered import formats and their options."
    ),
    json_out: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Import posts, comments and follower counts from a file."""
    from ratusz.collect.importing.registry import all_formats
    from ratusz.collect.importing.service import import_file
    from ratusz.errors import RatuszError

    if list_formats:
        _print_formats(all_formats(), json_out)
        return
    if file is None:
        raise RatuszError("Podaj plik do importu, np. `ratusz import posty.jsonl --format jsonl`.")
    if not format_id:
        raise RatuszError(
            f"{file.name}: podaj format pliku opcją --format ({', '.join(all_formats())}), np. --format jsonl."
        )
    options = {
        "map": map_,
        "mapping": mapping,
        "delimiter": delimiter,
        "profile_name": profile_name,
        "platform": platform,
        "teryt": teryt,
        "timezone": timezone,
    }
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    size = file.stat().st_size if file.is_file() else None
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(f"Import {file.name}", total=size)
        result = import_file(file, format_id, options, progress=lambda done: bar.update(task, completed=done))
    if json_out:
        import orjson

        typer.echo(orjson.dumps(result.as_dict()).decode())
        return
    err.print(
        f"[green]Zaimportowano {result.file}[/green] ({result.format}): "
        f"posty {result.posts} (nowe {result.posts_created}, zaktualizowane {result.posts_updated}), "
        f"komentarze {result.comments} (nowe {result.comments_created}), "
        f"stany liczników {result.snapshots}, stany obserwujących {result.followers}, "
        f"nowe profile {result.profiles_created}; {result.seconds:.1f} s.",
        highlight=False,
    )


def _print_formats(formats: dict, json_out: bool) -> None:
    rows = [
        {
            "id": f.id,
            "title": f.title,
            "reads": f.reads,
            "extensions": " ".join(f.extensions),
            "options": ", ".join(o.name for o in f.options),
        }
        for f in formats.values()
    ]
    from ratusz.output import Format, emit

    emit(rows, Format.json if json_out else Format.table)


def register(app: typer.Typer) -> None:
    """Add `ratusz import` to the main CLI."""
    app.command("import", help=HELP, no_args_is_help=True)(import_cmd)
