"""Demo-data benchmark: `ratusz demo` into a fresh SQLite file and a fresh PostgreSQL database.

    python -m benchmarks demo                                  # scale 20 without comments, both databases
    python -m benchmarks demo --scale 1                        # what `make run` does (with comments)
    python -m benchmarks demo --scale 2 --months 1 --db sqlite # a quick run

Each database runs in a child process (a temporary SQLite file; a PostgreSQL database created and dropped on
postgresql://postgres@127.0.0.1:5432/). Printed per database: rows written (posts, comments, follower
snapshots, count snapshots), seconds and rows per second end to end, the child's CPU time and peak memory,
and how the time splits between building the rows (Python, numpy) and inserting them: the time inside
sqlite3 `executemany` / psycopg `COPY` is what a bare insert of the same rows with the same driver costs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"


def _child(url: str, scale: float, months: int | None, comments: bool) -> dict[str, Any]:
    os.environ["RATUSZ_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from ratusz.demo.generator import DemoOptions, generate
    from ratusz.registry.services import load_register

    call_command("migrate", verbosity=0, interactive=False)
    load_register()
    options = DemoOptions(scale=scale, months=months, comments=comments, end_date=date(2025, 12, 31))
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    result = generate(options)
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    rows = result.posts + result.comments + result.follower_snapshots + result.count_snapshots
    return {
        "db": connection.vendor,
        "profiles": result.profiles,
        "posts": result.posts,
        "comments": result.comments,
        "followers": result.follower_snapshots,
        "counts": result.count_snapshots,
        "rows": rows,
        "seconds": seconds,
        "cpu_s": cpu,
        "write_s": result.write_seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _run_child(url: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.demo", "--child", url, str(args.scale), str(args.months or 0),
           "0" if args.no_comments else "1"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _print(r: dict[str, Any]) -> None:
    build = r["seconds"] - r["write_s"]
    print(
        f"{r['db']}: {r['profiles']:,} profiles, {r['posts']:,} posts, {r['comments']:,} comments, "
        f"{r['followers']:,} follower snapshots, {r['counts']:,} count snapshots = {r['rows']:,} rows "
        f"in {r['seconds']:.1f} s -> {r['rows'] / r['seconds']:,.0f} rows/s "
        f"({r['posts'] / r['seconds']:,.0f} posts/s; CPU {r['cpu_s']:.1f} s; peak memory {r['peak_rss_mb']:.0f} MB)\n"
        f"  building rows {build:.1f} s, inserting {r['write_s']:.1f} s (bare insert speed of these rows with "
        f"the same driver: {r['rows'] / max(r['write_s'], 1e-9):,.0f} rows/s); demo speed / bare insert speed = "
        f"{r['write_s'] / r['seconds']:.2f}"
    )
    sys.stdout.flush()


def main(argv: list[str]) -> None:
    """Run the demo benchmark (see the module docstring); prints seconds, rows per second and the split."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks demo", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=20.0, help="demo scale (default 20: 6,000 profiles)")
    parser.add_argument("--months", type=int, default=None, help="months (default: as `ratusz demo`)")
    parser.add_argument("--with-comments", dest="no_comments", action="store_false", default=None)
    parser.add_argument("--no-comments", dest="no_comments", action="store_true")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for the SQLite file (default: system temp)")
    args = parser.parse_args(argv)
    if args.no_comments is None:  # the benchmark of record: national-size data without comments
        args.no_comments = args.scale >= 5
    work = Path(tempfile.mkdtemp(prefix="ratusz-bench-demo-", dir=args.tmp))
    try:
        for db in ["sqlite", "postgresql"] if args.db == "both" else [args.db]:
            if db == "sqlite":
                result = _run_child(f"sqlite:///{work / 'demo.sqlite3'}", args)
            else:
                import psycopg

                name = f"ratusz_bench_demo_{os.getpid()}"
                with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as pg:
                    pg.execute(f'DROP DATABASE IF EXISTS "{name}"')
                    pg.execute(f'CREATE DATABASE "{name}"')
                try:
                    result = _run_child(f"{PG_SERVER}/{name}", args)
                finally:
                    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as pg:
                        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _print(result)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        url, scale, months, comments = sys.argv[2:6]
        print(json.dumps(_child(url, float(scale), int(months) or None, comments == "1")))
    else:
        main(sys.argv[1:])
