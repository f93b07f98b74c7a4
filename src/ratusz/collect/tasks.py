"""Background jobs of the collect app (Django 6 tasks, django-tasks-db backend).

Run daily: a cron line enqueues `collect_all_profiles` (`ratusz collect schedule`) and the worker
`ratusz-manage db_worker` executes it. A run killed half-way resumes on the next enqueue.
"""

from __future__ import annotations

from datetime import date

from django.tasks import task


@task()
def collect_all_profiles(since: str = "") -> dict:
    """Collect every active profile that has a collector; return the run's id, status and counts."""
    from ratusz.collect.runner import Runner, collectable_profiles

    run = Runner(since=date.fromisoformat(since) if since else None, trigger="task").execute(
        collectable_profiles()
    )
    return {
        "run": run.pk,
        "status": run.status,
        "profiles_ok": run.profiles_ok,
        "profiles_failed": run.profiles_failed,
        "posts": run.items_saved,
        "comments": run.comments_saved,
        "skipped": run.items_failed,
    }
