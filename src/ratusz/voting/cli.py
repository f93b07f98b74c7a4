"""`ratusz vote …`: run the Złoty Lajk award vote from the command line."""

from __future__ import annotations

from pathlib import Path

import typer

from ratusz.output import CsvOpt, JsonOpt, NlOpt, emit, output_format

vote_app = typer.Typer(
    help="Głosowanie o Złoty Lajk: jednorazowe linki, 3 wskazania, dziennik i wyniki.", no_args_is_help=True
)

ACTOR = "cli"


def _err():
    from ratusz.cli import err

    return err


@vote_app.command("create")
def create(path: Path = typer.Argument(..., help="Plik TOML z opisem głosowania.")) -> None:
    """Create an election from a TOML file (name, slug, opens_at, closes_at, picks, [[categories]], voters_csv).

    Example: ratusz vote create election.toml
    """
    from ratusz.voting.elections import check_ready, create_election_from_toml

    election = create_election_from_toml(path, actor=ACTOR)
    err = _err()
    err.print(f"Utworzono głosowanie „{election.name}” ({election.slug}).")
    err.print(
        f"Skrót SHA-256 ziarna losowania remisów (opublikuj przed głosowaniem): {election.tie_seed_hash}"
    )
    problems = check_ready(election)
    if problems:
        err.print("[yellow]Do zrobienia przed wysyłką:[/yellow] " + "; ".join(problems) + ".")


@vote_app.command("list")
def list_cmd(json_: bool = JsonOpt, csv_: bool = CsvOpt, nl: bool = NlOpt) -> None:
    """List elections with their state and turnout.

    Example: ratusz vote list --json
    """
    from ratusz.voting.models import Election
    from ratusz.voting.results import turnout

    rows = []
    for e in Election.objects.all():
        t = turnout(e)
        rows.append(
            {
                "slug": e.slug,
                "name": e.name,
                "state": e.state(),
                "opens_at": e.opens_at,
                "closes_at": e.effective_close,
                "eligible": t.eligible,
                "voted": t.voted,
            }
        )
    emit(rows, output_format(json_, csv_, nl), title="Głosowania")


@vote_app.command("voters")
def voters(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."),
    path: Path = typer.Argument(..., help="CSV: teryt, email, name."),
) -> None:
    """Import eligible voters from CSV (all rows or none; errors name the line).

    Example: ratusz vote voters zloty-lajk-2025 uprawnieni.csv
    """
    from ratusz.voting.elections import get_election, import_voters_csv

    result = import_voters_csv(get_election(election), path, actor=ACTOR)
    _err().print(f"Uprawnieni: {result.created} nowych, {result.updated} zmienionych.")


@vote_app.command("shortlist")
def shortlist(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."),
    category: str = typer.Option(..., "--category", help="Klucz kategorii, np. active."),
    run: int = typer.Option(0, "--run", help="Numer przebiegu rankingu: nominuj jego czołówkę."),
    top: int = typer.Option(10, "--top", help="Ilu pierwszych z rankingu."),
    profiles: str = typer.Option("", "--profiles", help="Albo numery profili po przecinku."),
) -> None:
    """Set a category's shortlist: the top N of a stored ranking run, or listed profile ids.

    Examples: ratusz vote shortlist zloty-lajk-2025 --category active --run 12 --top 10
    """
    from ratusz.errors import RatuszError
    from ratusz.voting.elections import get_election, set_shortlist, shortlist_from_ranking

    e = get_election(election)
    cat = e.categories.filter(key=category).first()
    if cat is None:
        keys = ", ".join(e.categories.values_list("key", flat=True))
        raise RatuszError(f"Głosowanie {e.slug} nie ma kategorii „{category}” (są: {keys}).")
    if run:
        n = shortlist_from_ranking(cat, run, top, actor=ACTOR)
    elif profiles:
        try:
            ids = [int(p) for p in profiles.split(",") if p.strip()]
        except ValueError:
            raise RatuszError("--profiles: podaj numery profili po przecinku, np. 12,15,40.") from None
        n = set_shortlist(cat, ids, actor=ACTOR)
    else:
        raise RatuszError("Podaj --run NUMER (czołówka rankingu) albo --profiles 1,2,3.")
    _err().print(f"{cat.name}: {n} nominowanych.")


