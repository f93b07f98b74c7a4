"""Pseudonymisation of residents (GDPR): comment authors are stored as a keyed hash only."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=1)
def _key() -> bytes:
    return settings.PSEUDONYM_KEY.encode()


def author_key(platform: str, author_id: str | None) -> str:
    """Return a 32-hex-character keyed hash (HMAC-SHA256) of an author's platform id, or '' if unknown.

    The same author gets the same key within one installation (so replies and repeat commenters can
    be counted), but the key cannot be turned back into the id without RATUSZ_PSEUDONYM_KEY.
    """
    if not author_id:
        return ""
    digest = hmac.new(_key(), f"{platform}:{author_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:32]
