"""The daily rollup (`metrics_profileday`): one row per profile and Europe/Warsaw day with posts.

How it stays equal to the posts:
- database triggers on `collect_post` and `collect_followersnapshot` queue every change
  (`metrics_rollupqueue`): the ORM, bulk writers, `QuerySet.update()`, raw SQL and admin edits alike;
- `refresh_pending()` recomputes the queued profile-days with one INSERT … SELECT … GROUP BY per range
  (the same SQL that computes a ranking from the posts, `metrics._post_days_cte`). Writers call it at the
  end of their transaction (through `ratusz.collect.signals.posts_stored`), and every read of the
  rollup calls it first, so a forgotten call costs time, never correctness;
- `rebuild()` recomputes everything (`ratusz metrics rollup --rebuild`), `check()` compares the rollup
  with the posts (`ratusz metrics rollup --check`), and `ensure_triggers()` (after every migrate)
  reinstalls triggers a table rebuild dropped, rebuilding the rollup when it had to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import connection, transaction

from ratusz.collect.models import REACTION_TYPES

TABLE = "metrics_profileday"
MONTHS = "metrics_profilemonth"
QUEUE = "metrics_rollupqueue"

#: Rollup columns computed from the posts of a day (in `metrics._post_days_cte`'s `pd`).
SUM_COLUMNS = ["posts", "posts_text", "reactions", *(f"r_{t}" for t in REACTION_TYPES), "comments", "shares",
               "interactions", "posts_with_interactions", "posts_with_reactions", "posts_with_comments",
               "posts_with_shares", "mood_num", "mood_den", "checksum"]

_POST_COLUMNS = ["profile_id", "published_at", "is_own", "format", "reactions_total",
                 *(f"reactions_{t}" for t in REACTION_TYPES), "comments_count", "shares_count",
                 "followers_at_posting"]
_SNAPSHOT_COLUMNS = ["profile_id", "date", "followers"]
_BATCH = 400


# --- triggers -------------------------------------------------------------------------------------


def _sqlite_mark(row: str, day: str, until_end: int) -> str:
    covered = (f"(until_end = 1 AND day <= {day})" if until_end
               else f"(until_end = 0 AND day = {day}) OR (until_end = 1 AND day <= {day})")
    return (f"INSERT INTO {QUEUE} (profile_id, day, until_end) SELECT {row}.profile_id, {day}, {until_end}"
            f" WHERE NOT EXISTS (SELECT 1 FROM {QUEUE} WHERE profile_id = {row}.profile_id AND ({covered}));")


def _sqlite_triggers() -> dict[str, str]:
    post_day = "substr({r}.published_at, 1, 10)"
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _POST_COLUMNS)
    snap_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*_SNAPSHOT_COLUMNS, "fans"))
    return {
        "metrics_rollup_post_ins": f"AFTER INSERT ON collect_post WHEN NEW.is_own BEGIN "
                                   f"{_sqlite_mark('NEW', post_day.format(r='NEW'), 0)} END",
        "metrics_rollup_post_upd": f"AFTER UPDATE ON collect_post WHEN (OLD.is_own OR NEW.is_own) AND ({changed}) BEGIN "
                                   f"{_sqlite_mark('OLD', post_day.format(r='OLD'), 0)} "
                                   f"{_sqlite_mark('NEW', post_day.format(r='NEW'), 0)} END",
        "metrics_rollup_post_del": f"AFTER DELETE ON collect_post WHEN OLD.is_own BEGIN "
                                   f"{_sqlite_mark('OLD', post_day.format(r='OLD'), 0)} END",
        "metrics_rollup_snap_ins": f"AFTER INSERT ON collect_followersnapshot BEGIN "
                                   f"{_sqlite_mark('NEW', 'NEW.date', 1)} END",
        "metrics_rollup_snap_upd": f"AFTER UPDATE ON collect_followersnapshot WHEN {snap_changed} BEGIN "
                                   f"{_sqlite_mark('OLD', 'OLD.date', 1)} {_sqlite_mark('NEW', 'NEW.date', 1)} END",
        "metrics_rollup_snap_del": f"AFTER DELETE ON collect_followersnapshot BEGIN "
                                   f"{_sqlite_mark('OLD', 'OLD.date', 1)} END",
    }


def _pg_function(name: str, body: str) -> str:
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
            "RETURN NULL; END $$")


def _pg_statements() -> dict[str, list[str]]:
    """Statement-level triggers with transition tables: one INSERT per writing statement, not per row."""
    utc_day = "({r}.published_at AT TIME ZONE 'UTC')::date"
    ins = f"INSERT INTO {QUEUE} (profile_id, day, until_end) SELECT DISTINCT "
    tail = " ON CONFLICT DO NOTHING;"
    changed = "ROW(" + ", ".join(f"n.{c}" for c in _POST_COLUMNS) + ") IS DISTINCT FROM ROW(" + ", ".join(
        f"o.{c}" for c in _POST_COLUMNS) + ")"
    snap_changed = "ROW(n.profile_id, n.date, n.followers, n.fans) IS DISTINCT FROM ROW(o.profile_id, o.date, o.followers, o.fans)"
    functions = {
        "metrics_rollup_post_ins": ins + f"n.profile_id, {utc_day.format(r='n')}, 0 FROM new_rows n WHERE n.is_own" + tail,
        "metrics_rollup_post_upd": (
            ins + "x.profile_id, x.day, 0 FROM (SELECT o.profile_id, " + utc_day.format(r="o") + " AS day FROM new_rows n"
            " JOIN old_rows o ON o.id = n.id WHERE (o.is_own OR n.is_own) AND " + changed
            + " UNION ALL SELECT n.profile_id, " + utc_day.format(r="n") + " FROM new_rows n JOIN old_rows o ON o.id = n.id"
            " WHERE (o.is_own OR n.is_own) AND " + changed + ") x" + tail),
        "metrics_rollup_post_del": ins + f"o.profile_id, {utc_day.format(r='o')}, 0 FROM old_rows o WHERE o.is_own" + tail,
        "metrics_rollup_snap_ins": ins + "n.profile_id, n.date, 1 FROM new_rows n" + tail,
        "metrics_rollup_snap_upd": (
            ins + "x.profile_id, x.date, 1 FROM (SELECT o.profile_id, o.date FROM new_rows n JOIN old_rows o ON o.id = n.id"
            f" WHERE {snap_changed} UNION ALL SELECT n.profile_id, n.date FROM new_rows n JOIN old_rows o ON o.id = n.id"
            f" WHERE {snap_changed}) x" + tail),
        "metrics_rollup_snap_del": ins + "o.profile_id, o.date, 1 FROM old_rows o" + tail,
    }
    events = {"ins": ("INSERT", "NEW TABLE AS new_rows"), "upd": ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
              "del": ("DELETE", "OLD TABLE AS old_rows")}
    out = {}
    for name, body in functions.items():
        table = "collect_post" if "_post_" in name else "collect_followersnapshot"
        event, refs = events[name.rsplit("_", 1)[1]]
        out[name] = [
            _pg_function(name, body),
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {refs} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {name}()",
        ]
    return out


TRIGGER_NAMES = sorted(_sqlite_triggers())


def installed_triggers(conn: Any = None) -> set[str]:
    """Return the names of the rollup triggers present in the database."""
    conn = conn or connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'metrics_rollup_%%'")
        else:
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'metrics_rollup_%%'")
        return {r[0] for r in cur.fetchall()}


def install_triggers(conn: Any = None) -> None:
    """(Re)create the triggers that queue changed posts and follower snapshots."""
    conn = conn or connection
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            for statements in _pg_statements().values():
                for sql in statements:
                    cur.execute(sql)
        else:
            for name, body in _sqlite_triggers().items():
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")
                cur.execute(f"CREATE TRIGGER {name} {body}")


def drop_triggers(conn: Any = None) -> None:
    """Remove the rollup triggers (reverse migration)."""
    conn = conn or connection
    with conn.cursor() as cur:
        for name in TRIGGER_NAMES:
            if conn.vendor == "postgresql":
                table = "collect_post" if "_post_" in name else "collect_followersnapshot"
                cur.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
                cur.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cur.execute(f"DROP TRIGGER IF EXISTS {name}")


def ensure_triggers(**kwargs: Any) -> bool:
    """Install missing triggers (a SQLite table rebuild in a later migration drops them) and rebuild the
    rollup when any was missing; return True when it had to. Connected to post_migrate."""
    from django.db import connections

    conn = connections[kwargs.get("using") or "default"]
    tables = set(conn.introspection.table_names())
    if TABLE not in tables or "collect_post" not in tables:
        return False
    if installed_triggers(conn) >= set(TRIGGER_NAMES):
        return False
    install_triggers(conn)
    rebuild()
    return True


# --- refreshing -----------------------------------------------------------------------------------


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def month_sql(column: str) -> str:
    """Return SQL for the first day of the month of a date column (as stored by the database)."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS DATE)"
    return f"(substr({column}, 1, 7) || '-01')"


