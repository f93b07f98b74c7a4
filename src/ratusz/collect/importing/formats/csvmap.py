"""`--format csv`: any delimited file through a column mapping (`--map field=column`, `--mapping FILE`)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ratusz.collect.importing.formats.tabular import detect_delimiter, read_rows
from ratusz.collect.importing.mapping import (
    FIELDS,
    PROFILE_FIELDS,
    REACTION_FIELDS,
    REQUIRED,
    Mapping,
    apply_map_options,
    compile_getter,
    load_mapping,
)
from ratusz.collect.importing.records import (
    PostRecord,
    ProfileRef,
    Record,
    SourceFile,
    parse_bool,
    parse_count,
    parse_datetime,
    parse_format,
)
from ratusz.collect.importing.registry import FormatOption
from ratusz.errors import RatuszError


def build_mapping(options: dict[str, Any]) -> Mapping:
    """Return the mapping from the --mapping file (if any) with the --map pairs applied."""
    ref = options.get("mapping")
    mapping = load_mapping(ref) if ref else Mapping(source="--map")
    return apply_map_options(mapping, list(options.get("map") or []))


def profile_defaults(mapping: Mapping, options: dict[str, Any]) -> dict[str, str]:
    """Return profile values for files without profile columns: mapping's [profile], overridden by options."""
    values = dict(mapping.profile)
    for key, opt in (("name", "profile_name"), ("platform", "platform"), ("teryt", "teryt")):
        if options.get(opt):
            values[key] = str(options[opt]).strip()
    values.setdefault("platform", "facebook")
    values["platform"] = values["platform"].lower()
    return values


class MappedCsvFormat:
    """General CSV import: every field comes from a column named in a mapping."""

    id = "csv"
    title = "CSV z mapowaniem kolumn"
    reads = (
        "Dowolny plik CSV (separator , ; tabulator lub | wykrywany albo podany) z postami w wierszach; "
        "kolumny wskazuje mapowanie --map pole=kolumna albo plik --mapping (TOML/JSON)."
    )
    extensions = (".csv", ".tsv", ".txt")
    options = (
        FormatOption("map", "Pole=kolumna, np. published_at=created_time (powtarzalne).", "list", ()),
        FormatOption(
            "mapping",
            "Plik mapowania TOML/JSON albo nazwa gotowego (canada2015, uci_facebook_metrics).",
            "path",
        ),
        FormatOption("delimiter", "Separator kolumn (domyślnie wykrywany: , ; tab |).", "str"),
        FormatOption("profile_name", "Profil postów, gdy plik nie ma kolumny profilu.", "str"),
        FormatOption(
            "platform", "Platforma profilu (facebook, instagram, youtube, other).", "str", "facebook"
        ),
        FormatOption("teryt", "Kod TERYT jednostki profilu (opcjonalny).", "str"),
    )

    def records(self, source: SourceFile, options: dict[str, Any]) -> Iterator[Record]:
        """Yield one PostRecord per data row, converted through the mapping; RatuszError on bad input."""
        mapping = build_mapping(options)
        missing = [f for f in REQUIRED if f not in mapping.fields]
        if missing:
            raise RatuszError(
                f"{source.name}: mapowanie nie wskazuje kolumny dla pola „{missing[0]}”; dodaj np. "
                f"--map {missing[0]}=NAZWA_KOLUMNY albo użyj pliku --mapping. Nic nie zostało zapisane.",
                code="bad_mapping",
            )
        delimiter = detect_delimiter(source, options.get("delimiter") or mapping.delimiter)
        header, rows = read_rows(source, delimiter)
        columns = set(header)
        for name, spec in mapping.fields.items():
            for col in spec.columns():
                if col not in columns:
                    shown = ", ".join(header[:12]) + (" …" if len(header) > 12 else "")
                    raise source.error(
                        1, name, f"brak kolumny „{col}” w nagłówku (kolumny pliku: {shown}); popraw mapowanie"
                    )
        defaults = profile_defaults(mapping, options)
        has_profile_columns = any(f in mapping.fields for f in PROFILE_FIELDS if f != "profile_platform")
        if not has_profile_columns and not defaults.get("name"):
            raise source.error(
                None,
                "profile_name",
                "plik nie ma kolumny profilu; podaj profil opcją --profile-name (i --platform)",
            )
        fixed_profile = None if has_profile_columns else ProfileRef(
            platform=defaults["platform"], name=defaults["name"], teryt=defaults.get("teryt", ""),
            platform_id=defaults.get("platform_id", ""), handle=defaults.get("handle", ""),
            url=defaults.get("url", ""), role=defaults.get("role", ""),
        )  # fmt: skip
        tz = mapping.tz()
        getters = [
            (name, FIELDS[name], spec, compile_getter(name, spec, header))
            for name, spec in mapping.fields.items()
        ]
        for line, values in rows:
            row = dict(zip(header, values, strict=True))
            out: dict[str, Any] = {}
            for name, kind, spec, get in getters:
                try:
                    text = get(row, line)
                    if kind == "count":
                        out[name] = parse_count(text)
                    elif kind == "datetime":
                        out[name] = (
                            parse_datetime(text, tz, spec.datetime_format or mapping.datetime_format)
                            if text.strip() or name == "published_at"
                            else None
                        )
                    elif kind == "bool":
                        out[name] = parse_bool(text) if text.strip() else True
                    elif kind == "format":
                        out[name] = parse_format(text)
                    elif kind == "id":
                        out[name] = text.strip()
                        if name == "platform_id" and not out[name]:
                            raise ValueError("pusty identyfikator posta")
                    else:
                        out[name] = text.strip() if name.startswith("profile_") else text
                except ValueError as exc:
                    col = f" (kolumna „{spec.column}”)" if spec.column else ""
                    raise source.error(line, name + col, str(exc)) from None
            if fixed_profile is not None:
                profile = fixed_profile
            else:
                profile = ProfileRef(
                    platform=(out.get("profile_platform") or defaults["platform"]).lower(),
                    platform_id=out.get("profile_platform_id", defaults.get("platform_id", "")),
                    handle=out.get("profile_handle", defaults.get("handle", "")),
                    name=out.get("profile_name", defaults.get("name", "")),
                    teryt=out.get("profile_teryt", defaults.get("teryt", "")),
                    url=out.get("profile_url", defaults.get("url", "")),
                    role=out.get("profile_role", defaults.get("role", "")),
                )
                if not (profile.platform_id or profile.handle or profile.name):
                    raise source.error(line, "profile_name", "pusta nazwa i identyfikator profilu")
            yield PostRecord(
                line=line,
                profile=profile,
                platform_id=out["platform_id"],
                published_at=out["published_at"],
                text=out.get("text", ""),
                format=out.get("format", "other"),
                permalink=out.get("permalink", ""),
                is_own=out.get("is_own", True),
                reactions={f.removeprefix("reactions_"): out[f] for f in REACTION_FIELDS if f in out},
                reactions_total=out.get("reactions_total"),
                comments_count=out.get("comments_count"),
                shares_count=out.get("shares_count"),
                views_count=out.get("views_count"),
                followers_at_posting=out.get("followers_at_posting"),
                counts_at=out.get("counts_at"),
                raw=row,
            )


def mapping_path(name: str) -> Path:
    """Return the path of a shipped mapping file by name (for documentation and tests)."""
    from ratusz.collect.importing.mapping import shipped_mappings

    return shipped_mappings()[name]


FORMAT = MappedCsvFormat()
