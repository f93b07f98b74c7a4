"""The metrics of the published method (see `definitions.py`), aggregated in the database.

Every figure is computed by SQL that runs unchanged on SQLite and PostgreSQL; Python only derives
ratios from the per-profile (or per-day) aggregates the database returns, never loops over posts.

Missing data rules (the method's rules, stated in `definitions.py`):
- a post figure with an unknown input is unknown (SQL NULL arithmetic: like + NULL is NULL);
- a profile sum runs over the posts whose value is known, with the number of posts it covers;
  it is unknown when no post has it known (a profile without posts has 0 — nothing was published);
- a day whose posts have an unknown engagement rate is left out of the period's mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection

from ratusz.collect.models import REACTION_TYPES
from ratusz.metrics.definitions import (
    CALENDAR_TZ,
    MATURE_AGE_DAYS,
    OVERPERFORMANCE_WINDOW,
    PPI_TOP_SHARE,
    TEXT_FORMATS,
)

WARSAW = ZoneInfo(CALENDAR_TZ)

# --- SQL building blocks (alias p = collect_post) -------------------------------------------------

REACTIONS_SQL = (
    "COALESCE(p.reactions_total, " + " + ".join(f"p.reactions_{t}" for t in REACTION_TYPES) + ")"
)
INTERACTIONS_SQL = f"({REACTIONS_SQL} + p.comments_count + p.shares_count)"
MOOD_NUM_SQL = (
    "(p.reactions_love + p.reactions_care + p.reactions_haha + p.reactions_wow"
    " - p.reactions_angry - p.reactions_sad)"
)
MOOD_DEN_SQL = f"({REACTIONS_SQL} - p.reactions_like)"
IS_TEXT_SQL = "CASE WHEN p.format IN (" + ", ".join(f"'{f}'" for f in TEXT_FORMATS) + ") THEN 1 ELSE 0 END"
# A cheap per-post checksum summed per profile: part of a ranking's input fingerprint, so a changed
# count of any post changes the fingerprint even when the sums happen to stay equal. NULL ≠ 0.
_CHECKSUM_PARTS = ["p.reactions_total", *(f"p.reactions_{t}" for t in REACTION_TYPES), "p.comments_count",
                   "p.shares_count", "p.followers_at_posting"]
_PRIMES = [31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73]
CHECKSUM_SQL = (
    "((((p.id %% 1000003) + 1) * (LENGTH(p.format) * 104729 + "
    + " + ".join(f"COALESCE({c} + 1, 0) * {m}" for c, m in zip(_CHECKSUM_PARTS, _PRIMES, strict=True))
    + ")) %% 2147483647)"
)


def _dst_ranges(first_year: int, last_year: int) -> list[tuple[datetime, datetime]]:
    """Return the UTC intervals of summer time (UTC+2) in Europe/Warsaw for the given years (EU rule)."""

    def last_sunday(year: int, month: int) -> date:
        d = date(year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)

    return [
        (
            datetime.combine(last_sunday(y, 3), time(1)),
            datetime.combine(last_sunday(y, 10), time(1)),
        )
        for y in range(first_year, last_year + 1)
    ]


def local_date_sql(column: str, first_year: int, last_year: int) -> str:
    """Return SQL for the Europe/Warsaw calendar date of a UTC timestamp column.

    PostgreSQL converts natively; on SQLite (which stores UTC text) the summer-time offset comes from
    the EU rule for the years of the period — no Python function is called per row.
    """
    if connection.vendor == "postgresql":
        return f"(({column}) AT TIME ZONE '{CALENDAR_TZ}')::date"
    # Local midnight is 22:00 UTC in summer time and 23:00 UTC otherwise: only posts published after it
    # need date arithmetic, the rest keep their UTC date (a cheap substring of the stored text).
    whens = " ".join(
        f"WHEN {column} >= '{a:%Y-%m-%d %H:%M:%S}' AND {column} < '{b:%Y-%m-%d %H:%M:%S}' THEN '22:00:00'"
        for a, b in _dst_ranges(first_year - 1, last_year + 1)
    )
    return (
        f"CASE WHEN substr({column}, 12, 8) >= CASE {whens} ELSE '23:00:00' END"
        f" THEN date({column}, '+1 day') ELSE substr({column}, 1, 10) END"
    )


def followers_at_sql(day_sql: str) -> str:
    """Return SQL for a post's followers at posting: its own figure, else the last snapshot up to that day."""
    return (
        "COALESCE(p.followers_at_posting, (SELECT fs.followers FROM collect_followersnapshot fs"
        " WHERE fs.profile_id = p.profile_id AND fs.followers IS NOT NULL"
        f" AND fs.date <= {day_sql} ORDER BY fs.date DESC LIMIT 1))"
    )


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Return the UTC instants [start 00:00, end+1 00:00) of a Europe/Warsaw period."""
    lo = datetime.combine(start, time(0), WARSAW).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(0), WARSAW).astimezone(UTC)
    return lo, hi


def _dt_param(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _date_param(value: date) -> Any:
    return value if connection.vendor == "postgresql" else value.isoformat()


def _fetch(sql: str, params: Sequence[Any], heavy: bool = False) -> list[dict[str, Any]]:
    """Run a read query; return its rows as dicts. `heavy` queries get more sort/hash memory on
    PostgreSQL (a national ranking from the posts groups millions of them by profile and day); the
    others (the rollup's) run without parallel workers."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # JIT compiling these queries costs up to ~1 s of emission and saves less than it costs.
            cur.execute("SET LOCAL jit = off")
            if heavy:  # not for the rollup: with it the planner hashes every follower snapshot
                cur.execute("SET LOCAL work_mem = '256MB'")
            else:  # tens of thousands of rollup rows: starting parallel workers costs more than it saves
                cur.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cur.execute(sql, list(params))
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --- per-day and per-profile aggregates -----------------------------------------------------------


def _fence(sqlite_only: bool = False) -> str:
    """Return a no-op clause that stops the planner from inlining a subquery (so each computed column,
    e.g. a correlated follower lookup, is evaluated once per row instead of once per reference)."""
    if connection.vendor == "sqlite":
        return "LIMIT -1"
    return "" if sqlite_only else "OFFSET 0"


def _isum(expr: str) -> str:
    """SUM of an integer expression; on PostgreSQL summed as float8 (exact below 2**53, and far faster
    than the numeric that SUM(bigint) returns)."""
    return f"SUM({expr})" if connection.vendor == "sqlite" else f"SUM(CAST({expr} AS DOUBLE PRECISION))"


def _itotal(expr: str) -> str:
    """SUM of integer partial sums, returned as an integer on both databases."""
    return f"SUM({expr})" if connection.vendor == "sqlite" else f"CAST({_isum(expr)} AS BIGINT)"


def _post_days_cte(start: date, end: date, where: str) -> tuple[str, list[Any]]:
    """Return the CTEs `pp` (own posts of the period), `pg` (their sums per profile and Europe/Warsaw
    day) and `pd` (pg with that day's engagement `rate`, None when unknown, and `unknown` = 1 when the
    day's rate is unknown), and their params.

    Followers are looked up once per profile-day (not per post): a post's own followers_at_posting
    wins; the others share the day's last snapshot on or before that day.
    """
    day = local_date_sql("p.published_at", start.year, end.year)
    lo, hi = day_bounds(start, end)
    fence, light_fence = _fence(), _fence(sqlite_only=True)
    reaction_cols = ", ".join(f"p.reactions_{t} AS r_{t}" for t in REACTION_TYPES)
    reaction_sums = ", ".join(f"{_isum(f'r_{t}')} AS r_{t}" for t in REACTION_TYPES)
    pass_cols = ", ".join(["posts", "posts_text", "reactions", *(f"r_{t}" for t in REACTION_TYPES), "comments",
                           "shares", "interactions", "posts_with_interactions", "posts_with_reactions",
                           "posts_with_comments", "posts_with_shares", "mood_num", "mood_den", "checksum"])
    sql = f"""
    pp AS (
      SELECT p.profile_id AS profile_id, {day} AS day, {REACTIONS_SQL} AS reactions, {reaction_cols},
             p.comments_count AS comments, p.shares_count AS shares, {INTERACTIONS_SQL} AS interactions,
             {IS_TEXT_SQL} AS is_text, {MOOD_NUM_SQL} AS mood_num, {MOOD_DEN_SQL} AS mood_den,
             p.followers_at_posting AS fap, {CHECKSUM_SQL} AS checksum
      FROM collect_post p
      WHERE p.is_own AND p.published_at >= %s AND p.published_at < %s AND p.profile_id IN (
        SELECT pr.id FROM registry_profile pr LEFT JOIN registry_unit u ON u.teryt = pr.unit_id WHERE {where})
      {light_fence}
    ),
    pg AS (
      SELECT profile_id, day, COUNT(*) AS posts, SUM(is_text) AS posts_text,
             {_isum("reactions")} AS reactions, {reaction_sums}, {_isum("comments")} AS comments,
             {_isum("shares")} AS shares, {_isum("interactions")} AS interactions,
             COUNT(interactions) AS posts_with_interactions,
             COUNT(reactions) AS posts_with_reactions, COUNT(comments) AS posts_with_comments,
             COUNT(shares) AS posts_with_shares,
             {_isum("CASE WHEN mood_num IS NOT NULL AND mood_den IS NOT NULL THEN mood_num END")} AS mood_num,
             {_isum("CASE WHEN mood_num IS NOT NULL AND mood_den IS NOT NULL THEN mood_den END")} AS mood_den,
             {_isum("checksum")} AS checksum,
             SUM(CASE WHEN fap > 0 THEN CAST(interactions AS DOUBLE PRECISION) / fap END) AS rate_own,
             {_isum("CASE WHEN fap IS NULL THEN interactions END")} AS inter_day,
             SUM(CASE WHEN fap IS NULL THEN 1 ELSE 0 END) AS posts_day,
             SUM(CASE WHEN interactions IS NULL OR fap = 0 THEN 1 ELSE 0 END) AS unknown_posts
      FROM pp GROUP BY profile_id, day
      {light_fence}
    ),
    pf AS (
      SELECT pg.*, CASE WHEN posts_day > 0 THEN COALESCE(fx.followers, (SELECT fs.followers
               FROM collect_followersnapshot fs WHERE fs.profile_id = pg.profile_id AND fs.followers IS NOT NULL
               AND fs.date <= pg.day ORDER BY fs.date DESC LIMIT 1)) END AS followers_day
      FROM pg LEFT JOIN collect_followersnapshot fx ON fx.profile_id = pg.profile_id AND fx.date = pg.day
      {fence}
    ),
    pd AS (
      SELECT profile_id, day, {pass_cols}, followers_day,
             CASE WHEN unknown_posts > 0 OR (posts_day > 0 AND (followers_day IS NULL OR followers_day = 0))
                  THEN NULL
                  ELSE COALESCE(rate_own, 0) + COALESCE(CAST(inter_day AS DOUBLE PRECISION) / followers_day, 0)
             END AS rate,
             CASE WHEN unknown_posts > 0 OR (posts_day > 0 AND (followers_day IS NULL OR followers_day = 0))
                  THEN 1 ELSE 0 END AS unknown
      FROM pf
    )"""
    return sql, [_dt_param(lo), _dt_param(hi)]


_SUM_COLUMNS = ["posts", "posts_text", "reactions", *(f"r_{t}" for t in REACTION_TYPES), "comments", "shares",
                "interactions", "posts_with_interactions", "posts_with_reactions", "posts_with_comments",
                "posts_with_shares", "mood_num", "mood_den", "checksum"]


def _last_snapshot_sql(column: str, op: str, order: str) -> str:
    return (
        f"(SELECT fs.{column} FROM collect_followersnapshot fs WHERE fs.profile_id = pr.id"
        f" AND fs.{column} IS NOT NULL AND {op} ORDER BY fs.date {order} LIMIT 1)"
    )


_last_snapshot_id_sql = ("(SELECT fs.id FROM collect_followersnapshot fs WHERE fs.profile_id = pr.id"
                         " AND fs.date <= %s ORDER BY fs.date DESC LIMIT 1)")


def _whole_months(start: date, end: date) -> tuple[date, date] | None:
    """Return (first, last) month starts of the calendar months lying wholly inside start..end, or None."""
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after = end + timedelta(days=1)
    last_end = after.replace(day=1) - timedelta(days=1)  # end of the last month ending by `end`
    if last_end < first:
        return None
    return first, last_end.replace(day=1)


def _rollup_pieces_cte(start: date, end: date, where: str) -> tuple[str, list[list[Any]]]:
    """Return the CTE `pk` (profile_id, the sum columns, rate_known, n_days, n_unknown) read from the
    rollup: whole months from `metrics_profilemonth`, the other days from `metrics_profileday`; and
    its params (each piece is followed by the where params, so they repeat: see `_pieces_params`)."""
    from ratusz.metrics import rollup

    rollup.refresh_pending()
    profiles = ("profile_id IN (SELECT pr.id FROM registry_profile pr LEFT JOIN registry_unit u"
                f" ON u.teryt = pr.unit_id WHERE {where})")
    cols = ", ".join(_SUM_COLUMNS)
    months = _whole_months(start, end)
    day_ranges = []
    if months is None:
        day_ranges.append((start, end))
    else:
        if start < months[0]:
            day_ranges.append((start, months[0] - timedelta(days=1)))
        after_last = rollup._month_end(months[1]) + timedelta(days=1)
        if after_last <= end:
            day_ranges.append((after_last, end))
    parts: list[str] = []
    params: list[list[Any]] = []
    for lo, hi in day_ranges:
        parts.append(f"SELECT profile_id, {cols}, CASE WHEN unknown = 0 THEN rate END AS rate_known, 1 AS n_days,"
                     f" unknown AS n_unknown FROM metrics_profileday WHERE day >= %s AND day <= %s AND {profiles}")
        params.append([_date_param(lo), _date_param(hi)])
    if months is not None:
        parts.append(f"SELECT profile_id, {cols}, rate_sum AS rate_known, post_days AS n_days,"
                     f" unknown_days AS n_unknown FROM metrics_profilemonth WHERE month >= %s AND month <= %s"
                     f" AND {profiles}")
        params.append([_date_param(months[0]), _date_param(months[1])])
    return "pk AS (" + " UNION ALL ".join(parts) + ")", params


def _pieces_params(piece_params: list[list[Any]], where_params: Sequence[Any]) -> list[Any]:
    return [v for piece in piece_params for v in (*piece, *where_params)]


def _post_pieces_cte(start: date, end: date, where: str) -> tuple[str, list[list[Any]]]:
    """Return `_post_days_cte` followed by `pk` (the same columns as `_rollup_pieces_cte`'s) over it."""
    cte, params = _post_days_cte(start, end, where)
    cols = ", ".join(_SUM_COLUMNS)
    return (cte + f""",
    pk AS (SELECT profile_id, {cols}, CASE WHEN unknown = 0 THEN rate END AS rate_known, 1 AS n_days,
           unknown AS n_unknown FROM pd)""", [params])


#: Where profile figures come from: the daily rollup (default) or the posts themselves (checks).
SOURCES = ("rollup", "posts")


def _days_cte(start: date, end: date, where: str, source: str) -> tuple[str, list[Any]]:
    """Return the CTE `pd` (one row per profile and day with posts) from the rollup or the posts."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    if source == "posts":
        return _post_days_cte(start, end, where)
    from ratusz.metrics import rollup

    rollup.refresh_pending()
    sql = f"""
    pd AS (
      SELECT d.profile_id, d.day, {", ".join(f"d.{c}" for c in _SUM_COLUMNS)}, d.rate, d.unknown
      FROM metrics_profileday d
      WHERE d.day >= %s AND d.day <= %s AND d.profile_id IN (
        SELECT pr.id FROM registry_profile pr LEFT JOIN registry_unit u ON u.teryt = pr.unit_id WHERE {where})
    )"""
    return sql, [_date_param(start), _date_param(end)]


def aggregate_profiles(start: date, end: date, where: str = "1 = 1", params: Sequence[Any] = (),
                       source: str = "rollup") -> list[dict]:
    """Return one dict per profile matching `where` (SQL on aliases pr = profile, u = unit) with the
    period's sums (posts, reactions by type, comments, shares, interactions, coverage counts), the
    sum of known daily engagement rates, followers and fans at the period's ends, and a checksum.

    `source` "rollup" reads the daily rollup (`metrics_profileday`), "posts" re-derives the same
    figures from the post rows. Rows are ordered by profile id; metrics are derived by `derive`.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    pieces = _rollup_pieces_cte if source == "rollup" else _post_pieces_cte
    cte, piece_params = pieces(start, end, where)
    cte_params = _pieces_params(piece_params, params)
    sums = ", ".join(f"{_itotal(c)} AS {c}" for c in _SUM_COLUMNS)
    agg_cols = ", ".join(f"a.{c}" for c in _SUM_COLUMNS)
    sql = f"""
    WITH {cte},
    agg AS (
      SELECT profile_id, {sums},
             SUM(rate_known) AS rate_sum,
             {_itotal("n_days")} AS post_days, {_itotal("n_unknown")} AS unknown_days
      FROM pk GROUP BY profile_id
    )
    SELECT pr.id AS profile_id, pr.name AS name, pr.platform AS platform, pr.role AS role,
           u.teryt AS teryt, u.name AS unit_name, u.level AS level, u.kind AS kind, u.woj_name AS voivodeship,
           u.size_class AS size_class, u.population AS population,
           {agg_cols}, a.rate_sum, a.post_days, a.unknown_days,
           COALESCE(se.followers, {_last_snapshot_sql("followers", "fs.date <= %s", "DESC")}) AS followers_end,
           COALESCE(se.fans, {_last_snapshot_sql("fans", "fs.date <= %s", "DESC")}) AS fans_end,
           COALESCE(ss.followers, {_last_snapshot_sql("followers", "fs.date <= %s", "DESC")},
                    {_last_snapshot_sql("followers", "fs.date >= %s AND fs.date <= %s", "ASC")}
           ) AS followers_before_start
    FROM registry_profile pr
    LEFT JOIN registry_unit u ON u.teryt = pr.unit_id
    LEFT JOIN agg a ON a.profile_id = pr.id
    LEFT JOIN collect_followersnapshot se ON se.id = {_last_snapshot_id_sql}
    LEFT JOIN collect_followersnapshot ss ON ss.id = {_last_snapshot_id_sql}
    WHERE ({where})
    ORDER BY pr.id"""
    d_end, d_start = _date_param(end), _date_param(start)
    # The last snapshot on/before a day usually has every figure: one index probe each for the period's
    # end and start; COALESCE (lazy on both databases) looks further back only for a missing figure.
    all_params = [*cte_params, d_end, d_end, d_start, d_start, d_end, d_end, d_start, *params]
    return [derive(r, start, end) for r in _fetch(sql, all_params, heavy=source == "posts")]


def _num(value: Any) -> Any:
    """Return ints as int and Decimals/floats as float (PostgreSQL SUM returns Decimal)."""
    t = type(value)
    if value is None or t is int or t is float:  # the common case first: a ranking derives 100,000s
        return value
    if isinstance(value, int | float):
        return value
    f = float(value)
    return int(f) if f.is_integer() else f


_TEXT_KEYS = frozenset(("name", "platform", "role", "teryt", "unit_name", "level", "kind", "voivodeship",
                        "size_class"))


def derive(row: dict[str, Any], start: date, end: date) -> dict[str, Any]:
    """Return the row with every profile metric of the method derived from its period aggregates.

    Units: engagement and growth are fractions (0.0123 = 1.23 %); counts are integers.
    """
    r = {k: v if k in _TEXT_KEYS else _num(v) for k, v in row.items()}
    days = (end - start).days + 1
    posts = r.get("posts") or 0
    r["posts"] = posts
    if posts == 0:
        # Nothing published: the sums are truly 0, not unknown.
        for c in _SUM_COLUMNS:
            if c not in ("mood_num", "mood_den"):
                r[c] = 0
        r["post_days"] = r["unknown_days"] = 0
        r["rate_sum"] = 0.0
    r["days"] = days
    r["posts_per_day"] = posts / days
    r["media_posts"] = posts - (r.get("posts_text") or 0)
    r["reactions_by_type"] = {t: r.pop(f"r_{t}") for t in REACTION_TYPES}
    followers = r.get("followers_end")
    r["followers"] = followers
    # Profile engagement: mean over the period's days of the daily rate; days without posts count 0,
    # days with an unknown rate are left out of the mean.
    known_days = days - (r.get("unknown_days") or 0)
    if posts == 0:
        r["engagement"] = 0.0 if followers else None
    elif (r.get("post_days") or 0) == (r.get("unknown_days") or 0) or known_days <= 0:
        r["engagement"] = None
    else:
        r["engagement"] = float(r["rate_sum"] or 0.0) / known_days
    pwi = r.get("posts_with_interactions") or 0
    r["interactions_per_post"] = r["interactions"] / pwi if pwi and r.get("interactions") is not None else None
    r["interactions_per_post_per_1000"] = (
        r["interactions_per_post"] / followers * 1000
        if r["interactions_per_post"] is not None and followers
        else None
    )
    parts = (r.get("reactions"), r.get("comments"), r.get("shares"))
    r["sii"] = (
        None
        if any(v is None for v in parts)
        else parts[0] + 4 * parts[1] + 8 * (r.get("posts_text") or 0) + 12 * r["media_posts"] + 16 * parts[2]
    )
    fans = r.get("fans_end") or followers
    r["sii_relative"] = r["sii"] / fans * 1000 if r["sii"] is not None and fans else None
    f0 = r.get("followers_before_start")
    if f0 is None:
        f0 = r.get("followers_first_in_period")
    r["followers_start"] = f0
    r["follower_growth"] = (
        (followers / f0) ** (7 / days) - 1 if f0 and followers is not None else None
    )
    num, den = r.pop("mood_num", None), r.pop("mood_den", None)
    r["reaction_mood"] = num / den if num is not None and den else None
    for k in ("followers_before_start", "followers_first_in_period", "rate_sum", "posts_text"):
        r.pop(k, None)
    return r


# --- percentiles and the Page Performance Index ---------------------------------------------------


def percentile(value: float | None, population: Sequence[float | None]) -> float | None:
    """Return the share (0–1) of the known population values that are ≤ value; None when unknown."""
    known = [v for v in population if v is not None]
    if value is None or not known:
        return None
    return sum(1 for v in known if v <= value) / len(known)


def capped(p: float | None, top_share: float = PPI_TOP_SHARE) -> float | None:
    """Return a percentile rescaled so that the top `top_share` of profiles reach 1.0 (100 %)."""
    return None if p is None else min(1.0, p / (1.0 - top_share))


def add_ppi(rows: list[dict[str, Any]]) -> None:
    """Add engagement/growth percentiles (0–1, capped) and the Page Performance Index (0–100) in place.

    The comparison set is `rows` itself (profiles whose engagement or growth is unknown get None).
    """
    eng = sorted(r["engagement"] for r in rows if r.get("engagement") is not None)
    gro = sorted(r["follower_growth"] for r in rows if r.get("follower_growth") is not None)
    import bisect

    for r in rows:
        e = r.get("engagement")
        g = r.get("follower_growth")
        ep = capped(bisect.bisect_right(eng, e) / len(eng)) if e is not None else None
        gp = capped(bisect.bisect_right(gro, g) / len(gro)) if g is not None else None
        r["engagement_percentile"] = ep
        r["growth_percentile"] = gp
        r["ppi"] = math.sqrt(ep * gp) * 100 if ep is not None and gp is not None else None


# --- one profile ----------------------------------------------------------------------------------


def _clip_today(start: date, end: date) -> tuple[date, date]:
    """Return the period with its end clipped to today; raise RatuszError for an empty or future period."""
    from ratusz.errors import RatuszError

    today = datetime.now(WARSAW).date()
    if end < start:
        raise RatuszError(f"Okres {start}..{end} jest pusty: koniec jest przed początkiem; zamień daty miejscami.")
    if start > today:
        raise RatuszError(f"Okres {start}..{end} jest w przyszłości (dziś jest {today}): nie ma jeszcze danych.")
    return start, min(end, today)


def profile_summary(profile: Any, start: date, end: date, source: str = "rollup") -> dict[str, Any]:
    """Return the profile's metrics for the period (Europe/Warsaw days; the end is clipped to today).

    Keys: posts, posts_per_day, interactions, reactions, reactions_by_type, comments, shares,
    engagement (fraction per day), interactions_per_post_per_1000, sii, sii_relative, follower_growth
    (weekly fraction), reaction_mood (−1…1), followers, coverage counts, and `missing`: sentences
    saying which figures are unknown and why.
    """
    start, end = _clip_today(start, end)
    pid = getattr(profile, "pk", profile)
    rows = aggregate_profiles(start, end, "pr.id = %s", [pid], source=source)
    r = rows[0] if rows else {}
    r["period_start"], r["period_end"] = start, end
    r["missing"] = missing_notes(r)
    return r


def missing_notes(r: dict[str, Any]) -> list[str]:
    """Return Polish sentences explaining which of a profile's figures are unknown and why."""
    notes = []
    if r.get("followers") is None and r.get("engagement") is not None:
        # Posts can carry their own followers at posting (imports such as the UCI file): engagement is
        # known then, only the figures that need a follower count at the period's end are not.
        notes.append(
            "Brak stanów obserwujących profilu do końca okresu: zaangażowanie liczymy z liczby "
            "obserwujących zapisanej przy postach (w chwili publikacji), ale liczby obserwujących, "
            "interakcji na post na 1000 obserwujących, względnego indeksu Sotrendera i przyrostu "
            "obserwujących nie da się policzyć (zbierz lub zaimportuj stany obserwujących)."
        )
    elif r.get("followers") is None:
        notes.append(
            "Brak stanów obserwujących profilu do końca okresu, a posty nie mają liczby obserwujących "
            "z chwili publikacji: zaangażowania i wskaźników na 1000 obserwujących nie da się policzyć "
            "(zbierz lub zaimportuj liczbę obserwujących)."
        )
    elif r.get("engagement") is None and r.get("posts"):
        notes.append(
            "Żaden dzień z postami nie ma znanej liczby obserwujących lub interakcji: zaangażowanie nieznane."
        )
    pwi = r.get("posts_with_interactions") or 0
    if r.get("posts") and pwi < r["posts"]:
        notes.append(
            f"{r['posts'] - pwi} z {r['posts']} postów ma nieznane liczniki reakcji, komentarzy lub "
            "udostępnień: ich interakcje nie wchodzą do sum."
        )
    return notes


def profile_days(profile: Any, start: date, end: date, source: str = "rollup") -> list[dict[str, Any]]:
    """Return one dict per Europe/Warsaw day of the period with that day's posts, interactions and parts,
    engagement rate (fraction; 0 on a day without posts when followers are known; None when unknown)
    and reaction mood parts. Days without posts are included."""
    start, end = _clip_today(start, end)
    pid = getattr(profile, "pk", profile)
    cte, params = _days_cte(start, end, "pr.id = %s", source)
    cols = ", ".join(f"pd.{c}" for c in _SUM_COLUMNS)
    rows = _fetch(f"WITH {cte} SELECT pd.day, pd.rate, pd.unknown, {cols} FROM pd ORDER BY pd.day",
                  [*params, pid])
    by_day = {
        _as_date(r["day"]): {k: (None if v is None else int(v)) if k in _SUM_COLUMNS else _num(v)
                             for k, v in r.items() if k != "day"}
        for r in rows
    }
    first_snapshot = _fetch(
        "SELECT MIN(date) AS d FROM collect_followersnapshot WHERE profile_id = %s AND followers IS NOT NULL",
        [pid],
    )[0]["d"]
    first_snapshot = _as_date(first_snapshot) if first_snapshot else None
    out = []
    d = start
    while d <= end:
        r = by_day.get(d)
        if r is None:
            known = first_snapshot is not None and first_snapshot <= d
            out.append({"day": d, "posts": 0, "interactions": 0, "reactions": 0, "comments": 0, "shares": 0,
                        "reactions_by_type": dict.fromkeys(REACTION_TYPES, 0),
                        "engagement": 0.0 if known else None, "mood_num": None, "mood_den": None})
        else:
            out.append({
                "day": d, "posts": r["posts"], "interactions": r["interactions"], "reactions": r["reactions"],
                "comments": r["comments"], "shares": r["shares"],
                "reactions_by_type": {t: r[f"r_{t}"] for t in REACTION_TYPES},
                "engagement": float(r["rate"]) if r["unknown"] == 0 and r["rate"] is not None else None,
                "mood_num": r["mood_num"], "mood_den": r["mood_den"],
            })
        d += timedelta(days=1)
    return out


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def weekly_series(profile: Any, start: date, end: date) -> list[dict[str, Any]]:
    """Return one dict per week (Monday, Europe/Warsaw) of the period: posts, interactions and parts,
    reactions by type, engagement (mean of the week's known daily rates, fraction) and reaction mood."""
    weeks: dict[date, dict[str, Any]] = {}
    for d in profile_days(profile, start, end):
        w = weeks.setdefault(_monday(d["day"]), {
            "week": _monday(d["day"]), "posts": 0, "interactions": None, "reactions": None, "comments": None,
            "shares": None, "reactions_by_type": dict.fromkeys(REACTION_TYPES), "_rates": [], "_mn": None,
            "_md": None})
        w["posts"] += d["posts"]
        for k in ("interactions", "reactions", "comments", "shares"):
            if d[k] is not None:
                w[k] = (w[k] or 0) + d[k]
        for t, v in d["reactions_by_type"].items():
            if v is not None:
                w["reactions_by_type"][t] = (w["reactions_by_type"][t] or 0) + v
        if d["engagement"] is not None:
            w["_rates"].append(d["engagement"])
        if d["mood_num"] is not None and d["mood_den"] is not None:
            w["_mn"] = (w["_mn"] or 0) + d["mood_num"]
            w["_md"] = (w["_md"] or 0) + d["mood_den"]
    out = []
    for w in weeks.values():
        rates, mn, md = w.pop("_rates"), w.pop("_mn"), w.pop("_md")
        w["engagement"] = sum(rates) / len(rates) if rates else None
        w["mood"] = mn / md if mn is not None and md else None
        out.append(w)
    return out


def weekly_posts(profile: Any, start: date, end: date) -> list[dict[str, Any]]:
    """Return [{"week": Monday date, "posts": int, "interactions": int|None}] for the period's weeks."""
    return [{"week": w["week"], "posts": w["posts"], "interactions": w["interactions"]}
            for w in weekly_series(profile, start, end)]


def interactions_by_type(profile: Any, start: date, end: date) -> dict[str, int | None]:
    """Return the period's interactions by part: each reaction type, "comments", "shares" (None = unknown)."""
    s = profile_summary(profile, start, end)
    return {**s.get("reactions_by_type", {}), "comments": s.get("comments"), "shares": s.get("shares")}


def daily_engagement(profile: Any, start: date, end: date) -> list[dict[str, Any]]:
    """Return [{"day": date, "engagement": fraction or None}] for every day of the period."""
    return [{"day": d["day"], "engagement": d["engagement"]} for d in profile_days(profile, start, end)]


def weekly_engagement(profile: Any, start: date, end: date) -> list[dict[str, Any]]:
    """Return [{"week": Monday, "engagement": mean known daily rate (fraction) or None}]."""
    return [{"week": w["week"], "engagement": w["engagement"]} for w in weekly_series(profile, start, end)]


def reaction_mood_series(profile: Any, start: date, end: date) -> list[dict[str, Any]]:
    """Return [{"week": Monday, "mood": −1…1 or None}]: Σ(love+care+haha+wow−angry−sad) ÷ Σ(reactions−like)
    over the week's posts whose reaction types are all known; None when that denominator is 0."""
    return [{"week": w["week"], "mood": w["mood"]} for w in weekly_series(profile, start, end)]


PEER_METRICS = ["posts", "interactions", "engagement", "interactions_per_post_per_1000", "sii_relative",
                "follower_growth", "ppi"]


def peer_percentiles(profile: Any, start: date, end: date) -> dict[str, Any]:
    """Return the profile's percentile (0–1, share of peers with a value ≤ its own) for each of
    PEER_METRICS among its peers: profiles on the same platform of units with the same level, kind
    and size class. Keys: "peers" (number of compared profiles, itself included), "group" (its
    description) and "metrics": {key: {"value", "percentile", "known"}}."""
    from ratusz.registry.models import Profile

    start, end = _clip_today(start, end)
    p = Profile.objects.select_related("unit").get(pk=getattr(profile, "pk", profile))
    if p.unit is None:
        where, params = "pr.id = %s", [p.pk]
        group = "profil bez jednostki: brak grupy porównawczej"
    else:
        where = "pr.platform = %s AND pr.active AND u.level = %s AND u.kind = %s AND u.size_class = %s"
        params = [p.platform, p.unit.level, p.unit.kind, p.unit.size_class]
        group = f"{p.unit.kind}, klasa wielkości {p.unit.size_class or 'nieznana'}, {p.get_platform_display()}"
    rows = aggregate_profiles(start, end, where, params)
    add_ppi(rows)
    own = next((r for r in rows if r["profile_id"] == p.pk), None)
    if own is None:  # an inactive profile is compared with its active peers
        own = aggregate_profiles(start, end, "pr.id = %s", [p.pk])[0]
        rows.append(own)
        add_ppi(rows)
    metrics = {}
    for key in PEER_METRICS:
        population = [r.get(key) for r in rows]
        metrics[key] = {
            "value": own.get(key),
            "percentile": percentile(own.get(key), population),
            "known": sum(1 for v in population if v is not None),
        }
    return {"peers": len(rows), "group": group, "metrics": metrics}


# --- posts ----------------------------------------------------------------------------------------


def post_rows(profile: Any = None, start: date | None = None, end: date | None = None,
              post_id: int | None = None) -> list[dict[str, Any]]:
    """Return per-post metrics (own posts of a profile in a period, or one post by id), oldest first.

    Keys: id, platform_id, published_at, format, permalink, reactions, reactions_by_type, comments,
    shares, interactions, followers (at posting), er (fraction), reaction_mood (−1…1 or None),
    expected (mean interactions of the profile's previous 100 own posts of the same format),
    expected_posts, overperformance (interactions ÷ expected) and provisional (counts younger than
    7 days or of unknown age).
    """
    from ratusz.collect.models import Post

    if post_id is not None:
        post = Post.objects.only("profile_id", "published_at").get(pk=post_id)
        pid = post.profile_id
        local = post.published_at.astimezone(WARSAW).date()
        start = end = local
        extra, extra_params = "x.id = %s", [post_id]
    else:
        pid = getattr(profile, "pk", profile)
        extra, extra_params = "1 = 1", []
    assert start is not None and end is not None
    lo, hi = day_bounds(start, end)
    day = local_date_sql("p.published_at", start.year, end.year)
    reaction_cols = ", ".join(f"p.reactions_{t} AS r_{t}" for t in REACTION_TYPES)
    sql = f"""
    SELECT x.*, {followers_at_sql(day)} AS followers
    FROM (
      SELECT q.*, AVG(CAST(q.interactions AS DOUBLE PRECISION)) OVER w AS expected,
             COUNT(q.interactions) OVER w AS expected_posts
      FROM (
        SELECT p.id, p.profile_id, p.platform_id, p.published_at, p.format, p.permalink, p.counts_at,
               p.followers_at_posting, {REACTIONS_SQL} AS reactions, {reaction_cols},
               p.comments_count AS comments, p.shares_count AS shares, {INTERACTIONS_SQL} AS interactions,
               {MOOD_NUM_SQL} AS mood_num, {MOOD_DEN_SQL} AS mood_den
        FROM collect_post p WHERE p.profile_id = %s AND p.is_own AND p.published_at < %s
      ) q
      WINDOW w AS (PARTITION BY q.format ORDER BY q.published_at, q.id
                   ROWS BETWEEN {OVERPERFORMANCE_WINDOW} PRECEDING AND 1 PRECEDING)
    ) x
    JOIN collect_post p ON p.id = x.id
    WHERE x.published_at >= %s AND {extra}
    ORDER BY x.published_at, x.id"""
    rows = _fetch(sql, [pid, _dt_param(hi), _dt_param(lo), *extra_params])
    out = []
    for r in rows:
        r = {k: _num(v) if k not in ("platform_id", "format", "permalink", "published_at", "counts_at") else v
             for k, v in r.items()}
        published = _aware(r["published_at"])
        counts_at = _aware(r["counts_at"]) if r["counts_at"] else None
        inter, fol = r["interactions"], r["followers"]
        expected = r["expected"]
        out.append({
            "id": r["id"], "profile_id": r["profile_id"], "platform_id": r["platform_id"],
            "published_at": published, "format": r["format"], "permalink": r["permalink"],
            "reactions": r["reactions"], "reactions_by_type": {t: r[f"r_{t}"] for t in REACTION_TYPES},
            "comments": r["comments"], "shares": r["shares"], "interactions": inter, "followers": fol,
            "er": inter / fol if inter is not None and fol else None,
            "reaction_mood": r["mood_num"] / r["mood_den"] if r["mood_num"] is not None and r["mood_den"] else None,
            "expected": expected, "expected_posts": r["expected_posts"],
            "overperformance": inter / expected if inter is not None and expected else None,
            "provisional": counts_at is None or counts_at - published < timedelta(days=MATURE_AGE_DAYS),
        })
    return out


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def post_metrics(post: Any) -> dict[str, Any]:
    """Return the metrics of one post (see `post_rows` for the keys)."""
    rows = post_rows(post_id=getattr(post, "pk", post))
    return rows[0]


@lru_cache(maxsize=1)
def reaction_types() -> tuple[str, ...]:
    """Return the reaction types counted by the method, in display order."""
    return tuple(REACTION_TYPES)