def _refresh(cur: Any, profile_ids: Sequence[int], first: date, last: date) -> None:
    """Recompute the rollup rows of these profiles for the Warsaw days first..last (inclusive), and the
    monthly rows of the months they touch."""
    from ratusz.metrics import metrics

    first_month, last_month = first.replace(day=1), _month_end(last)

    marks = ", ".join(["%s"] * len(profile_ids))
    cur.execute(f"DELETE FROM {TABLE} WHERE profile_id IN ({marks}) AND day >= %s AND day <= %s",
                [*profile_ids, metrics._date_param(first), metrics._date_param(last)])
    cte, params = metrics._post_days_cte(first, last, f"pr.id IN ({marks})")
    columns = ", ".join(SUM_COLUMNS)
    cur.execute(
        f"INSERT INTO {TABLE} (profile_id, day, {columns}, followers, rate, unknown) "
        f"WITH {cte} SELECT profile_id, day, {columns}, followers_day, rate, unknown FROM pd",
        [*params, *profile_ids],
    )
    dp = metrics._date_param
    cur.execute(f"DELETE FROM {MONTHS} WHERE profile_id IN ({marks}) AND month >= %s AND month <= %s",
                [*profile_ids, dp(first_month), dp(last_month)])
    sums = ", ".join(f"{metrics._itotal(c)}" for c in SUM_COLUMNS)
    cur.execute(
        f"INSERT INTO {MONTHS} (profile_id, month, {columns}, rate_sum, post_days, unknown_days) "
        f"SELECT profile_id, {month_sql('day')}, {sums}, SUM(CASE WHEN unknown = 0 THEN rate END), COUNT(*), "
        f"{metrics._itotal('unknown')} FROM {TABLE} WHERE profile_id IN ({marks}) AND day >= %s AND day <= %s "
        f"GROUP BY profile_id, {month_sql('day')}",
        [*profile_ids, dp(first_month), dp(last_month)],
    )