@vote_app.command("invite")
def invite(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."),
    resend: bool = typer.Option(
        False, "--resend", help="Wyślij nowe linki także tym, którzy już je dostali."
    ),
    teryt: str = typer.Option("", "--teryt", help="Tylko tej jednostce (np. ponowna wysyłka)."),
) -> None:
    """E-mail single-use links to eligible voters (default: those who have no link yet).

    Example: ratusz vote invite zloty-lajk-2025
    """
    from rich.progress import Progress

    from ratusz.errors import RatuszError
    from ratusz.voting.elections import check_ready, get_election
    from ratusz.voting.invitations import pending_voters, send_invitations

    e = get_election(election)
    problems = check_ready(e)
    if problems:
        raise RatuszError(f"Głosowanie {e.slug} nie jest gotowe: {'; '.join(problems)}.")
    if teryt:
        targets = list(e.voters.filter(unit_id=teryt).select_related("unit", "election"))
        if not targets:
            raise RatuszError(f"Jednostka {teryt} nie jest uprawniona w głosowaniu {e.slug}.")
    else:
        targets = list(pending_voters(e, resend=resend))
    with Progress(console=_err()) as progress:
        bar = progress.add_task("Wysyłka zaproszeń", total=len(targets))
        sent = send_invitations(e, targets, actor=ACTOR, progress=lambda n: progress.advance(bar, n))
    _err().print(f"Wysłano {sent} zaproszeń.")


