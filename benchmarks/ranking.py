"""Ranking benchmark: a national dataset ranked on SQLite and PostgreSQL, against DuckDB over Parquet.

    python -m benchmarks ranking                      # 6,000 profiles × 12 months (~3 million posts)
    python -m benchmarks ranking --profiles 300       # a quick run (~160,000 posts)
    python -m benchmarks ranking --db postgresql --repeat 5

Steps (the dataset is cached under var/bench/, so a second run only measures):
1. the demo generator (`ratusz demo --profiles N --no-comments --end-date 2025-12-31 --seed S`) fills a
   SQLite file (all 2,875 units, N profiles with daily follower snapshots, 12 months of posts); a cached
   file is migrated, and the daily rollup is rebuilt from its posts (`ratusz metrics rollup --rebuild`,
   timed: "rollup built in N s");
2. the same rows (and the rollup) are copied (COPY) into a PostgreSQL database created for the run and
   dropped after it (postgresql://postgres@127.0.0.1:5432/ratusz_bench_ranking), then VACUUM ANALYZE;
3. the posts, follower snapshots, profiles and units are exported to Parquet, and DuckDB computes the
   same per-profile aggregates (posts, interactions, daily engagement rates with the same
   followers-at-posting rule, followers at the end) and the same ordering — its results are checked
   against ratusz's, profile by profile;
4. each database runs `ratusz.metrics.ranking.compute_ranking` for every category (national, all
   platforms, period 2025-01-01..2025-12-31) in a child process: one warm-up ranking, then `--repeat` runs;
   printed: best and median wall seconds, and the ratio to DuckDB's best. ratusz reads its rollup
   (precomputed, maintained on write), DuckDB aggregates the raw posts every time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_DB = "ratusz_bench_ranking"
PERIOD = ("2025-01-01", "2025-12-31")
CATEGORIES = ["active", "love", "region"]
TABLES = ["registry_unit", "registry_profile", "collect_followersnapshot", "collect_post"]
#: Derived tables copied as they are (the source triggers are off during COPY, so nothing is queued).
DERIVED_TABLES = ["metrics_profileday", "metrics_profilemonth"]


def _env(db_url: str) -> dict[str, str]:
    env = dict(os.environ, RATUSZ_DATABASE_URL=db_url, DJANGO_SETTINGS_MODULE="ratusz.settings")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
    return env


def _ratusz(db_url: str, *args: str) -> None:
    exe = Path(sys.executable).with_name("ratusz")
    cmd = [str(exe), *args] if exe.exists() else [sys.executable, "-m", "ratusz.cli", *args]
    subprocess.run(cmd, env=_env(db_url), check=True, cwd=ROOT)


def build_sqlite(path: Path, profiles: int, seed: int) -> None:
    """Create the SQLite dataset with the demo generator (skipped when the file is complete)."""
    marker = path.with_suffix(".done")
    if path.exists() and marker.exists():
        print(f"dataset: reusing {path}", flush=True)
        return
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), marker):
        p.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    t = time.perf_counter()
    _ratusz(url, "migrate")
    _ratusz(url, "registry", "load")
    _ratusz(url, "demo", "--profiles", str(profiles), "--no-comments", "--end-date", PERIOD[1], "--seed", str(seed),
            "--months", "12")
    marker.write_text("ok")
    print(f"dataset: generated in {time.perf_counter() - t:.0f} s", flush=True)


def migrate_and_rollup(path: Path) -> None:
    """Migrate the cached SQLite file to the current code, then rebuild its daily rollup (timed)."""
    url = f"sqlite:///{path}"
    t = time.perf_counter()
    _ratusz(url, "migrate")
    print(f"dataset: migrated in {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    _ratusz(url, "metrics", "rollup", "--rebuild")
    print(f"rollup built in {time.perf_counter() - t:.1f} s (SQLite, wall, including ~1 s of process start)",
          flush=True)


def _sqlite_counts(path: Path) -> dict[str, int]:
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES + DERIVED_TABLES}
    finally:
        con.close()


def build_postgres(path: Path) -> str:
    """Create the PostgreSQL bench database, migrate it and COPY the SQLite rows into it; return its URL."""
    import sqlite3

    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
        admin.execute(f"CREATE DATABASE {PG_DB}")
    url = f"{PG_SERVER}/{PG_DB}"
    _ratusz(url, "migrate")
    t = time.perf_counter()
    src = sqlite3.connect(path)
    with psycopg.connect(url) as pg:
        pg.execute("SET TIME ZONE 'UTC'")
        pg.execute("SET session_replication_role = replica")  # no triggers: the rollup is copied too
        for table in TABLES + DERIVED_TABLES:
            pg_cols = [r[0] for r in pg.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
                [table]).fetchall()]
            src_cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
            cols = [c for c in src_cols if c in pg_cols]
            pg.execute(f"TRUNCATE {table} CASCADE")
            if table == "registry_profile":
                pg.execute("TRUNCATE metrics_rollupqueue")
            cur = src.execute(f"SELECT {', '.join(cols)} FROM {table}")
            with pg.cursor().copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
                while batch := cur.fetchmany(20_000):
                    for row in batch:
                        copy.write_row(row)
            if "id" in cols:
                pg.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}")
        pg.commit()
    src.close()
    with psycopg.connect(url, autocommit=True) as pg:
        pg.execute("VACUUM ANALYZE")
    print(f"postgresql: copied in {time.perf_counter() - t:.0f} s", flush=True)
    return url


def export_parquet(path: Path, folder: Path) -> None:
    """Export the rows a ranking reads to Parquet files (posts, followers, profiles, units)."""
    import sqlite3

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path)
    queries = {
        "posts": "SELECT id, profile_id, published_at, format, is_own, reactions_total, reactions_like, reactions_love,"
                 " reactions_care, reactions_haha, reactions_wow, reactions_sad, reactions_angry, comments_count,"
                 " shares_count, followers_at_posting FROM collect_post",
        "followers": "SELECT profile_id, date, followers, fans FROM collect_followersnapshot",
        "profiles": "SELECT id, name, platform, role, active, unit_id FROM registry_profile",
        "units": "SELECT teryt, name, level, kind, woj_code, woj_name, size_class FROM registry_unit",
    }
    import datetime as dt

    converters = {
        "published_at": dt.datetime.fromisoformat,
        "date": dt.date.fromisoformat,
        "is_own": bool,
        "active": bool,
    }
    for name, sql in queries.items():
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description]
        writer = None
        while rows := cur.fetchmany(200_000):
            arrays = {}
            for i, c in enumerate(cols):
                conv = converters.get(c)
                arrays[c] = [None if r[i] is None else conv(r[i]) for r in rows] if conv else [r[i] for r in rows]
            schema = pa.schema([(c, _arrow_type(pa, c)) for c in cols])
            table = pa.table(arrays, schema=schema)
            if writer is None:
                writer = pq.ParquetWriter(folder / f"{name}.parquet", schema)
            writer.write_table(table)
        if writer is not None:
            writer.close()
    con.close()


def _arrow_type(pa: Any, column: str) -> Any:
    if column == "published_at":
        return pa.timestamp("us")
    if column == "date":
        return pa.date32()
    if column in ("is_own", "active"):
        return pa.bool_()
    if column in ("format", "name", "platform", "role", "unit_id", "teryt", "level", "kind", "woj_code", "woj_name",
                  "size_class"):
        return pa.string()
    return pa.int64()


def _dst_ranges(first_year: int, last_year: int) -> list[tuple[Any, Any]]:
    """UTC intervals of summer time in Europe/Warsaw (EU rule), as in ratusz.metrics.metrics."""
    from datetime import date, datetime, time, timedelta

    def last_sunday(year: int, month: int) -> date:
        d = date(year, month, 31)
        return d - timedelta(days=(d.weekday() + 1) % 7)

    return [(datetime.combine(last_sunday(y, 3), time(1)), datetime.combine(last_sunday(y, 10), time(1)))
            for y in range(first_year, last_year + 1)]


def _duckdb_sql(folder: Path, category: str) -> str:
    whens = " ".join(
        f"WHEN p.published_at >= TIMESTAMP '{a:%Y-%m-%d %H:%M:%S}' AND p.published_at < TIMESTAMP '{b:%Y-%m-%d %H:%M:%S}'"
        " THEN INTERVAL 2 HOUR" for a, b in _dst_ranges(2024, 2026)
    )
    reactions = ("COALESCE(p.reactions_total, p.reactions_like + p.reactions_love + p.reactions_care + p.reactions_haha"
                 " + p.reactions_wow + p.reactions_sad + p.reactions_angry)")
    level = "AND u.level IN ('wojewodztwo', 'powiat')" if category == "region" else ""
    order = ("posts DESC, interactions DESC NULLS LAST, profile_id" if category == "active" else
             "engagement DESC NULLS LAST, ipp1000 DESC NULLS LAST, interactions DESC NULLS LAST, profile_id")
    eligible = ("posts >= 1" if category == "active" else
                "posts >= 10 AND followers_end >= 500 AND engagement IS NOT NULL")
    f = folder.as_posix()
    return f"""
    WITH prof AS (
      SELECT pr.id, u.level FROM '{f}/profiles.parquet' pr LEFT JOIN '{f}/units.parquet' u ON u.teryt = pr.unit_id
      WHERE pr.active {level}
    ),
    pp AS (
      SELECT p.profile_id, CAST(p.published_at + CASE {whens} ELSE INTERVAL 1 HOUR END AS DATE) AS day,
             {reactions} AS reactions, p.comments_count AS comments, p.shares_count AS shares,
             {reactions} + p.comments_count + p.shares_count AS interactions, p.followers_at_posting AS fap
      FROM '{f}/posts.parquet' p JOIN prof ON prof.id = p.profile_id
      WHERE p.is_own AND p.published_at >= TIMESTAMP '2024-12-31 23:00:00' AND p.published_at < TIMESTAMP '2025-12-31 23:00:00'
    ),
    pg AS (
      SELECT profile_id, day, COUNT(*) AS posts, SUM(reactions) AS reactions, SUM(comments) AS comments,
             SUM(shares) AS shares, SUM(interactions) AS interactions, COUNT(interactions) AS pwi,
             SUM(CASE WHEN fap > 0 THEN interactions::DOUBLE / fap END) AS rate_own,
             SUM(CASE WHEN fap IS NULL THEN interactions END) AS inter_day,
             SUM(CASE WHEN fap IS NULL THEN 1 ELSE 0 END) AS posts_day,
             SUM(CASE WHEN interactions IS NULL OR fap = 0 THEN 1 ELSE 0 END) AS unknown_posts
      FROM pp GROUP BY profile_id, day
    ),
    fs AS (SELECT profile_id, date, followers FROM '{f}/followers.parquet' WHERE followers IS NOT NULL),
    pd AS (
      SELECT pg.*, CASE WHEN unknown_posts > 0 OR (posts_day > 0 AND COALESCE(fs.followers, 0) = 0) THEN NULL
                        ELSE COALESCE(rate_own, 0) + COALESCE(inter_day::DOUBLE / fs.followers, 0) END AS rate
      FROM pg ASOF LEFT JOIN fs ON fs.profile_id = pg.profile_id AND pg.day >= fs.date
    ),
    agg AS (
      SELECT profile_id, SUM(posts) AS posts, SUM(reactions) AS reactions, SUM(comments) AS comments,
             SUM(shares) AS shares, SUM(interactions) AS interactions, SUM(pwi) AS pwi, SUM(rate) AS rate_sum,
             COUNT(*) AS post_days, COUNT(*) - COUNT(rate) AS unknown_days
      FROM pd GROUP BY profile_id
    ),
    fend AS (
      SELECT profile_id, arg_max(followers, date) AS followers_end FROM fs WHERE date <= DATE '2025-12-31'
      GROUP BY profile_id
    ),
    res AS (
      SELECT a.*, fend.followers_end,
             CASE WHEN post_days = unknown_days THEN NULL ELSE rate_sum / (365 - unknown_days) END AS engagement,
             interactions::DOUBLE / NULLIF(pwi, 0) / NULLIF(followers_end, 0) * 1000 AS ipp1000
      FROM agg a LEFT JOIN fend USING (profile_id)
    )
    SELECT profile_id, posts, interactions, engagement FROM res WHERE {eligible} ORDER BY {order}
    """


def time_duckdb(folder: Path, repeat: int) -> tuple[dict[str, list[float]], dict[str, list[tuple]]]:
    """Return DuckDB's wall seconds per category and its ranked rows (profile_id, posts, interactions, engagement)."""
    import duckdb

    con = duckdb.connect()
    times: dict[str, list[float]] = {}
    rows: dict[str, list[tuple]] = {}
    for cat in CATEGORIES:
        sql = _duckdb_sql(folder, cat)
        if not times:
            con.execute(sql).fetchall()  # warm-up: file cache
        times[cat] = []
        for _ in range(repeat):
            t = time.perf_counter()
            rows[cat] = con.execute(sql).fetchall()
            times[cat].append(time.perf_counter() - t)
    return times, rows


