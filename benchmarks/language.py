"""Language benchmark: comments/s/core of the three models together, polvader on the same texts, peak memory,
and the time to score N stored comments with parallel processes (projected to 10 million).

    python -m benchmarks language                         # 200,000 short comments, 50,000 stored, 2 workers
    python -m benchmarks language --n 20000 --stored 5000 # a quick run
    python -m benchmarks language --polvader-n 0          # without polvader

Texts: short comments generated from city-comment fragments (seeded; mean length is printed), and, when
../shared/data is present, the 10,041 CBD tweets as a second, real set. "Three models together" = one call
of `score_arrays` (harm with its type, sentiment, question and language rules) per batch of 4,096 texts in
one process (numpy/scipy sparse products are single-threaded here, so one process = one core).
The stored part runs in a child process on a fresh SQLite file under var/bench/ or --db-dir (created and
deleted); its comments are inserted with raw `executemany` in batches of 100,000 (setup, not timed):

    python -m benchmarks language --n 20000 --polvader-n 0 --stored 10000000 --workers 2 --db-dir /tmp
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("RATUSZ_SHARED", ROOT.parent / "shared")) / "data"

OPENERS = ["", "", "Panie burmistrzu, ", "Szanowni Państwo, ", "No i ", "A ", "Serio, ", "Brawo! ", "Hmm, "]
BODIES = [
    "kiedy będzie remont ulicy Polnej?",
    "dziękujemy za szybką naprawę latarni",
    "znowu nikt nie wywiózł śmieci z Leśnej",
    "piękny festyn, dzieci zachwycone",
    "czy basen będzie czynny w święta?",
    "to jest skandal, korki na całym mieście",
    "gratulacje dla wszystkich nagrodzonych",
    "gdzie można odebrać worki na odpady?",
    "a chodnik na Słonecznej dalej dziurawy",
    "super inicjatywa, oby więcej takich",
    "proszę o informację do kiedy potrwa objazd",
    "kto to wymyślił, ludzie nie mają gdzie parkować",
    "byliśmy całą rodziną, było świetnie",
    "ile jeszcze mamy czekać na przejście dla pieszych",
    "wreszcie ktoś pomyślał o seniorach",
    "jak zwykle wszystko na ostatnią chwilę",
]
ENDINGS = ["", "", "!", "!!", " 👍", " 😡", " ❤️", "...", " :)", "?"]


def short_comments(n: int, seed: int = 7) -> list[str]:
    """n generated comments (seeded), 20–120 characters, like those under a city's posts."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rnd.choice(OPENERS) + rnd.choice(BODIES)]
        if rnd.random() < 0.25:
            parts.append(rnd.choice(BODIES))
        out.append(", ".join(parts) + rnd.choice(ENDINGS))
    return out


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(fn, *args) -> tuple[float, float]:
    """(CPU seconds of this process, wall seconds) spent in fn(*args). On a shared, loaded machine the CPU
    time is the honest per-core figure; wall time is printed next to it."""
    c, w = time.process_time(), time.perf_counter()
    fn(*args)
    return time.process_time() - c, time.perf_counter() - w


def throughput(texts: list[str], repeat: int = 3) -> tuple[float, float]:
    """Best (comments per CPU-second, comments per wall-second) over `repeat` passes of score_arrays in
    batches of 4,096 in this one process."""
    from ratusz.language.scoring import score_arrays

    def run() -> None:
        for i in range(0, len(texts), 4096):
            score_arrays(texts[i : i + 4096])

    best_cpu = best_wall = 0.0
    for _ in range(repeat):
        cpu, wall = _timed(run)
        best_cpu, best_wall = max(best_cpu, len(texts) / cpu), max(best_wall, len(texts) / wall)
    return best_cpu, best_wall


def dict_throughput(texts: list[str]) -> float:
    """comments per CPU-second of score_texts (the per-text dict interface the CLI and pipeline use)."""
    from ratusz.language.scoring import score_texts

    cpu, _wall = _timed(score_texts, texts)
    return len(texts) / cpu