@vote_app.command("invitations")
def invitations_cmd(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."),
    reissue: bool = typer.Option(
        False, "--reissue", help="Nowe linki dla wszystkich, którzy nie głosowali (stare przestają działać)."
    ),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Issue links for the newsletter tool instead of e-mailing them (voters without a link yet).

    Example: ratusz vote invitations zloty-lajk-2025 --csv > linki.csv
    """
    from ratusz.voting.elections import get_election
    from ratusz.voting.invitations import export_links

    rows = export_links(get_election(election), reissue=reissue, actor=ACTOR)
    emit(
        [{"teryt": r.teryt, "unit": r.unit, "email": r.email, "link": r.link} for r in rows],
        output_format(json_, csv_, nl),
        columns=["teryt", "unit", "email", "link"],
        title="Linki do głosowania",
    )
    _err().print(f"Wydano {len(rows)} linków.")


@vote_app.command("revoke")
def revoke_cmd(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."),
    teryt: str = typer.Argument(..., help="Kod TERYT jednostki."),
) -> None:
    """Revoke a voter's link (send a new one with `ratusz vote invite ELECTION --teryt TERYT`).

    Example: ratusz vote revoke zloty-lajk-2025 0264011
    """
    from ratusz.errors import RatuszError
    from ratusz.voting.elections import get_election
    from ratusz.voting.invitations import revoke

    e = get_election(election)
    voter = e.voters.filter(unit_id=teryt).first()
    if voter is None:
        raise RatuszError(f"Jednostka {teryt} nie jest uprawniona w głosowaniu {e.slug}.")
    _err().print(f"Unieważniono linków: {revoke(voter, actor=ACTOR)}.")


@vote_app.command("turnout")
def turnout_cmd(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."), json_: bool = JsonOpt
) -> None:
    """Show turnout so far (who voted is known, never how).

    Example: ratusz vote turnout zloty-lajk-2025
    """
    from ratusz.voting.elections import get_election
    from ratusz.voting.results import turnout

    e = get_election(election)
    t = turnout(e)
    row = {
        "election": e.slug,
        "state": e.state(),
        "eligible": t.eligible,
        "invited": t.invited,
        "voted": t.voted,
        "ballots": t.ballots,
        "percent": t.percent,
    }
    emit([row], output_format(json_, False, False), title="Frekwencja")


@vote_app.command("close")
def close_cmd(election: str = typer.Argument(..., help="Identyfikator (slug) głosowania.")) -> None:
    """Close voting now, before the planned end.

    Example: ratusz vote close zloty-lajk-2025
    """
    from ratusz.voting.elections import close_now, get_election

    close_now(get_election(election), actor=ACTOR)
    _err().print("Głosowanie zamknięte.")


@vote_app.command("publish")
def publish_cmd(election: str = typer.Argument(..., help="Identyfikator (slug) głosowania.")) -> None:
    """Publish the results and reveal the tie-break seed (after voting closed).

    Example: ratusz vote publish zloty-lajk-2025
    """
    from ratusz.voting.elections import get_election, publish_results

    e = publish_results(get_election(election), actor=ACTOR)
    _err().print(f"Wyniki opublikowane. Ziarno losowania: {e.tie_seed}")


@vote_app.command("results")
def results_cmd(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."),
    ballots: bool = typer.Option(
        False, "--ballots", help="Zamiast wyników: spis kart bez danych głosujących (CSV)."
    ),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Print the tally per category (ties settled by the published draw) and the turnout; only after closing.

    Example: ratusz vote results zloty-lajk-2025 --csv > wyniki.csv
    """
    import sys

    from ratusz.errors import RatuszError
    from ratusz.voting.elections import get_election
    from ratusz.voting.results import RESULT_COLUMNS, ballots_csv, results_rows, turnout

    e = get_election(election)
    if e.state() not in ("closed", "published"):
        raise RatuszError(
            f"Głosowanie {e.slug} jeszcze trwa; wyniki będą po zamknięciu (ratusz vote close {e.slug})."
        )
    if ballots:
        sys.stdout.write(ballots_csv(e))
        return
    t = turnout(e)
    emit(results_rows(e), output_format(json_, csv_, nl), columns=RESULT_COLUMNS, title=f"Wyniki: {e.name}")
    _err().print(f"Frekwencja: {t.voted}/{t.eligible} ({t.percent}%), kart: {t.ballots}.")


@vote_app.command("receipt")
def receipt_cmd(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."),
    code: str = typer.Argument(..., help="Kod potwierdzenia, np. ABCD-EFGH-JKMN-PQRS."),
) -> None:
    """Check that the ballot with this receipt code is counted.

    Example: ratusz vote receipt zloty-lajk-2025 ABCD-EFGH-JKMN-PQRS
    """
    from ratusz.voting.ballots import check_receipt
    from ratusz.voting.elections import get_election

    result = check_receipt(get_election(election), code)
    if not result.counted:
        _err().print("Nie ma głosu z takim kodem w tym głosowaniu; sprawdź, czy kod przepisano bez błędów.")
        raise typer.Exit(1)
    _err().print(f"Głos policzony (oddany {result.cast_on}); odcisk karty: {result.fingerprint}.")


@vote_app.command("audit")
def audit_cmd(
    election: str = typer.Argument(..., help="Identyfikator (slug) głosowania."),
    limit: int = typer.Option(50, help="Najwięcej wpisów (najnowsze)."),
    json_: bool = JsonOpt,
    csv_: bool = CsvOpt,
    nl: bool = NlOpt,
) -> None:
    """Show the audit log: invitations, opened links, votes cast, refusals, organiser actions.

    Example: ratusz vote audit zloty-lajk-2025 --limit 20
    """
    from ratusz.voting.elections import get_election

    e = get_election(election)
    rows = [
        {
            "at": a.at,
            "kind": a.kind,
            "unit": a.voter.unit.name if a.voter else "",
            "actor": a.actor,
            "reason": a.reason,
            "detail": a.detail,
        }
        for a in e.audit.select_related("voter__unit")[:limit]
    ]
    emit(rows, output_format(json_, csv_, nl), title="Dziennik zdarzeń")


@vote_app.command("sample-voters")
def sample_voters(
    zmp: bool = typer.Option(False, "--zmp", help="Tylko członkowie ZMP."),
    limit: int = typer.Option(0, "--limit", help="Najwyżej tyle jednostek (0: wszystkie)."),
    domain: str = typer.Option("example.org", "--domain", help="Domena przykładowych adresów e-mail."),
) -> None:
    """Print a CSV of eligible voters for trying a vote on demo data: units with profiles, placeholder e-mails.

    Example: ratusz vote sample-voters --limit 50 > uprawnieni.csv
    """
    import csv
    import sys

    from ratusz.registry.models import Unit

    units = Unit.objects.filter(profiles__isnull=False).distinct().order_by("teryt")
    if zmp:
        units = units.filter(zmp_member=True)
    if limit:
        units = units[:limit]
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["teryt", "email", "name"])
    for unit in units:
        writer.writerow([unit.teryt, f"urzad-{unit.teryt}@{domain}", unit.office_name or unit.name])


def register(app: typer.Typer) -> None:
    """Add the voting commands to the main CLI."""
    app.add_typer(vote_app, name="vote")
