"""Import benchmark: a synthetic JSON Lines file into SQLite and PostgreSQL, against a bare bulk insert.

    python -m benchmarks import                       # 1,000,000 posts with 5,000,000 comments, both databases
    python -m benchmarks import --posts 20000         # a quick run
    python -m benchmarks import --posts 100000 --db sqlite --keep-file /tmp/bench.jsonl

Each database runs in a child process (fresh database: a temporary SQLite file; a PostgreSQL database
created and dropped on postgresql://postgres@127.0.0.1:5432/). Printed per database:
- the import: `ratusz.collect.importing.service.import_file(FILE, "jsonl")` end to end (reading, checking,
  pseudonymising, upserting, one transaction), rows per second (rows = posts + count snapshots + comments)
  and the child's peak memory (RSS);
- the limit: the same rows, already built as tuples (building them is not timed), inserted with the same
  driver into the same empty tables in one transaction: sqlite3 `executemany` and multi-row
  `INSERT … VALUES` (what the import uses to append), psycopg `COPY` and psycopg `executemany`;
- the hooks at the end of the import (metrics rollup refresh, scoring queue) and the triggers both run;
- the ratio import speed / bare speed, and the ratio of CPU times (SQLite: the process; PostgreSQL: the
  client process plus the server backend of its connection, read from /proc), steadier on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
WORDS = [
    "gmina",
    "miasto",
    "sesja",
    "rady",
    "remont",
    "drogi",
    "szkoła",
    "zaproszenie",
    "festyn",
    "mieszkańcy",
    "budżet",
    "obywatelski",
    "inwestycja",
    "chodnik",
    "park",
    "biblioteka",
    "koncert",
    "wybory",
    "ogłoszenie",
    "komunikat",
    "utrudnienia",
    "autobus",
    "śmieci",
    "odbiór",
    "harmonogram",
    "dotacja",
    "boisko",
    "przedszkole",
    "ośrodek",
    "zdrowia",
    "wniosek",
    "termin",
]


def generate(path: Path, posts: int, comments_per_post: int, seed: int = 7) -> None:
    """Write a synthetic interchange file: `posts` posts, `comments_per_post` comments each (some replies)."""
    import orjson

    rng = random.Random(seed)
    n_profiles = max(10, posts // 3000)
    profiles = [
        {
            "platform": "facebook",
            "platform_id": str(10_000_000 + i),
            "name": f"Gmina Testowa {i}",
            "role": "official",
        }
        for i in range(n_profiles)
    ]
    sentences = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30))).capitalize() + "." for _ in range(5000)
    ]
    short = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 14))).capitalize() + "?" for _ in range(5000)
    ]
    t0 = time.perf_counter()
    with path.open("wb", buffering=1 << 20) as fh:
        for n in range(posts):
            profile = profiles[n % n_profiles]
            day = 1 + n % 28
            hour = n % 24
            like = rng.randint(0, 500)
            reactions = {
                "like": like,
                "love": like // 5,
                "care": 0,
                "haha": like // 20,
                "wow": 1,
                "sad": 0,
                "angry": like // 50,
            }
            comments = []
            for k in range(comments_per_post):
                cid = f"{n}_{k}"
                if k == 1:
                    parent, author, own = f"{n}_0", f"u{rng.randint(1, 200_000)}", False
                elif k == 2:
                    parent, author, own = f"{n}_0", profile["platform_id"], True
                else:
                    parent, author, own = None, f"u{rng.randint(1, 200_000)}", False
                comments.append(
                    {"platform_id": cid, "parent_id": parent, "author_id": author, "is_from_profile": own,
                     "created_at": f"2025-03-{day:02d}T{hour:02d}:{10 + k:02d}:00+01:00", "text": rng.choice(short),
                     "likes_count": rng.randint(0, 20)}
                )  # fmt: skip
            line = {
                "type": "post", "format_version": 1, "profile": profile, "platform_id": f"{profile['platform_id']}_{n}",
                "published_at": f"2025-03-{day:02d}T{hour:02d}:00:00+01:00", "text": rng.choice(sentences),
                "format": "photo" if n % 3 else "link", "permalink": f"https://www.facebook.com/{profile['platform_id']}/posts/{n}",
                "is_own": True, "reactions": reactions, "reactions_total": sum(reactions.values()),
                "comments_count": comments_per_post, "shares_count": rng.randint(0, 40), "views_count": None,
                "followers_at_posting": None, "counts_at": "2025-04-01T00:00:00Z", "comments": comments,
            }  # fmt: skip
            fh.write(orjson.dumps(line))
            fh.write(b"\n")
    size = path.stat().st_size
    print(
        f"generated {path} ({size / 1e6:.0f} MB, {posts:,} posts, {posts * comments_per_post:,} comments) in {time.perf_counter() - t0:.0f} s",
        flush=True,
    )


# --- child process: one database -------------------------------------------------------------


def _child(
    url: str, file: Path, bare_file: str, pg_bare: str, chunk: int, sqlite_bare: str
) -> dict[str, Any]:
    os.environ["RATUSZ_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        with sqlite3.connect(connection.settings_dict["NAME"]) as src, sqlite3.connect(bare_file) as dst:
            src.backup(dst)  # the empty, migrated schema for the bare insert (WAL included)
    connection.close()

    from ratusz.collect import signals
    from ratusz.collect.importing.service import import_file

    hooks = {"s": 0.0, "cpu": 0.0}
    for signal in (signals.posts_stored, signals.comments_stored):  # what other apps do after the import

        def timed(*args: Any, _send=signal.send, **kwargs: Any) -> Any:
            h0, hc0 = time.perf_counter(), time.process_time()
            try:
                return _send(*args, **kwargs)
            finally:
                hooks["s"] += time.perf_counter() - h0
                hooks["cpu"] += time.process_time() - hc0

        signal.send = timed  # type: ignore[method-assign]
    backend = None
    if vendor == "postgresql":  # the server runs on this machine: its CPU time counts too
        with connection.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            backend = cur.fetchone()[0]
    s0 = _proc_cpu(backend)
    t0, c0 = time.perf_counter(), time.process_time()
    result = import_file(file, "jsonl")
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    server_cpu = _proc_cpu(backend) - s0 if backend else None
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = result.posts + result.snapshots + result.comments
    out: dict[str, Any] = {
        "db": vendor, "posts": result.posts, "comments": result.comments, "snapshots": result.snapshots,
        "rows": rows, "import_s": seconds, "import_rows_per_s": rows / seconds, "peak_rss_mb": rss_mb,
        "import_cpu_s": cpu, "hooks_s": hooks["s"], "hooks_cpu_s": hooks["cpu"],
        "triggers": _triggers(vendor), "import_server_cpu_s": server_cpu,
    }  # fmt: skip
    _progress(
        f"{vendor}: import done: {rows:,} rows in {seconds:.1f} s -> {rows / seconds:,.0f} rows/s, CPU {cpu:.1f} s, "
        f"peak memory {rss_mb:.0f} MB, hooks {hooks['s']:.2f} s; now the bare insert(s)"
    )
    bare = _bare(vendor, file, bare_file, pg_bare, chunk, sqlite_bare)
    out["bare_cpu"] = {k.removeprefix("cpu_"): bare.pop(k) for k in list(bare) if k.startswith("cpu_")}
    for name, secs in bare.items():
        out[f"bare_{name}_s"] = secs
        out[f"bare_{name}_rows_per_s"] = rows / secs
        out[f"ratio_to_{name}"] = (rows / seconds) / (rows / secs)
    return out


def _proc_cpu(pid: int | None) -> float:
    """CPU time (user + system, seconds) of a process of this machine so far (0 when unknown)."""
    if not pid:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _progress(line: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S', time.gmtime())} UTC] {line}", file=sys.stderr, flush=True)


def _triggers(vendor: str) -> list[str]:
    """Names of the triggers on the tables the import writes (they run for the bare insert too)."""
    from django.db import connection

    with connection.cursor() as cur:
        if vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        else:
            cur.execute("SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname")
        return [row[0] for row in cur.fetchall()]


def _bare_chunks(file: Path, chunk: int):
    """Yield (posts, snapshots, comments) row lists, in the tables' column order with explicit ids."""
    from django.db import connection

    from ratusz.collect.importing.formats.jsonl import FORMAT
    from ratusz.collect.importing.records import SourceFile
    from ratusz.collect.importing.textfile import open_text
    from ratusz.collect.importing.writer import ImportWriter

    post_id = comment_id = 0
    with open_text(file) as text:
        source = SourceFile(file, text)
        writer = ImportWriter(source, "jsonl")
        now = writer._dt(writer.now)
        posts: list[tuple] = []
        snaps: list[tuple] = []
        comments: list[tuple] = []
        for rec in FORMAT.records(source, {}):
            pid, platform, profile_pid = writer.profile_id(rec.profile, rec.line)
            post_id += 1
            posts.append((post_id, *writer.post_row(rec, pid)))
            snaps.append((post_id, *writer.snapshot_row(rec, post_id, now)))
            ids: dict[str, int] = {}
            for c in rec.comments:
                comment_id += 1
                ids[c.platform_id] = comment_id
                parent = ids.get(c.parent_id) if c.parent_id else None
                comments.append((comment_id, *writer.comment_row(post_id, platform, profile_pid, c, parent)))
            if len(posts) >= chunk:
                yield posts, snaps, comments
                posts, snaps, comments = [], [], []
        if posts:
            yield posts, snaps, comments
    connection.close()