def _post_span(cur: Any, profile_ids: Sequence[int]) -> dict[int, tuple[date, date]]:
    """Return {profile: (first, last)} UTC dates of each profile's own posts."""
    marks = ", ".join(["%s"] * len(profile_ids))
    cur.execute(f"SELECT profile_id, MIN(published_at), MAX(published_at) FROM collect_post"
                f" WHERE profile_id IN ({marks}) AND is_own GROUP BY profile_id", list(profile_ids))
    return {r[0]: (_to_date(r[1]), _to_date(r[2])) for r in cur.fetchall()}


def _refresh_ranges(cur: Any, ranges: dict[int, tuple[date, date]],
                    progress: Callable[[int], None] | None = None) -> None:
    """Refresh each profile's range of Warsaw days, profiles with the same range in one statement."""
    groups: dict[tuple[date, date], list[int]] = defaultdict(list)
    for pid, span in ranges.items():
        groups[span].append(pid)
    for (first, last), ids in sorted(groups.items()):
        for i in range(0, len(ids), _BATCH):
            chunk = ids[i:i + _BATCH]
            _refresh(cur, chunk, first, last)
            if progress:
                progress(len(chunk))


def _lock_refresh(cur: Any) -> None:
    # Refreshes run one at a time (two recomputing the same profile-day would both insert it). Writers'
    # triggers never wait for this lock; on SQLite the IMMEDIATE transaction already serialises writers.
    if connection.vendor == "postgresql":
        cur.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_KEY])
        cur.execute("SET LOCAL jit = off")  # compiling costs more than these small statements run


