"""Running a collection: plan resumable windows per profile, run the collectors concurrently, keep the log.

Windows sit on a fixed grid of RATUSZ_COLLECT_WINDOW_DAYS days (Europe/Warsaw midnights), so a run killed
at any moment and started again finds the same windows: unfinished ones resume below their `resume_until`,
finished ones of the same day are skipped. Every write is an upsert by platform id.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from django.db import close_old_connections, connection, connections, router, transaction
from django.db.models import F
from django.utils import timezone

from ratusz import config
from ratusz.collect import store
from ratusz.collect.collectors import Collector, Job, Window, get_collector
from ratusz.collect.collectors.base import CommentData, PostData
from ratusz.collect.collectors.http import (
    ApiClient,
    ApiError,
    BlockStore,
    Counter,
    Limiter,
    QuotaExhausted,
    Throttled,
    TokenDead,
)
from ratusz.collect.run_models import (
    CollectionCursor,
    CollectionLogEntry,
    CollectionRun,
    CursorState,
    LogLevel,
    RunStatus,
    ThrottleBlock,
)
from ratusz.collect.tokens import get_token
from ratusz.errors import RatuszError
from ratusz.registry.models import ConnectionState, Profile

WARSAW = ZoneInfo("Europe/Warsaw")
GRID_ORIGIN = date(2000, 1, 3)  # a Monday: with 7-day windows, windows run Monday to Monday


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=WARSAW).astimezone(UTC)


def window_grid(since: date | None, today: date) -> list[tuple[datetime, datetime]]:
    """Return the [start, end) bounds of the grid windows from `since` (default: the lookback) to today."""
    size = max(1, int(config.get("RATUSZ_COLLECT_WINDOW_DAYS")))
    start = since or today - timedelta(days=int(config.get("RATUSZ_COLLECT_LOOKBACK_DAYS")))
    day = GRID_ORIGIN + timedelta(days=((start - GRID_ORIGIN).days // size) * size)
    bounds = []
    while day <= today:
        bounds.append((_midnight(day), _midnight(day + timedelta(days=size))))
        day += timedelta(days=size)
    return bounds


def plan_windows(
    profile: Profile, since: date | None, *, now: datetime, refresh: bool = False
) -> list[Window]:
    """Return the windows still to collect for a profile, newest first (creating their cursor rows).

    Unfinished windows of earlier runs are always included, whatever `since` is; a window finished today
    is skipped unless `refresh`.
    """
    today = now.astimezone(WARSAW).date()
    fresh_after = _midnight(today)
    chosen: dict[int, CollectionCursor] = {}
    for start, end in window_grid(since, today):
        cursor, _ = CollectionCursor.objects.get_or_create(
            profile=profile, window_start=start, window_end=end
        )
        if cursor.state == CursorState.DONE and (
            refresh or not cursor.completed_at or cursor.completed_at < fresh_after
        ):
            cursor.state, cursor.resume_until, cursor.error = CursorState.PENDING, None, ""
            cursor.save(update_fields=["state", "resume_until", "error"])
        if cursor.state != CursorState.DONE:
            chosen[cursor.pk] = cursor
    for cursor in CollectionCursor.objects.filter(profile=profile).exclude(state=CursorState.DONE):
        chosen.setdefault(cursor.pk, cursor)
    ordered = sorted(chosen.values(), key=lambda c: c.window_start, reverse=True)
    return [Window(c.pk, c.window_start, c.window_end, c.resume_until) for c in ordered]


def _mark_saved_until(cursor_id: int, published_at: datetime, run_id: int) -> None:
    """Move a window's resume point back to a post just saved (one plain UPDATE: it runs once per post)."""
    cursor_model = CollectionCursor._meta
    connection = connections[router.db_for_write(CollectionCursor)]
    q = connection.ops.quote_name
    field = cursor_model.get_field("resume_until")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {q(cursor_model.db_table)} SET {q('resume_until')} = %s, {q('state')} = %s, "
            f"{q('run_id')} = %s WHERE {q('id')} = %s",
            [field.get_db_prep_save(published_at, connection), CursorState.RUNNING.value, run_id, cursor_id],
        )


@dataclass
class ProfileResult:
    """What one profile's collection did."""

    profile_id: int
    ok: bool = True
    posts: int = 0
    comments: int = 0
    skipped: int = 0
    windows_done: int = 0
    stopped: str = ""


@dataclass
class _WindowPass:
    failed: str = ""
    last_time: datetime | None = None


