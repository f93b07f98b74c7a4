"""The award vote under load: N voters vote through gunicorn + PostgreSQL, and M simultaneous submissions
with one link must store exactly one ballot.

    python -m benchmarks vote                       # 2,500 voters, 4 workers, 50 duplicate submissions
    python -m benchmarks vote --voters 200 --dup 20 # a quick run

It creates a throw-away PostgreSQL database (dropped at the end), serves it with gunicorn on 127.0.0.1
(4 workers × 2 threads, the application preloaded before forking), and drives each voter like a browser with
its own cookies: open the link, review the picks, confirm. The load client is a minimal keep-alive HTTP/1.1
client on asyncio streams (it shares the machine's cores with the server, so it must stay cheap).
Prints ballots accepted vs. sent, duplicates (must be 0), latency percentiles per step, wall time, CPU per
voter of gunicorn's workers, PostgreSQL's backends and the load client, and the load average.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from urllib.parse import urlencode

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT_RE = re.compile(rb'data-testid="receipt">([A-Z0-9-]+)<')
COOKIE_RE = re.compile(rb"\r\nset-cookie: csrftoken=([^;\r]+)", re.IGNORECASE)
CONTENT_LENGTH_RE = re.compile(rb"\r\ncontent-length: *(\d+)", re.IGNORECASE)
CHUNKED_RE = re.compile(rb"\r\ntransfer-encoding: *chunked", re.IGNORECASE)
CLOSE_RE = re.compile(rb"\r\nconnection: *close", re.IGNORECASE)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def _admin_conn(url: str):
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _setup(voters: int, shortlist: int) -> tuple[list[str], str, dict[str, list[int]], str]:
    """Load the register, create profiles, an open election with `voters`+1 voters; return their links."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from ratusz.registry.models import Profile, Unit
    from ratusz.registry.services import load_register
    from ratusz.voting.elections import create_election, import_voters_csv, set_shortlist
    from ratusz.voting.invitations import export_links

    call_command("migrate", verbosity=0, interactive=False)
    load_register()
    units = list(Unit.objects.order_by("teryt"))
    if len(units) < voters + 1 + shortlist:
        raise SystemExit(
            f"the register has {len(units)} units; use --voters {len(units) - shortlist - 1} or fewer"
        )
    candidates = units[-shortlist:]
    profiles = [
        Profile.objects.create(
            platform="facebook", platform_id=f"bench-{u.teryt}", name=f"{u.name} — profil", unit=u
        )
        for u in candidates
    ]
    now = timezone.now()
    election = create_election(
        name="Złoty Lajk — benchmark",
        slug="bench",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=2),
        picks_required=3,
        forbid_own_unit=True,
        categories=[{"key": "active", "name": "Active"}, {"key": "love", "name": "Love"}],
        actor="bench",
    )
    for category in election.categories.all():
        set_shortlist(category, [p.pk for p in profiles], actor="bench")
    csv_text = "teryt,email\n" + "".join(
        f"{u.teryt},urzad-{u.teryt}@example.org\n" for u in units[: voters + 1]
    )
    import_voters_csv(election, csv_text.encode(), actor="bench")
    links = [r.link for r in export_links(election, actor="bench")]
    fields = {f"c{c.pk}": list(c.shortlist.values_list("pk", flat=True)) for c in election.categories.all()}
    base = links[0].split("/vote/b/")[0]
    paths = [link.removeprefix(base) for link in links]
    return paths[:-1], paths[-1], fields, base


