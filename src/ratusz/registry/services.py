"""Library functions of the unit and profile register: load, search, peers, profile import."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from django.db import transaction
from django.db.models import Q, QuerySet

from ratusz.errors import NotFound, RatuszError
from ratusz.registry.models import Level, Platform, Profile, ProfileRole, Unit

REGISTER_FILE = "jst_registry.csv"


def fold(text: str) -> str:
    """Return text lower-cased with Polish diacritics removed (ł→l too), for search."""
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(float(value)) if value else None


def register_rows() -> list[dict[str, str]]:
    """Return the rows of the register shipped in the package (TERYT 2025-01-01, GUS 2023-12-31)."""
    text = resources.files("ratusz.registry").joinpath("data", REGISTER_FILE).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@dataclass
class LoadResult:
    created: int
    updated: int
    total: int


def load_register(rows: Iterable[dict[str, str]] | None = None) -> LoadResult:
    """Load (or refresh) all units from the shipped register; idempotent. Returns counts."""
    rows = list(rows if rows is not None else register_rows())
    existing = set(Unit.objects.values_list("teryt", flat=True))
    units = []
    for r in rows:
        units.append(
            Unit(
                teryt=r["teryt"],
                name=r["name"],
                search_name=fold(r["name"]),
                level=r["level"],
                kind=r["kind"],
                woj_code=r["woj_code"],
                woj_name=r["woj_name"],
                powiat_code=r.get("powiat_code") or "",
                powiat_name=r.get("powiat_name") or "",
                city_with_powiat_rights=r.get("city_with_powiat_rights") == "True",
                population=_int(r.get("population_2023", "")),
                population_year=2023 if r.get("population_2023") else None,
                town_population=_int(r.get("town_population_2023", "")),
                size_class=r.get("population_class") or "",
                area_km2=_int(r.get("area_km2", "")),
                office_name=r.get("office_name_2021") or "",
                website=r.get("website_2021") or "",
                register_date=date.fromisoformat(r["stan_na"]) if r.get("stan_na") else None,
                note=r.get("note") or "",
            )
        )
    fields = [f.name for f in Unit._meta.fields if f.name not in ("teryt", "zmp_member")]
    with transaction.atomic():
        Unit.objects.bulk_create(
            units, batch_size=500, update_conflicts=True, unique_fields=["teryt"], update_fields=fields
        )
    created = sum(1 for u in units if u.teryt not in existing)
    return LoadResult(created=created, updated=len(units) - created, total=Unit.objects.count())


def find_units(query: str, limit: int = 20) -> QuerySet[Unit]:
    """Return units whose TERYT code starts with `query` (digits) or whose name contains it."""
    query = query.strip()
    if not query:
        raise RatuszError("Podaj nazwę lub kod TERYT jednostki, np. „Wrocław” albo „0264011”.")
    if query.isdigit():
        qs = Unit.objects.filter(teryt__startswith=query)
    else:
        folded = fold(query)
        qs = Unit.objects.filter(search_name__contains=folded)
        # Exact names first, then prefixes, then the rest; bigger units first within each.
        from django.db.models import Case, IntegerField, Value, When

        qs = qs.annotate(
            _rank=Case(
                When(search_name=folded, then=Value(0)),
                When(search_name__startswith=folded, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("_rank", "-population", "teryt")
    return qs[:limit]


def get_unit(teryt: str) -> Unit:
    """Return the unit with this TERYT code, or raise NotFound with a helpful sentence."""
    try:
        return Unit.objects.get(teryt=teryt.strip())
    except Unit.DoesNotExist:
        raise NotFound(
            f"Nie ma jednostki o kodzie TERYT „{teryt}”; sprawdź kod (`ratusz registry find NAZWA`)."
        ) from None


def peers(unit: Unit) -> QuerySet[Unit]:
    """Return the unit's peers: same level, same kind and same size class (the unit itself excluded)."""
    return Unit.objects.filter(level=unit.level, kind=unit.kind, size_class=unit.size_class).exclude(
        teryt=unit.teryt
    )


# --- profile URLs ---------------------------------------------------------------------------

_FB_RESERVED = {"profile.php", "pages", "pg", "people", "groups", "watch", "events", "p"}


@dataclass
class ParsedProfileUrl:
    platform: str
    platform_id: str = ""
    handle: str = ""
    url: str = ""


