"""Benchmark of `ratusz collect`: N profiles × P posts × C comments from the loopback fake Graph API.

Prints the wall time and requests per second of the collection and, as the limit, the bare request rate of
the same server: a bare httpx client (same client settings, same concurrency, one thread per profile)
fetching the very URLs the collector fetches (page, windows of posts, every post's comments, following
paging), parsing each body and nothing else. The bare rate is measured just before and just after the
collection (load from other work changes over minutes); the ratio to their mean is the figure to quote.

The server runs in its own process (tests/collect/fakegraph.py) and reports every token's use in
X-Business-Use-Case-Usage (as Graph does), so the collector's limiter reads real headers; each token is
used by one thread at a time. CPU time per request of the collector process (HTTP, parsing, database
writes; with SQLite the database is in this process) and of the server process is printed for both phases.
The database is a fresh SQLite file in a temporary folder (or RATUSZ_DATABASE_URL with --use-env-db).

    python -m benchmarks collect                       # 1,000 × 100 × 50 (5 million comments; long)
    python -m benchmarks collect --profiles 50 --posts 20 --comments 50   # a quick run
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TICKS = os.sysconf("SC_CLK_TCK")


def _process_cpu(pid: int) -> float:
    """Return user + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


class Meter:
    """CPU seconds of this process and of the server process, and wall time, over one phase."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self.wall = time.monotonic()
        self.own = time.process_time()
        self.server = _process_cpu(server_pid)

    def stop(self) -> tuple[float, float, float]:
        """Return (wall, own CPU, server CPU) seconds since the meter was made."""
        return (
            time.monotonic() - self.wall,
            time.process_time() - self.own,
            _process_cpu(self.server_pid) - self.server,
        )


def _bare_requests(base: str, accounts: list[str], windows: list, concurrency: int, seconds: float) -> int:
    """Fetch what the collector fetches, profile by profile on `concurrency` threads, for `seconds`; return
    how many requests were answered. Same httpx client settings as ratusz.collect.runner.Runner."""
    import httpx
    import orjson

    from ratusz.collect.collectors.facebook import COMMENT_FIELDS, POST_FIELDS

    client = httpx.Client(
        limits=httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency * 2),
        headers={"User-Agent": "ratusz-collector"},
    )
    stop = time.monotonic() + seconds
    counts = [0] * concurrency
    queue = itertools.cycle(accounts)
    lock = threading.Lock()

    def paged(n: int, url: str, params: dict) -> list:
        items = []
        if params:  # one URL string, as ratusz.collect.collectors.http.ApiClient builds it
            url = f"{url}?{httpx.QueryParams(params)}"
        while url and time.monotonic() < stop:
            body = orjson.loads(client.get(url, timeout=30).content)
            counts[n] += 1
            items.extend(body.get("data", ()))
            url, params = body.get("paging", {}).get("next"), None
        return items

    def worker(n: int) -> None:
        while time.monotonic() < stop:
            with lock:
                page = next(queue)
            token = f"tok-{page}"
            paged(n, f"{base}/{page}", {"fields": "id,followers_count,fan_count", "access_token": token})
            for start, until in windows:
                params = {"fields": POST_FIELDS, "since": int(start.timestamp()), "until": int(until.timestamp()),
                          "limit": 100, "access_token": token}  # fmt: skip
                for post in paged(n, f"{base}/{page}/published_posts", params):
                    params = {"filter": "stream", "order": "chronological", "fields": COMMENT_FIELDS,
                              "limit": 100, "access_token": token}  # fmt: skip
                    paged(n, f"{base}/{post['id']}/comments", params)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    return sum(counts)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks collect", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--profiles", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--comments", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=8, help="profiles collected at once (threads)")
    parser.add_argument(
        "--bare-seconds", type=float, default=10.0, help="length of each bare-rate measurement"
    )
    parser.add_argument(
        "--token-budget",
        type=int,
        default=4800,
        help="calls per token the server reports as 100 %% use (Graph: 4,800 × engaged users a day)",
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
         "--posts", str(args.posts), "--comments", str(args.comments), "--start", start.isoformat(),
         "--token-budget", str(args.token_budget)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        base = server.stdout.readline().strip()
        os.environ["RATUSZ_FACEBOOK_GRAPH_URL"] = base
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from ratusz.collect.models import Comment, FollowerSnapshot, Post
        from ratusz.collect.runner import WARSAW, Runner, window_grid
        from ratusz.collect.tokens import encrypt_token
        from ratusz.registry.models import Profile

        call_command("migrate", verbosity=0)
        pages = [str(1000 + i) for i in range(args.profiles)]
        Profile.objects.bulk_create(
            Profile(
                platform="facebook",
                platform_id=page,
                name=f"Bench {page}",
                connection_state="ok",
                access_token_encrypted=encrypt_token(f"tok-{page}"),
            )
            for page in pages
        )
        since = (start - timedelta(days=1)).date()
        now = datetime.now(UTC)
        windows = window_grid(since, now.astimezone(WARSAW).date())[::-1]  # newest first, like the collector
        requests_expected = args.profiles * (1 + len(windows) + args.posts)
        print(
            f"dataset: {args.profiles:,} profiles × {args.posts} posts × {args.comments} comments "
            f"({len(windows)} windows a profile, {requests_expected:,} requests); concurrency {args.concurrency} "
            f"(one thread per profile, so each token is used by one request at a time); "
            f"database {connection.vendor}; server reports token use against {args.token_budget:,} calls",
            flush=True,
        )
        print(f"{_load()} (before)", flush=True)

        def bare(label: str) -> float:
            meter = Meter(server.pid)
            n = _bare_requests(base, pages[::-1], windows, args.concurrency, args.bare_seconds)
            wall, own, srv = meter.stop()
            print(
                f"bare rate ({label}): {n / wall:,.0f} requests/s ({n:,} requests in {wall:.1f} s); CPU per "
                f"request: bare client {1000 * own / n:.2f} ms, server {1000 * srv / n:.2f} ms",
                flush=True,
            )
            return n / wall

        bare_before = bare("before")
        done = [0]

        def progress(event) -> None:  # noqa: ANN001
            done[0] += 1
            if done[0] % max(1, runner.total_windows // 10) == 0:
                print(
                    f"  {done[0]:,}/{runner.total_windows:,} windows, {time.monotonic() - meter.wall:,.0f} s, "
                    f"{runner.counter.value / (time.monotonic() - meter.wall):,.0f} requests/s, {_load()}",
                    flush=True,
                )

        # The end-of-profile hook (collect.signals.posts_stored: the metrics rollup) is part of the cost; time it.
        from ratusz.collect.signals import posts_stored

        hook = {"cpu": 0.0, "wall": 0.0, "calls": 0}
        send = posts_stored.send

        def timed_send(*a, **kw):  # noqa: ANN002, ANN003, ANN202
            c0, w0 = time.thread_time(), time.monotonic()
            try:
                return send(*a, **kw)
            finally:
                hook["cpu"] += time.thread_time() - c0
                hook["wall"] += time.monotonic() - w0
                hook["calls"] += 1

        posts_stored.send = timed_send
        runner = Runner(since=since, concurrency=args.concurrency, trigger="benchmark", on_progress=progress)
        meter = Meter(server.pid)
        run = runner.execute(Profile.objects.order_by("id"))
        wall, own, srv = meter.stop()
        rps = run.requests / wall
        posts, comments = Post.objects.count(), Comment.objects.count()
        followers = FollowerSnapshot.objects.count()
        expected_posts = args.profiles * args.posts
        expected_comments = expected_posts * args.comments
        exact = (posts, comments, followers) == (expected_posts, expected_comments, args.profiles)
        print(f"collection: status {run.status}; {posts:,} posts (expected {expected_posts:,}), {comments:,} "
              f"comments (expected {expected_comments:,}), {followers:,} follower snapshots (expected "
              f"{args.profiles:,}): {'exact' if exact else 'MISMATCH'}")  # fmt: skip
        print(f"wall time {wall:,.1f} s, {run.requests:,} requests, {rps:,.0f} requests/s, "
              f"{comments / wall:,.0f} comments/s, waited for limits {runner.limiter.waited:.1f} s")  # fmt: skip
        print(
            f"CPU per request: collector {1000 * own / run.requests:.2f} ms (HTTP, parsing, writing"
            f"{', the SQLite database' if connection.vendor == 'sqlite' else '; PostgreSQL not counted'}), "
            f"server {1000 * srv / run.requests:.2f} ms; {_load()}",
            flush=True,
        )
        posts_stored.send = send
        print(
            f"end-of-profile hook (posts_stored, metrics rollup): {hook['calls']:,} calls, CPU "
            f"{hook['cpu']:.2f} s ({100 * hook['cpu'] / max(own, 1e-9):.1f} % of the collector's), wall "
            f"{hook['wall']:.1f} s summed over threads; per-post rollup triggers are inside the database time",
            flush=True,
        )
        bare_after = bare("after")
        bare_rps = (bare_before + bare_after) / 2
        print(f"ratio to the bare server rate: {rps / bare_rps:.2f} (bare mean {bare_rps:,.0f} requests/s)")
        print(f"{_load()} (after)")
    finally:
        server.kill()
        server.wait()
        if not args.use_env_db:
            shutil.rmtree(tmp, ignore_errors=True)