def polvader_rate(texts: list[str]) -> float | None:
    """comments per CPU-second of polvader's score_batch on the texts (None when polvader cannot run)."""
    from ratusz.language import polvader_compat

    if not polvader_compat.available():
        print("polvader: " + polvader_compat.UNAVAILABLE)
        return None
    t = time.perf_counter()
    polvader_compat.lexicon()
    print(f"polvader: lexicon built in {time.perf_counter() - t:.1f} s (not counted below)")
    cpu, _wall = _timed(polvader_compat.score, texts)
    return len(texts) / cpu


INSERT_BATCH = 100_000


def insert_comments(n: int, post_ids: list[int], start) -> int:
    """Insert n synthetic stored comments fast: one raw `executemany` per 100,000 rows, each batch in its own
    transaction, texts generated batch by batch (seeded per batch, so 10 million never sit in memory).
    Only the columns without a usable default are given; the rest are NULL/empty as after an import."""
    from datetime import timedelta

    from django.db import connection, transaction

    from ratusz.collect.models import Comment

    table = connection.ops.quote_name(Comment._meta.db_table)
    cols = [
        "post_id",
        "platform_id",
        "author_key",
        "is_from_profile",
        "created_at",
        "text",
        "language",
        "sentiment",
        "harm",
        "scored_model_version",
        "moderation_state",
    ]
    sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))})"
    date_field = Comment._meta.get_field("created_at")
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:  # 256 MB page cache: the indexes of 10 million rows stay hot
            cur.execute("PRAGMA cache_size = -262144")
    done = 0
    t0 = time.perf_counter()
    for b, i in enumerate(range(0, n, INSERT_BATCH)):
        size = min(INSERT_BATCH, n - i)
        texts = short_comments(size, seed=11 + b)
        rows = [
            (
                post_ids[j % len(post_ids)],
                f"c{j}",
                f"a{j % 50_000}",
                False,
                date_field.get_db_prep_value(start + timedelta(seconds=j), connection),
                texts[j - i],
                "",
                "",
                "",
                "",
                "none",
            )
            for j in range(i, i + size)
        ]
        with transaction.atomic(), connection.cursor() as cur:
            cur.executemany(sql, rows)
        done += size
        if b % 10 == 9:
            print(f"stored: inserted {done:,} / {n:,} in {time.perf_counter() - t0:.0f} s", flush=True)
    return done


def stored_child(n: int, workers: int, db: Path) -> None:
    """In a child process: fresh SQLite, n comments, then score_stored(all, workers) with a progress bar."""
    os.environ["RATUSZ_DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    import django

    django.setup()
    from datetime import UTC, datetime, timedelta

    from django.core.management import call_command
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from ratusz.collect.models import Post
    from ratusz.language.pipeline import score_stored
    from ratusz.registry.models import Profile, Unit

    call_command("migrate", verbosity=0, interactive=False)
    unit = Unit.objects.create(
        teryt="9999999",
        name="Gmina Benchmarkowa",
        level="gmina",
        kind="gmina miejska",
        woj_code="02",
        woj_name="dolnośląskie",
        population=1,
        size_class="<5k",
        search_name="gmina benchmarkowa",
    )
    profile = Profile.objects.create(unit=unit, platform="facebook", platform_id="bench", name="Bench")
    start = datetime(2025, 1, 1, tzinfo=UTC)
    posts = [
        Post(profile=profile, platform_id=f"p{i}", published_at=start + timedelta(hours=i))
        for i in range(200)
    ]
    Post.objects.bulk_create(posts, batch_size=500)
    posts = list(Post.objects.all())
    t = time.perf_counter()
    inserted = insert_comments(n, [p.pk for p in posts], start)
    print(
        f"stored: {inserted:,} comments inserted in {time.perf_counter() - t:.1f} s "
        f"(raw executemany, {INSERT_BATCH:,} rows a transaction; setup, not timed below)",
        flush=True,
    )
    with Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn()
    ) as bar:
        task = bar.add_task(f"scoring with {workers} worker(s)", total=n)
        run = score_stored(
            all_comments=True, workers=workers, progress=lambda d: bar.update(task, completed=d)
        )
    rate = run.scored / run.seconds
    print(
        f"stored: load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall-clock figures below)"
    )
    print(
        f"stored: {run.scored:,} comments scored and written in {run.seconds:.1f} s with {workers} worker "
        f"process(es) = {rate:,.0f} comments/s (model {run.model_version}, {run.flagged} flagged)"
    )
    hours = 10_000_000 / rate / 3600
    print(
        f"stored: projected to 10,000,000 comments at this rate: {hours:.2f} h ({hours * 60:.0f} min) on this "
        f"machine (linear projection from {n:,}; SQLite, parent process writes)"
    )


