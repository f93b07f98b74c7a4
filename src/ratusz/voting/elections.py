"""Setting up a vote: create an election (admin or TOML), import eligible voters, fill shortlists, close, publish."""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ratusz.errors import NotFound, RatuszError
from ratusz.registry.models import Profile, Unit
from ratusz.voting import audit
from ratusz.voting.models import AuditEvent, Category, Election, ShortlistEntry, Voter, bump_shortlist_version

WARSAW = ZoneInfo("Europe/Warsaw")
MAX_ERRORS_SHOWN = 10


def new_tie_seed() -> tuple[str, str]:
    """Return a fresh tie-break seed (64 hex characters) and its SHA-256 (the commitment published before the vote)."""
    seed = secrets.token_hex(32)
    return seed, hashlib.sha256(seed.encode()).hexdigest()


def ensure_seed(election: Election) -> None:
    """Give an election without a tie-break seed a new one (in place, not saved)."""
    if not election.tie_seed:
        election.tie_seed, election.tie_seed_hash = new_tie_seed()


def get_election(ref: str | int) -> Election:
    """Return the election with this slug or numeric id, or raise NotFound."""
    ref = str(ref).strip()
    election = Election.objects.filter(slug=ref).first()
    if election is None and ref.isdigit():
        election = Election.objects.filter(pk=int(ref)).first()
    if election is None:
        raise NotFound(f"Nie ma głosowania „{ref}”; listę pokazuje: ratusz vote list")
    return election


def parse_local_datetime(value: Any, field: str) -> datetime:
    """Return an aware datetime from a TOML date/datetime or a string "YYYY-MM-DD HH:MM" read in Europe/Warsaw."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, date):
        dt = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        try:
            dt = datetime.fromisoformat(value.strip())
        except ValueError:
            raise RatuszError(
                f"Pole {field}: „{value}” nie jest datą i godziną; użyj formatu 2025-11-20 23:59 (czas polski)."
            ) from None
    else:
        raise RatuszError(f"Pole {field}: brak daty; podaj np. {field} = 2025-11-20T23:59:00 (czas polski).")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=WARSAW)
    return dt


@transaction.atomic
def create_election(
    *,
    name: str,
    slug: str = "",
    opens_at: datetime,
    closes_at: datetime,
    picks_required: int = 3,
    forbid_own_unit: bool = True,
    description: str = "",
    categories: list[dict[str, Any]] | None = None,
    actor: str = "",
) -> Election:
    """Create an election with its categories (and shortlists); return it. Raises RatuszError on bad values."""
    if not name.strip():
        raise RatuszError("Głosowanie musi mieć nazwę (pole name).")
    slug = slug or slugify(name)[:80]
    if not slug:
        raise RatuszError("Podaj identyfikator głosowania (pole slug), np. zloty-lajk-2025.")
    if Election.objects.filter(slug=slug).exists():
        raise RatuszError(f"Głosowanie o identyfikatorze „{slug}” już istnieje; wybierz inny slug.")
    if closes_at <= opens_at:
        raise RatuszError("Zamknięcie głosowania musi być później niż otwarcie; popraw closes_at.")
    if not 1 <= int(picks_required) <= 20:
        raise RatuszError("Liczba wskazań (picks) musi wynosić od 1 do 20.")
    seed, seed_hash = new_tie_seed()
    election = Election.objects.create(
        name=name.strip(),
        slug=slug,
        description=description,
        opens_at=opens_at,
        closes_at=closes_at,
        picks_required=int(picks_required),
        forbid_own_unit=bool(forbid_own_unit),
        tie_seed=seed,
        tie_seed_hash=seed_hash,
    )
    audit.record(
        AuditEvent.Kind.CREATED,
        election,
        actor=actor,
        detail=f"Utworzono; skrót SHA-256 ziarna losowania remisów: {seed_hash}",
    )
    for i, spec in enumerate(categories or []):
        key = str(spec.get("key") or "").strip()
        if not key:
            raise RatuszError(f'Kategoria nr {i + 1}: brak klucza (key), np. key = "active".')
        category = Category.objects.create(
            election=election,
            key=slugify(key) or key,
            name=str(spec.get("name") or key),
            order=i,
            ranking_run_id=spec.get("ranking_run"),
            top_n=int(spec.get("top", 10)),
        )
        if spec.get("profiles"):
            set_shortlist(category, [int(p) for p in spec["profiles"]], actor=actor)
        elif spec.get("ranking_run"):
            shortlist_from_ranking(category, int(spec["ranking_run"]), int(spec.get("top", 10)), actor=actor)
    return election


def create_election_from_toml(path: Path, actor: str = "") -> Election:
    """Create an election from a TOML file (see README: name, opens_at, closes_at, [[categories]], voters_csv)."""
    path = Path(path)
    if not path.is_file():
        raise RatuszError(f"{path}: nie ma takiego pliku; sprawdź ścieżkę.")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RatuszError(f"{path}: błędny plik TOML ({exc}); popraw go i spróbuj ponownie.") from None
    categories = data.get("categories") or []
    if not isinstance(categories, list) or not categories:
        raise RatuszError(
            f"{path}: brak kategorii; dodaj co najmniej jedną sekcję [[categories]] z key i name."
        )
    with transaction.atomic():
        election = create_election(
            name=str(data.get("name", "")),
            slug=str(data.get("slug", "")),
            description=str(data.get("description", "")),
            opens_at=parse_local_datetime(data.get("opens_at"), "opens_at"),
            closes_at=parse_local_datetime(data.get("closes_at"), "closes_at"),
            picks_required=int(data.get("picks", 3)),
            forbid_own_unit=bool(data.get("forbid_own_unit", True)),
            categories=categories,
            actor=actor,
        )
        if data.get("voters_csv"):
            import_voters_csv(election, path.parent / str(data["voters_csv"]), actor=actor)
    return election


def _ensure_editable(election: Election, what: str) -> None:
    if election.ballots.exists():
        raise RatuszError(f"Głosowanie „{election.slug}” ma już oddane głosy; {what} nie można już zmienić.")


@transaction.atomic
def set_shortlist(category: Category, profile_ids: list[int], actor: str = "") -> int:
    """Replace a category's shortlist with these profiles (in this order); return how many were set."""
    _ensure_editable(category.election, "listy nominowanych")
    if len(set(profile_ids)) != len(profile_ids):
        raise RatuszError(f"Kategoria „{category.name}”: ten sam profil podano kilka razy; usuń powtórzenia.")
    found = {p.pk: p for p in Profile.objects.filter(pk__in=profile_ids)}
    missing = [str(p) for p in profile_ids if p not in found]
    if missing:
        raise RatuszError(
            f"Kategoria „{category.name}”: nie ma profili o numerach {', '.join(missing)}; sprawdź: ratusz profiles list"
        )
    category.shortlist.all().delete()
    ShortlistEntry.objects.bulk_create(
        [
            ShortlistEntry(category=category, profile=found[pid], position=i + 1)
            for i, pid in enumerate(profile_ids)
        ]
    )
    bump_shortlist_version(category.election_id)
    audit.record(
        AuditEvent.Kind.ORGANISER,
        category.election,
        actor=actor,
        detail=f"Lista nominowanych w kategorii „{category.name}”: {len(profile_ids)} profili.",
    )
    return len(profile_ids)