def child(argv: list[str]) -> None:
    """In a child process bound to one database: time compute_ranking per category; print JSON."""
    import django

    django.setup()
    from datetime import date

    from django.db import connection

    from ratusz.metrics.ranking import RankingParams, compute_ranking

    repeat = int(argv[argv.index("--repeat") + 1]) if "--repeat" in argv else 3
    out: dict[str, Any] = {"vendor": connection.vendor, "times": {}, "rows": {}}
    start, end = date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1])
    compute_ranking(RankingParams("active", start, end, platform=None))  # warm-up: page cache
    for cat in CATEGORIES:
        params = RankingParams(cat, start, end, platform=None)
        times, cpu = [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            result = compute_ranking(params)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        out["times"][cat] = times
        out.setdefault("cpu", {})[cat] = cpu
        out["rows"][cat] = [[r["profile_id"], r["posts"], r["interactions"], r["engagement"]] for r in result.rows]
    print("RESULT " + json.dumps(out))


def run_child(db_url: str, repeat: int) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "ranking", "--child", "--repeat", str(repeat)],
        env=_env(db_url), cwd=ROOT, capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"child failed on {db_url}:\n{proc.stderr[-3000:]}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


def _compare(ours: list, theirs: list[tuple]) -> str:
    if len(ours) != len(theirs):
        return f"DIFFERENT row counts ({len(ours)} vs {len(theirs)})"
    bad = 0
    for a, b in zip(ours, theirs, strict=True):
        same = a[0] == b[0] and a[1] == b[1] and a[2] == (None if b[2] is None else int(b[2]))
        if a[3] is None or b[3] is None:
            same = same and a[3] is None and b[3] is None
        else:
            same = same and abs(a[3] - b[3]) <= 1e-9 * max(1.0, abs(b[3]))
        bad += not same
    return "identical ranking" if not bad else f"{bad} rows differ"