def parse_profile_ref(platform: str, ref: str) -> ParsedProfileUrl:
    """Turn a profile URL or a bare platform id/handle into (platform, platform_id, handle, url).

    Raises RatuszError when the reference cannot be understood.
    """
    platform = platform.strip().lower()
    if platform not in Platform.values:
        raise RatuszError(f"nieznana platforma „{platform}”; dostępne: {', '.join(Platform.values)}")
    ref = ref.strip()
    if not ref:
        raise RatuszError("pusty adres lub identyfikator profilu")
    if re.fullmatch(r"\d{3,25}", ref):
        return ParsedProfileUrl(platform, platform_id=ref)
    if platform == Platform.YOUTUBE and re.fullmatch(r"UC[\w-]{22}", ref):
        return ParsedProfileUrl(platform, platform_id=ref, url=f"https://www.youtube.com/channel/{ref}")
    if not re.match(r"https?://", ref):
        if re.fullmatch(r"@?[\w.\-]{2,100}", ref):
            return ParsedProfileUrl(platform, handle=ref.lstrip("@"))
        raise RatuszError(f"nie rozumiem adresu profilu „{ref}” (podaj pełny adres https://… albo identyfikator)")
    from urllib.parse import parse_qs, urlparse

    parts = urlparse(ref)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    expected_hosts = {
        Platform.FACEBOOK: {"facebook.com", "fb.com", "fb.me"},
        Platform.INSTAGRAM: {"instagram.com"},
        Platform.YOUTUBE: {"youtube.com"},
    }.get(platform)
    if expected_hosts and host not in expected_hosts:
        raise RatuszError(f"adres „{ref}” nie jest adresem platformy {platform}")
    url = ref
    if platform == Platform.FACEBOOK:
        if segments[:1] == ["profile.php"]:
            pid = parse_qs(parts.query).get("id", [""])[0]
            if pid.isdigit():
                return ParsedProfileUrl(platform, platform_id=pid, url=url)
        if segments[:1] in (["pages"], ["pg"]) and len(segments) >= 2:
            last = segments[-1]
            if last.isdigit():
                return ParsedProfileUrl(platform, platform_id=last, url=url)
            return ParsedProfileUrl(platform, handle=segments[1], url=url)
        if segments and segments[0] not in _FB_RESERVED and re.fullmatch(r"[\w.\-]{2,100}", segments[0]):
            return ParsedProfileUrl(platform, handle=segments[0], url=url)
    elif platform == Platform.INSTAGRAM:
        if segments and re.fullmatch(r"[\w.]{1,30}", segments[0]) and segments[0] not in {"p", "reel", "explore"}:
            return ParsedProfileUrl(platform, handle=segments[0], url=url)
    elif platform == Platform.YOUTUBE:
        if len(segments) >= 2 and segments[0] == "channel" and re.fullmatch(r"UC[\w-]{22}", segments[1]):
            return ParsedProfileUrl(platform, platform_id=segments[1], url=url)
        if segments and segments[0].startswith("@"):
            return ParsedProfileUrl(platform, handle=segments[0][1:], url=url)
        if len(segments) >= 2 and segments[0] in {"c", "user"}:
            return ParsedProfileUrl(platform, handle=segments[1], url=url)
    else:
        return ParsedProfileUrl(platform, handle=(segments[0] if segments else host), url=url)
    raise RatuszError(f"nie rozpoznaję profilu w adresie „{ref}”")


PROFILE_COLUMNS = ["teryt", "platform", "url", "role", "name"]


@dataclass
class ProfileImportResult:
    created: int
    updated: int


def import_profiles_csv(path: Path) -> ProfileImportResult:
    """Import profiles from a CSV with columns teryt, platform, url (or platform id), role, name.

    All or nothing: every bad row is reported with its line number and nothing is written.
    """
    from ratusz.collect.importing.textfile import open_text

    with open_text(path) as fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        missing = [c for c in PROFILE_COLUMNS if c not in header]
        if missing:
            raise RatuszError(
                f"{path.name}: brak kolumn {', '.join(missing)} w nagłówku; oczekiwane: {', '.join(PROFILE_COLUMNS)}."
            )
        reader.fieldnames = header
        units = {u.teryt: u for u in Unit.objects.all()}
        errors: list[str] = []
        parsed: list[tuple[ParsedProfileUrl, dict[str, str], Unit]] = []
        seen: set[tuple[str, str, str]] = set()
        for lineno, row in enumerate(reader, start=2):
            row = {k: (v or "").strip() for k, v in row.items() if k}
            unit = units.get(row["teryt"])
            if unit is None:
                errors.append(f"wiersz {lineno}: nieznany kod TERYT „{row['teryt']}”")
                continue
            role = row["role"] or ProfileRole.OFFICIAL
            if role not in ProfileRole.values:
                errors.append(f"wiersz {lineno}: nieznana rola „{role}” (dostępne: {', '.join(ProfileRole.values)})")
                continue
            try:
                ref = parse_profile_ref(row["platform"], row["url"])
            except RatuszError as exc:
                errors.append(f"wiersz {lineno}: {exc.message}")
                continue
            key = (ref.platform, ref.platform_id, ref.handle)
            if key in seen:
                errors.append(f"wiersz {lineno}: profil „{row['url']}” powtarza się w pliku")
                continue
            seen.add(key)
            row["role"] = role
            parsed.append((ref, row, unit))
    if errors:
        raise RatuszError(
            f"{path.name}: {len(errors)} błędnych wierszy, nic nie zapisano — " + "; ".join(errors[:20]),
            details={"errors": errors},
        )
    created = updated = 0
    with transaction.atomic():
        for ref, row, unit in parsed:
            lookup = Q(platform=ref.platform) & (
                Q(platform_id=ref.platform_id) if ref.platform_id else Q(handle__iexact=ref.handle)
            )
            profile = Profile.objects.filter(lookup).first()
            if profile is None:
                profile = Profile(platform=ref.platform, platform_id=ref.platform_id, handle=ref.handle)
                created += 1
            else:
                updated += 1
            profile.url = ref.url or profile.url
            profile.name = row["name"] or profile.name or unit.name
            profile.unit = unit
            profile.role = row["role"]
            profile.save()
    return ProfileImportResult(created=created, updated=updated)


def level_label(level: str) -> str:
    """Return the Polish label of a unit level."""
    return Level(level).label
