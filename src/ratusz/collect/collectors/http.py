"""The HTTP side of collection: one httpx client, rate-limit pacing, retries and error classes.

Every response's usage headers feed a shared `Limiter` that spaces calls before a limit is reached;
throttling errors block the scope they name (the app, or one token) for the platform's estimate, capped by
RATUSZ_COLLECT_MAX_WAIT; 5xx, timeouts and malformed bodies are retried with jittered exponential backoff.
Tokens travel only as query parameters of requests and are never put in a message.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson

from ratusz import config


class ApiError(Exception):
    """A platform API answered with an error (or not at all); `message` is safe to log."""

    def __init__(self, message: str, *, code: int | None = None, subcode: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.subcode = subcode


class TransientError(ApiError):
    """5xx, timeout, connection failure, malformed body: worth retrying."""


class Throttled(ApiError):
    """A rate limit was hit; wait `wait` seconds (the platform's estimate) before the next call in `scope`."""

    def __init__(self, message: str, *, wait: float, scope: str, code: int | None = None) -> None:
        super().__init__(message, code=code)
        self.wait = wait
        self.scope = scope  # "app" or "token"


class TokenDead(ApiError):
    """The access token is invalid or expired: the profile has to be re-connected."""


class Gone(ApiError):
    """The object no longer exists (deleted between two calls)."""


class QuotaExhausted(ApiError):
    """The daily quota budget is spent: stop calling this API until it resets."""


def float_setting(name: str) -> float:
    """Return a declared numeric setting as a float."""
    return float(config.get(name))


def _usage_percent(entry: Any) -> float:
    if not isinstance(entry, dict):
        return 0.0
    values = [entry.get(k) for k in ("call_count", "total_cputime", "total_time")]
    return float(max((v for v in values if isinstance(v, int | float)), default=0))


def parse_usage(headers: httpx.Headers) -> tuple[float, float, float]:
    """Return (app %, token %, regain-access minutes) from X-App-Usage, X-Business-Use-Case-Usage and
    X-Page-Usage; absent or unreadable headers count as 0 % (absence is not a promise of zero usage,
    but it is all we know)."""
    app = token = regain = 0.0
    raw_app, raw_page = headers.get("x-app-usage"), headers.get("x-page-usage")
    raw_buc = headers.get("x-business-use-case-usage")
    if raw_app:
        with contextlib.suppress(ValueError):
            app = _usage_percent(json.loads(raw_app))
    if raw_page:
        with contextlib.suppress(ValueError):
            token = _usage_percent(json.loads(raw_page))
    try:
        buc = json.loads(raw_buc) if raw_buc else {}
    except ValueError:
        buc = {}
    if isinstance(buc, dict):
        for entries in buc.values():
            for entry in entries if isinstance(entries, list) else []:
                token = max(token, _usage_percent(entry))
                minutes = entry.get("estimated_time_to_regain_access") if isinstance(entry, dict) else None
                if isinstance(minutes, int | float):
                    regain = max(regain, float(minutes))
    return app, token, regain


class BlockStore:
    """Where throttle blocks outlive a run (the database, see ratusz.collect.runner.DatabaseBlocks).

    `load` returns {scope: blocked-until as a UNIX time} of the blocks still in force; `save` records one.
    """

    def load(self) -> dict[str, float]:  # pragma: no cover - interface
        """Return the blocks still in force."""
        return {}

    def save(self, scope: str, until: float) -> None:  # pragma: no cover - interface
        """Record that `scope` may not be called before `until` (UNIX time)."""


class Limiter:
    """Per-scope 'not before' times shared by all threads of a run (scopes: the app, each token).

    With a BlockStore, a throttling block (an error or 100 % use) is also written there, and blocks written
    by other processes or earlier runs are read at the start and every `refresh` seconds: a second process
    or the next run waits for the same moment instead of calling a blocked API.
    """

    def __init__(
        self,
        sleep: Callable[[float], None] = time.sleep,
        *,
        store: BlockStore | None = None,
        refresh: float = 5.0,
    ) -> None:
        self._lock = threading.Lock()
        self._not_before: dict[str, float] = {}
        self._sleep = sleep
        self.slowdown_at = float_setting("RATUSZ_COLLECT_SLOWDOWN_AT")
        self.max_wait = float_setting("RATUSZ_COLLECT_MAX_WAIT")
        self.waited = 0.0  # seconds spent waiting, for the log and the benchmark
        self.store = store
        self.refresh = refresh
        self._loaded_at = -float("inf")
        self._loading = False

    def _load_stored(self) -> None:
        """Merge the store's blocks in (at most once per `refresh` seconds, by one thread at a time)."""
        with self._lock:
            if self._loading or time.monotonic() - self._loaded_at < self.refresh:
                return
            self._loading = True
        try:
            blocks = self.store.load()
        finally:
            with self._lock:
                self._loading = False
                self._loaded_at = time.monotonic()
        offset = time.monotonic() - time.time()
        with self._lock:
            for scope, until in blocks.items():
                # capped like our own blocks (another process may have another RATUSZ_COLLECT_MAX_WAIT)
                not_before = min(until + offset, time.monotonic() + self.max_wait)
                self._not_before[scope] = max(self._not_before.get(scope, 0.0), not_before)

    def wait_turn(self, scopes: tuple[str, ...]) -> None:
        """Sleep until every scope may be called again."""
        if self.store is not None:
            self._load_stored()
        while True:
            with self._lock:
                until = max((self._not_before.get(s, 0.0) for s in scopes), default=0.0)
            delay = until - time.monotonic()
            if delay <= 0:
                return
            with self._lock:
                self.waited += delay
            self._sleep(delay)

    def block(self, scope: str, seconds: float, *, persist: bool = False) -> float:
        """Forbid calls in a scope for `seconds` (capped by RATUSZ_COLLECT_MAX_WAIT); return the wait applied.

        `persist` also records the block in the store (throttling, not mere pacing)."""
        seconds = max(0.0, min(seconds, self.max_wait))
        with self._lock:
            self._not_before[scope] = max(self._not_before.get(scope, 0.0), time.monotonic() + seconds)
        if persist and self.store is not None and seconds > 0:
            self.store.save(scope, time.time() + seconds)
        return seconds

    def pace(self, scope: str, percent: float, regain_minutes: float = 0.0) -> float:
        """Slow a scope down as its usage approaches 100 %; at 100 % block it until access is regained.

        Returns the delay in seconds imposed on the next call (0 below RATUSZ_COLLECT_SLOWDOWN_AT).
        """
        if percent < self.slowdown_at:
            return 0.0
        if percent >= 100:
            return self.block(scope, (regain_minutes or 1.0) * 60, persist=True)
        fraction = (percent - self.slowdown_at) / max(1.0, 100 - self.slowdown_at)
        return self.block(scope, min(60.0, self.max_wait) * fraction * fraction)


@dataclass
class Counter:
    """A thread-safe request counter."""

    value: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, n: int = 1) -> None:
        """Add n to the counter."""
        with self._lock:
            self.value += n


