"""Rate limits of the ballot endpoint, kept in a Django cache shared by all web workers (no extra service)."""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches
from django.core.cache.backends.filebased import FileBasedCache

from ratusz import config


class SharedFileCache(FileBasedCache):
    """Django's file cache (shared by all worker processes), culling on 1 in 200 writes instead of every write.

    The stock backend lists the whole cache folder on every write to decide whether to cull; with one key per
    voting link that listing would cost more than the rest of the request.
    """

    def _cull(self) -> None:
        if random.random() < 0.005:
            super()._cull()


def _cache():
    try:
        return caches["ratelimit"]
    except InvalidCacheBackendError:
        return caches["default"]


def limits() -> tuple[int, int]:
    """Return (requests per minute per link, failed link lookups per minute per client address)."""
    raw = getattr(settings, "RATUSZ_VOTE_RATE_LIMIT", None) or config.get("RATUSZ_VOTE_RATE_LIMIT")
    per_link, _, per_ip = str(raw).partition(",")
    return int(per_link or 30), int(per_ip or per_link or 30)


def hit(bucket: str, limit: int, window_seconds: int = 60) -> bool:
    """Count one request in a fixed time window; return True while the bucket stays within `limit`."""
    cache = _cache()
    window = int(time.time() // window_seconds)
    key = f"vote-rl:{bucket}:{window}"
    if cache.add(key, 1, timeout=window_seconds * 2):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds * 2)
        return True
    return count <= limit


def client_address(request) -> str:
    """Return the client's address as seen by Django (REMOTE_ADDR; a proxy must set it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
