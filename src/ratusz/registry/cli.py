"""`ratusz registry …` and `ratusz profiles …`: the unit and profile register from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from ratusz.output import CsvOpt, JsonOpt, NlOpt, emit, output_format

registry_app = typer.Typer(help="Rejestr jednostek samorządu (TERYT/GUS).", no_args_is_help=True)
profiles_app = typer.Typer(help="Rejestr oficjalnych profili jednostek.", no_args_is_help=True)


@registry_app.command("load")
def load() -> None:
    """Load or refresh all 2,875 units from the register shipped with ratusz (idempotent).

    Example: ratusz registry load
    """
    from ratusz.cli import err
    from ratusz.registry.services import load_register

    result = load_register()
    err.print(f"Rejestr: {result.created} nowych, {result.updated} odświeżonych, razem {result.total} jednostek.")


@registry_app.command("find")
def find(
    query: str = typer.Argument(..., help="Nazwa (lub jej część) albo kod TERYT."),
    limit: int = typer.Option(20, help="Najwięcej wyników."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Find units by name or TERYT code.

    Examples: ratusz registry find Wrocław · ratusz registry find 0264011 --json
    """
    from ratusz.registry.services import find_units

    rows = [
        {
            "teryt": u.teryt,
            "name": u.name,
            "level": u.level,
            "kind": u.kind,
            "voivodeship": u.woj_name,
            "powiat": u.powiat_name,
            "population": u.population,
            "size_class": u.size_class,
        }
        for u in find_units(query, limit=limit)
    ]
    if not rows:
        from ratusz.cli import err

        err.print(f"Nie znaleziono jednostki „{query}”. Jeśli rejestr jest pusty: ratusz registry load")
        raise typer.Exit(1)
    emit(rows, output_format(json_, csv_, nl), title="Jednostki")


@registry_app.command("peers")
def peers_cmd(
    teryt: str = typer.Argument(..., help="Kod TERYT jednostki."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """List a unit's peers: same level and kind, same size class.

    Example: ratusz registry peers 0264011
    """
    from ratusz.registry.services import get_unit, peers

    unit = get_unit(teryt)
    rows = [
        {"teryt": u.teryt, "name": u.name, "voivodeship": u.woj_name, "population": u.population}
        for u in peers(unit).order_by("-population")
    ]
    emit(rows, output_format(json_, csv_, nl), title=f"Podobne do: {unit.name} ({unit.kind}, {unit.size_class})")


@profiles_app.command("import")
def import_profiles(path: Path = typer.Argument(..., help="CSV: teryt, platform, url, role, name.")) -> None:
    """Import official profiles from CSV (all rows or none; errors name the line).

    Example: ratusz profiles import profile.csv
    """
    from ratusz.cli import err
    from ratusz.registry.services import import_profiles_csv

    result = import_profiles_csv(path)
    err.print(f"Profile: {result.created} nowych, {result.updated} zaktualizowanych.")


@profiles_app.command("list")
def list_profiles(
    teryt: str = typer.Option("", help="Tylko profile tej jednostki."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """List registered profiles.

    Example: ratusz profiles list --teryt 0264011
    """
    from ratusz.registry.models import Profile

    qs = Profile.objects.select_related("unit").order_by("id")
    if teryt:
        qs = qs.filter(unit__teryt=teryt)
    rows = [
        {
            "id": p.id,
            "platform": p.platform,
            "name": p.name,
            "teryt": p.unit_id,
            "role": p.role,
            "url": p.url,
            "connection": p.connection_state,
        }
        for p in qs
    ]
    emit(rows, output_format(json_, csv_, nl), title="Profile")


def register(app: typer.Typer) -> None:
    """Add the register commands to the main CLI."""
    app.add_typer(registry_app, name="registry")
    app.add_typer(profiles_app, name="profiles")
