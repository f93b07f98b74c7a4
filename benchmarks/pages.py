"""Load test of the ranking and profile pages against the running server (gunicorn via `ratusz serve`).

    # the national bench dataset (≥ 6,000 profiles, ≥ 3 M posts), PostgreSQL:
    export RATUSZ_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/ratusz_bench
    ratusz migrate && ratusz registry load && ratusz demo --scale 20 --no-comments --end-date 2025-12-31
    RATUSZ_CACHE_DIR=var/cache python -m benchmarks pages --users 50 --duration 60   # starts/stops `ratusz serve`
    python -m benchmarks pages --url http://127.0.0.1:8000        # or measures a server you started

Simulated users (asyncio + httpx, loopback only) each open a ranking page (a category and filters drawn from
a fixed list) or a profile page (drawn from a sample of the ranked profiles), wait a think time, and repeat
for a bounded time. Before the measured run every distinct ranking and peer group is requested once
(`--warm`): the pages cache computed rankings and peer groups (Django cache, keyed by filters and data
version; RATUSZ_CACHE_DIR shares it between the gunicorn workers), and the first, uncached request of each
is reported separately ("cold"). Prints p50/p95/p99 latency and requests/s, and — when it started the
server itself (Linux) — the server's CPU time per request of the measured run, all workers together: the
figure to compare between versions on a busy machine, where latencies mostly measure the neighbours.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

RANKING_FILTERS: list[dict[str, str]] = [
    {"category": "love"},
    {"category": "active"},
    {"category": "love", "size_class": "20-50k"},
    {"category": "love", "voivodeship": "dolnośląskie"},
    {"category": "region"},
    {"category": "active", "voivodeship": "mazowieckie", "level": "gmina"},
    {"category": "love", "size_class": "5-10k", "kind": "gmina wiejska"},
    {"category": "active", "size_class": ">=500k"},
]


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _line(name: str, latencies: list[float], seconds: float | None = None) -> str:
    ms = [1000 * x for x in latencies]
    text = (
        f"{name:<10} n={len(ms):>6}  p50={_quantile(ms, 0.50):8.1f} ms  p95={_quantile(ms, 0.95):8.1f} ms  "
        f"p99={_quantile(ms, 0.99):8.1f} ms  max={max(ms, default=float('nan')):8.1f} ms"
    )
    if seconds:
        text += f"  {len(ms) / seconds:7.1f} req/s"
    return text


def start_server(port: int, workers: int, threads: int, timeout: int) -> subprocess.Popen:
    """Start `ratusz serve` on loopback with the current environment; return the process."""
    ratusz = Path(sys.executable).parent / "ratusz"
    proc = subprocess.Popen(
        [
            str(ratusz),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            str(timeout),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return proc


def server_cpu_seconds(pgid: int) -> float | None:
    """Return the CPU seconds (user + system, finished children included) used so far by every process
    of the server's process group, or None where /proc is not available."""
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return None
    ticks = 0
    for stat in proc_dir.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended meanwhile
        if int(fields[2]) == pgid:  # fields: state ppid pgrp session … utime(11) stime cutime cstime
            ticks += sum(int(x) for x in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server started by start_server (its process group)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


async def _wait_ready(client, url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            r = await client.get(url + "/ranking/metoda/")
            if r.status_code == 200:
                return
        except Exception:
            pass
        await asyncio.sleep(0.5)
    raise SystemExit(f"server at {url} did not answer within {timeout:.0f} s")


async def _run(args: argparse.Namespace) -> None:
    import httpx

    rng = random.Random(args.seed)
    # gunicorn closes idle keep-alive connections after 2 s: never reuse one older than 1 s.
    limits = httpx.Limits(
        max_connections=args.users + 10, max_keepalive_connections=args.users + 10, keepalive_expiry=1.0
    )
    async with httpx.AsyncClient(timeout=float(args.timeout), limits=limits, trust_env=False) as client:
        await _wait_ready(client, args.url)
        period = (
            {"start": args.period.split("..")[0], "end": args.period.split("..")[1]} if args.period else {}
        )
        ranking_urls = [
            f"{args.url}/ranking/?" + urlencode({**f, **period}) for f in RANKING_FILTERS[: args.variants]
        ]
        # Profiles: a sample of those the ranking pages link to.
        cold: dict[str, list[float]] = {"ranking": [], "profile": []}
        gate = asyncio.Semaphore(args.warm_concurrency)

        async def timed(url: str, kind: str) -> str:
            async with gate:
                t = time.perf_counter()
                r = await client.get(url)
                cold[kind].append(time.perf_counter() - t)
                if r.status_code != 200:
                    print(f"warning: {url} answered {r.status_code}", file=sys.stderr)
                return r.text

        print(f"computing {len(ranking_urls)} rankings (cold) …", flush=True)
        pages = await asyncio.gather(*(timed(url, "ranking") for url in ranking_urls))
        profile_ids: list[str] = [pid for text in pages for pid in re.findall(r'href="/profil/(\d+)/', text)]
        for page in range(2, 2 + args.ranking_pages):
            r = await client.get(
                f"{args.url}/ranking/?" + urlencode({"category": "active", **period, "page": page})
            )
            profile_ids += re.findall(r'href="/profil/(\d+)/', r.text)
        profile_ids = sorted(set(profile_ids), key=int)
        rng.shuffle(profile_ids)
        profile_ids = profile_ids[: args.profiles]
        if not profile_ids:
            raise SystemExit("the ranking pages link to no profile: is the bench dataset loaded?")
        query = "?" + urlencode(period) if period else ""
        profile_urls = [f"{args.url}/profil/{pid}/{query}" for pid in profile_ids]
        if args.warm:
            print(f"opening {len(profile_urls)} profiles once (peer groups computed) …", flush=True)
            await asyncio.gather(*(timed(url, "profile") for url in profile_urls))
            # Each worker memoises in its own memory too: touch every ranking a few times.
            await asyncio.gather(*(client.get(url) for url in ranking_urls for _ in range(2 * args.workers)))
        print(
            f"server {args.url}, {len(ranking_urls)} ranking variants, {len(profile_urls)} profiles, "
            f"{args.users} users, think time {args.think_min}–{args.think_max} s, {args.duration:.0f} s"
        )
        print(_line("cold rank", cold["ranking"]))
        if cold["profile"]:
            print(_line("1st prof.", cold["profile"]))

        results: dict[str, list[float]] = {"ranking": [], "profile": []}
        errors: list[str] = []
        stop_at = time.monotonic() + args.duration

        async def user(n: int) -> None:
            urng = random.Random(args.seed * 1000 + n)
            await asyncio.sleep(urng.uniform(0, args.think_max))  # ramp up
            while time.monotonic() < stop_at:
                kind = "ranking" if urng.random() < args.ranking_share else "profile"
                url = urng.choice(ranking_urls if kind == "ranking" else profile_urls)
                t = time.perf_counter()
                try:
                    r = await client.get(url)
                    elapsed = time.perf_counter() - t
                    if r.status_code != 200:
                        errors.append(f"{r.status_code} {url}")
                    else:
                        results[kind].append(elapsed)
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {url}")
                await asyncio.sleep(urng.uniform(args.think_min, args.think_max))

        cpu_before = server_cpu_seconds(args.server_pgid) if args.server_pgid else None
        started = time.perf_counter()
        await asyncio.gather(*(user(n) for n in range(args.users)))
        seconds = time.perf_counter() - started
        cpu_after = server_cpu_seconds(args.server_pgid) if args.server_pgid else None
        print(_line("ranking", results["ranking"], seconds))
        print(_line("profile", results["profile"], seconds))
        print(_line("all", results["ranking"] + results["profile"], seconds))
        if errors:
            print(f"errors: {len(errors)} (first: {errors[0]})")
        else:
            print("errors: 0")
        if results["profile"]:
            print(f"mean profile page {statistics.fmean(results['profile']) * 1000:.1f} ms")
        served = len(results["ranking"]) + len(results["profile"]) + len(errors)
        if cpu_before is not None and cpu_after is not None and served:
            cpu = cpu_after - cpu_before
            print(
                f"server CPU {cpu:.1f} s for {served} requests: {1000 * cpu / served:.1f} ms per request "
                f"(all workers; {cpu / seconds:.2f} cores busy on average)"
            )


def main(argv: list[str]) -> None:
    """Run the page load test and print p50/p95/p99 latency and requests per second."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks pages",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--url", help="base URL of a running server (default: start `ratusz serve` on --port)"
    )
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn workers when the server is started here"
    )
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of the measured run")
    parser.add_argument(
        "--think-min", type=float, default=0.5, help="shortest pause between a user's requests [s]"
    )
    parser.add_argument(
        "--think-max", type=float, default=1.5, help="longest pause between a user's requests [s]"
    )
    parser.add_argument("--ranking-share", type=float, default=0.5, help="share of requests to ranking pages")
    parser.add_argument("--profiles", type=int, default=150, help="profiles in the sample the users open")
    parser.add_argument(
        "--ranking-pages", type=int, default=5, help="extra ranking pages read to find profiles"
    )
    parser.add_argument(
        "--period", default="", help="period START..END of the pages (default: the page's default)"
    )
    parser.add_argument(
        "--no-warm", dest="warm", action="store_false", help="do not request every page once first"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--warm-concurrency", type=int, default=4, help="parallel requests while warming up")
    parser.add_argument("--variants", type=int, default=4, help="ranking filter variants used (1–8)")
    parser.add_argument(
        "--timeout", type=int, default=900, help="gunicorn worker timeout [s] (cold rankings)"
    )
    args = parser.parse_args(argv)
    proc = None
    args.server_pgid = None
    if not args.url:
        args.url = f"http://127.0.0.1:{args.port}"
        proc = start_server(args.port, args.workers, args.threads, args.timeout)
        args.server_pgid = proc.pid  # start_new_session: the server leads its own process group
    args.url = args.url.rstrip("/")
    try:
        asyncio.run(_run(args))
    finally:
        if proc is not None:
            stop_server(proc)