@dataclass
class Progress:
    """A progress event for the CLI: one window (or a whole profile) finished."""

    profile: Profile
    windows: int = 1
    result: ProfileResult | None = None


class _ProfileCollection:
    """Collect one profile: its follower snapshot, then its windows; log everything under the run."""

    def __init__(self, runner: Runner, profile: Profile, windows: list[Window]) -> None:
        self.runner = runner
        self.profile = profile
        self.windows = windows
        self.result = ProfileResult(profile.pk)
        self.passes: dict[int, _WindowPass] = {}

    def log(self, level: str, kind: str, message: str, item_id: str = "") -> None:
        with self.runner.writing():
            CollectionLogEntry.objects.create(
                run=self.runner.run,
                profile=self.profile,
                level=level,
                kind=kind,
                item_id=item_id[:200],
                message=message,
            )

    def skip_item(self, item_id: str, reason: str) -> None:
        self.result.skipped += 1
        self.log(LogLevel.WARNING, "item_skipped", reason, item_id)

    def warn(self, item_id: str, message: str) -> None:
        self.log(LogLevel.WARNING, "warning", message, item_id)

    def window_failed(self, window: Window, reason: str) -> None:
        self.passes.setdefault(window.cursor_id, _WindowPass()).failed = reason
        self.log(LogLevel.ERROR, "window_failed", f"{window.start:%Y-%m-%d}..{window.end:%Y-%m-%d}: {reason}")

    def save_followers(self, day: date, followers: int | None, fans: int | None) -> None:
        with self.runner.writing():
            store.save_followers(self.profile, day, followers, fans, self.runner.now)

    def save_post(self, window: Window, data: PostData, comments: list[CommentData]) -> None:
        state = self.passes.setdefault(window.cursor_id, _WindowPass())
        in_order = state.last_time is None or data.published_at <= state.last_time
        with self.runner.writing(), transaction.atomic():
            _, saved = store.save_post(
                self.profile, data, comments, counts_at=self.runner.now, snapshot_at=self.runner.snapshot_at
            )
            if in_order and not state.failed:
                # Posts come newest first: everything at or after this moment in the window is now saved.
                _mark_saved_until(window.cursor_id, data.published_at, self.runner.run.pk)
        if not in_order:
            state.failed = state.failed or "posty nie przyszły od najnowszego: okno zostanie powtórzone"
        state.last_time = data.published_at if in_order else state.last_time
        self.result.posts += 1
        self.result.comments += saved

    def _finish_window(self, window: Window) -> None:
        with self.runner.writing():
            self._record_window(window)

    def _record_window(self, window: Window) -> None:
        state = self.passes.get(window.cursor_id, _WindowPass())
        if state.failed:
            CollectionCursor.objects.filter(pk=window.cursor_id).update(
                state=CursorState.FAILED, error=state.failed[:2000], run=self.runner.run
            )
            self.result.ok = False
        else:
            CollectionCursor.objects.filter(pk=window.cursor_id).update(
                state=CursorState.DONE,
                completed_at=timezone.now(),
                resume_until=None,
                error="",
                run=self.runner.run,
            )
            self.result.windows_done += 1

    def _collect_window(self, collector: Collector, job: Job, window: Window) -> None:
        """Collect a window; when its listing breaks half-way (e.g. a paging cursor invalidated because a
        post was deleted), list it once more from the last saved post instead of waiting for the next run."""
        try:
            collector.collect_window(job, window)
        except (TokenDead, Throttled, QuotaExhausted):
            raise
        except ApiError as exc:
            resume = (
                CollectionCursor.objects.filter(pk=window.cursor_id)
                .values_list("resume_until", flat=True)
                .get()
            )
            when = f"{resume:%Y-%m-%d %H:%M:%S} UTC" if resume else "początku okna"
            self.log(LogLevel.WARNING, "window_retry", f"{exc.message}: pobieram okno jeszcze raz od {when}")
            # The new pass lists everything older than the last saved post again, failed posts included.
            self.passes.pop(window.cursor_id, None)
            collector.collect_window(job, Window(window.cursor_id, window.start, window.end, resume))

    def _stop(self, kind: str, message: str) -> None:
        self.result.ok = False
        self.result.stopped = message
        self.log(LogLevel.ERROR, kind, message)

    def run(self) -> ProfileResult:
        try:
            collector_cls = get_collector(self.profile.platform)
            token = get_token(self.profile)
        except RatuszError as exc:
            self._stop("not_collected", exc.message)
            return self.result
        collector: Collector = collector_cls()
        if collector.needs_token and not token:
            self._stop(
                "no_token", "brak tokenu dostępu: dodaj go poleceniem `ratusz profiles token ID` lub w panelu"
            )
            return self.result
        job = Job(
            profile=self.profile,
            token=token,
            client=self.runner.client_for(collector, self.profile, self),
            save_followers=self.save_followers,
            save_post=self.save_post,
            skip_item=self.skip_item,
            warn=self.warn,
            window_failed=self.window_failed,
        )
        steps: list[Window | None] = [None, *self.windows]  # None = the follower snapshot
        reported = 0
        for window in steps:
            try:
                if window is None:
                    collector.snapshot_followers(job, self.runner.today)
                    continue
                with self.runner.writing():
                    CollectionCursor.objects.filter(pk=window.cursor_id).update(state=CursorState.RUNNING)
                self._collect_window(collector, job, window)
                self._finish_window(window)
            except TokenDead as exc:
                with self.runner.writing():
                    Profile.objects.filter(pk=self.profile.pk).update(
                        connection_state=ConnectionState.NEEDS_RECONNECT
                    )
                self._stop(
                    "token_dead", f"token nieważny ({exc.message}): profil wymaga ponownego podłączenia"
                )
                break
            except Throttled as exc:
                self._stop(
                    "throttled",
                    f"limit zapytań wciąż przekroczony ({exc.message}): dokończę w następnym przebiegu",
                )
                break
            except QuotaExhausted as exc:
                self._stop("quota", exc.message)
                break
            except ApiError as exc:
                if window is None:
                    self.warn(self.profile.platform_id, f"liczba obserwujących niepobrana: {exc.message}")
                else:
                    self.window_failed(window, exc.message)
                    self._finish_window(window)
            finally:
                if window is not None:
                    reported += 1
                    self.runner.advance(self.profile)
        for _ in range(len(self.windows) - reported):  # windows left after a stop still count as handled
            self.runner.advance(self.profile)
        r = self.result
        summary = f"{r.posts} postów, {r.comments} komentarzy, {r.skipped} pominiętych, {r.windows_done} okien gotowych"
        self.log(
            LogLevel.INFO if r.ok else LogLevel.WARNING,
            "profile_done" if r.ok else "profile_partial",
            summary,
        )
        return r