def main(argv: list[str]) -> None:
    if "--child" in argv:
        child(argv)
        return
    ap = argparse.ArgumentParser(prog="python -m benchmarks ranking", description=__doc__.split("\n")[0])
    ap.add_argument("--profiles", type=int, default=6000, help="profiles in the dataset (6000 ≈ 3 million posts)")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per category after a warm-up")
    ap.add_argument("--db", choices=["both", "sqlite", "postgresql"], default="both")
    ap.add_argument("--keep-postgres", action="store_true", help="keep the PostgreSQL bench database")
    ap.add_argument("--workdir", type=Path, default=ROOT / "var" / "bench")
    args = ap.parse_args(argv)
    sqlite_path = args.workdir / f"ranking-{args.profiles}-{args.seed}.sqlite3"
    build_sqlite(sqlite_path, args.profiles, args.seed)
    migrate_and_rollup(sqlite_path)
    counts = _sqlite_counts(sqlite_path)
    print("dataset: " + ", ".join(f"{t} {n:,}" for t, n in counts.items()), flush=True)
    parquet = args.workdir / f"ranking-{args.profiles}-{args.seed}-parquet"
    if not (parquet / "units.parquet").exists():
        export_parquet(sqlite_path, parquet)
    duck_times, duck_rows = time_duckdb(parquet, args.repeat)
    results: dict[str, dict[str, Any]] = {}
    if args.db in ("both", "sqlite"):
        results["SQLite"] = run_child(f"sqlite:///{sqlite_path}", args.repeat)
    pg_url = None
    if args.db in ("both", "postgresql"):
        pg_url = build_postgres(sqlite_path)
        try:
            results["PostgreSQL"] = run_child(pg_url, args.repeat)
        finally:
            if not args.keep_postgres:
                import psycopg

                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
    print(f"\nranking of {counts['collect_post']:,} posts of {counts['registry_profile']:,} profiles, period "
          f"{PERIOD[0]}..{PERIOD[1]}, all platforms; best (median) of {args.repeat} runs after one warm-up, wall seconds")
    print("ratusz reads its rollup (built once above, kept up to date on every write); DuckDB aggregates the raw "
          "posts in every run")
    header = f"{'category':<10}{'DuckDB':>16}" + "".join(f"{name:>22}{'× DuckDB':>10}" for name in results)
    print(header)
    for cat in CATEGORIES:
        d = min(duck_times[cat])
        line = f"{cat:<10}{d:>9.3f} ({statistics.median(duck_times[cat]):.3f})"
        for res in results.values():
            t = res["times"][cat]
            line += f"{min(t):>15.3f} ({statistics.median(t):.3f}){min(t) / d:>10.1f}"
        print(line)
    for name, res in results.items():
        cpu = ", ".join(f"{cat} {min(res['cpu'][cat]):.3f}" for cat in CATEGORIES)
        print(f"{name}: CPU seconds of the ratusz process (best) — {cpu}"
              + (" (PostgreSQL's own work runs in the server, not counted)" if name == "PostgreSQL" else ""))
    print(f"load average during the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    for name, res in results.items():
        checks = ", ".join(f"{cat}: {_compare(res['rows'][cat], duck_rows[cat])}" for cat in CATEGORIES)
        print(f"{name} vs DuckDB rows — {checks}")
