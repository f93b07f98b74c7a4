"""Writing imported records: profiles found or created, posts, count snapshots, comments, follower counts.

Rows go to the database in batches, as statements built from the models' metadata, on the connection of
the surrounding transaction, without a model instance per row (the importer writes millions of comments;
per-row model instances cost more than the database itself; see benchmarks/import_.py):
- rows that cannot exist yet are appended like a bare bulk insert: the posts of a profile that had none
  before the import, and the count snapshots and comments of every post the import created (ids reserved
  up front, so replies know their parents' ids): `executemany` on SQLite, `COPY` on PostgreSQL;
- everything else is upserted, `INSERT … ON CONFLICT … DO UPDATE … RETURNING` (what Django's
  `bulk_create(update_conflicts=True)` does): multi-row VALUES on SQLite, `COPY` into a temporary table
  and one upsert from it on PostgreSQL.
A writing thread runs the statements while the reading thread parses the next batch.

Idempotent: a post or comment is keyed by (profile, platform id) / (post, platform id); importing the same
file again updates counts and adds a PostCountSnapshot (one per post and `counts_at`), never duplicates.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from array import array
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import chain
from typing import Any

import orjson
from django.conf import settings
from django.db import connection
from django.db.models import Model

from ratusz.collect.importing.records import CommentRow, FollowersRecord, PostRecord, ProfileRef, SourceFile
from ratusz.collect.models import REACTION_TYPES, Comment, FollowerSnapshot, Post, PostCountSnapshot
from ratusz.collect.reactions import reaction_values
from ratusz.errors import RatuszError
from ratusz.registry.models import Platform, Profile, ProfileRole, Unit

BATCH_POSTS = 1000
BATCH_COMMENTS = 10_000
MAX_PARAMS = {"sqlite": 32_000, "postgresql": 60_000}
MAX_ROWS_PER_STATEMENT = 1000
AUTHOR_CACHE_SIZE = 300_000  # pseudonyms kept per platform (then the cache starts again)


@dataclass
class WriteStats:
    """What one import wrote (counts of rows)."""

    posts: int = 0
    comments: int = 0
    snapshots: int = 0
    followers: int = 0
    profiles_created: int = 0
    posts_created: int = 0
    comments_created: int = 0


class _Table:
    """Columns of a model for raw upserts: the given fields first, then every other field at its default."""

    def __init__(self, model: type[Model], given: list[str], conflict: list[str]) -> None:
        meta = model._meta
        self.table = meta.db_table
        qn = connection.ops.quote_name
        self.qn = qn
        fields = {f.name: f for f in meta.concrete_fields if not f.primary_key}
        self.given = [fields[name].column for name in given]
        rest = [f for name, f in fields.items() if name not in given]
        self.tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        self.columns = self.given + [f.column for f in rest]
        self.via_copy = connection.vendor == "postgresql"
        self._temp_ready = False
        self.conflict = [fields[name].column for name in conflict]
        self._sql: dict[tuple[int, str], str] = {}
        self.ph = "?" if connection.vendor == "sqlite" else "%s"
        self.max_rows = max(
            1, min(MAX_ROWS_PER_STATEMENT, MAX_PARAMS.get(connection.vendor, 30_000) // len(self.columns))
        )

    @property
    def temp_name(self) -> str:
        """Name of the temporary table rows are copied into on PostgreSQL."""
        return f"ratusz_import_{self.table}"

    def temp_table(self, cur: Any) -> str:
        """Create (once per transaction) the temporary table the rows are copied into; return its quoted name."""
        qn = self.qn
        if not self._temp_ready:
            cols = ",".join(qn(c) for c in self.columns)
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {qn(self.temp_name)} ON COMMIT DROP AS "
                f"SELECT {cols} FROM {qn(self.table)} WITH NO DATA"
            )
            self._temp_ready = True
        return qn(self.temp_name)

    def insert_sql(self, nrows: int, with_id: bool) -> str:
        """Return a plain multi-row INSERT of `nrows` rows (SQLite; rows start with their id if `with_id`)."""
        key = (nrows, "insert+id" if with_id else "insert")
        sql = self._sql.get(key)
        if sql is None:
            qn = self.qn
            columns = (["id"] if with_id else []) + self.columns
            row = "(" + ",".join([self.ph] * len(columns)) + ")"
            sql = f"INSERT INTO {qn(self.table)} ({','.join(qn(c) for c in columns)}) VALUES " + ",".join(
                [row] * nrows
            )
            self._sql[key] = sql
        return sql

    def sql(self, nrows: int, update: str, returning: str) -> str:
        """Return the upsert statement for `nrows` rows (PostgreSQL: from the temporary table, any length)."""
        key = (0 if self.via_copy else nrows, returning)
        sql = self._sql.get(key)
        if sql is None and self.via_copy:
            qn = self.qn
            cols = ",".join(qn(c) for c in self.columns)
            sql = (
                f"INSERT INTO {qn(self.table)} ({cols}) SELECT {cols} FROM {qn(self.temp_name)}"
                f" ON CONFLICT ({','.join(qn(c) for c in self.conflict)}) DO UPDATE SET {update}"
                + (f" RETURNING {returning}" if returning else "")
            )
            self._sql[key] = sql
        elif sql is None:
            qn = self.qn
            row = "(" + ",".join([self.ph] * len(self.columns)) + ")"
            sql = (
                f"INSERT INTO {qn(self.table)} ({','.join(qn(c) for c in self.columns)}) VALUES "
                + ",".join([row] * nrows)
                + f" ON CONFLICT ({','.join(qn(c) for c in self.conflict)}) DO UPDATE SET {update}"
                + (f" RETURNING {returning}" if returning else "")
            )
            self._sql[key] = sql
        return sql


def _set(table: _Table, columns: list[str], keep_old_if_empty: tuple[str, ...] = ()) -> str:
    qn = table.qn
    parts = []
    for c in columns:
        if c in keep_old_if_empty:
            parts.append(
                f"{qn(c)}=CASE WHEN excluded.{qn(c)} = '' THEN {qn(table.table)}.{qn(c)} ELSE excluded.{qn(c)} END"
            )
        else:
            parts.append(f"{qn(c)}=excluded.{qn(c)}")
    return ", ".join(parts)


POST_FIELDS = [
    "profile", "platform_id", "published_at", "text", "format", "permalink", "is_own",
    *(f"reactions_{t}" for t in REACTION_TYPES),
    "reactions_total", "comments_count", "shares_count", "views_count", "followers_at_posting", "counts_at", "raw",
    "source",
]  # fmt: skip
SNAPSHOT_FIELDS = [
    "post",
    "taken_at",
    "reactions",
    "reactions_total",
    "comments_count",
    "shares_count",
    "views_count",
]
COMMENT_FIELDS = [
    "post", "platform_id", "parent", "author_key", "is_from_profile", "created_at", "text", "likes_count",
    "replies_count",
]  # fmt: skip


class _PostRepeated(Exception):
    """A post appended for a fresh profile hit the unique key: the file repeats it (finish names the lines)."""


def _is_unique_violation(exc: BaseException) -> bool:
    if connection.vendor == "sqlite":
        return "UNIQUE constraint failed" in str(exc)
    return getattr(exc, "sqlstate", None) == "23505"


class _Pipeline:
    """One writing thread, so that reading and checking the file overlap with the database's work.

    The database drivers (sqlite3, psycopg) release the GIL while a statement runs. Batches are written in
    order on the same connection, inside the caller's transaction; the reading thread waits (`sync`) before
    it uses the connection itself. An error in the writing thread is raised in the reading thread.
    """

    def __init__(self, write: Callable[[Any], None], depth: int = 2) -> None:
        self._write = write
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="ratusz-import-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            try:
                if job is None:
                    return
                if self._error is None:
                    self._write(job)
            except BaseException as exc:  # handed to the reading thread
                self._error = exc
            finally:
                self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def submit(self, job: Any) -> None:
        """Queue a batch for writing (blocks while the queue is full); raises an earlier writing error."""
        self._raise()
        self._queue.put(job)

    def sync(self) -> None:
        """Wait until every queued batch is written; raise the writing error if there was one."""
        if self._thread.is_alive():
            self._queue.join()
        self._raise()

    def close(self, raise_error: bool = True) -> None:
        """Write what is queued, stop the thread and (unless told not to) raise a writing error."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if raise_error:
            self._raise()