def main(argv: list[str]) -> None:
    """Run the benchmark and print its figures (see the module docstring)."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks language")
    ap.add_argument("--n", type=int, default=200_000, help="short comments for the throughput figure")
    ap.add_argument("--polvader-n", type=int, default=2_000, help="texts for polvader (0 = skip)")
    ap.add_argument("--stored", type=int, default=50_000, help="stored comments to score (0 = skip)")
    ap.add_argument("--workers", type=int, default=2, help="worker processes for the stored part")
    ap.add_argument(
        "--db-dir",
        default=str(ROOT / "var" / "bench"),
        help="folder for the temporary SQLite file of the stored part (e.g. /tmp for 10 million comments)",
    )
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--db", default="", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        stored_child(args.stored, args.workers, Path(args.db))
        return

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    import django

    django.setup()
    from ratusz.language import model as model_mod

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    rss0 = _rss_mb()
    t = time.perf_counter()
    lm = model_mod.get()
    print(
        f"model {lm.version}: loaded in {time.perf_counter() - t:.2f} s, +{_rss_mb() - rss0:.0f} MB peak RSS"
    )
    artefacts = sum(p.stat().st_size for p in model_mod.ARTIFACTS.iterdir()) / 1e6
    print(f"artefacts: {artefacts:.1f} MB in {model_mod.ARTIFACTS}")

    texts = short_comments(args.n)
    mean_len = sum(map(len, texts)) / len(texts)
    throughput(texts[:5000], repeat=1)  # warm-up
    rate, wall = throughput(texts)
    print(
        f"short comments: {len(texts):,} texts, mean {mean_len:.0f} chars: {rate:,.0f} comments/s/core "
        f"(per CPU-second; {wall:,.0f}/s wall on this shared machine; three models + rules, score_arrays)"
    )
    print(
        f"short comments via score_texts (per-text dicts): {dict_throughput(texts[:50000]):,.0f} comments/s/core"
    )
    if (SHARED / "language" / "cbd").is_dir():
        from ratusz.language.datasets import cbd

        tweets = cbd(SHARED)[0]
        cbd_rate, cbd_wall = throughput(tweets)
        print(
            f"CBD tweets: {len(tweets):,} texts, mean {sum(map(len, tweets)) / len(tweets):.0f} chars: "
            f"{cbd_rate:,.0f} comments/s/core ({cbd_wall:,.0f}/s wall)"
        )
    print(f"peak memory (RSS) of this process after scoring: {_rss_mb():.0f} MB")

    if args.polvader_n:
        sample = texts[: args.polvader_n]
        pv = polvader_rate(sample)
        if pv:
            ours, _wall = throughput(sample, repeat=3)
            print(
                f"polvader on the same {len(sample):,} texts: {pv:,.0f} comments/s/core; "
                f"ratusz {ours:,.0f}/s = {ours / pv:,.0f}x faster (polvader does sentiment only)"
            )
            print(f"peak memory (RSS) with polvader loaded: {_rss_mb():.0f} MB")

    if args.stored:
        db = Path(args.db_dir) / f"language-{os.getpid()}.sqlite3"
        db.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")])
        try:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "benchmarks",
                    "language",
                    "--child",
                    "--stored",
                    str(args.stored),
                    "--workers",
                    str(args.workers),
                    "--db",
                    str(db),
                ],
                env=env,
                cwd=ROOT,
                check=True,
            )
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
