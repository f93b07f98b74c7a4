"""ratusz's own JSON Lines interchange format, version 1 (schema: ../schema/ratusz-post-v1.schema.json).

The checks here mirror the JSON Schema (tests hold the two in agreement) but are written out by hand:
they name the exact field in Polish and cost a fraction of a generic validator on millions of lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

import orjson

from ratusz.collect.importing.records import (
    POST_FORMATS,
    WARSAW,
    CommentRow,
    FollowersRecord,
    PostRecord,
    ProfileRef,
    Record,
    SourceFile,
    iter_lines,
)
from ratusz.collect.importing.registry import FormatOption
from ratusz.collect.reactions import REACTION_SET

FORMAT_VERSION = 1
PROFILE_KEYS = frozenset({"platform", "platform_id", "handle", "name", "teryt", "url", "role"})
POST_KEYS = frozenset(
    {
        "type", "format_version", "profile", "platform_id", "published_at", "text", "format", "permalink",
        "is_own", "reactions", "reactions_total", "comments_count", "shares_count", "views_count",
        "followers_at_posting", "counts_at", "comments", "raw",
    }
)  # fmt: skip
COMMENT_KEYS = frozenset(
    {"platform_id", "parent_id", "author_id", "author_name", "is_from_profile", "created_at", "text",
     "likes_count", "replies_count"}
)  # fmt: skip
FOLLOWERS_KEYS = frozenset({"type", "format_version", "profile", "date", "followers", "fans"})
COUNT_KEYS = ("reactions_total", "comments_count", "shares_count", "views_count", "followers_at_posting")
_POST_FORMAT_SET = frozenset(POST_FORMATS)


_new_tuple = tuple.__new__
DATETIME_CACHE_SIZE = 50_000  # parsed times kept per file (ISO text -> datetime)


class _Bad(Exception):
    def __init__(self, fld: str, problem: str) -> None:
        self.fld, self.problem = fld, problem


def _count(obj: dict, key: str, prefix: str = "") -> int | None:
    v = obj.get(key)
    if v is None or (type(v) is int and v >= 0):
        return v
    raise _Bad(
        prefix + key, f"oczekiwano liczby całkowitej ≥ 0 albo null, a jest {orjson.dumps(v).decode()[:40]}"
    )


def _str(obj: dict, key: str, prefix: str = "", required: bool = False) -> str:
    v = obj.get(key)
    if type(v) is str:
        if required and not v:
            raise _Bad(prefix + key, "pole nie może być puste")
        return v
    if v is None and not required:
        return ""
    if v is None:
        raise _Bad(prefix + key, "brak wymaganego pola")
    raise _Bad(prefix + key, f"oczekiwano tekstu, a jest {orjson.dumps(v).decode()[:40]}")


def _id(obj: dict, key: str, prefix: str = "") -> str:
    """Platform ids may be given as text or as a whole number."""
    v = obj.get(key)
    if type(v) is str and v:
        return v
    if type(v) is int:
        return str(v)
    if v is None:
        raise _Bad(prefix + key, "brak wymaganego identyfikatora")
    raise _Bad(prefix + key, f"oczekiwano identyfikatora (tekst), a jest {orjson.dumps(v).decode()[:40]}")


def _datetime(obj: dict, key: str, prefix: str = "", required: bool = True) -> datetime | None:
    v = obj.get(key)
    if v is None and not required:
        return None
    if type(v) is not str:
        raise _Bad(prefix + key, "brak wymaganej daty" if v is None else "oczekiwano daty ISO 8601 (tekst)")
    try:
        if len(v) < 16:
            raise ValueError
        dt = datetime.fromisoformat(v)
    except ValueError:
        raise _Bad(
            prefix + key, f"„{v[:40]}” nie jest datą i godziną ISO 8601, np. 2025-03-01T10:00:00+01:00"
        ) from None
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=WARSAW)


def _cached_datetime(
    obj: dict, key: str, times: dict[str, datetime], required: bool = True
) -> datetime | None:
    """`_datetime` through the per-file cache of parsed times (a file repeats many of its moments)."""
    v = obj.get(key)
    found = times.get(v) if type(v) is str else None
    if found is None:
        found = _datetime(obj, key, required=required)
        if found is not None:
            if len(times) >= DATETIME_CACHE_SIZE:
                times.clear()
            times[v] = found  # type: ignore[index]
    return found


def _unknown(obj: dict, allowed: frozenset, prefix: str) -> None:
    extra = obj.keys() - allowed
    if extra:
        name = sorted(extra)[0]
        raise _Bad(
            prefix + name, f"nieznane pole (format v{FORMAT_VERSION} zna: {', '.join(sorted(allowed))})"
        )


def _profile(obj: dict, default: ProfileRef | None, cache: dict) -> ProfileRef:
    p = obj.get("profile")
    if p is None:
        if default is None:
            raise _Bad("profile", "brak profilu; dodaj pole „profile” albo podaj opcję --profile-name")
        return default
    if type(p) is not dict:
        raise _Bad("profile", "oczekiwano obiektu z polami platform, platform_id, name …")
    key = tuple(p.items()) if len(p) < 9 else None
    if key is not None:
        try:
            hit = cache.get(key)
        except TypeError:
            hit = None
        if hit is not None:
            return hit
    _unknown(p, PROFILE_KEYS, "profile.")
    platform_id = _id(p, "platform_id", "profile.") if p.get("platform_id") not in (None, "") else ""
    ref = ProfileRef(
        platform=_str(p, "platform", "profile.") or (default.platform if default else "facebook"),
        platform_id=platform_id,
        handle=_str(p, "handle", "profile."),
        name=_str(p, "name", "profile."),
        teryt=_str(p, "teryt", "profile."),
        url=_str(p, "url", "profile."),
        role=_str(p, "role", "profile."),
    )
    if not (ref.platform_id or ref.handle or ref.name):
        raise _Bad("profile", "profil musi mieć platform_id, handle albo name")
    if key is not None:
        cache[key] = ref
    return ref


def _comments(items: Any, times: dict[str, datetime]) -> list[CommentRow]:
    """Return the checked comments of a post; `times` caches parsed times (ISO text -> datetime)."""
    if type(items) is not list:
        raise _Bad("comments", "oczekiwano listy komentarzy")
    rows = []
    append = rows.append
    fromiso = datetime.fromisoformat
    for i, c in enumerate(items):
        if type(c) is not dict:
            raise _Bad(f"comments[{i}]", "oczekiwano obiektu komentarza")
        if not COMMENT_KEYS.issuperset(c):
            _unknown(c, COMMENT_KEYS, f"comments[{i}].")
        cid = c.get("platform_id")
        if type(cid) is not str or not cid:
            cid = _id(c, "platform_id", f"comments[{i}].")
        parent = c.get("parent_id")
        if parent is not None and type(parent) is not str:
            parent = _id(c, "parent_id", f"comments[{i}].")
        author = c.get("author_id")
        if author is not None and type(author) is not str:
            author = _id(c, "author_id", f"comments[{i}].")
        when = c.get("created_at")
        created = times.get(when) if type(when) is str else None
        if created is None:
            try:
                if len(when) < 16:
                    raise ValueError
                created = fromiso(when)
                if created.tzinfo is None:
                    created = created.replace(tzinfo=WARSAW)
            except (TypeError, ValueError):
                created = _datetime(c, "created_at", f"comments[{i}].")
            if len(times) >= DATETIME_CACHE_SIZE:
                times.clear()
            times[when] = created
        text = c.get("text", "")
        if type(text) is not str:
            text = _str(c, "text", f"comments[{i}].")
        likes = c.get("likes_count")
        if likes is not None and (type(likes) is not int or likes < 0):
            _count(c, "likes_count", f"comments[{i}].")
        replies = c.get("replies_count")
        if replies is not None and (type(replies) is not int or replies < 0):
            _count(c, "replies_count", f"comments[{i}].")
        own = c.get("is_from_profile", False)
        if type(own) is not bool:
            raise _Bad(f"comments[{i}].is_from_profile", "oczekiwano true albo false")
        # tuple.__new__ skips the NamedTuple's Python-level __new__ (millions of comments)
        append(
            _new_tuple(
                CommentRow, (cid, parent or None, author or None, own, created, text, likes, replies, i)
            )
        )
    return rows


class JsonLinesFormat:
    """`--format jsonl`: one JSON object per line (posts with nested comments, or follower counts)."""

    id = "jsonl"
    title = "ratusz JSON Lines v1"
    reads = (
        "Format wymiany ratusza: jeden obiekt JSON w wierszu — post z komentarzami albo stan obserwujących "
        "(schemat ratusz-post-v1.schema.json, opis w docs/import-format.md)."
    )
    extensions = (".jsonl", ".ndjson", ".json")
    options = (
        FormatOption("profile_name", "Profil dla wierszy bez pola „profile” (nazwa).", "str"),
        FormatOption("platform", "Platforma profilu z opcji --profile-name.", "str", "facebook"),
        FormatOption("teryt", "Kod TERYT jednostki profilu z opcji --profile-name.", "str"),
    )

    def records(self, source: SourceFile, options: dict[str, Any]) -> Iterator[Record]:
        """Yield a PostRecord or FollowersRecord per non-empty line; RatuszError names line and field."""
        default = default_profile(options)
        cache: dict = {}
        times: dict[str, datetime] = {}
        loads = orjson.loads
        for lineno, line in _lines(source):
            if not line.strip():
                continue
            try:
                obj = loads(line)
            except orjson.JSONDecodeError as exc:
                if "UTF-8" in exc.msg:
                    raise source.error(
                        lineno,
                        None,
                        "niepoprawne znaki: wiersz nie jest zapisany w UTF-8; zapisz plik jako UTF-8",
                    ) from None
                raise source.error(
                    lineno, None, f"to nie jest poprawny obiekt JSON ({exc.msg}, znak {exc.pos + 1})"
                ) from None
            try:
                if type(obj) is not dict:
                    raise _Bad("(wiersz)", "oczekiwano obiektu JSON {…} w każdym wierszu")
                kind = obj.get("type", "post")
                version = obj.get("format_version", FORMAT_VERSION)
                if version != FORMAT_VERSION:
                    raise _Bad(
                        "format_version",
                        f"wersja {version!r} nie jest obsługiwana (obsługiwana: {FORMAT_VERSION})",
                    )
                if kind == "post":
                    yield self._post(obj, lineno, default, cache, times)
                elif kind == "followers":
                    yield self._followers(obj, lineno, default, cache)
                else:
                    raise _Bad("type", f"nieznany typ „{kind}” (oczekiwano „post” albo „followers”)")
            except _Bad as bad:
                raise source.error(lineno, bad.fld, bad.problem) from None

    def _post(
        self, obj: dict, lineno: int, default: ProfileRef | None, cache: dict, times: dict[str, datetime]
    ) -> PostRecord:
        if not POST_KEYS.issuperset(obj):
            _unknown(obj, POST_KEYS, "")
        fmt = obj.get("format", "other")
        if fmt not in _POST_FORMAT_SET:
            raise _Bad("format", f"nieznany format posta {fmt!r}; dozwolone: {', '.join(POST_FORMATS)}")
        reactions = obj.get("reactions")
        if reactions is None:
            reactions = {}
        elif type(reactions) is not dict:
            raise _Bad("reactions", 'oczekiwano obiektu {"like": 10, …}')
        else:
            if not REACTION_SET.issuperset(reactions):
                _unknown(reactions, REACTION_SET, "reactions.")
            for key, v in reactions.items():
                if v is not None and (type(v) is not int or v < 0):
                    _count(reactions, key, "reactions.")
        is_own = obj.get("is_own", True)
        if type(is_own) is not bool:
            raise _Bad("is_own", "oczekiwano true albo false")
        comments = obj.get("comments")
        raw = obj.get("raw")
        if raw is None:
            raw = {k: v for k, v in obj.items() if k != "comments"}
        return PostRecord(
            line=lineno,
            profile=_profile(obj, default, cache),
            platform_id=_id(obj, "platform_id"),
            published_at=_cached_datetime(obj, "published_at", times),  # type: ignore[arg-type]
            text=_str(obj, "text"),
            format=fmt,
            permalink=_str(obj, "permalink"),
            is_own=is_own,
            reactions=reactions,
            reactions_total=_count(obj, "reactions_total"),
            comments_count=_count(obj, "comments_count"),
            shares_count=_count(obj, "shares_count"),
            views_count=_count(obj, "views_count"),
            followers_at_posting=_count(obj, "followers_at_posting"),
            counts_at=_cached_datetime(obj, "counts_at", times, required=False),
            raw=raw,
            comments=_comments(comments, times) if comments else [],
        )

    def _followers(self, obj: dict, lineno: int, default: ProfileRef | None, cache: dict) -> FollowersRecord:
        _unknown(obj, FOLLOWERS_KEYS, "")
        day = obj.get("date")
        try:
            parsed = date.fromisoformat(day) if type(day) is str else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise _Bad("date", "oczekiwano daty w formacie RRRR-MM-DD")
        return FollowersRecord(
            line=lineno,
            profile=_profile(obj, default, cache),
            date=parsed,
            followers=_count(obj, "followers"),
            fans=_count(obj, "fans"),
        )


def _lines(source: SourceFile) -> Iterator[tuple[int, str | bytes]]:
    """Yield numbered lines; UTF-8 files as bytes (orjson checks the UTF-8 itself), others as text."""
    text = source.text
    encoding = (getattr(text, "encoding", "") or "").lower().replace("_", "-")
    buffer = getattr(text, "buffer", None)
    if buffer is None or not encoding.startswith("utf-8"):
        yield from iter_lines(source)
        return
    for lineno, line in enumerate(buffer, start=1):
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        yield lineno, line


def default_profile(options: dict[str, Any]) -> ProfileRef | None:
    """Return the profile named by --profile-name/--platform/--teryt, or None when not given."""
    name = (options.get("profile_name") or "").strip()
    if not name:
        return None
    return ProfileRef(
        platform=(options.get("platform") or "facebook").strip().lower(),
        name=name,
        teryt=(options.get("teryt") or "").strip(),
    )


FORMAT = JsonLinesFormat()