def shortlist_from_ranking(category: Category, run_id: int, top_n: int, actor: str = "") -> int:
    """Fill a category's shortlist with the top N profiles of a stored ranking run; return how many."""
    from ratusz.metrics.models import RankingRun

    run = RankingRun.objects.filter(pk=run_id).first()
    if run is None:
        raise RatuszError(f"Nie ma przebiegu rankingu nr {run_id}; sprawdź numer w panelu rankingów.")
    if top_n < 1:
        raise RatuszError("Liczba nominowanych z rankingu musi być dodatnia.")
    ids = list(run.entries.order_by("rank", "id").values_list("profile_id", flat=True)[:top_n])
    if not ids:
        raise RatuszError(f"Przebieg rankingu nr {run_id} nie ma żadnych pozycji; wybierz inny.")
    count = set_shortlist(category, ids, actor=actor)
    Category.objects.filter(pk=category.pk).update(ranking_run_id=run_id, top_n=top_n)
    return count


def shortlists_from_rankings(election: Election, actor: str = "") -> int:
    """Fill every category that names a ranking run from that run's top N; return the number of categories filled."""
    filled = 0
    for category in election.categories.all():
        if category.ranking_run_id:
            shortlist_from_ranking(category, category.ranking_run_id, category.top_n, actor=actor)
            filled += 1
    if not filled:
        raise RatuszError("Żadna kategoria nie wskazuje przebiegu rankingu; wpisz jego numer w kategorii.")
    return filled


@dataclass
class VoterImportResult:
    created: int
    updated: int


