"""The plug-in registry of import formats.

A format is an object that describes itself (id, title, what it reads, its options) and turns an open
text file into records (posts, follower counts). Formats are found through the entry-point group
``ratusz.import_formats``: the built-in ones are declared in ratusz's own pyproject.toml exactly as an
outside package would declare its own, e.g.::

    [project.entry-points."ratusz.import_formats"]
    myformat = "mypackage.module:FORMAT"

``register_format`` adds a format at run time (tests, notebooks) without packaging.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ratusz.errors import RatuszError

if TYPE_CHECKING:
    from ratusz.collect.importing.records import Record, SourceFile

ENTRY_POINT_GROUP = "ratusz.import_formats"
OPTION_KINDS = ("str", "int", "bool", "path", "list")


@dataclass(frozen=True)
class FormatOption:
    """One option a format accepts (shown by `ratusz import --list-formats`)."""

    name: str
    help: str
    kind: str = "str"
    default: Any = None


@runtime_checkable
class ImportFormat(Protocol):
    """What every import format provides."""

    id: str
    title: str
    reads: str
    extensions: tuple[str, ...]
    options: tuple[FormatOption, ...]

    def records(self, source: SourceFile, options: dict[str, Any]) -> Iterator[Record]:
        """Yield the file's records (PostRecord / FollowersRecord) in file order; raise RatuszError on bad input."""
        ...


@dataclass
class _Registry:
    formats: dict[str, ImportFormat] = field(default_factory=dict)
    loaded: bool = False


_REGISTRY = _Registry()


def check_format(fmt: object) -> list[str]:
    """Return the problems of a format's declaration (an empty list when it is sound)."""
    problems: list[str] = []
    if not isinstance(fmt, ImportFormat):
        return [f"{fmt!r} does not provide id, title, reads, extensions, options and records()"]
    if not isinstance(fmt.id, str) or not re.fullmatch(r"[a-z][a-z0-9_-]{1,30}", fmt.id):
        problems.append(f"id {fmt.id!r} must be a short lower-case word")
    for attr in ("title", "reads"):
        value = getattr(fmt, attr)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{attr} must be a non-empty text")
    if not isinstance(fmt.extensions, tuple) or not all(
        isinstance(e, str) and e.startswith(".") for e in fmt.extensions
    ):
        problems.append("extensions must be a tuple like ('.csv',)")
    names = set()
    for opt in fmt.options:
        if not isinstance(opt, FormatOption):
            problems.append(f"option {opt!r} is not a FormatOption")
            continue
        if opt.kind not in OPTION_KINDS:
            problems.append(f"option {opt.name}: kind {opt.kind!r} not in {OPTION_KINDS}")
        if not opt.help.strip():
            problems.append(f"option {opt.name}: help is empty")
        if opt.name in names:
            problems.append(f"option {opt.name} is declared twice")
        names.add(opt.name)
    return problems


def register_format(fmt: ImportFormat) -> ImportFormat:
    """Add a format to the registry (replacing one with the same id); returns it. Raises ValueError if unsound."""
    problems = check_format(fmt)
    if problems:
        raise ValueError(f"import format {getattr(fmt, 'id', fmt)!r}: " + "; ".join(problems))
    _REGISTRY.formats[fmt.id] = fmt
    return fmt


def _load_entry_points() -> None:
    if _REGISTRY.loaded:
        return
    _REGISTRY.loaded = True
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in _REGISTRY.formats:
            continue
        fmt = ep.load()
        if fmt.id != ep.name:
            raise ValueError(f"entry point {ep.name!r} points at a format whose id is {fmt.id!r}")
        register_format(fmt)


def all_formats() -> dict[str, ImportFormat]:
    """Return every registered format by id (built-ins and plug-ins), sorted by id."""
    _load_entry_points()
    return dict(sorted(_REGISTRY.formats.items()))


def get_format(format_id: str) -> ImportFormat:
    """Return the format with this id, or raise RatuszError listing the known ones."""
    formats = all_formats()
    try:
        return formats[format_id.strip().lower()]
    except KeyError:
        raise RatuszError(
            f"Nieznany format importu „{format_id}”; dostępne formaty: {', '.join(formats)} "
            "(lista z opisem: `ratusz import --list-formats`).",
            code="unknown_format",
        ) from None
