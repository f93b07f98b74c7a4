"""Cached pages and fragments: one data version, a small per-process memo and a stampede guard.

Pages cache what they compute (rankings, peer groups, panels, whole page bodies) under keys that end with
a data version: the newest post, follower snapshot and profile ids (`data_version`; `page_version` adds the
newest comment id, for pages that show comments), re-read every DATA_VERSION_SECONDS, and a generation
that saves bump (`data_changed`). The generation lives in the
Django cache, so with a shared backend (RATUSZ_CACHE_DIR) a save in one server process makes every
process recompute. `cached()` lets only one computation of a key run at a time — the threads of a
process wait on a lock, other processes on a marker in the shared cache — so fifty users opening a page
whose entry just expired start one computation, not fifty.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response

CACHE_SECONDS = 1800  # computing a national ranking takes seconds to minutes; saves invalidate sooner
DATA_VERSION_SECONDS = 30  # how often the newest ids are re-read from the database
LOCAL_VERSION_SECONDS = 1.0  # one process reuses the version it read for this long (no cache read)
LOCK_SECONDS = 600  # a computation marker older than this is ignored (its process died)
WAIT_SECONDS = 120.0  # how long a request waits for another process's computation before doing it too
POLL_SECONDS = 0.05

GENERATION_KEY = "ratusz:data-generation"
VERSION_KEY = "ratusz:data-version"
_MISSING = object()

_LOCAL: OrderedDict[str, Any] = OrderedDict()
_LOCAL_SIZE = 512
_GUARD = threading.Lock()  # protects _LOCAL, _KEY_LOCKS and _VERSION
_KEY_LOCKS: dict[str, threading.Lock] = {}
_VERSION: list[Any] = [0.0, "", ""]  # [monotonic time read, data version, page version]


def fingerprint(obj: Any) -> str:
    """Return a 32-hex-digit digest of a JSON-able value (dates as text): a short, stable cache-key part."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:32]


def data_changed(**_kwargs: Any) -> None:
    """Signal receiver: a post, follower snapshot, profile, unit or comment was saved or deleted.

    Bumps the data generation (in this process and in the shared cache) and forgets the memoised values,
    so pages never show figures computed before the change. Bulk inserts send no signal: the newest ids in
    `data_version` catch those within DATA_VERSION_SECONDS; counts updated in bulk by another process show
    when the entry expires (CACHE_SECONDS, or the page's own shorter time)."""
    with _GUARD:
        _LOCAL.clear()
        _VERSION[0] = 0.0
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not stored yet (or evicted): a new value differs from any keys were built with
        cache.set(GENERATION_KEY, time.time_ns(), None)
    cache.delete(VERSION_KEY)


def _read_ids() -> tuple[str, str]:
    from ratusz.collect.models import Comment, FollowerSnapshot, Post
    from ratusz.registry.models import Profile

    parts = [model.objects.aggregate(m=Max("id"))["m"] for model in (Post, FollowerSnapshot, Profile)]
    return "-".join(str(p or 0) for p in parts), str(Comment.objects.aggregate(m=Max("id"))["m"] or 0)


def data_version() -> str:
    """Return a short text that changes whenever posts, follower snapshots or profiles are added (their
    newest ids, re-read every DATA_VERSION_SECONDS) or anything is saved (the generation)."""
    return _versions()[0]


def page_version() -> str:
    """Return `data_version()` extended with the newest comment id: the version of pages that also show
    comments or figures drawn from them (moods, open questions)."""
    return _versions()[1]


def _versions() -> tuple[str, str]:
    now = time.monotonic()
    with _GUARD:
        if now - _VERSION[0] < LOCAL_VERSION_SECONDS:
            return _VERSION[1], _VERSION[2]
    stored = cache.get_many([VERSION_KEY, GENERATION_KEY])
    generation = stored.get(GENERATION_KEY)
    if generation is None:
        # Never set, or evicted: start from a value no earlier key was built with.
        cache.add(GENERATION_KEY, time.time_ns(), None)
        generation = cache.get(GENERATION_KEY, 0)
    ids = stored.get(VERSION_KEY)
    if ids is None:
        ids = _read_ids()
        cache.set(VERSION_KEY, ids, DATA_VERSION_SECONDS)
    data, page = f"{generation}:{ids[0]}", f"{generation}:{ids[0]}-{ids[1]}"
    with _GUARD:
        _VERSION[:] = [now, data, page]
    return data, page


