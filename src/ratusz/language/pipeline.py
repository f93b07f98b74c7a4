"""Scoring stored comments: in batches, in parallel processes, with the model version recorded.

A comment needs scoring when its `scored_model_version` differs from the shipped model's version, so a new
model re-scores everything once and an interrupted run resumes where it stopped. The parent process reads
texts by primary key (keyset pagination), worker processes only compute scores (no database access), and
the parent writes each batch in one transaction: nothing is half-written.

A comment the model finds harmful is moved to the moderators' queue (moderation_state "flagged") unless a
moderator already decided on it (approved / hidden); ratusz never hides anything on its own.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection, transaction

from ratusz.collect.models import Comment, ModerationState
from ratusz.language import model as model_mod
from ratusz.language.scoring import rows_for_storage, warm_up

HARM_NAMES = ["none", "cyberbullying", "hate"]
BATCH = 5000

Progress = Callable[[int], None]


@dataclass
class ScoringRun:
    """What a scoring run did: comments scored, how many became flagged, the model version, seconds taken."""

    scored: int
    flagged: int
    model_version: str
    seconds: float


def pending(all_comments: bool = False):
    """The comments to score: all of them, or those not scored by the current model version (a QuerySet)."""
    qs = Comment.objects.all()
    if not all_comments:
        qs = qs.exclude(scored_model_version=model_mod.get().version)
    return qs


def _batches(all_comments: bool, batch: int) -> Iterator[list[tuple[int, str]]]:
    version = model_mod.get().version
    last = 0
    while True:
        qs = Comment.objects.filter(pk__gt=last).order_by("pk")
        if not all_comments:
            qs = qs.exclude(scored_model_version=version)
        rows = list(qs.values_list("pk", "text")[:batch])
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _update_sql() -> str:
    q = connection.ops.quote_name
    jsonb = "::jsonb" if connection.vendor == "postgresql" else ""
    state = q("moderation_state")
    sets = ", ".join(
        f"{q(col)} = %s{jsonb if col == 'sentiment_scores' else ''}"
        for col in (
            "language",
            "sentiment",
            "sentiment_scores",
            "harm",
            "harm_probability",
            "is_question",
            "scored_model_version",
        )
    )
    return (
        f"UPDATE {q(Comment._meta.db_table)} SET {sets}, "
        f"{state} = CASE WHEN {state} IN (%s, %s) THEN %s ELSE {state} END WHERE {q('id')} = %s"
    )


def write_scores(updates: list[tuple], version: str) -> int:
    """Store one batch of scores in one transaction; return how many of them are flagged as harmful."""
    sql = _update_sql()
    none, flagged = ModerationState.NONE.value, ModerationState.FLAGGED.value
    params = []
    n_flagged = 0
    for lang, sentiment, scores, harm, prob, question, pk in updates:
        is_harmful = harm not in ("", "none")
        n_flagged += is_harmful
        params.append(
            (
                lang,
                sentiment,
                scores,
                harm,
                prob,
                question,
                version,
                none,
                flagged,
                flagged if is_harmful else none,
                pk,
            )
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)
    return n_flagged


def score_stored(
    all_comments: bool = False,
    workers: int = 1,
    batch: int = BATCH,
    progress: Progress | None = None,
    trigger: str = "cli",
) -> ScoringRun:
    """Score stored comments (all, or those not scored by the current model) with `workers` processes;
    return a ScoringRun. `progress` is called with the number of comments done after each batch."""
    import time

    started = time.perf_counter()
    version = model_mod.get().version
    scored = flagged = 0
    batches = _batches(all_comments, batch)
    if workers <= 1:
        for rows in batches:
            flagged += write_scores(rows_for_storage(rows), version)
            scored += len(rows)
            if progress:
                progress(scored)
    else:
        # Workers only compute; keep at most 2 batches per worker in flight so memory stays bounded.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=warm_up) as pool:
            in_flight = []
            for rows in batches:
                in_flight.append((len(rows), pool.submit(rows_for_storage, rows)))
                if len(in_flight) >= 2 * workers:
                    n, fut = in_flight.pop(0)
                    flagged += write_scores(fut.result(), version)
                    scored += n
                    if progress:
                        progress(scored)
            for n, fut in in_flight:
                flagged += write_scores(fut.result(), version)
                scored += n
                if progress:
                    progress(scored)
    seconds = time.perf_counter() - started
    if scored:
        from django.utils import timezone

        from ratusz.language.models import ScoringRun as ScoringRunLog

        now = timezone.now()
        ScoringRunLog.objects.create(
            model_version=version,
            started_at=now - timedelta(seconds=seconds),
            finished_at=now,
            scored=scored,
            flagged=flagged,
            workers=workers,
            rescored_all=all_comments,
            trigger=trigger,
        )
    return ScoringRun(scored=scored, flagged=flagged, model_version=version, seconds=seconds)