def import_voters_csv(election: Election, source: Path | str | bytes, actor: str = "") -> VoterImportResult:
    """Import eligible voters from CSV (columns teryt, email, optional name): all rows or none.

    Errors name the line. Returns the numbers of voters created and updated.
    """
    if isinstance(source, bytes):
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = source.decode("cp1250")
        label = "CSV"
        rows = list(csv.DictReader(io.StringIO(text)))
    else:
        from ratusz.collect.importing.textfile import open_text

        label = Path(source).name
        with open_text(source) as fh:
            rows = list(csv.DictReader(fh))
    if not rows:
        raise RatuszError(f"{label}: brak wierszy z danymi; pierwsza linia to nagłówek teryt,email,name.")
    header = {k.strip().lower() for k in rows[0] if k}
    if not {"teryt", "email"} <= header:
        raise RatuszError(
            f"{label}: nagłówek musi zawierać kolumny teryt i email (jest: {', '.join(sorted(header))})."
        )
    errors: list[tuple[int, str]] = []
    parsed: dict[str, tuple[int, str, str]] = {}
    for line, raw in enumerate(rows, start=2):
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
        teryt, email = row.get("teryt", ""), row.get("email", "")
        if not teryt:
            errors.append((line, f"wiersz {line}: brak kodu TERYT"))
            continue
        teryt = teryt.zfill(7) if teryt.isdigit() and len(teryt) == 6 else teryt
        try:
            validate_email(email)
        except ValidationError:
            errors.append((line, f"wiersz {line}: „{email}” nie jest adresem e-mail"))
            continue
        if teryt in parsed:
            errors.append(
                (
                    line,
                    f"wiersz {line}: jednostka {teryt} powtarza się (pierwszy raz w wierszu {parsed[teryt][0]})",
                )
            )
            continue
        parsed[teryt] = (line, email, row.get("name", ""))
    known = set(Unit.objects.filter(teryt__in=list(parsed)).values_list("teryt", flat=True))
    errors += [
        (ln, f"wiersz {ln}: nieznany kod TERYT {t}") for t, (ln, _, _) in parsed.items() if t not in known
    ]
    if errors:
        errors.sort()
        messages = [m for _, m in errors]
        shown = "; ".join(messages[:MAX_ERRORS_SHOWN])
        more = f" (i {len(errors) - MAX_ERRORS_SHOWN} więcej)" if len(errors) > MAX_ERRORS_SHOWN else ""
        raise RatuszError(
            f"{label}: nic nie zaimportowano, popraw plik: {shown}{more}.",
            details={"errors": messages},
        )
    created = updated = 0
    with transaction.atomic():
        existing = {v.unit_id: v for v in election.voters.all()}
        new = []
        for teryt, (_line, email, name) in parsed.items():
            voter = existing.get(teryt)
            if voter is None:
                new.append(Voter(election=election, unit_id=teryt, email=email, contact_name=name))
            elif voter.email != email or voter.contact_name != name:
                voter.email, voter.contact_name = email, name
                voter.save(update_fields=["email", "contact_name"])
                updated += 1
        Voter.objects.bulk_create(new, batch_size=500)
        created = len(new)
        audit.record(
            AuditEvent.Kind.ORGANISER,
            election,
            actor=actor,
            detail=f"Import uprawnionych z {label}: {created} nowych, {updated} zmienionych.",
        )
    return VoterImportResult(created, updated)


def check_ready(election: Election) -> list[str]:
    """Return the problems that would stop voters from voting (empty list: ready)."""
    problems = []
    categories = list(election.categories.prefetch_related("shortlist"))
    if not categories:
        problems.append("brak kategorii")
    for c in categories:
        size = len(c.shortlist.all())
        need = election.picks_required + (1 if election.forbid_own_unit else 0)
        if size < need:
            problems.append(f"kategoria „{c.name}” ma {size} nominowanych, potrzeba co najmniej {need}")
    if not election.voters.exists():
        problems.append("brak uprawnionych do głosowania")
    return problems


def close_now(election: Election, actor: str = "") -> Election:
    """Close voting immediately (before the planned end); return the election."""
    now = timezone.now()
    if election.state(now) != "open":
        raise RatuszError(f"Głosowanie „{election.slug}” nie jest otwarte; nie ma czego zamykać.")
    Election.objects.filter(pk=election.pk).update(closed_early_at=now)
    election.closed_early_at = now
    audit.record(
        AuditEvent.Kind.ORGANISER, election, actor=actor, detail="Zamknięto głosowanie przed czasem."
    )
    return election


def publish_results(election: Election, actor: str = "") -> Election:
    """Publish the results (and reveal the tie-break seed) after voting closed; return the election."""
    now = timezone.now()
    state = election.state(now)
    if state == "published":
        raise RatuszError(f"Wyniki głosowania „{election.slug}” są już opublikowane.")
    if state != "closed":
        raise RatuszError(
            f"Głosowanie „{election.slug}” jeszcze trwa (do {timezone.localtime(election.effective_close):%Y-%m-%d %H:%M}); "
            "zamknij je przed publikacją wyników."
        )
    Election.objects.filter(pk=election.pk).update(results_published_at=now)
    election.results_published_at = now
    audit.record(
        AuditEvent.Kind.ORGANISER, election, actor=actor, detail="Opublikowano wyniki i ziarno losowania."
    )
    return election