Classifier = Callable[[httpx.Response, Any], ApiError | None]


def safe_url(url: str) -> str:
    """Return the URL without its query string (which may hold a token), for messages."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


class ApiClient:
    """GET JSON from one platform API for one token, with pacing, retries and error classification."""

    def __init__(
        self,
        http: httpx.Client,
        limiter: Limiter,
        classify: Classifier,
        *,
        token_scope: str,
        app_scope: str,
        counter: Counter | None = None,
        on_event: Callable[[str, str], None] | None = None,
        before_request: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.http = http
        self.limiter = limiter
        self.classify = classify
        self.token_scope = token_scope
        self.app_scope = app_scope
        self.counter = counter or Counter()
        self.on_event = on_event or (lambda kind, message: None)
        self.before_request = before_request
        self.retries = int(float_setting("RATUSZ_COLLECT_RETRIES"))
        self.retry_base = float_setting("RATUSZ_COLLECT_RETRY_BASE")
        self.timeout = float_setting("RATUSZ_COLLECT_TIMEOUT")
        self._sleep = sleep

    def _backoff(self, attempt: int) -> float:
        delay = self.retry_base * (2 ** (attempt - 1)) * random.uniform(0.5, 1.5)
        return min(delay, self.limiter.max_wait)

    def get(self, url: str, params: dict[str, Any] | None = None) -> Any:
        """Return the parsed JSON body of a successful GET; raises an ApiError subclass otherwise."""
        if params:
            # One URL string instead of url + params: httpx then parses and checks the URL once, not twice.
            url = f"{url}{'&' if '?' in url else '?'}{httpx.QueryParams(params)}"
        failures = throttles = 0
        while True:
            self.limiter.wait_turn((self.app_scope, self.token_scope))
            if self.before_request:
                self.before_request(url)
            error: ApiError | None
            try:
                response = self.http.get(url, timeout=self.timeout)
            except httpx.TimeoutException:
                error = TransientError(f"brak odpowiedzi w {self.timeout:g} s: {safe_url(url)}")
            except httpx.TransportError as exc:
                error = TransientError(f"błąd połączenia ({type(exc).__name__}): {safe_url(url)}")
            else:
                self.counter.add()
                app, token, regain = parse_usage(response.headers)
                self.limiter.pace(self.app_scope, app)
                self.limiter.pace(self.token_scope, token, regain)
                try:
                    body: Any = orjson.loads(response.content)
                except ValueError:  # orjson.JSONDecodeError is a ValueError
                    body = None
                    if response.status_code < 500:
                        error = TransientError(
                            f"niepoprawny JSON w odpowiedzi (HTTP {response.status_code}): {safe_url(url)}"
                        )
                    else:
                        error = TransientError(f"błąd serwera HTTP {response.status_code}: {safe_url(url)}")
                else:
                    error = self.classify(response, body)
                    if error is None:
                        return body
            if isinstance(error, Throttled):
                throttles += 1
                if throttles > self.retries:
                    raise error
                scope = self.app_scope if error.scope == "app" else self.token_scope
                waited = self.limiter.block(scope, error.wait, persist=True)
                self.on_event("throttled", f"{error.message}; czekam {waited:.1f} s")
                continue
            if isinstance(error, TransientError):
                failures += 1
                if failures > self.retries:
                    error.message = f"{error.message} (po {failures} próbach)"
                    raise error
                self._sleep(self._backoff(failures))
                continue
            raise error

    def paged(self, url: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Yield every item of a cursor-paged Graph edge, following paging.next until it is absent
        (a short or empty page is not the end)."""
        body = self.get(url, params)
        while True:
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise ApiError(f"odpowiedź bez listy „data”: {safe_url(url)}")
            yield from data
            paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
            next_url = paging.get("next")
            if not next_url:
                return
            body = self.get(next_url)
