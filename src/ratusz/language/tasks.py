"""Background scoring of comments (Django 6 tasks, django-tasks-db backend; worker: `ratusz-manage db_worker`).

New comments enqueue one scoring task (at most one waiting at a time); the task scores every comment not yet
scored by the current model version, in batches, so it also re-scores everything after a model update.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.tasks import task

DEBOUNCE_SECONDS = 10.0
_last_enqueued = [0.0]


@task()
def score_comments(all_comments: bool = False) -> dict:
    """Score stored comments not yet scored by the current model (or all); return counts and the version."""
    from ratusz.language.pipeline import score_stored

    run = score_stored(all_comments=all_comments, workers=1, trigger="task")
    return {"scored": run.scored, "flagged": run.flagged, "model_version": run.model_version}


def enqueue_scoring() -> bool:
    """Enqueue `score_comments` unless one is already waiting; return True when a task was enqueued."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=score_comments.module_path, status="READY").exists()
    if waiting:
        return False
    score_comments.enqueue()
    return True


def comments_stored(sender, count: int | None = None, **kwargs) -> None:
    """Receiver of collect's `comments_stored` (bulk imports and collections bypass post_save):
    queue a scoring task after the bulk write."""
    transaction.on_commit(enqueue_scoring)


def comment_saved(sender, instance, created: bool, **kwargs) -> None:
    """post_save receiver: after a new comment is committed, make sure a scoring task is queued
    (checked at most every DEBOUNCE_SECONDS per process, so imports of many comments stay cheap)."""
    if not created or kwargs.get("raw"):
        return
    now = time.monotonic()
    if now - _last_enqueued[0] < DEBOUNCE_SECONDS:
        return
    _last_enqueued[0] = now
    transaction.on_commit(enqueue_scoring)
