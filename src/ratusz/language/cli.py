"""`ratusz language …`: train, evaluate, score files, score stored comments, check a draft's readability."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO

import typer

from ratusz.output import CsvOpt, JsonOpt, NlOpt, emit, output_format

language_app = typer.Typer(
    help="Nastroje i mowa nienawiści w komentarzach, pytania mieszkańców, czytelność postów.",
    no_args_is_help=True,
)
DEFAULT_DATA = Path("../shared/data")
DataOpt = typer.Option(DEFAULT_DATA, "--data", help="Folder ../shared/data z danymi treningowymi.")
LINE_BATCH = 4096


def register(app: typer.Typer) -> None:
    """Add this app's commands to the main CLI."""
    app.add_typer(language_app, name="language")


def _data_or_skip(data: Path) -> bool:
    from ratusz.cli import err

    if not (data / "language").is_dir():
        err.print(
            f"Pominięto: brak danych treningowych w {data / 'language'} "
            "(podaj --data z folderem ../shared/data; modele dołączone do pakietu działają bez nich)."
        )
        return False
    return True


@language_app.command("train")
def train_cmd(
    data: Path = DataOpt,
    out: Path | None = typer.Option(None, "--out", help="Folder na artefakty (domyślnie: w pakiecie)."),
) -> None:
    """Build the harm and sentiment models from ../shared/data (seeded, reproducible) into the package.

    Example: ratusz language train --data ../shared/data
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ratusz.cli import err
    from ratusz.language import model as model_mod
    from ratusz.language.train import train

    if not _data_or_skip(data):
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("Trening", total=None)
        built = train(
            data, out or model_mod.ARTIFACTS, progress=lambda msg: bar.update(task, description=msg)
        )
    model_mod.forget()
    err.print(
        f"[green]Zapisano model {built.version}[/green] (próg szkodliwości {built.harm_threshold:.3f})."
    )


@language_app.command("evaluate")
def evaluate_cmd(
    data: Path = DataOpt,
    folds: int = typer.Option(5, help="Liczba foldów walidacji krzyżowej na CBD."),
    json_: bool = JsonOpt,
) -> None:
    """Print each model's benchmark metric per data set, side by side with polvader where it applies.

    CBD: F1 of the harmful class by the organisers' Perl script, over seeded stratified cross-validation
    (CBD has no test split here); PolEmo: 4-class accuracy on polemo2-in/dev.tsv (never trained on).

    Example: ratusz language evaluate --data ../shared/data
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from ratusz.cli import err
    from ratusz.language.evaluate import evaluate

    if not _data_or_skip(data):
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("Ewaluacja", total=None)
        rows = evaluate(data, folds=folds, progress=lambda msg: bar.update(task, description=msg))
    if json_:
        emit(rows, output_format(True, False, False))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Ewaluacja modeli językowych", show_lines=True)
    for col in ("model", "dataset", "metric", "ratusz", "polvader", "how"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(*(str(r[c]) for c in ("model", "dataset", "metric", "ratusz", "polvader", "how")))
    Console(width=180).print(table)


def _read_lines(stream: BinaryIO):
    """Yield (line number, text, was_valid_utf8) for every line of a binary stream."""
    for number, raw in enumerate(stream, start=1):
        raw = raw.rstrip(b"\r\n")
        try:
            yield number, raw.decode("utf-8"), True
        except UnicodeDecodeError:
            yield number, raw.decode("utf-8", errors="replace"), False


def _chunks(lines, size: int):
    chunk = []
    for item in lines:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@language_app.command("score")
def score_cmd(
    file: str = typer.Argument(
        ..., help="Plik z jednym tekstem UTF-8 w wierszu albo - dla wejścia standardowego."
    ),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Score every line of a file (one comment per line): sentiment, harm, question, language.

    Bad lines (empty, emoji only, another language, very long, invalid UTF-8) get a status and a note;
    the other lines are scored as usual.

    Example: ratusz language score komentarze.txt --nl · echo "Kiedy remont?" | ratusz language score - --nl
    """
    from ratusz.errors import RatuszError
    from ratusz.language.scoring import NOTES, score_texts

    fmt = output_format(json_, csv_, nl)
    if file == "-":
        stream: BinaryIO = sys.stdin.buffer
    else:
        path = Path(file)
        if not path.is_file():
            raise RatuszError(
                f"Nie ma pliku {file}: podaj ścieżkę pliku tekstowego albo - dla wejścia standardowego."
            )
        stream = path.open("rb")
    columns = ["line", "language", "sentiment", "harm", "harm_probability", "is_question", "status", "note"]
    collected = []
    try:
        for chunk in _chunks(_read_lines(stream), LINE_BATCH):
            results = score_texts([text for _n, text, _ok in chunk])
            rows = []
            for (number, _text, ok), res in zip(chunk, results, strict=True):
                row = {"line": number, **res}
                if not ok:
                    row["status"] = "invalid_utf8"
                    row["note"] = NOTES["invalid_utf8"]
                rows.append(row)
            if fmt.value == "nl":
                sys.stdout.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
                sys.stdout.flush()
            else:
                collected.extend(rows)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if fmt.value != "nl":
        emit(collected, fmt, columns=columns, title="Ocena komentarzy")


@language_app.command("check")
def check_cmd(
    text: str = typer.Argument(..., help="Tekst posta (albo - dla wejścia standardowego)."),
    json_: bool = JsonOpt,
) -> None:
    """Readability of a draft post: FOG-PL, Pisarek, a Jasnopis-like 1–7 band and plain-language hints.

    Example: ratusz language check "Uprzejmie informujemy, iż droga zostanie zamknięta."
    """
    from rich.console import Console
    from rich.markup import escape

    from ratusz.language.readability import check

    if text == "-":
        text = sys.stdin.read()
    report = check(text)
    if json_:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    out = Console()
    out.print(
        f"Zdania: {report.sentences}, słowa: {report.words}, trudne słowa (4+ sylaby): {report.hard_words}"
    )
    out.print(f"FOG-PL: [bold]{report.fog_pl}[/bold] ({report.fog_label})")
    out.print(f"Pisarek: liniowy {report.pisarek_linear}, nieliniowy {report.pisarek_nonlinear}")
    out.print(
        f"Klasa trudności „jak w Jasnopisie” (to nie Jasnopis): [bold]{report.band}/7[/bold] — {report.band_label}"
    )
    for hint in report.hints:
        out.print(escape(f"• [{hint.kind}] „{hint.fragment}”: {hint.message}"), highlight=False)
    if not report.hints:
        out.print("Brak uwag: tekst wygląda na prosty.")


@language_app.command("score-stored")
def score_stored_cmd(
    all_: bool = typer.Option(
        False, "--all", help="Oceń wszystkie komentarze, także już ocenione tym modelem."
    ),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Liczba procesów liczących."),
    batch: int = typer.Option(5000, "--batch", min=100, help="Komentarzy w jednej paczce."),
) -> None:
    """Score stored comments not yet scored by the current model (or --all), with a progress bar.

    Example: ratusz language score-stored --workers 2
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from ratusz.cli import err
    from ratusz.language.pipeline import pending, score_stored

    total = pending(all_).count()
    if total == 0:
        err.print("Wszystkie komentarze są już ocenione bieżącym modelem.")
        return
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
    ) as bar:
        task = bar.add_task("Ocenianie komentarzy", total=total)
        run = score_stored(
            all_, workers=workers, batch=batch, progress=lambda done: bar.update(task, completed=done)
        )
    err.print(
        f"[green]Ocenione: {run.scored}[/green], do moderacji: {run.flagged}, model {run.model_version}, "
        f"{run.seconds:.1f} s ({run.scored / max(run.seconds, 1e-9):,.0f} komentarzy/s)."
    )


@language_app.command("moods")
def moods_cmd(
    profile: int = typer.Argument(..., help="Identyfikator profilu (pk)."),
    days: int = typer.Option(30, help="Ile ostatnich dni."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Daily shares of negative and harmful comments under a profile's posts.

    Example: ratusz language moods 1 --days 14 --csv
    """
    from ratusz.errors import NotFound
    from ratusz.language.moods import daily_shares
    from ratusz.registry.models import Profile

    prof = Profile.objects.filter(pk=profile).first()
    if prof is None:
        raise NotFound(
            f"Nie ma profilu o identyfikatorze {profile}: sprawdź listę profili (ratusz profiles list)."
        )
    emit(daily_shares(profile=prof, days=days), output_format(json_, csv_, nl), title=f"Nastroje: {prof}")