class _Conn:
    """A minimal keep-alive HTTP/1.1 client connection (the load client must stay cheap: it shares the cores).

    Enough for this server: Content-Length or chunked bodies, cookies read with one regex, reconnect when the
    server closed the idle connection.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"", cookie: str = "") -> tuple[int, bytes, bytes]:
        """Send one request; return (status, raw header block, body)."""
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            + (f"Cookie: {cookie}\r\n" if cookie else "")
            + (
                f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
                if method == "POST"
                else ""
            )
            + "\r\n"
        ).encode("latin-1")
        for attempt in (1, 2):
            if self.writer is None:
                await self.open()
            try:
                self.writer.write(head + body)
                header = await self.reader.readuntil(b"\r\n\r\n")
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()  # the server closed an idle keep-alive connection before our request reached it
                if attempt == 2:
                    raise
        status = int(header[9:12])
        match = CONTENT_LENGTH_RE.search(header)
        if match:
            data = await self.reader.readexactly(int(match.group(1)))
        elif CHUNKED_RE.search(header):
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            data = b"".join(p[:-2] for p in parts)
        else:
            data = await self.reader.read()
            self.close()
        if CLOSE_RE.search(header):
            self.close()
        return status, header, data


def _form(pairs: list[tuple[str, str]]) -> bytes:
    return urlencode(pairs).encode()


async def _voter(conn: _Conn, path: str, fields: dict[str, list[int]], lat: dict[str, list[float]]) -> str:
    """Open the link, review, confirm (like a browser); return 'ok' or what went wrong."""
    t0 = time.perf_counter()
    status, header, body = await conn.request("GET", path)
    lat["open"].append(time.perf_counter() - t0)
    if status != 200:
        return f"open {status}"
    csrf = CSRF_RE.search(body).group(1).decode()
    cookie_match = COOKIE_RE.search(header)
    cookie = f"csrftoken={cookie_match.group(1).decode()}" if cookie_match else ""
    picks = [(k, str(x)) for k, v in fields.items() for x in random.sample(v, 3)]
    form = [("csrfmiddlewaretoken", csrf), *picks]
    t0 = time.perf_counter()
    status, _, body = await conn.request("POST", path, _form([*form, ("step", "review")]), cookie)
    lat["review"].append(time.perf_counter() - t0)
    if status != 200:
        return f"review {status}"
    t0 = time.perf_counter()
    status, _, body = await conn.request("POST", path, _form([*form, ("step", "confirm")]), cookie)
    lat["confirm"].append(time.perf_counter() - t0)
    if status == 200 and RECEIPT_RE.search(body):
        return "ok"
    return f"confirm {status}"


async def _load(base: str, paths: list[str], fields, concurrency: int) -> tuple[dict, dict, float]:
    """Drive every voter through `concurrency` keep-alive connections (one voter at a time on each)."""
    host, port = _host_port(base)
    lat: dict[str, list[float]] = {"open": [], "review": [], "confirm": [], "vote": []}
    outcomes: dict[str, int] = {}
    queue = list(reversed(paths))

    async def worker() -> None:
        conn = _Conn(host, port)
        try:
            while queue:
                path = queue.pop()
                t0 = time.perf_counter()
                try:
                    async with asyncio.timeout(60):  # a stuck response must not hang the run
                        result = await _voter(conn, path, fields, lat)
                except (OSError, asyncio.IncompleteReadError, AttributeError, ValueError) as exc:
                    conn.close()
                    result = type(exc).__name__
                lat["vote"].append(time.perf_counter() - t0)
                outcomes[result] = outcomes.get(result, 0) + 1
        finally:
            conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    wall = time.perf_counter() - start
    return outcomes, lat, wall


async def _duplicates(base: str, path: str, fields, copies: int) -> dict[str, int]:
    """Open one link once, then send `copies` confirmations at the same moment on separate connections."""
    host, port = _host_port(base)
    first = _Conn(host, port)
    _, header, body = await first.request("GET", path)
    first.close()
    csrf = CSRF_RE.search(body).group(1).decode()
    cookie = f"csrftoken={COOKIE_RE.search(header).group(1).decode()}"
    form = _form(
        [("csrfmiddlewaretoken", csrf), ("step", "confirm")]
        + [(k, str(x)) for k, v in fields.items() for x in v[:3]]
    )
    conns = [_Conn(host, port) for _ in range(copies)]
    # open all connections first so the submissions leave together
    await asyncio.gather(*(c.request("GET", "/vote/") for c in conns))
    responses = await asyncio.gather(
        *(c.request("POST", path, form, cookie) for c in conns), return_exceptions=True
    )
    for c in conns:
        c.close()
    statuses: dict[str, int] = {}
    for resp in responses:
        if isinstance(resp, BaseException):
            key = type(resp).__name__
        else:
            status, _, body = resp
            key = "receipt" if status == 200 and RECEIPT_RE.search(body) else str(status)
        statuses[key] = statuses.get(key, 0) + 1
    return statuses


def _host_port(base: str) -> tuple[str, int]:
    host, _, port = base.removeprefix("http://").rstrip("/").partition(":")
    return host, int(port or 80)


class _CpuMeter(threading.Thread):
    """CPU seconds used by gunicorn's workers and by the PostgreSQL backends of `db` between start() and stop().

    Sampled per process twice a second: a backend that Django replaces during the run (connections are
    recycled after CONN_MAX_AGE) or a restarted worker still counts, from its start to its last sample.
    The sampler's own CPU is measured too, so it can be taken off the load client's figure.
    """

    def __init__(self, gunicorn_pid: int, db: str) -> None:
        super().__init__(daemon=True)
        self.gunicorn_pid, self.db = gunicorn_pid, db
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.own_cpu = 0.0
        self._stop_event = threading.Event()

    def _sample(self) -> None:
        import psutil

        found: list[tuple[int, str, psutil.Process]] = []
        with contextlib.suppress(psutil.Error):
            found += [(c.pid, "web", c) for c in psutil.Process(self.gunicorn_pid).children(recursive=True)]
        for proc in psutil.process_iter(["cmdline"]):
            cmdline = " ".join(proc.info["cmdline"] or [])
            if self.db in cmdline and "postgres" in cmdline:
                found.append((proc.pid, "db", proc))
        for pid, kind, proc in found:
            with contextlib.suppress(psutil.Error):
                t = proc.cpu_times()
                self.last[pid] = (kind, t.user + t.system)

    def start(self) -> None:
        self._sample()  # processes alive now count from here, later ones from their start
        self.first = {pid: cpu for pid, (_, cpu) in self.last.items()}
        super().start()

    def run(self) -> None:
        t0 = time.thread_time()
        while not self._stop_event.wait(0.5):
            self._sample()
        self._sample()
        self.own_cpu = time.thread_time() - t0

    def stop(self) -> tuple[float, float]:
        """Stop sampling; return (gunicorn workers' CPU seconds, PostgreSQL backends' CPU seconds)."""
        self._stop_event.set()
        self.join()
        totals = {"web": 0.0, "db": 0.0}
        for pid, (kind, cpu) in self.last.items():
            totals[kind] += cpu - self.first.get(pid, 0.0)
        return totals["web"], totals["db"]


def warm_application():
    """Return ratusz's WSGI application with URLconfs, ballot templates and translations loaded.

    gunicorn calls this once in its master (--preload) before forking the workers, so they start warm instead
    of each paying for these imports on its first request (a production server would preload the same way).
    No database connection is opened here: nothing may be shared with the forked workers.
    """
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    from ratusz.wsgi import application

    get_resolver().url_patterns  # noqa: B018 - imports every app's URLconf and the API
    translation.activate("pl")
    for name in ("ballot", "confirm", "receipt", "refusal", "index"):
        get_template(f"voting/{name}.html")
    translation.deactivate()
    return application


def _wait_for(port: int, proc: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start listening in time")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks vote", description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=2500)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--concurrency", type=int, default=32, help="voters in flight at once")
    parser.add_argument("--dup", type=int, default=50, help="simultaneous submissions with one link")
    parser.add_argument("--shortlist", type=int, default=10)
    parser.add_argument(
        "--pg", default="postgresql://postgres@127.0.0.1:5432", help="PostgreSQL server (no db name)"
    )
    args = parser.parse_args(argv)

    db = f"ratusz_bench_vote_{os.getpid()}"
    server = args.pg.rstrip("/")
    with _admin_conn(f"{server}/postgres") as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    home = tempfile.mkdtemp(prefix="ratusz-bench-vote-")
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ratusz.settings",
        "RATUSZ_DATABASE_URL": f"{server}/{db}",
        "RATUSZ_HOME": home,
        "RATUSZ_BASE_URL": f"http://127.0.0.1:{port}",
        "RATUSZ_ALLOWED_HOSTS": "127.0.0.1",
        "RATUSZ_SECRET_KEY": "bench-" + os.urandom(16).hex(),
        # every one of the duplicate submissions must reach the database, not the rate limiter
        "RATUSZ_VOTE_RATE_LIMIT": f"{max(30, args.dup + 10)},30",
    }
    os.environ.update(env)
    gunicorn = None
    try:
        t0 = time.perf_counter()
        paths, dup_path, fields, base = _setup(args.voters, args.shortlist)
        print(
            f"setup: {len(paths)} voters + 1 for the duplicate test, {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        from django.db import connections

        connections.close_all()
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "benchmarks.vote:warm_application()",
                "--preload",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--threads",
                str(args.threads),
                "--worker-class",
                "gthread" if args.threads > 1 else "sync",
                "--keep-alive",
                "75",  # the load client reuses connections; a shorter idle timeout races with it under load
                "--log-level",
                "warning",
            ],
            env=env,
        )
        _wait_for(port, gunicorn)
        print(
            f"gunicorn: {args.workers} workers × {args.threads} threads on 127.0.0.1:{port}; PostgreSQL db {db}"
        )

        meter = _CpuMeter(gunicorn.pid, db)
        meter.start()
        client0 = time.process_time()
        outcomes, lat, wall = asyncio.run(_load(base, paths, fields, args.concurrency))
        web_cpu, db_cpu = meter.stop()
        client_cpu = time.process_time() - client0 - meter.own_cpu
        dup = asyncio.run(_duplicates(base, dup_path, fields, args.dup))

        from ratusz.voting.models import Ballot, Election

        election = Election.objects.get(slug="bench")
        ballots = Ballot.objects.filter(election=election).count()
        voted = election.voters.filter(voted_at__isnull=False).count()
        accepted = outcomes.get("ok", 0)
        connections.close_all()

        ms = 1000.0
        print(
            f"voters sent: {len(paths)}   ballots accepted: {accepted}   other outcomes: "
            f"{ {k: v for k, v in outcomes.items() if k != 'ok'} or 'none' }"
        )
        print(
            f"wall time for all voters: {wall:.1f} s  ({len(paths) / wall:.1f} voters/s, "
            f"{3 * len(paths) / wall:.0f} requests/s, concurrency {args.concurrency})  "
            f"within one minute: {'YES' if wall <= 60 and accepted == len(paths) else 'NO'}"
        )
        for step in ("open", "review", "confirm", "vote"):
            v = lat[step]
            print(
                f"latency {step:8s} p50 {statistics.median(v) * ms:7.1f} ms   p95 {_percentile(v, 95) * ms:7.1f} ms"
                f"   p99 {_percentile(v, 99) * ms:7.1f} ms   (n={len(v)})"
            )
        n = max(1, len(paths))
        print(
            f"CPU during the voters' run: gunicorn workers {web_cpu:.1f} s ({web_cpu / n * 1000:.1f} ms/voter), "
            f"PostgreSQL backends {db_cpu:.1f} s ({db_cpu / n * 1000:.1f} ms/voter), load client {client_cpu:.1f} s ({client_cpu / n * 1000:.1f} ms/voter); "
            f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
        )
        server_cpu = web_cpu + db_cpu
        if server_cpu > 0:
            print(
                f"server-side CPU per voter {server_cpu / n * 1000:.1f} ms -> on {os.cpu_count()} dedicated cores "
                f"about {os.cpu_count() / (server_cpu / n):.0f} voters/s ({os.cpu_count() * 60 / (server_cpu / n):.0f} per minute)"
            )
        print(f"{args.dup} simultaneous submissions with one link: {dup}")
        print(
            f"ballots in the database: {ballots}; voters marked as voted: {voted}; "
            f"duplicates: {ballots - voted} (must be 0); ballots from the shared link: {ballots - accepted}"
        )
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(20)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:
            pass
        with _admin_conn(f"{server}/postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        print(f"dropped database {db}")
        import shutil

        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
