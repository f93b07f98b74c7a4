"""What formats hand to the writer: profile references, posts with their comments, follower counts.

Also the open file (`SourceFile`) with its error helper, so every message names the file, the line and
the field in one Polish sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import IO, Any, NamedTuple, TextIO
from zoneinfo import ZoneInfo

from ratusz.collect.reactions import Reactions, no_reactions
from ratusz.errors import RatuszError

WARSAW = ZoneInfo("Europe/Warsaw")

POST_FORMATS = ("text", "photo", "video", "reel", "link", "event", "shared", "other")
# Words used by platforms and exports for a post's format -> ratusz's PostFormat.
FORMAT_SYNONYMS: dict[str, str] = {
    "status": "text",
    "text": "text",
    "note": "text",
    "photo": "photo",
    "album": "photo",
    "image": "photo",
    "picture": "photo",
    "carousel": "photo",
    "video": "video",
    "native video": "video",
    "native_video": "video",
    "live video": "video",
    "live video complete": "video",
    "live video scheduled": "video",
    "live_video": "video",
    "youtube": "video",
    "vine": "video",
    "reel": "reel",
    "reels": "reel",
    "link": "link",
    "event": "event",
    "shared": "shared",
    "share": "shared",
    "other": "other",
    "offer": "other",
    "music": "other",
}


@dataclass(frozen=True, slots=True)
class ProfileRef:
    """How a record names its profile; the writer finds or creates the Profile."""

    platform: str = "facebook"
    platform_id: str = ""
    handle: str = ""
    name: str = ""
    teryt: str = ""
    url: str = ""
    role: str = ""


class CommentRow(NamedTuple):
    """A comment as read from a file; author_id is the raw platform id, pseudonymised by the writer."""

    platform_id: str
    parent_id: str | None
    author_id: str | None
    is_from_profile: bool
    created_at: datetime
    text: str
    likes_count: int | None
    replies_count: int | None
    index: int  # position in the post's comment list (for messages)


@dataclass(slots=True)
class PostRecord:
    """A post of a profile with its counts; counts the file does not give are None (NULL)."""

    line: int
    profile: ProfileRef
    platform_id: str
    published_at: datetime
    text: str = ""
    format: str = "other"
    permalink: str = ""
    is_own: bool = True
    reactions: Reactions = field(default_factory=no_reactions)  # per type; a type not given is left out
    reactions_total: int | None = None
    comments_count: int | None = None
    shares_count: int | None = None
    views_count: int | None = None
    followers_at_posting: int | None = None
    counts_at: datetime | None = None
    raw: Any = None
    comments: list[CommentRow] = field(default_factory=list)


@dataclass(slots=True)
class FollowersRecord:
    """A profile's follower count on one day."""

    line: int
    profile: ProfileRef
    date: date
    followers: int | None
    fans: int | None = None


Record = PostRecord | FollowersRecord


class SourceFile:
    """An open import file: its name for messages, its text, and how far it has been read (bytes)."""

    def __init__(self, path: Path, text: TextIO, size: int | None = None) -> None:
        self.path = path
        self.name = path.name
        self.text = text
        self.size = size
        self._raw: IO[bytes] | None = getattr(text, "buffer", None)

    def bytes_read(self) -> int:
        """Return how many bytes of the file have been read so far (for the progress bar)."""
        try:
            return self._raw.tell() if self._raw is not None else 0
        except (OSError, ValueError):
            return 0

    def error(self, line: int | None, fld: str | None, problem: str) -> RatuszError:
        """Return (not raise) a RatuszError: '<file>, wiersz N, pole „F”: <problem>'."""
        where = self.name
        if line is not None:
            where += f", wiersz {line}"
        if fld:
            where += f", pole „{fld}”"
        problem = problem.rstrip(".")
        return RatuszError(
            f"{where}: {problem}. Nic nie zostało zapisane.",
            code="bad_import_file",
            details={"file": self.name, "line": line, "field": fld},
        )


# --- value parsers shared by the CSV formats: return the value or raise ValueError(Polish reason) ---

_THOUSANDS = re.compile(r"[\s\u00a0\u202f'_]")


def parse_count(value: str) -> int | None:
    """Return a non-negative count from text ('' -> None; '1 234', '1,234' and '12.0' accepted)."""
    value = value.strip()
    if not value or value.lower() in {"null", "none", "nan", "n/a", "-"}:
        return None
    cleaned = _THOUSANDS.sub("", value)
    if re.fullmatch(r"\d{1,3}(,\d{3})+", cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        number = int(cleaned)
    except ValueError:
        try:
            as_float = float(cleaned.replace(",", "."))
        except ValueError:
            raise ValueError(f"„{value}” nie jest liczbą całkowitą") from None
        if not as_float.is_integer():
            raise ValueError(f"„{value}” nie jest liczbą całkowitą") from None
        number = int(as_float)
    if number < 0:
        raise ValueError(f"liczba {number} jest ujemna, a liczniki nie mogą być ujemne")
    return number


_TZ_ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "BST": 1,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
}  # fmt: skip


def parse_datetime(value: str, tz: tzinfo = WARSAW, fmt: str | None = None) -> datetime:
    """Return an aware datetime from ISO 8601 text (or `fmt` for strptime); naive times are in `tz`.

    A trailing zone abbreviation as in CrowdTangle exports ('2021-04-06 11:00:08 EDT') is understood.
    """
    from datetime import timedelta, timezone

    text = value.strip()
    if not text:
        raise ValueError("brak daty")
    offset: tzinfo | None = None
    head, _, tail = text.rpartition(" ")
    if head and tail.upper() in _TZ_ABBREVIATIONS:
        text, offset = head, timezone(timedelta(hours=_TZ_ABBREVIATIONS[tail.upper()]))
    try:
        parsed = datetime.strptime(text, fmt) if fmt else datetime.fromisoformat(text)
    except ValueError:
        expected = f"w formacie {fmt}" if fmt else "w formacie ISO 8601, np. 2025-03-01T10:00:00+01:00"
        raise ValueError(f"„{value}” nie jest datą i godziną {expected}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=offset or tz)
    return parsed


def parse_bool(value: str) -> bool:
    """Return True/False from 1/0, true/false, tak/nie, yes/no."""
    v = value.strip().lower()
    if v in {"1", "true", "tak", "yes", "t", "y"}:
        return True
    if v in {"0", "false", "nie", "no", "f", "n"}:
        return False
    raise ValueError(f"„{value}” nie jest wartością tak/nie (1/0, true/false)")


def parse_format(value: str) -> str:
    """Return ratusz's post format for a platform's word ('Photo', 'Native Video' …); unknown -> 'other'."""
    return FORMAT_SYNONYMS.get(value.strip().lower(), "other") if value.strip() else "other"


def utc(dt: datetime) -> datetime:
    """Return the same moment in UTC."""
    return dt.astimezone(UTC)


def iter_lines(source: SourceFile) -> Iterator[tuple[int, str]]:
    """Yield (line number from 1, line) of a text file, turning decoding errors into a clear message."""
    lineno = 0
    try:
        for lineno, line in enumerate(source.text, start=1):  # noqa: B007
            yield lineno, line
    except UnicodeDecodeError as exc:
        raise source.error(
            lineno + 1,
            None,
            f"niepoprawne znaki w kodowaniu {exc.encoding} (bajt {exc.start} wiersza); zapisz plik jako UTF-8",
        ) from None