def memo_get(key: str) -> Any:
    """Return the value memoised in this process under key (None when absent or expired)."""
    with _GUARD:
        entry = _LOCAL.get(key, _MISSING)
        if entry is _MISSING:
            return None
        if entry[0] < time.monotonic():
            del _LOCAL[key]
            return None
        _LOCAL.move_to_end(key)
        return entry[1]


def memo_set(key: str, value: Any, timeout: float = CACHE_SECONDS) -> None:
    """Memoise a value in this process for `timeout` seconds (the oldest entries go first when the memo
    is full)."""
    with _GUARD:
        _LOCAL[key] = (time.monotonic() + timeout, value)
        _LOCAL.move_to_end(key)
        while len(_LOCAL) > _LOCAL_SIZE:
            _LOCAL.popitem(last=False)


def clear_local_cache() -> None:
    """Forget everything memoised in this process (tests; the Django cache is separate)."""
    with _GUARD:
        _LOCAL.clear()
        _VERSION[0] = 0.0


def _key_lock(key: str) -> threading.Lock:
    with _GUARD:
        lock = _KEY_LOCKS.get(key)
        if lock is None:
            if len(_KEY_LOCKS) > 4 * _LOCAL_SIZE:
                # Drop the locks nobody holds; a holder keeps its own reference.
                for k in [k for k, v in _KEY_LOCKS.items() if not v.locked()]:
                    del _KEY_LOCKS[k]
            lock = _KEY_LOCKS[key] = threading.Lock()
        return lock


def cached(
    key: str,
    compute: Callable[[], Any],
    timeout: int = CACHE_SECONDS,
    keep: Callable[[Any], bool] | None = None,
) -> Any:
    """Return the value stored under key: from this process's memory (no unpickling), else from the
    Django cache (shared by the server's workers when RATUSZ_CACHE_DIR is set), else compute it — once:
    concurrent requests for the same key wait for that computation — and store it in both.

    `compute` must not return None. Exceptions propagate and nothing is stored; neither is a computed
    value for which `keep(value)` is false (it is returned all the same)."""
    value = memo_get(key)
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        with _key_lock(key):  # the other threads of this process wait here …
            value = memo_get(key)
            if value is None:
                value = cache.get(key)
            if value is None:
                value = _compute_once(key, compute, timeout, keep)
                if keep is not None and not keep(value):
                    return value
    # A value read back from the shared cache may be older: the memo never outlives `timeout` from now,
    # which bounds staleness to twice the timeout at worst.
    memo_set(key, value, timeout)
    return value


def _compute_once(
    key: str, compute: Callable[[], Any], timeout: int, keep: Callable[[Any], bool] | None
) -> Any:
    # … and other processes wait for the marker's owner (add() is atomic in Redis or Memcached, nearly so
    # in the file cache: at worst two processes compute the same value).
    marker = f"{key}:computing"
    if not cache.add(marker, 1, LOCK_SECONDS):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and cache.get(marker) is not None:
            time.sleep(POLL_SECONDS)
            value = cache.get(key)
            if value is not None:
                return value
        value = cache.get(key)
        if value is not None:
            return value
    try:
        value = compute()
        if keep is None or keep(value):
            cache.set(key, value, timeout)
        return value
    finally:
        cache.delete(marker)


# --- HTTP caching -----------------------------------------------------------------------------------


def page_etag(request: HttpRequest, key: str) -> str | None:
    """Return the ETag of an anonymous visitor's page whose body is cached under key, or None (signed-in
    users get no ETag: what they see may depend on who they are).

    The page carries the visitor's CSRF token (the language switch), so the tag includes the CSRF cookie:
    a browser revalidating its own copy gets 304, nobody else's copy matches."""
    if request.user.is_authenticated:
        return None
    from django.conf import settings

    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return f'W/"{fingerprint([key, csrf])}"'


def not_modified(request: HttpRequest, etag: str | None) -> HttpResponse | None:
    """Return a 304 response when the request's If-None-Match matches etag, else None."""
    if etag is None or request.method not in ("GET", "HEAD"):
        return None
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        _set_cache_headers(response, etag)
    return response


def _set_cache_headers(response: HttpResponse, etag: str | None) -> None:
    if etag is None:
        return
    response["ETag"] = etag
    # The page holds a per-visitor CSRF token: browsers may keep it, shared caches may not, and the
    # browser asks again each time (a cheap 304 while the data is unchanged).
    response["Cache-Control"] = "private, no-cache"


def with_cache_headers(response: HttpResponse, etag: str | None) -> HttpResponse:
    """Set ETag and Cache-Control on a successful page response (nothing on errors); return it."""
    if response.status_code == 200:
        _set_cache_headers(response, etag)
    return response