class ImportWriter:
    """Collects records and writes them in batches inside the caller's transaction."""

    def __init__(self, source: SourceFile, source_label: str, now: datetime | None = None) -> None:
        self.source = source
        self.label = source_label[:40]
        self.now = now or datetime.now(UTC)
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.sqlite = self.vendor == "sqlite"
        self.stats = WriteStats()
        self._profiles: dict[ProfileRef, tuple[int, str, str]] = {}
        self._batch: list[tuple[PostRecord, int]] = []
        self._batch_keys: dict[tuple[int, str], int] = {}
        self._batch_comments = 0
        self._post_hashes = array("q")
        self._post_lines = array("q")
        self._follower_keys: dict[tuple[int, str], int] = {}
        # HMAC-SHA256 (RFC 2104) with the key's inner and outer pads hashed once: the same keys as
        # ratusz.collect.privacy.author_key, a third of the cost per comment.
        key = settings.PSEUDONYM_KEY.encode()
        if len(key) > 64:
            key = hashlib.sha256(key).digest()
        key = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in key))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in key))
        self._authors: dict[str, dict[str, str]] = {}  # platform -> author id -> pseudonym
        self.posts = _Table(Post, POST_FIELDS, ["profile", "platform_id"])
        self.snapshots = _Table(PostCountSnapshot, SNAPSHOT_FIELDS, ["post", "taken_at"])
        self.comments = _Table(Comment, COMMENT_FIELDS, ["post", "platform_id"])
        self.followers = _Table(
            FollowerSnapshot,
            ["profile", "date", "followers", "fans", "source", "taken_at"],
            ["profile", "date"],
        )
        p, s, c = self.posts, self.snapshots, self.comments
        # text, permalink: keep the old one when the new file has none
        keep = tuple(p.given[i] for i in (3, 5))
        self._post_update = _set(p, p.given[2:], keep_old_if_empty=keep)
        self._snapshot_update = _set(s, s.given[2:])
        qn, ct = c.qn, c.qn(c.table)
        self._comment_update = _set(c, c.given[2:]) + (
            f", {qn('scored_model_version')}=CASE WHEN excluded.{qn('text')} = {ct}.{qn('text')} "
            f"THEN {ct}.{qn('scored_model_version')} ELSE '' END"
        )
        self._follower_update = _set(self.followers, self.followers.given[2:])
        self._posts_before = Post.objects.count()
        self._comments_before = Comment.objects.count()
        # Posts with a higher id than any at the start were created by this import (SQLite: one writer at
        # a time, and this transaction's snapshot starts here); PostgreSQL also says so itself (xmax = 0).
        self._max_post_id = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        # Profiles without a post before this import: all their posts in the file are new, so they are
        # appended with reserved ids (a post repeated in the file then fails the unique key: _PostRepeated).
        self._fresh: set[int] = set()
        self._raw = connection.connection
        self._dt_cache: dict[datetime, str] = {}
        self._now_db = self._dt(self.now)
        self._pipeline = _Pipeline(self._write_batch)

    # --- values -------------------------------------------------------------------------------
    def _dt(self, value: datetime | None) -> Any:
        """Return a datetime as the database driver wants it (SQLite: naive UTC text, as Django stores it)."""
        if value is None or not self.sqlite:
            return value
        cache = self._dt_cache  # formats hand the same datetime object for a repeated moment
        text = cache.get(value)
        if text is None:
            text = str(value.astimezone(UTC))[:-6]  # 'YYYY-MM-DD HH:MM:SS[.ffffff]' without '+00:00'
            if len(cache) >= 50_000:
                cache.clear()
            cache[value] = text
        return text

    def author_key(self, platform: str, author_id: str | None) -> str:
        """Return the pseudonym of a comment author (same as ratusz.collect.privacy.author_key)."""
        if not author_id:
            return ""
        authors = self._authors.get(platform)
        if authors is None:
            authors = self._authors[platform] = {}
        found = authors.get(author_id)
        if found is None:
            inner = self._inner.copy()
            inner.update(f"{platform}:{author_id}".encode())
            outer = self._outer.copy()
            outer.update(inner.digest())
            found = outer.hexdigest()[:32]
            if len(authors) >= AUTHOR_CACHE_SIZE:
                authors.clear()
            authors[author_id] = found
        return found

    # --- profiles -----------------------------------------------------------------------------
    def profile_id(self, ref: ProfileRef, line: int) -> tuple[int, str, str]:
        """Return (id, platform, platform id) of the profile a record names, creating it when new."""
        found = self._profiles.get(ref)
        if found is not None:
            return found
        err = self.source.error
        self._pipe(self._pipeline.sync)  # the ORM shares the connection with the writing thread
        if ref.platform not in Platform.values:
            raise err(
                line,
                "profile.platform",
                f"nieznana platforma „{ref.platform}”; dozwolone: {', '.join(Platform.values)}",
            )
        if ref.role and ref.role not in ProfileRole.values:
            raise err(
                line,
                "profile.role",
                f"nieznana rola „{ref.role}”; dozwolone: {', '.join(ProfileRole.values)}",
            )
        unit = None
        if ref.teryt:
            unit = Unit.objects.filter(teryt=ref.teryt.strip()).first()
            if unit is None:
                raise err(
                    line, "profile.teryt",
                    f"nie ma jednostki o kodzie TERYT „{ref.teryt}”; popraw kod albo wczytaj rejestr (`ratusz registry load`)",
                )  # fmt: skip
        qs = Profile.objects.filter(platform=ref.platform)
        if ref.platform_id:
            qs = qs.filter(platform_id=ref.platform_id)
        elif ref.handle:
            qs = qs.filter(handle=ref.handle)
        else:
            qs = qs.filter(name=ref.name, platform_id="", handle="")
        profile = qs.first()
        if profile is None:
            name = ref.name or ref.handle or ref.platform_id
            for fld, value, limit in (
                ("name", name, 300),
                ("platform_id", ref.platform_id, 100),
                ("handle", ref.handle, 200),
                ("url", ref.url, 500),
            ):
                if len(value) > limit:
                    raise err(line, f"profile.{fld}", f"tekst jest dłuższy niż {limit} znaków")
            profile = Profile.objects.create(
                platform=ref.platform,
                platform_id=ref.platform_id,
                handle=ref.handle,
                name=name,
                url=ref.url,
                unit=unit,
                role=ref.role or ProfileRole.OFFICIAL,
            )
            self.stats.profiles_created += 1
            self._fresh.add(profile.pk)
        else:
            if unit is not None and profile.unit_id is None:
                profile.unit = unit
                profile.save(update_fields=["unit"])
            if not Post.objects.filter(profile_id=profile.pk).exists():
                self._fresh.add(profile.pk)
        found = (profile.pk, profile.platform, profile.platform_id)
        self._profiles[ref] = found
        return found

    # --- adding records -----------------------------------------------------------------------
    def add(self, record: PostRecord | FollowersRecord) -> None:
        """Queue a record; writes a batch when enough are queued. Raises RatuszError on bad data."""
        if type(record) is FollowersRecord:
            self._add_followers(record)
            return
        rec: PostRecord = record  # type: ignore[assignment]
        pid = self.profile_id(rec.profile, rec.line)[0]
        if len(rec.platform_id) > 200:
            raise self.source.error(
                rec.line, "platform_id", "identyfikator posta jest dłuższy niż 200 znaków"
            )
        if len(rec.permalink) > 1000:
            raise self.source.error(rec.line, "permalink", "adres jest dłuższy niż 1000 znaków")
        key = (pid, rec.platform_id)
        earlier = self._batch_keys.get(key)
        if earlier is not None:
            raise self._duplicate(earlier, rec.line, rec.platform_id)
        self._batch_keys[key] = rec.line
        self._post_hashes.append(hash(key))
        self._post_lines.append(rec.line)
        self._batch.append((rec, pid))
        self._batch_comments += len(rec.comments)
        if len(self._batch) >= BATCH_POSTS or self._batch_comments >= BATCH_COMMENTS:
            self.flush()

    def _duplicate(self, first: int, second: int, platform_id: str | None) -> Exception:
        what = f"post „{platform_id}”" if platform_id else "ten sam post (ten sam profil i identyfikator)"
        return self.source.error(
            second,
            "platform_id",
            f"{what} występuje w pliku drugi raz (pierwszy raz w wierszu {first}); usuń powtórzenie",
        )

    def _add_followers(self, rec: FollowersRecord) -> None:
        pid = self.profile_id(rec.profile, rec.line)[0]
        key = (pid, rec.date.isoformat())
        if key in self._follower_keys:
            raise self.source.error(
                rec.line,
                "date",
                f"stan obserwujących z dnia {rec.date} tego profilu występuje drugi raz (pierwszy raz w wierszu {self._follower_keys[key]})",
            )
        self._follower_keys[key] = rec.line
        row = (pid, rec.date, rec.followers, rec.fans, self.label, self._dt(self.now), *self.followers.tail)
        t = self.followers
        self._pipe(self._pipeline.sync)
        with closing(self._cursor()) as cur:
            self._upsert(cur, t, [row], self._follower_update, "")
        self.stats.followers += 1

    # --- writing ------------------------------------------------------------------------------
    def _upsert(self, cur: Any, table: _Table, rows: list[tuple], update: str, returning: str) -> list[tuple]:
        out: list[tuple] = []
        if not rows:
            return out
        if table.via_copy:  # PostgreSQL: COPY into a temporary table, then one upsert from it
            temp = table.temp_table(cur)
            with cur.copy(f"COPY {temp} FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
            cur.execute(table.sql(len(rows), update, returning))
            if returning:
                out = cur.fetchall()
            cur.execute(f"TRUNCATE {temp}")
            return out
        step = table.max_rows
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            params = list(chain.from_iterable(chunk))
            cur.execute(table.sql(len(chunk), update, returning), params)
            if returning:
                out.extend(cur.fetchall())
        return out

    def _insert(self, cur: Any, table: _Table, rows: list[tuple], with_id: bool) -> None:
        """Append rows that cannot exist yet (of posts this import created): a bare insert, no conflict check.

        SQLite: multi-row `INSERT … VALUES`; PostgreSQL: `COPY` straight into the table. `with_id`: each
        row starts with its id (reserved by `_reserve_ids`).
        """
        if not rows:
            return
        if table.via_copy:
            qn = table.qn
            cols = ",".join(qn(c) for c in (["id"] if with_id else []) + table.columns)
            with cur.copy(f"COPY {qn(table.table)} ({cols}) FROM STDIN") as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
            return
        # multi-row VALUES: about a third less work per row in SQLite than executemany's row-by-row steps
        step = max(1, min(MAX_ROWS_PER_STATEMENT, MAX_PARAMS["sqlite"] // (len(table.columns) + with_id)))
        for start in range(0, len(rows), step):
            chunk = rows[start : start + step]
            cur.execute(table.insert_sql(len(chunk), with_id), list(chain.from_iterable(chunk)))

    def _reserve_ids(self, cur: Any, table: _Table, n: int) -> list[int]:
        """Return `n` new ids of a table for rows inserted with explicit ids."""
        qn = table.qn
        if table.via_copy:  # sequence values: safe alongside other writers
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [qn(table.table), n],
            )
            return [row[0] for row in cur.fetchall()]
        # SQLite: this transaction holds the write lock (it has written), so the next ids are free until
        # the next statement; upserts in between take theirs from the same maximum.
        cur.execute(f"SELECT coalesce(max({qn('id')}), 0) FROM {qn(table.table)}")
        first = cur.fetchone()[0] + 1
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", [table.table])
        found = cur.fetchone()
        if found and found[0] >= first:  # AUTOINCREMENT: never reuse an id of a deleted row
            first = found[0] + 1
        return list(range(first, first + n))

    def flush(self) -> None:
        """Hand the queued posts to the writing thread (it writes posts, count snapshots and comments)."""
        batch = self._batch
        if not batch:
            return
        self._batch, self._batch_keys, self._batch_comments = [], {}, 0
        post_rows = [self.post_row(rec, pid) for rec, pid in batch]
        # the per-comment work that needs no database ids is done here, so both threads have about as much
        prepared = [self._comment_values(rec) if rec.comments else None for rec, _ in batch]
        self._pipe(self._pipeline.submit, (batch, post_rows, prepared))

    def _comment_values(self, rec: PostRecord) -> list[tuple[str, bool, Any]]:
        """Return (author pseudonym, from the profile itself, time for the database) of each comment."""
        _, platform, profile_pid = self._profiles[rec.profile]
        author_key, dt = self.author_key, self._dt
        return [
            (
                author_key(platform, c.author_id),
                c.is_from_profile
                or (c.author_id is not None and c.author_id == profile_pid and profile_pid != ""),
                dt(c.created_at),
            )
            for c in rec.comments
        ]

    def _cursor(self) -> Any:
        if self.sqlite:
            return self._raw.cursor()
        import psycopg

        return psycopg.Cursor(self._raw)

    def _write_batch(self, job: tuple[list[tuple[PostRecord, int]], list[tuple], list[Any]]) -> None:
        try:
            self._write_batch_rows(job)
        except (RatuszError, _PostRepeated):
            raise
        except Exception as exc:  # a value the database refuses: still one sentence, nothing written
            batch = job[0]
            first, last = batch[0][0].line, batch[-1][0].line
            detail = (str(exc).strip().splitlines() or [exc.__class__.__name__])[0][:200]
            raise self.source.error(
                first,
                None,
                f"baza danych odrzuciła dane z wierszy {first}–{last} ({detail}); popraw te wiersze",
            ) from exc

    def _write_batch_rows(self, job: tuple[list[tuple[PostRecord, int]], list[tuple], list[Any]]) -> None:
        batch, post_rows, prepared = job
        qn = self.posts.qn
        fresh = self._fresh
        appended = [i for i, (_, pid) in enumerate(batch) if pid in fresh]
        if appended and len(appended) < len(batch):
            keep = set(appended)
            upserted = [row for i, row in enumerate(post_rows) if i not in keep]
            appended_rows = [post_rows[i] for i in appended]
        elif appended:
            upserted, appended_rows = [], post_rows
        else:
            upserted, appended_rows = post_rows, []
        with closing(self._cursor()) as cur:
            returning = f"{qn('id')},{qn('profile_id')},{qn('platform_id')}"
            if not self.sqlite:
                returning += ",(xmax = 0)"
            returned = self._upsert(cur, self.posts, upserted, self._post_update, returning)
            ids: dict[tuple[int, str], int] = {}
            created: set[int] = set()
            if appended_rows:
                new_ids = self._reserve_ids(cur, self.posts, len(appended_rows))
                try:
                    self._insert(
                        cur,
                        self.posts,
                        [(i, *row) for i, row in zip(new_ids, appended_rows, strict=True)],
                        True,
                    )
                except Exception as exc:
                    if _is_unique_violation(exc):
                        raise _PostRepeated from exc
                    raise
                for i, row in zip(new_ids, appended_rows, strict=True):
                    ids[(row[0], row[1])] = i
                created.update(new_ids)
            # Created now: a higher id than any before this batch (a post repeated from an earlier batch of
            # the file is not; finish() reports it) and, on PostgreSQL, inserted rather than updated.
            threshold = self._max_post_id
            for post_id, profile_id, platform_id, *inserted in returned:
                ids[(profile_id, platform_id)] = post_id
                if post_id > threshold and (self.sqlite or inserted[0]):
                    created.add(post_id)
            if ids:
                self._max_post_id = max(threshold, max(ids.values()))
            now = self._now_db
            snap_new: list[tuple] = []
            snap_old: list[tuple] = []
            for rec, pid in batch:
                post_id = ids[(pid, rec.platform_id)]
                (snap_new if post_id in created else snap_old).append(self.snapshot_row(rec, post_id, now))
            self._insert(cur, self.snapshots, snap_new, with_id=False)
            self._upsert(cur, self.snapshots, snap_old, self._snapshot_update, "")
            self.stats.posts += len(batch)
            self.stats.snapshots += len(batch)
            new_posts = [
                (rec, pid, prepared[i])
                for i, (rec, pid) in enumerate(batch)
                if rec.comments and ids[(pid, rec.platform_id)] in created
            ]
            if new_posts:
                self._write_new_comments(cur, new_posts, ids)
            if len(new_posts) < len(batch):
                old = [
                    (rec, pid)
                    for rec, pid in batch
                    if rec.comments and ids[(pid, rec.platform_id)] not in created
                ]
                if old:
                    self._write_comments(cur, old, ids)

    def _check_comment(self, rec: PostRecord, c: CommentRow, seen: Any) -> None:
        if c.platform_id in seen:
            raise self.source.error(
                rec.line,
                f"comments[{c.index}].platform_id",
                f"komentarz „{c.platform_id}” występuje w tym poście drugi raz; usuń powtórzenie",
            )
        if len(c.platform_id) > 200:
            raise self.source.error(
                rec.line,
                f"comments[{c.index}].platform_id",
                "identyfikator komentarza jest dłuższy niż 200 znaków",
            )

    def _missing_parent(self, rec: PostRecord, c: CommentRow) -> RatuszError:
        return self.source.error(
            rec.line, f"comments[{c.index}].parent_id",
            f"komentarz nadrzędny „{c.parent_id}” nie istnieje w tym poście; popraw parent_id albo dodaj ten komentarz",
        )  # fmt: skip

    def _write_new_comments(
        self, cur: Any, batch: list[tuple[PostRecord, int, Any]], ids: dict[tuple[int, str], int]
    ) -> None:
        """Comments of posts this import created: none can exist yet, so ids are reserved and rows appended."""
        table = self.comments
        reserved = iter(self._reserve_ids(cur, table, sum(len(rec.comments) for rec, _, _ in batch)))
        rows: list[tuple] = []
        append = rows.append
        tail = table.tail
        for rec, pid, values in batch:
            post_id = ids[(pid, rec.platform_id)]
            local: dict[str, int] = {}
            parents: dict[str, str] = {}
            for c in rec.comments:
                if c.platform_id in local or len(c.platform_id) > 200:
                    self._check_comment(rec, c, local)
                local[c.platform_id] = next(reserved)
                if c.parent_id is not None:
                    parents[c.platform_id] = c.parent_id
            for c, (key, own, created) in zip(rec.comments, values, strict=True):  # comment_row(), id first
                cid, parent_id, _, _, _, text, likes, replies, _ = c
                parent = None
                if parent_id is not None:
                    # the parent must be a comment of this post, and following parents must end at a top one
                    step, hops = parent_id, 0
                    while step in parents and hops <= len(parents):
                        step, hops = parents[step], hops + 1
                    if step not in local or hops > len(parents):
                        raise self._missing_parent(rec, c)
                    parent = local[parent_id]
                append((local[cid], post_id, cid, parent, key, own, created, text, likes, replies, *tail))
        self._insert(cur, table, rows, with_id=True)
        self.stats.comments += len(rows)

    def post_row(self, rec: PostRecord, profile_id: int) -> tuple:
        """Return the values of a post row, in the column order of the posts table."""
        r, dt = rec.reactions, self._dt
        try:
            raw = orjson.dumps(rec.raw).decode() if rec.raw is not None else None
        except TypeError as exc:
            raise self.source.error(
                rec.line, "raw", f"danych źródłowych nie da się zapisać jako JSON ({exc})"
            ) from None
        return (
            profile_id, rec.platform_id, dt(rec.published_at), rec.text, rec.format, rec.permalink, rec.is_own,
            *reaction_values(r),
            rec.reactions_total, rec.comments_count, rec.shares_count, rec.views_count,
            rec.followers_at_posting, dt(rec.counts_at), raw, self.label, *self.posts.tail,
        )  # fmt: skip

    def snapshot_row(self, rec: PostRecord, post_id: int, now: Any) -> tuple:
        """Return the values of the count snapshot of a post (taken at counts_at, else `now`)."""
        r = rec.reactions
        return (
            post_id,
            self._dt(rec.counts_at) if rec.counts_at is not None else now,
            orjson.dumps(r).decode() if r else None,
            rec.reactions_total, rec.comments_count, rec.shares_count, rec.views_count, *self.snapshots.tail,
        )  # fmt: skip

    def comment_row(
        self, post_id: int, platform: str, profile_pid: str, c: CommentRow, parent: int | None
    ) -> tuple:
        """Return the values of a comment row (author pseudonymised, the profile's own replies flagged)."""
        own = c.is_from_profile or (
            c.author_id is not None and c.author_id == profile_pid and profile_pid != ""
        )
        return (
            post_id, c.platform_id, parent, self.author_key(platform, c.author_id), own, self._dt(c.created_at),
            c.text, c.likes_count, c.replies_count, *self.comments.tail,
        )  # fmt: skip

    def _write_comments(
        self, cur: Any, batch: list[tuple[PostRecord, int]], ids: dict[tuple[int, str], int]
    ) -> None:
        top: list[tuple] = []
        replies: list[tuple[PostRecord, int, str, str, CommentRow]] = []
        for rec, pid in batch:
            if not rec.comments:
                continue
            post_id = ids[(pid, rec.platform_id)]
            _, platform, profile_pid = self._profiles[rec.profile]
            seen: set[str] = set()
            for c in rec.comments:
                self._check_comment(rec, c, seen)
                seen.add(c.platform_id)
                if c.parent_id is None:
                    top.append(self.comment_row(post_id, platform, profile_pid, c, None))
                else:
                    replies.append((rec, post_id, platform, profile_pid, c))
        qn = self.comments.qn
        returning = f"{qn('id')},{qn('post_id')},{qn('platform_id')}" if replies else ""
        if replies:  # ids are needed only of the comments that others answer
            parents = {(post_id, c.parent_id) for _, post_id, _, _, c in replies}
            is_parent = [(row[0], row[1]) in parents for row in top]
            done = self._upsert(
                cur,
                self.comments,
                [r for r, p in zip(top, is_parent, strict=True) if p],
                self._comment_update,
                returning,
            )
            self._upsert(
                cur,
                self.comments,
                [r for r, p in zip(top, is_parent, strict=True) if not p],
                self._comment_update,
                "",
            )
        else:
            done = self._upsert(cur, self.comments, top, self._comment_update, "")
        written = len(top)
        known = {(post_id, cid): id_ for id_, post_id, cid in done}
        looked_up = False
        while replies:
            ready = [r for r in replies if (r[1], r[4].parent_id) in known]
            if not ready and not looked_up:
                looked_up = True
                post_ids = sorted({r[1] for r in replies})
                table = self.comments
                for start in range(0, len(post_ids), 500):
                    part = post_ids[start : start + 500]
                    cur.execute(
                        f"SELECT {qn('id')}, {qn('post_id')}, {qn('platform_id')} FROM {qn(table.table)} "
                        f"WHERE {qn('post_id')} IN ({','.join([table.ph] * len(part))})",
                        part,
                    )
                    for id_, post_id, cid in cur.fetchall():
                        known.setdefault((post_id, cid), id_)
                continue
            if not ready:
                rec, _, _, _, c = replies[0]
                raise self._missing_parent(rec, c)
            rows = [
                self.comment_row(post_id, platform, ppid, c, known[(post_id, c.parent_id)])
                for _, post_id, platform, ppid, c in ready
            ]
            done = self._upsert(cur, self.comments, rows, self._comment_update, returning)
            written += len(rows)
            known.update({(post_id, cid): id_ for id_, post_id, cid in done})
            ready_ids = {id(r) for r in ready}
            replies = [r for r in replies if id(r) not in ready_ids]
        self.stats.comments += written

    def _pipe(self, call: Callable[..., None], *args: Any) -> None:
        """Call a pipeline method; a post the writing thread found twice is reported with both lines."""
        try:
            call(*args)
        except _PostRepeated:
            error = self._repeated_post()
            if error is None:
                error = self.source.error(
                    None,
                    "platform_id",
                    "post nowego profilu jest już w bazie (zapisał go w tym czasie inny import); "
                    "zaimportuj plik ponownie",
                )
            raise error from None

    def _repeated_post(self) -> RatuszError | None:
        """Return the error naming the first post (profile and id) the file repeats so far, or None."""
        if len(self._post_hashes) < 2:
            return None
        import numpy as np

        hashes = np.frombuffer(self._post_hashes, dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        ordered = hashes[order]
        dup = np.flatnonzero(ordered[1:] == ordered[:-1])
        if not dup.size:
            return None
        i = int(dup[0])
        lines = sorted((self._post_lines[int(order[i])], self._post_lines[int(order[i + 1])]))
        return self._duplicate(lines[0], lines[1], None)

    def close(self) -> None:
        """Stop the writing thread (waiting for the statement it runs); call before the transaction ends."""
        self._pipeline.close(raise_error=False)

    def finish(self) -> WriteStats:
        """Write what is queued, check for posts repeated across the file, and return the counts."""
        self.flush()
        self._pipe(self._pipeline.close)
        repeated = self._repeated_post()
        if repeated is not None:
            raise repeated
        self.stats.posts_created = Post.objects.count() - self._posts_before
        self.stats.comments_created = Comment.objects.count() - self._comments_before
        return self.stats