_ADVISORY_KEY = 7_306_822_611  # "ratusz metrics rollup"


def pending() -> bool:
    """Return True when changes wait in the queue (one indexed probe)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT 1 FROM {QUEUE} LIMIT 1")
        return cur.fetchone() is not None


def refresh_pending(**kwargs: Any) -> int:
    """Recompute every queued profile-day (in the caller's transaction, if any); return how many
    profiles were refreshed. Cheap when nothing is queued. Receiver of `collect.signals.posts_stored`."""
    if not pending():
        return 0
    with transaction.atomic(), connection.cursor() as cur:
        _lock_refresh(cur)
        # Take exactly the marks this transaction can see; marks committed meanwhile wait for the next refresh.
        cur.execute(f"DELETE FROM {QUEUE} RETURNING profile_id, day, until_end")
        marks: dict[int, list[Any]] = {}
        for pid, day, until_end in cur.fetchall():
            d = _to_date(day)
            m = marks.setdefault(pid, [d, d, None])
            m[0], m[1] = min(m[0], d), max(m[1], d)
            if until_end and (m[2] is None or d < m[2]):
                m[2] = d
        rows = [(pid, *m) for pid, m in marks.items()]
        if not rows:
            return 0
        open_ended = [r[0] for r in rows if r[3] is not None]
        spans: dict[int, tuple[date, date]] = {}
        for i in range(0, len(open_ended), _BATCH):
            spans.update(_post_span(cur, open_ended[i:i + _BATCH]))
        ranges = {}
        for pid, lo, hi, since in rows:
            # A post's UTC date d is its Warsaw day d or d + 1; a snapshot on day f affects days ≥ f.
            first, last = _to_date(lo), _to_date(hi) + timedelta(days=1)
            if since is not None:
                # (a profile without own posts has nothing to roll up beyond stale rows to clear)
                span = spans.get(pid)
                last = max(last, _to_date(since) if span is None else span[1] + timedelta(days=1))
            ranges[pid] = (first, last)
        _refresh_ranges(cur, ranges)
        return len(rows)


def rebuild(progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Recompute the whole rollup from the posts in one transaction; return {"profiles", "days"}.

    `progress(done, total)` is called after each batch of profiles.
    """
    with transaction.atomic(), connection.cursor() as cur:
        _lock_refresh(cur)
        cur.execute(f"DELETE FROM {QUEUE}")
        cur.execute(f"DELETE FROM {TABLE}")
        cur.execute(f"DELETE FROM {MONTHS}")
        cur.execute("SELECT DISTINCT profile_id FROM collect_post ORDER BY profile_id")
        ids = [r[0] for r in cur.fetchall()]
        done = 0
        ranges: dict[int, tuple[date, date]] = {}
        for i in range(0, len(ids), _BATCH):
            for pid, (lo, hi) in _post_span(cur, ids[i:i + _BATCH]).items():
                ranges[pid] = (lo, hi + timedelta(days=1))
        # Refresh in batches of profiles that share a span of whole months (few groups, exact bounds).
        months = {pid: (lo.replace(day=1), _month_end(hi)) for pid, (lo, hi) in ranges.items()}

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, len(months))

        _refresh_ranges(cur, months, step)
        cur.execute(f"SELECT COUNT(*) FROM {TABLE}")
        days = cur.fetchone()[0]
    return {"profiles": len(months), "days": days}


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def check(profile_ids: Sequence[int] | None = None) -> list[str]:
    """Compare the rollup with the posts (after refreshing the queue); return one sentence per
    differing profile-day (empty: they agree)."""
    from ratusz.metrics import metrics

    refresh_pending()
    with transaction.atomic(), connection.cursor() as cur:
        if profile_ids is None:
            cur.execute(f"SELECT profile_id FROM collect_post UNION SELECT profile_id FROM {TABLE}")
            profile_ids = sorted(r[0] for r in cur.fetchall())
        diffs: list[str] = []
        cols = ["day", *SUM_COLUMNS, "followers", "rate", "unknown"]
        for i in range(0, len(profile_ids), _BATCH):
            chunk = list(profile_ids[i:i + _BATCH])
            spans = _post_span(cur, chunk)
            marks = ", ".join(["%s"] * len(chunk))
            cur.execute(f"SELECT profile_id, {', '.join(cols)} FROM {TABLE} WHERE profile_id IN ({marks})", chunk)
            stored = {(r[0], str(r[1])): r[2:] for r in cur.fetchall()}
            fresh = {}
            for pid, (lo, hi) in spans.items():
                cte, params = metrics._post_days_cte(lo, hi + timedelta(days=1), "pr.id = %s")
                cur.execute(f"WITH {cte} SELECT profile_id, day, {', '.join(SUM_COLUMNS)}, followers_day, rate, unknown"
                            " FROM pd", [*params, pid])
                fresh.update({(r[0], str(r[1])): r[2:] for r in cur.fetchall()})
            for key in sorted(set(stored) | set(fresh)):
                a, b = stored.get(key), fresh.get(key)
                if a is None or b is None or not _same(a, b):
                    diffs.append(f"profil {key[0]}, dzień {key[1]}: w zestawieniu {_short(a)}, z postów {_short(b)}")
            month_cols = [*SUM_COLUMNS, "rate_sum", "post_days", "unknown_days"]
            cur.execute(f"SELECT profile_id, month, {', '.join(month_cols)} FROM {MONTHS} WHERE profile_id IN ({marks})",
                        chunk)
            stored = {(r[0], str(r[1])): r[2:] for r in cur.fetchall()}
            sums = ", ".join(f"{metrics._itotal(c)}" for c in SUM_COLUMNS)
            cur.execute(f"SELECT profile_id, {month_sql('day')}, {sums}, SUM(CASE WHEN unknown = 0 THEN rate END),"
                        f" COUNT(*), {metrics._itotal('unknown')} FROM {TABLE} WHERE profile_id IN ({marks})"
                        f" GROUP BY profile_id, {month_sql('day')}", chunk)
            fresh = {(r[0], str(r[1])): r[2:] for r in cur.fetchall()}
            for key in sorted(set(stored) | set(fresh)):
                a, b = stored.get(key), fresh.get(key)
                if a is None or b is None or not _same(a, b):
                    diffs.append(f"profil {key[0]}, miesiąc {key[1][:7]}: w zestawieniu {_short(a)}, "
                                 f"z dni {_short(b)}")
    return diffs


def _same(a: Sequence[Any], b: Sequence[Any]) -> bool:
    for x, y in zip(a, b, strict=True):
        if x is None or y is None:
            if x is not y:
                return False
        elif abs(float(x) - float(y)) > 1e-9 * max(1.0, abs(float(y))):
            return False
    return True


def _short(row: Sequence[Any] | None) -> str:
    if row is None:
        return "brak wiersza"
    return "posty " + str(row[0]) + ", interakcje " + str(row[SUM_COLUMNS.index("interactions")])