class DatabaseBlocks(BlockStore):
    """Throttle blocks kept in the database (ThrottleBlock), shared by every collecting process."""

    def __init__(self, writing: Callable[[], contextlib.AbstractContextManager]) -> None:
        self.writing = writing

    def load(self) -> dict[str, float]:
        """Return {scope: blocked-until UNIX time} of the blocks still in force."""
        now = timezone.now()
        return {
            scope: until.timestamp()
            for scope, until in ThrottleBlock.objects.filter(blocked_until__gt=now).values_list(
                "scope", "blocked_until"
            )
        }

    def save(self, scope: str, until: float) -> None:
        """Record a block (a later moment already recorded for the scope is kept)."""
        when = datetime.fromtimestamp(until, UTC)
        with self.writing(), transaction.atomic():
            ThrottleBlock.objects.filter(blocked_until__lt=timezone.now()).delete()
            block, created = ThrottleBlock.objects.get_or_create(
                scope=scope, defaults={"blocked_until": when}
            )
            if not created and block.blocked_until < when:
                ThrottleBlock.objects.filter(pk=block.pk).update(blocked_until=when)


class Runner:
    """One collection run over many profiles, sharing an HTTP client, a rate limiter and a request counter."""

    def __init__(
        self,
        *,
        since: date | None = None,
        refresh: bool = False,
        concurrency: int | None = None,
        trigger: str = "cli",
        now: datetime | None = None,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        self.since = since
        self.refresh = refresh
        self.concurrency = max(1, concurrency or int(config.get("RATUSZ_COLLECT_CONCURRENCY")))
        self.trigger = trigger
        self.now = now or timezone.now()
        self.today = self.now.astimezone(WARSAW).date()
        self.snapshot_at = _midnight(self.today)
        self.on_progress = on_progress or (lambda event: None)
        self.limiter = Limiter(store=DatabaseBlocks(self.writing))
        self.counter = Counter()
        self._lock = threading.Lock()
        self.http = httpx.Client(
            limits=httpx.Limits(
                max_connections=self.concurrency * 2, max_keepalive_connections=self.concurrency * 2
            ),
            headers={"User-Agent": "ratusz-collector"},
        )
        self.run: CollectionRun | None = None
        # SQLite has one writer at a time and its busy handler sleeps while waiting: threads of this process
        # take turns on a lock instead. PostgreSQL writes concurrently.
        self._write_lock = (
            threading.RLock() if connection.vendor == "sqlite" and self.concurrency > 1 else None
        )

    def writing(self) -> contextlib.AbstractContextManager:
        """Return the context to hold while writing (a process-wide lock on SQLite, nothing on PostgreSQL)."""
        return self._write_lock if self._write_lock is not None else contextlib.nullcontext()

    def client_for(self, collector: Collector, profile: Profile, pc: _ProfileCollection) -> ApiClient:
        """Return an API client bound to one profile's token scope, logging throttling to its log."""
        return ApiClient(
            self.http,
            self.limiter,
            collector.classify,
            token_scope=f"token:{collector.id}:{profile.pk}",
            app_scope=f"app:{collector.id}",
            counter=self.counter,
            on_event=lambda kind, message: pc.log(LogLevel.WARNING, kind, message),
            before_request=getattr(collector, "before_request", None),
        )

    def advance(self, profile: Profile) -> None:
        """Report one finished window to the progress callback."""
        with self._lock:
            self.on_progress(Progress(profile))

    def _collect_one(self, profile: Profile, windows: list[Window], in_thread: bool) -> ProfileResult:
        from ratusz.collect.signals import posts_stored

        try:
            result = _ProfileCollection(self, profile, windows).run()
            # Posts are saved one transaction each; derived tables (the metrics rollup) follow once per profile.
            with self.writing(), transaction.atomic():
                posts_stored.send(sender="collect", profile_id=profile.pk)
            return result
        finally:
            if in_thread:
                connections.close_all()

    def execute(self, profiles: Iterable[Profile]) -> CollectionRun:
        """Collect the given profiles; return the finished CollectionRun (its log says what failed and why)."""
        mark_interrupted_runs()
        profiles = list(profiles)
        self.run = CollectionRun.objects.create(
            trigger=self.trigger,
            since=self.since,
            pid=os.getpid(),
            host=socket.gethostname()[:200],
            profiles_total=len(profiles),
        )
        with transaction.atomic():  # one commit for thousands of cursor rows
            plans = [(p, plan_windows(p, self.since, now=self.now, refresh=self.refresh)) for p in profiles]
        self.total_windows = sum(len(w) for _, w in plans)
        results: list[ProfileResult] = []
        try:
            if self.concurrency == 1:
                results = [self._collect_one(p, w, False) for p, w in plans]
            else:
                with ThreadPoolExecutor(self.concurrency, thread_name_prefix="collect") as pool:
                    futures = [pool.submit(self._collect_one, p, w, True) for p, w in plans]
                    results = [f.result() for f in as_completed(futures)]
                close_old_connections()
        finally:
            self.http.close()
            self._finish(results, len(profiles))
        return self.run

    def _finish(self, results: list[ProfileResult], total: int) -> None:
        run = self.run
        ok = sum(1 for r in results if r.ok)
        failed = total - ok
        CollectionRun.objects.filter(pk=run.pk).update(
            finished_at=timezone.now(),
            status=RunStatus.OK if failed == 0 else (RunStatus.PARTIAL if ok else RunStatus.FAILED),
            profiles_ok=ok,
            profiles_failed=failed,
            items_saved=sum(r.posts for r in results),
            comments_saved=sum(r.comments for r in results),
            items_failed=sum(r.skipped for r in results),
            requests=F("requests") + self.counter.value,
        )
        run.refresh_from_db()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted_runs() -> int:
    """Mark runs left 'running' by a process of this host that no longer exists; return how many."""
    host = socket.gethostname()[:200]
    stale = [
        r.pk
        for r in CollectionRun.objects.filter(status=RunStatus.RUNNING, host=host)
        if r.pid is None or (r.pid != os.getpid() and not _pid_alive(r.pid))
    ]
    return CollectionRun.objects.filter(pk__in=stale).update(
        status=RunStatus.INTERRUPTED, finished_at=timezone.now()
    )


def collect_profiles(profiles: Iterable[Profile], **kwargs) -> CollectionRun:  # noqa: ANN003
    """Collect the given profiles (see Runner for the options); return the finished CollectionRun."""
    from ratusz.collect.signals import comments_stored

    run = Runner(**kwargs).execute(profiles)
    comments_stored.send(sender="collect", count=None)
    return run


def collectable_profiles():  # noqa: ANN201
    """Return the queryset of active profiles of platforms that have a collector."""
    from ratusz.collect.collectors import registered_collectors

    return Profile.objects.filter(active=True, platform__in=list(registered_collectors())).order_by("id")
