"""Rate limits of the ballot endpoint, counted in the database so every web worker and server shares them.

One request costs one statement: an atomic upsert of the bucket's row (INSERT … ON CONFLICT DO UPDATE …
RETURNING, on PostgreSQL and SQLite alike) that starts a new count when the minute has changed. Concurrent
requests of one bucket are serialised by the row, so no count is lost. The table is UNLOGGED on PostgreSQL.
"""

from __future__ import annotations

import random
import time

from django.conf import settings
from django.db import connection

from ratusz import config
from ratusz.voting.models import RateCounter

_TABLE = RateCounter._meta.db_table
_UPSERT = (
    f"INSERT INTO {_TABLE} (bucket, slot, hits) VALUES (%s, %s, 1) "
    f"ON CONFLICT (bucket) DO UPDATE SET "
    f"hits = CASE WHEN {_TABLE}.slot = excluded.slot THEN {_TABLE}.hits + 1 ELSE 1 END, slot = excluded.slot "
    f"RETURNING hits"
)
_PRUNE_EVERY = 1000  # about one request in this many deletes counters of past windows


def limits() -> tuple[int, int]:
    """Return (requests per minute per link, failed link lookups per minute per client address)."""
    raw = getattr(settings, "RATUSZ_VOTE_RATE_LIMIT", None) or config.get("RATUSZ_VOTE_RATE_LIMIT")
    per_link, _, per_ip = str(raw).partition(",")
    return int(per_link or 30), int(per_ip or per_link or 30)


def hit(bucket: str, limit: int, window_seconds: int = 60) -> bool:
    """Count one request in a fixed time window; return True while the bucket stays within `limit`."""
    now = time.time()
    slot = int(now // window_seconds) * window_seconds
    key = f"{bucket[:90]}/{window_seconds}"
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [key, slot])
        hits = cursor.fetchone()[0]
        if random.randrange(_PRUNE_EVERY) == 0:
            cursor.execute(f"DELETE FROM {_TABLE} WHERE slot < %s", [int(now) - 3600])
    return hits <= limit


def client_address(request) -> str:
    """Return the client's address as seen by Django (REMOTE_ADDR; a proxy must set it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"
