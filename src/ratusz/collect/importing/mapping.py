"""Column mappings: which column (or template, or constant) feeds which post field.

A mapping is a TOML or JSON file (see docs/import-format.md and mappings/*.toml) or `--map field=column`
options. One mapping engine serves every CSV file; no code is written per file.
"""

from __future__ import annotations

import json
import re
import string
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ratusz.errors import RatuszError

REACTION_FIELDS = tuple(f"reactions_{t}" for t in ("like", "love", "care", "haha", "wow", "sad", "angry"))
COUNT_FIELDS = (
    *REACTION_FIELDS,
    "reactions_total",
    "comments_count",
    "shares_count",
    "views_count",
    "followers_at_posting",
)
# target field -> kind of value
FIELDS: dict[str, str] = {
    "platform_id": "id",
    "published_at": "datetime",
    "text": "str",
    "format": "format",
    "permalink": "str",
    "is_own": "bool",
    **dict.fromkeys(COUNT_FIELDS, "count"),
    "counts_at": "datetime",
    "profile_platform": "str",
    "profile_platform_id": "id",
    "profile_handle": "str",
    "profile_name": "str",
    "profile_teryt": "str",
    "profile_url": "str",
    "profile_role": "str",
}
REQUIRED = ("platform_id", "published_at")
PROFILE_FIELDS = tuple(f for f in FIELDS if f.startswith("profile_"))
SPEC_KEYS = {"column", "template", "value", "regex", "values", "datetime_format", "default"}
LINE_KEY = "@line"


@dataclass
class FieldSpec:
    """Where one field's value comes from: a column, a template over columns, or a constant."""

    column: str | None = None
    template: str | None = None
    value: str | None = None
    regex: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    datetime_format: str | None = None
    default: str | None = None

    def columns(self) -> list[str]:
        """Return the columns this field reads (template placeholders included)."""
        if self.column:
            return [self.column]
        if self.template:
            return [
                name for _, name, _, _ in string.Formatter().parse(self.template) if name and name != LINE_KEY
            ]
        return []


