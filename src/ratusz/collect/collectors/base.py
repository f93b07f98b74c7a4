"""The collector interface: what a platform plug-in declares and implements, and what it is handed.

A collector turns one platform's payloads into `PostData`/`CommentData`/follower counts; the runner owns
windows, progress, the database and the log, so every platform resumes and fails the same way.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from ratusz import config
from ratusz.collect.reactions import Reactions, no_reactions
from ratusz.registry.models import Platform, Profile


class ItemError(Exception):
    """One post or comment payload is unusable (missing or mistyped field); it is skipped and logged."""


@dataclass
class CommentData:
    """A comment normalised from a platform payload (author already pseudonymised)."""

    platform_id: str
    created_at: datetime
    text: str
    author_key: str
    is_from_profile: bool
    parent_platform_id: str | None = None
    likes_count: int | None = None
    replies_count: int | None = None


@dataclass
class PostData:
    """A post normalised from a platform payload; counts the platform did not give stay None."""

    platform_id: str
    published_at: datetime
    text: str = ""
    format: str = "other"
    permalink: str = ""
    is_own: bool = True
    reactions: Reactions = field(default_factory=no_reactions)  # per type; a type not given is left out
    reactions_total: int | None = None
    comments_count: int | None = None
    shares_count: int | None = None
    views_count: int | None = None
    raw: dict[str, Any] | None = None


@dataclass(frozen=True)
class Window:
    """A time window [start, end) of one profile, with the moment before which work remains (resume)."""

    cursor_id: int
    start: datetime
    end: datetime
    resume_until: datetime | None

    def fetch_until(self) -> datetime:
        """Return the upper bound to ask the platform for: the window's end, or just past the oldest
        item already saved when a killed run is resumed (items come newest first)."""
        if self.resume_until is None:
            return self.end
        return min(self.end, self.resume_until + timedelta(seconds=1))


@dataclass
class Job:
    """What a collector is given for one profile: its token, an API client and the ways to save and log."""

    profile: Profile
    token: str | None
    client: Any  # ratusz.collect.collectors.http.ApiClient
    save_followers: Callable[[date, int | None, int | None], None]
    save_post: Callable[[Window, PostData, list[CommentData]], None]
    skip_item: Callable[[str, str], None]
    warn: Callable[[str, str], None]
    window_failed: Callable[[Window, str], None]


class Collector(ABC):
    """One platform plug-in. Subclasses declare `id` (a Platform value), `title` and `settings` they read."""

    id: ClassVar[str]
    title: ClassVar[str]
    settings: ClassVar[tuple[str, ...]] = ()
    needs_token: ClassVar[bool] = True
    #: Setting names of the API's base URL; read at call time so tests and proxies can point it elsewhere.
    base_url_setting: ClassVar[str] = ""

    @classmethod
    def check_declaration(cls) -> None:
        """Raise TypeError unless the class declares a known platform id, a title and only declared settings."""
        if getattr(cls, "id", "") not in Platform.values:
            raise TypeError(f"{cls.__name__}.id must be one of {Platform.values}")
        if not getattr(cls, "title", ""):
            raise TypeError(f"{cls.__name__}.title is empty")
        unknown = [s for s in cls.settings if s not in config.SETTINGS]
        if unknown:
            raise TypeError(f"{cls.__name__} reads undeclared settings: {unknown}")
        if cls.base_url_setting and cls.base_url_setting not in cls.settings:
            raise TypeError(f"{cls.__name__}.base_url_setting must be one of its settings")

    def base_url(self) -> str:
        """Return the API base URL from the declared setting (no trailing slash)."""
        return config.get(self.base_url_setting).rstrip("/")

    def token_key(self, job: Job) -> str:
        """Return the key that per-token rate limits are tracked under (default: the profile)."""
        return f"{self.id}:{job.profile.platform_id}"

    @abstractmethod
    def snapshot_followers(self, job: Job, day: date) -> None:
        """Fetch the profile's audience size and save it for `day` via job.save_followers."""

    @abstractmethod
    def collect_window(self, job: Job, window: Window) -> None:
        """Fetch every post of the window (newest first, below window.resume_until) with its comments,
        saving each through job.save_post."""
