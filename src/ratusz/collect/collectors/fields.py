"""Strict readers of payload fields: a missing or mistyped required field raises ItemError (item skipped)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from ratusz.collect.collectors.base import ItemError
from ratusz.collect.privacy import author_key


@lru_cache(maxsize=65536)
def pseudonym(platform: str, author_id: str | None) -> str:
    """Return ratusz.collect.privacy.author_key, remembered per author: residents comment many times and
    the keyed hash is a fifth of the cost of reading a comment."""
    return author_key(platform, author_id)


def required_str(item: dict[str, Any], key: str) -> str:
    """Return a non-empty string field, or raise ItemError naming it."""
    value = item.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        raise ItemError(f"brak pola „{key}”" if value in (None, "") else f"pole „{key}” ma zły typ")
    return value


def optional_str(item: dict[str, Any], key: str) -> str:
    """Return a string field or '' when absent; ItemError when it has another type."""
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ItemError(f"pole „{key}” ma zły typ ({type(value).__name__})")
    return value


def parse_time(value: Any, key: str) -> datetime:
    """Return an aware UTC datetime from an ISO 8601 string (Graph's +0000 form included)."""
    if not isinstance(value, str) or not value:
        raise ItemError(f"brak pola „{key}”" if not value else f"pole „{key}” ma zły typ")
    try:  # the usual forms (…Z, …+0000, …+00:00) parse directly
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return _parse_time_slowly(value, key)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed if parsed.tzinfo is UTC else parsed.astimezone(UTC)


def _parse_time_slowly(value: str, key: str) -> datetime:
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():  # +0000 -> +00:00
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ItemError(f"pole „{key}” nie jest datą: {value[:40]!r}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def count(value: Any, key: str) -> int | None:
    """Return a non-negative count (int or digit string, as YouTube sends), None when absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ItemError(f"pole „{key}” ma zły typ (bool)")
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, int) and value >= 0:
        return value
    raise ItemError(f"pole „{key}” nie jest liczbą nieujemną: {str(value)[:40]!r}")


def summary_count(item: dict[str, Any], key: str) -> int | None:
    """Return `summary.total_count` of an edge requested with .summary(total_count), None when absent."""
    edge = item.get(key)
    if edge is None:
        return None
    if not isinstance(edge, dict):
        raise ItemError(f"pole „{key}” ma zły typ")
    summary = edge.get("summary")
    if summary is None:
        return None
    if not isinstance(summary, dict):
        raise ItemError(f"pole „{key}.summary” ma zły typ")
    return count(summary.get("total_count"), f"{key}.summary.total_count")