def _tables():
    from django.db import connection

    from ratusz.collect.importing.writer import (
        COMMENT_FIELDS,
        POST_FIELDS,
        SNAPSHOT_FIELDS,
        _Table,
    )
    from ratusz.collect.models import Comment, Post, PostCountSnapshot

    connection.ensure_connection()
    return [
        _Table(Post, POST_FIELDS, ["profile", "platform_id"]),
        _Table(PostCountSnapshot, SNAPSHOT_FIELDS, ["post", "taken_at"]),
        _Table(Comment, COMMENT_FIELDS, ["post", "platform_id"]),
    ]


def _bare(
    vendor: str, file: Path, bare_file: str, pg_bare: str, chunk: int, sqlite_bare: str = "both"
) -> dict[str, float]:
    from django.db import connection

    tables = _tables()
    profiles = (
        list(connection.cursor().execute("SELECT * FROM registry_profile").fetchall())
        if vendor == "sqlite"
        else []
    )
    cols = [["id", *t.columns] for t in tables]
    names = [t.table for t in tables]
    results: dict[str, float] = {}
    if vendor == "sqlite":
        import sqlite3
        from itertools import chain

        from ratusz.collect.importing.writer import MAX_PARAMS, MAX_ROWS_PER_STATEMENT

        shutil.copyfile(bare_file, bare_file + ".multirow")
        methods = ["executemany", "multirow"] if sqlite_bare == "both" else [sqlite_bare]
        dbs = {}
        for method in methods:  # one empty database each, filled from the same chunks (parsed once)
            db = sqlite3.connect(
                bare_file if method == "executemany" else bare_file + ".multirow", isolation_level=None
            )
            db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
            db.execute("BEGIN")
            db.executemany(
                f"INSERT INTO registry_profile VALUES ({','.join('?' * len(profiles[0]))})", profiles
            )
            db.execute("COMMIT")
            db.execute("BEGIN IMMEDIATE")
            dbs[method] = db
        one = [f'INSERT INTO "{n}" ({",".join(c)}) VALUES ' for n, c in zip(names, cols, strict=True)]
        marks = ["(" + ",".join("?" * len(c)) + ")" for c in cols]
        steps = [max(1, min(MAX_ROWS_PER_STATEMENT, MAX_PARAMS["sqlite"] // len(c))) for c in cols]
        timed = dict.fromkeys(methods, 0.0)
        cpu = dict.fromkeys(methods, 0.0)
        for rows in _bare_chunks(file, chunk):
            for method, db in dbs.items():
                t0, c0 = time.perf_counter(), time.process_time()
                for head, mark, step, part in zip(one, marks, steps, rows, strict=True):
                    if method == "executemany":
                        db.executemany(head + mark, part)
                        continue
                    for start in range(0, len(part), step):  # what the import does to append rows
                        piece = part[start : start + step]
                        db.execute(head + ",".join([mark] * len(piece)), list(chain.from_iterable(piece)))
                timed[method] += time.perf_counter() - t0
                cpu[method] += time.process_time() - c0
        for method, db in dbs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            db.execute("COMMIT")
            results[f"sqlite3_{method}"] = timed[method] + time.perf_counter() - t0
            results[f"cpu_sqlite3_{method}"] = cpu[method] + time.process_time() - c0
            db.close()
        return results
    import psycopg

    url = connection.settings_dict
    dsn = f"host={url['HOST']} port={url['PORT'] or 5432} user={url['USER']} dbname={url['NAME']}"
    methods = ["copy", "executemany"] if pg_bare == "both" else [pg_bare]
    for method in methods:
        with psycopg.connect(dsn, autocommit=True) as pg:
            pg.execute(f'TRUNCATE "{names[0]}" CASCADE')
        with psycopg.connect(dsn) as pg:
            timed = cpu = 0.0
            s0 = _proc_cpu(pg.info.backend_pid)
            cur = pg.cursor()
            sqls = [
                f'INSERT INTO "{n}" ({",".join(c)}) VALUES ({",".join(["%s"] * len(c))})'
                for n, c in zip(names, cols, strict=True)
            ]
            for rows in _bare_chunks(file, chunk):
                t0, c0 = time.perf_counter(), time.process_time()
                for n, c, sql, part in zip(names, cols, sqls, rows, strict=True):
                    if method == "copy":
                        with cur.copy(f'COPY "{n}" ({",".join(c)}) FROM STDIN') as cp:
                            for row in part:
                                cp.write_row(row)
                    else:
                        cur.executemany(sql, part)
                timed += time.perf_counter() - t0
                cpu += time.process_time() - c0
            t0, c0 = time.perf_counter(), time.process_time()
            pg.commit()
            results[f"psycopg_{method}"] = timed + time.perf_counter() - t0
            # client (building the rows is not counted) + the server's backend for this connection
            results[f"cpu_psycopg_{method}"] = (
                cpu + time.process_time() - c0 + _proc_cpu(pg.info.backend_pid) - s0
            )
            _progress(f"postgresql: bare psycopg {method} done in {results[f'psycopg_{method}']:.1f} s")
    return results


# --- parent ----------------------------------------------------------------------------------


def _run_child(url: str, file: Path, bare_file: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.import_",
        "--child",
        url,
        str(file),
        bare_file,
        args.pg_bare,
        str(args.chunk),
        args.sqlite_bare,
    ]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    # the child's progress lines (stderr) show as they come, so a run stopped early still tells what it measured
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit("benchmark child failed (its error is above)")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _print(r: dict[str, Any]) -> None:
    print(
        f"{r['db']}: imported {r['posts']:,} posts + {r['snapshots']:,} count snapshots + {r['comments']:,} comments "
        f"= {r['rows']:,} rows in {r['import_s']:.1f} s -> {r['import_rows_per_s']:,.0f} rows/s "
        f"(peak memory of the process {r['peak_rss_mb']:.0f} MB; CPU time of the process {r['import_cpu_s']:.1f} s)"
    )
    print(
        f"  of which hooks at the end of the import (collect.signals posts_stored + comments_stored: metrics "
        f"rollup refresh, scoring queue): {r['hooks_s']:.2f} s ({r['hooks_cpu_s']:.2f} s CPU in this process); "
        f"database triggers (also run by the bare insert): {', '.join(r['triggers']) or 'none'}"
    )
    server = r.get("import_server_cpu_s")
    total = r["import_cpu_s"] + (server or 0.0)
    for name, cpu in r.get("bare_cpu", {}).items():
        what = "Python + SQLite, same process" if server is None else "client + PostgreSQL backend"
        split = "" if server is None else f" (client {r['import_cpu_s']:.1f} + server {server:.1f})"
        print(
            f"  CPU time ({what}): import {total:.1f} s{split}, bare {name} {cpu:.1f} s; "
            f"bare / import = {cpu / total:.2f}"
        )
    for key in [k for k in r if k.startswith("bare_") and k.endswith("_s") and not k.endswith("per_s")]:
        name = key.removeprefix("bare_").removesuffix("_s")
        print(
            f"  bare {name}: {r[key]:.1f} s -> {r[f'bare_{name}_rows_per_s']:,.0f} rows/s; "
            f"import / bare = {r[f'ratio_to_{name}']:.2f}"
        )
    sys.stdout.flush()


def main(argv: list[str]) -> None:
    """Run the import benchmark (see the module docstring); prints rows per second and ratios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks import", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--posts", type=int, default=1_000_000, help="posts in the synthetic file (default 1,000,000)"
    )
    parser.add_argument("--comments-per-post", type=int, default=5, help="comments per post (default 5)")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--pg-bare", choices=["copy", "executemany", "both"], default="both", help="bare PostgreSQL insert(s)"
    )
    parser.add_argument(
        "--sqlite-bare",
        choices=["executemany", "multirow", "both"],
        default="both",
        help="bare SQLite insert(s): executemany and/or multi-row VALUES",
    )
    parser.add_argument("--file", type=Path, help="use this JSON Lines file instead of generating one")
    parser.add_argument("--keep-file", type=Path, help="generate into this path and keep it")
    parser.add_argument("--chunk", type=int, default=5000, help="posts per bare-insert chunk")
    parser.add_argument(
        "--tmp", type=Path, default=None, help="folder for the temporary files (default: system temp)"
    )
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ratusz-bench-import-", dir=args.tmp))
    try:
        file = args.file
        if file is None:
            file = args.keep_file or work / "bench.jsonl"
            generate(file, args.posts, args.comments_per_post)
        dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
        for db in dbs:
            if db == "sqlite":
                result = _run_child(
                    f"sqlite:///{work / 'import.sqlite3'}", file, str(work / "bare.sqlite3"), args
                )
            else:
                import psycopg

                name = f"ratusz_bench_import_{os.getpid()}"
                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as pg:
                    pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
                    pg.execute(f'CREATE DATABASE "{name}"')
                try:
                    result = _run_child(f"{PG_SERVER}/{name}", file, "", args)
                finally:
                    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as pg:
                        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _print(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        url, file, bare_file, pg_bare, chunk, sqlite_bare = sys.argv[2:8]
        print(json.dumps(_child(url, Path(file), bare_file, pg_bare, int(chunk), sqlite_bare)))
    else:
        main(sys.argv[1:])