@dataclass
class Mapping:
    """A whole mapping: fields, the delimiter, the time zone of naive times, profile defaults."""

    fields: dict[str, FieldSpec] = field(default_factory=dict)
    delimiter: str | None = None
    timezone: str = "Europe/Warsaw"
    datetime_format: str | None = None
    profile: dict[str, str] = field(default_factory=dict)
    title: str = ""
    source: str = ""

    def tz(self) -> ZoneInfo:
        """Return the time zone for times written without an offset."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise RatuszError(
                f"{self.source or 'mapowanie'}: nieznana strefa czasowa „{self.timezone}”, np. Europe/Warsaw albo UTC."
            ) from None


def _spec(name: str, raw: Any, where: str) -> FieldSpec:
    if name not in FIELDS:
        raise RatuszError(
            f"{where}: nieznane pole „{name}”; dostępne pola: {', '.join(FIELDS)}.", code="bad_mapping"
        )
    if isinstance(raw, str):
        if not raw.strip():
            raise RatuszError(f"{where}: pole „{name}” wskazuje pustą nazwę kolumny.", code="bad_mapping")
        return FieldSpec(template=raw) if "{" in raw else FieldSpec(column=raw.strip())
    if isinstance(raw, dict):
        unknown = set(raw) - SPEC_KEYS
        if unknown:
            raise RatuszError(
                f"{where}: pole „{name}” ma nieznany klucz „{sorted(unknown)[0]}”; dozwolone: {', '.join(sorted(SPEC_KEYS))}.",
                code="bad_mapping",
            )
        sources = [k for k in ("column", "template", "value") if k in raw]
        if len(sources) != 1:
            raise RatuszError(
                f"{where}: pole „{name}” potrzebuje dokładnie jednego z kluczy column, template, value.",
                code="bad_mapping",
            )
        spec = FieldSpec(
            column=raw.get("column"),
            template=raw.get("template"),
            value=None if raw.get("value") is None else str(raw["value"]),
            regex=raw.get("regex"),
            values={str(k): str(v) for k, v in (raw.get("values") or {}).items()},
            datetime_format=raw.get("datetime_format"),
            default=None if raw.get("default") is None else str(raw["default"]),
        )
        if spec.regex:
            try:
                if re.compile(spec.regex).groups > 1:
                    raise RatuszError(
                        f"{where}: wyrażenie regex pola „{name}” może mieć najwyżej jedną grupę (…).",
                        code="bad_mapping",
                    )
            except re.error as exc:
                raise RatuszError(
                    f"{where}: niepoprawne wyrażenie regex pola „{name}” ({exc}).", code="bad_mapping"
                ) from None
        return spec
    raise RatuszError(
        f"{where}: pole „{name}” musi być nazwą kolumny albo tabelą {{column = …}}.", code="bad_mapping"
    )


def mapping_from_dict(data: dict[str, Any], where: str) -> Mapping:
    """Return a Mapping from the parsed content of a mapping file; raise RatuszError naming the problem."""
    allowed = {
        "title",
        "description",
        "source",
        "licence",
        "delimiter",
        "timezone",
        "datetime_format",
        "profile",
        "fields",
    }
    unknown = set(data) - allowed
    if unknown:
        raise RatuszError(
            f"{where}: nieznany klucz „{sorted(unknown)[0]}”; dozwolone: {', '.join(sorted(allowed))}.",
            code="bad_mapping",
        )
    fields = data.get("fields") or {}
    if not isinstance(fields, dict):
        raise RatuszError(f"{where}: „fields” musi być tabelą pole = kolumna.", code="bad_mapping")
    profile = data.get("profile") or {}
    bad = set(profile) - {"platform", "platform_id", "handle", "name", "teryt", "url", "role"}
    if bad:
        raise RatuszError(f"{where}: nieznany klucz profilu „{sorted(bad)[0]}”.", code="bad_mapping")
    return Mapping(
        fields={name: _spec(name, raw, where) for name, raw in fields.items()},
        delimiter=data.get("delimiter"),
        timezone=data.get("timezone") or "Europe/Warsaw",
        datetime_format=data.get("datetime_format"),
        profile={k: str(v) for k, v in profile.items()},
        title=data.get("title", ""),
        source=where,
    )


def shipped_mappings() -> dict[str, Path]:
    """Return the ready-made mapping files shipped with ratusz, by name (e.g. 'canada2015')."""
    folder = resources.files("ratusz.collect.importing").joinpath("mappings")
    return {Path(p.name).stem: Path(str(p)) for p in folder.iterdir() if p.name.endswith((".toml", ".json"))}


def load_mapping(ref: str | Path) -> Mapping:
    """Return the mapping in a TOML/JSON file, or a shipped one by name (`canada2015`)."""
    path = Path(ref)
    if not path.exists():
        shipped = shipped_mappings()
        if str(ref) in shipped:
            path = shipped[str(ref)]
        else:
            raise RatuszError(
                f"{ref}: nie ma takiego pliku mapowania; podaj ścieżkę do pliku .toml/.json albo jedną z gotowych: "
                f"{', '.join(sorted(shipped))}.",
                code="bad_mapping",
            )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RatuszError(
            f"{path.name}: nie mogę odczytać pliku mapowania ({exc}).", code="bad_mapping"
        ) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "TOML"
        raise RatuszError(
            f"{path.name}: plik mapowania nie jest poprawnym {kind} ({exc}).", code="bad_mapping"
        ) from None
    if not isinstance(data, dict):
        raise RatuszError(f"{path.name}: plik mapowania musi być obiektem/tabelą.", code="bad_mapping")
    return mapping_from_dict(data, path.name)


def apply_map_options(mapping: Mapping, pairs: list[str]) -> Mapping:
    """Return the mapping with `field=column` (or `field={template}`) pairs from --map added or replaced."""
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise RatuszError(
                f"--map „{pair}”: użyj postaci pole=kolumna, np. --map published_at=created_time.",
                code="bad_mapping",
            )
        mapping.fields[name.strip()] = _spec(name.strip(), column.strip(), "--map")
    return mapping


class _Values(dict):
    """Row values for templates: whole numbers become int so '{Month:02d}' works."""

    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def compile_getter(name: str, spec: FieldSpec, header: list[str]) -> Callable[[dict[str, str], int], str]:
    """Return a function (row as dict, line) -> text value of the field (before type conversion)."""
    if spec.value is not None:
        const = spec.value
        return lambda row, line: const
    if spec.column is not None:
        col = spec.column

        def get(row: dict[str, str], line: int) -> str:
            return row[col]

    else:
        template = spec.template or ""

        def get(row: dict[str, str], line: int) -> str:
            values = _Values({k: (int(v) if v.isdigit() else v) for k, v in row.items()})
            values[LINE_KEY] = line
            try:
                return template.format_map(values)
            except (ValueError, TypeError) as exc:
                raise ValueError(f"szablon „{template}” nie pasuje do wartości wiersza ({exc})") from None

    pattern = re.compile(spec.regex) if spec.regex else None
    mapped, default = spec.values, spec.default

    def full(row: dict[str, str], line: int) -> str:
        value = get(row, line)
        if pattern is not None:
            m = pattern.search(value)
            if m is None:
                if default is not None:
                    return default
                raise ValueError(f"„{value[:60]}” nie pasuje do wzorca {pattern.pattern}")
            value = m.group(1) if pattern.groups else m.group(0)
        if mapped:
            value = mapped.get(value, mapped.get("*", value))
        if not value.strip() and default is not None:
            return default
        return value

    return full
