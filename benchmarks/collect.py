"""Benchmark of `ratusz collect`: N profiles × P posts × C comments from the loopback fake Graph API.

Prints the wall time, the requests per second of the collection and, as the limit, the bare request rate
of the same server measured just before with a tight httpx loop at the same concurrency; the ratio of the
two is the figure to quote. The server runs in its own process (tests/collect/fakegraph.py), the database
is a fresh SQLite file in a temporary folder (or RATUSZ_DATABASE_URL when --use-env-db is given).

    python -m benchmarks collect                       # 1,000 × 100 × 50 (5 million comments; long)
    python -m benchmarks collect --profiles 20 --posts 20 --comments 10   # a quick run
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bare_rate(base: str, accounts: int, posts: int, concurrency: int, seconds: float) -> tuple[float, int]:
    """Return (requests/s, requests) of a tight httpx loop fetching comment pages at the given concurrency."""
    import httpx

    stop = time.monotonic() + seconds
    counts = [0] * concurrency

    def worker(n: int) -> None:
        with httpx.Client() as client:
            k = n
            while time.monotonic() < stop:
                i, j = k % accounts, (k // accounts) % posts
                r = client.get(
                    f"{base}/{1000 + i}_{j}/comments",
                    params={"access_token": f"tok-{1000 + i}", "limit": 100, "filter": "stream"},
                )
                r.raise_for_status()
                r.json()
                counts[n] += 1
                k += concurrency

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = sum(counts)
    return total / (time.monotonic() - started), total


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks collect", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--comments", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8, help="profiles collected at once (threads)")
    parser.add_argument(
        "--bare-seconds", type=float, default=10.0, help="length of the bare-rate measurement"
    )
    parser.add_argument(
        "--use-env-db", action="store_true", help="use RATUSZ_DATABASE_URL instead of a temp SQLite"
    )
    args = parser.parse_args(argv)

    tmp = tempfile.mkdtemp(prefix="ratusz-bench-collect-")
    if not args.use_env_db:
        os.environ.pop("RATUSZ_DATABASE_URL", None)
        os.environ["RATUSZ_HOME"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    os.environ["RATUSZ_COLLECT_CONCURRENCY"] = str(args.concurrency)
    start = (datetime.now(UTC) - timedelta(days=20)).replace(microsecond=0)
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "tests/collect/fakegraph.py"), "--accounts", str(args.profiles),
         "--posts", str(args.posts), "--comments", str(args.comments), "--start", start.isoformat()],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        base = server.stdout.readline().strip()
        os.environ["RATUSZ_FACEBOOK_GRAPH_URL"] = base
        import django

        django.setup()
        from django.core.management import call_command

        from ratusz.collect.models import Comment, Post
        from ratusz.collect.runner import Runner
        from ratusz.collect.tokens import encrypt_token
        from ratusz.registry.models import Profile

        call_command("migrate", verbosity=0)
        Profile.objects.bulk_create(
            Profile(
                platform="facebook",
                platform_id=str(1000 + i),
                name=f"Bench {i}",
                connection_state="ok",
                access_token_encrypted=encrypt_token(f"tok-{1000 + i}"),
            )
            for i in range(args.profiles)
        )
        print(
            f"dataset: {args.profiles} profiles × {args.posts} posts × {args.comments} comments, "
            f"concurrency {args.concurrency}, database {Profile.objects.db}:{tmp if not args.use_env_db else 'env'}",
            flush=True,
        )
        bare_rps, bare_n = _bare_rate(base, args.profiles, args.posts, args.concurrency, args.bare_seconds)
        print(
            f"bare server rate (tight httpx loop, {args.concurrency} threads): {bare_rps:,.0f} requests/s ({bare_n} requests)"
        )

        done = [0]

        def progress(event) -> None:  # noqa: ANN001
            done[0] += 1
            if done[0] % max(1, runner.total_windows // 10) == 0:
                print(
                    f"  {done[0]}/{runner.total_windows} windows, {time.monotonic() - t0:,.0f} s", flush=True
                )

        since = (start - timedelta(days=1)).date()
        runner = Runner(since=since, concurrency=args.concurrency, trigger="benchmark", on_progress=progress)
        t0 = time.monotonic()
        run = runner.execute(Profile.objects.order_by("id"))
        wall = time.monotonic() - t0
        rps = run.requests / wall
        posts, comments = Post.objects.count(), Comment.objects.count()
        expected_posts, expected_comments = (
            args.profiles * args.posts,
            args.profiles * args.posts * args.comments,
        )
        print(f"collection: status {run.status}, {posts:,} posts (expected {expected_posts:,}), "
              f"{comments:,} comments (expected {expected_comments:,})")  # fmt: skip
        print(f"wall time {wall:,.1f} s, {run.requests:,} requests, {rps:,.0f} requests/s, "
              f"{comments / wall:,.0f} comments/s, waited for limits {runner.limiter.waited:.1f} s")  # fmt: skip
        print(f"ratio to the bare server rate: {rps / bare_rps:.2f}")
    finally:
        server.kill()
        server.wait()
