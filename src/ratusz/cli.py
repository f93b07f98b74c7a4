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


@app.command("migrate")
def migrate_cmd() -> None:
    """Create or update the database tables (Django migrations).

    Example: ratusz migrate
    """
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    err.print("[green]Baza danych jest aktualna.[/green]")


def _register_commands() -> None:
    from ratusz.collect.cli import register as register_collect
    from ratusz.language.cli import register as register_language
    from ratusz.metrics.cli import register as register_metrics
    from ratusz.registry.cli import register as register_registry
    from ratusz.voting.cli import register as register_voting
    from ratusz.web.cli import register as register_web

    for register in (
        register_registry,
        register_collect,
        register_metrics,
        register_language,
        register_voting,
        register_web,
    ):
        register(app)


def main() -> None:
    """Entry point of the `ratusz` command: one clear line and exit code 1 on a user error."""
    setup_django()
    _register_commands()
    from ratusz.errors import RatuszError

    try:
        app()
    except RatuszError as exc:
        err.print(f"[red]Błąd:[/red] {exc.message}", highlight=False)
        sys.exit(1)


if __name__ == "__main__":
    main()
