"""The `ratusz` command: `ratusz <noun> <verb>`. Each app adds its commands in its own `cli.py`."""

from __future__ import annotations

import os
import sys

import typer
from rich.console import Console

app = typer.Typer(
    name="ratusz",
    help="ratusz — media społecznościowe samorządów: rejestr, import, rankingi, nastroje, głosowania.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
err = Console(stderr=True)


def setup_django() -> None:
    """Configure Django for command-line use (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    import django

    django.setup()


@app.command("settings")
def settings_cmd(markdown: bool = typer.Option(False, "--markdown", help="Print the Markdown reference.")) -> None:
    """List every RATUSZ_* setting with its default and meaning.

    Example: ratusz settings --markdown > docs/settings.md
    """
    from ratusz import config
    from ratusz.output import Format, emit

    if markdown:
        sys.stdout.write(config.settings_markdown())
        return
    emit(
        [{"name": s.name, "default": s.default, "value": s.get(), "help": s.help} for s in config.SETTINGS.values()],
        Format.table,
    )


@app.command("docs")
def docs_cmd(
    out: str = typer.Option("docs", help="Folder for cli.md and settings.md."),
) -> None:
    """Regenerate docs/cli.md and docs/settings.md from the code (a test fails when they drift).

    Example: ratusz docs --out docs
    """
    from pathlib import Path

    from ratusz import config
    from ratusz.docs import cli_reference

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "cli.md").write_text(cli_reference(app), encoding="utf-8")
    (folder / "settings.md").write_text(config.settings_markdown(), encoding="utf-8")
    err.print(f"Zapisano {folder / 'cli.md'} i {folder / 'settings.md'}.")


@app.command("migrate")
def migrate_cmd() -> None:
    """Create or update the database tables (Django migrations).

    Example: ratusz migrate
    """
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    err.print("[green]Baza danych jest aktualna.[/green]")


_registered = False


def _register_commands_once() -> None:
    """Register every app's commands on the main app (once per process)."""
    global _registered
    if not _registered:
        _register_commands()
        _registered = True


def _register_commands() -> None:
    from ratusz.collect.cli import register as register_collect
    from ratusz.demo.cli import register as register_demo
    from ratusz.language.cli import register as register_language
    from ratusz.metrics.cli import register as register_metrics
    from ratusz.registry.cli import register as register_registry
    from ratusz.reports.cli import register as register_reports
    from ratusz.voting.cli import register as register_voting
    from ratusz.web.cli import register as register_web

    for register in (
        register_registry,
        register_collect,
        register_demo,
        register_metrics,
        register_language,
        register_voting,
        register_web,
        register_reports,
    ):
        register(app)


def main() -> None:
    """Entry point of the `ratusz` command: one clear line and exit code 1 on a user error."""
    setup_django()
    _register_commands_once()
    from django.db.utils import OperationalError, ProgrammingError

    from ratusz.errors import RatuszError

    try:
        app()
    except RatuszError as exc:
        err.print(f"[red]Błąd:[/red] {exc.message}", highlight=False)
        sys.exit(1)
    except (OperationalError, ProgrammingError) as exc:
        text = str(exc).lower()
        if "no such table" in text or "does not exist" in text:
            err.print("[red]Błąd:[/red] baza danych nie ma jeszcze tabel; uruchom najpierw `ratusz migrate`.")
        else:
            err.print(f"[red]Błąd bazy danych:[/red] {str(exc).splitlines()[0]}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
